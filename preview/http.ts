import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_CALL_BODY_BYTES, MAX_WS_MESSAGE_BYTES, type ApiResponse } from '../contract/index.js';
import type { Station } from '../app/startApp.js';
import { RENDERER_CSP, RENDERER_FILE_TYPES } from '../contract/rendererServing.js';

export interface PreviewServerOptions {
  station: Station;
  /** Built renderer (vite build output). */
  staticDir: string;
  host?: string;
  port?: number;
  /** `port` was only a default: when it is taken, listen on any free port instead of failing. */
  anyPortIfTaken?: boolean;
  /** Fixed token for tests; random per run otherwise. */
  token?: string;
}

export interface PreviewServer {
  url: string;
  /** The URL to open: it carries the per-run token once, which becomes an HttpOnly cookie. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export const CSP = RENDERER_CSP;

const COOKIE = 'rs_token';
const SESSION_RE = /^[A-Za-z0-9-]{8,64}$/;

const TYPES = RENDERER_FILE_TYPES;

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return null;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': CSP });
  res.end(text);
}

class BodyTooLarge extends Error {}

/** The body, or BodyTooLarge as soon as it passes the limit (what follows is drained, not kept, so a 413 can be read). */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_CALL_BODY_BYTES) {
      req.resume();
      reject(new BodyTooLarge());
      return;
    }
    let size = 0;
    let over = false;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > MAX_CALL_BODY_BYTES) {
        over = true;
        chunks.length = 0;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The request target as a URL, or null when it is not one. The Host header is checked separately and never
 * used to parse: `//`, `//evil/x` or a bad Host would make `new URL(target, base)` throw (in an upgrade
 * handler, an uncaught throw would take the whole preview down).
 */
function requestUrl(req: IncomingMessage): URL | null {
  const target = req.url ?? '/';
  if (!target.startsWith('/')) return null;
  try {
    return new URL(`http://preview.invalid${target}`);
  } catch {
    return null;
  }
}

function invalid(message: string): ApiResponse {
  return { ok: false, error: { code: 'INVALID_INPUT', messageKey: 'error.invalidInput', params: {}, message } };
}

/**
 * The browser preview: the renderer and the station API over HTTP + WebSocket, on loopback only.
 * Every request needs the per-run token and a loopback Host (DNS rebinding) and, when sent, a same-origin Origin.
 */
const isCode = (err: unknown, code: string): boolean => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;

/** Listens, or fails with a sentence: a port in use is said as such, not thrown as an unheard 'error' event. */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((ok, fail) => {
    const failed = (err: Error): void => {
      server.off('listening', listening);
      fail(isCode(err, 'EADDRINUSE') ? Object.assign(new Error(`${host}:${port} is already in use (another preview running?); set RS_PREVIEW_PORT to a free port`), { code: 'EADDRINUSE' }) : err);
    };
    const listening = (): void => {
      server.off('error', failed);
      ok();
    };
    server.once('error', failed);
    server.once('listening', listening);
    server.listen(port, host);
  });
}

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staticRoot = resolve(options.staticDir);
  let port = 0;
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);

  const authorized = (req: IncomingMessage): boolean => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const presented = bearer ?? cookieToken(req);
    return presented !== null && presented !== undefined && safeEqual(presented, token);
  };
  const hostAndOriginOk = (req: IncomingMessage): boolean => {
    if (!allowedHosts().includes(req.headers.host ?? '')) return false;
    const origin = req.headers.origin;
    return origin === undefined || allowedOrigins().includes(origin);
  };

  const serveStatic = (pathname: string, res: ServerResponse): void => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      // `/%E0%A4%A` and the like: the client's mistake (400), not the station's (500).
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('The path is not valid percent-encoding.');
      return;
    }
    let file = resolve(staticRoot, '.' + decoded);
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) {
      res.writeHead(404).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(staticRoot, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The renderer is not built: run `npm run build:renderer`.');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    const stream = createReadStream(file);
    // A file that vanishes or cannot be read mid-answer ends this response, not the station.
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };

  const server = createServer(async (req, res) => {
    try {
      if (!hostAndOriginOk(req)) {
        res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden host or origin');
        return;
      }
      const url = requestUrl(req);
      if (!url) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request target');
        return;
      }
      const presented = url.searchParams.get('token');
      if (req.method === 'GET' && presented !== null) {
        if (!safeEqual(presented, token)) {
          res.writeHead(401, { 'content-type': 'text/plain' }).end('wrong token');
          return;
        }
        res.writeHead(302, { 'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`, location: '/' }).end();
        return;
      }
      if (!authorized(req)) {
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end('Open the preview with the URL the station printed (it carries the access token).');
        return;
      }
      const call = /^\/api\/call\/([A-Za-z.]{1,64})$/.exec(url.pathname);
      if (call) {
        if (req.method !== 'POST') {
          res.writeHead(405).end();
          return;
        }
        const session = req.headers['x-station-session'];
        if (typeof session !== 'string' || !SESSION_RE.test(session)) {
          sendJson(res, 400, invalid('missing or malformed X-Station-Session header'));
          return;
        }
        let input: unknown;
        try {
          const body = await readBody(req);
          input = body.length ? JSON.parse(body) : {};
        } catch (e) {
          if (e instanceof BodyTooLarge) {
            const mb = MAX_CALL_BODY_BYTES / (1024 * 1024);
            sendJson(res, 413, {
              ok: false,
              error: { code: 'INVALID_INPUT', messageKey: 'error.bodyTooLarge', params: { limitMb: mb }, message: `The request is larger than ${mb} MB, the most one call may carry.` },
            } satisfies ApiResponse);
            return;
          }
          sendJson(res, 400, invalid(e instanceof Error ? e.message : 'bad body'));
          return;
        }
        sendJson(res, 200, await options.station.handle(`http:${session}`, call[1] ?? '', input));
        return;
      }
      if (url.pathname.startsWith('/api/')) {
        res.writeHead(404).end();
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end();
        return;
      }
      serveStatic(url.pathname, res);
    } catch {
      if (!res.headersSent) res.writeHead(500).end();
    }
  });

  // Node's HTTP server hears its sockets' errors itself (answering 400/431/408 through 'clientError'); this
  // listener is for the time after an upgrade hands a socket over, when only ours are left.
  server.on('connection', (socket) => socket.on('error', () => socket.destroy()));

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES });
  // Never emitted in noServer mode today; heard anyway so a future ws change cannot crash the station.
  wss.on('error', () => undefined);
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req);
    const session = url?.searchParams.get('session');
    if (!url || url.pathname !== '/api/events' || !hostAndOriginOk(req) || !authorized(req) || !session || !SESSION_RE.test(session)) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // A malformed frame (too long, unmasked, bad UTF-8, reserved opcode or bits, bad close code, long ping) makes
      // ws emit 'error' and close with 1002/1007/1009: only this connection ends. Without a listener, the whole
      // station process went down with "Unhandled 'error' event".
      ws.on('error', () => ws.terminate());
      // The renderer only listens; anything it sends is ignored.
      ws.on('message', () => undefined);
    });
  });
  const unsubscribe = options.station.subscribe((event, payload) => {
    const text = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  try {
    await listen(server, options.port ?? 0, host);
  } catch (err) {
    if (!(options.anyPortIfTaken && isCode(err, 'EADDRINUSE'))) {
      unsubscribe();
      throw err;
    }
    await listen(server, 0, host);
  }
  port = (server.address() as AddressInfo).port;
  const base = `http://${host}:${port}`;
  return {
    url: `${base}/`,
    openUrl: `${base}/?token=${token}`,
    token,
    port,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections();
    },
  };
}
