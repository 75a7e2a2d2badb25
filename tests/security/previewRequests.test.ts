// The preview server under hostile requests: whatever the method, path, Host, Origin and credentials,
// nothing reaches the station or a file without the token from a loopback Host and same-origin Origin.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CALL_BODY_BYTES } from '../../contract/index.js';
import type { Station } from '../../app/station.js';
import { startPreviewServer, type PreviewServer } from '../../preview/http.js';

const TOKEN = 'sec-token-abcdefghijklmnop';
let reached = 0;
const station: Station = {
  info: { stationId: 'T', version: 't', wmsIsDemo: true, wmsUrl: 'x', printer: 'none' },
  async handle() {
    reached += 1;
    return { ok: true, value: null };
  },
  subscribe: () => () => undefined,
  endSession: () => undefined,
  syncNow: async () => undefined,
  close: async () => undefined,
};

let dir: string;
let server: PreviewServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-preview-sec-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>RS</title>');
  server = await startPreviewServer({ station, staticDir: dir, token: TOKEN });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function send(opts: { method: string; path: string; headers: Record<string, string> }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method: opts.method, path: opts.path, headers: opts.headers, setHost: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(opts.method === 'POST' ? '{}' : undefined);
  });
}

describe('preview server under hostile requests', () => {
  it('answers 401/403 (never reaching the station or a file) unless token, Host and Origin are all right', async () => {
    const goodHost = (): string => `127.0.0.1:${server.port}`;
    const hostArb = fc.oneof(
      fc.constant('good'),
      fc.constantFrom('evil.example:80', 'localhost.evil.com', '127.0.0.1', `127.0.0.1.nip.io`, '[::1]', '0.0.0.0', ''),
      fc.string({ maxLength: 30, unit: fc.constantFrom(...'abc.:0123456789-[]'.split('')) }),
    );
    const originArb = fc.option(fc.oneof(fc.constant('good'), fc.constantFrom('null', 'http://evil.example', 'https://127.0.0.1', 'app://station', 'http://localhost')), { nil: undefined });
    const credArb: fc.Arbitrary<Record<string, string>> = fc.oneof(
      fc.constant<Record<string, string>>({}),
      fc.constant<Record<string, string>>({ authorization: `Bearer ${TOKEN}` }),
      fc.constant<Record<string, string>>({ cookie: `rs_token=${TOKEN}` }),
      fc.constantFrom<Record<string, string>>(
        { authorization: `Bearer ${TOKEN}x` },
        { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
        { authorization: `Basic ${TOKEN}` },
        { authorization: TOKEN },
        { cookie: `rs_token=${TOKEN.toUpperCase()}` },
        { cookie: `other=${TOKEN}` },
      ),
    );
    const pathArb = fc.oneof(
      fc.constantFrom('/', '/index.html', '/api/call/system.info', '/api/call/session.signIn', '/api/events', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/api/call/x?token=nope'),
      fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'), pathArb, hostArb, originArb, credArb, async (method, path, hostSpec, originSpec, creds) => {
        const headers: Record<string, string> = { ...creds, 'x-station-session': 'session-0001', 'content-type': 'application/json' };
        const host = hostSpec === 'good' ? goodHost() : hostSpec;
        if (host !== '') headers.host = host;
        if (originSpec !== undefined) headers.origin = originSpec === 'good' ? `http://${goodHost()}` : originSpec;
        const tokenOk = creds.authorization === `Bearer ${TOKEN}` || creds.cookie === `rs_token=${TOKEN}`;
        const hostOk = hostSpec === 'good';
        const originOk = originSpec === undefined || originSpec === 'good';
        const before = reached;
        let status: number;
        try {
          status = await send({ method, path, headers });
        } catch {
          return; // Node's client refused to send a malformed header: nothing went out.
        }
        if (!(tokenOk && hostOk && originOk)) {
          expect([400, 401, 403]).toContain(status);
          expect(reached).toBe(before);
        }
        expect(status).toBeLessThan(500);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses hostile WebSocket upgrades (odd targets, foreign Host) without crashing the server', async () => {
    const upgrade = (path: string, host: string): Promise<string> =>
      new Promise((resolve) => {
        const req = request({
          host: '127.0.0.1',
          port: server.port,
          path,
          setHost: false,
          headers: { host, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13', cookie: `rs_token=${TOKEN}` },
        });
        req.on('upgrade', (_res, socket) => {
          socket.destroy();
          resolve('upgraded');
        });
        req.on('response', (res) => resolve(String(res.statusCode)));
        req.on('error', () => resolve('closed'));
        req.end();
      });
    // `//` and `//host/x` made `new URL(target, base)` throw inside the upgrade handler: an uncaught exception, pre-auth.
    const good = `127.0.0.1:${server.port}`;
    const cases: Array<[string, string]> = [
      ['//', good],
      ['//evil.example/api/events', good],
      ['/api/events/x?session=abcdefgh', good],
      ['/api/events?session=abc', good],
      ['/api/events?session=abcdefgh', 'evil.example'],
      ['/api/events?session=abcdefgh', 'a b'],
      ['//', 'a b'],
    ];
    for (const [path, host] of cases) expect(await upgrade(path, host), `${path} ${host}`).not.toBe('upgraded');
    expect(await upgrade('/api/events?session=abcdefgh', good)).toBe('upgraded');
    expect(await send({ method: 'GET', path: '/', headers: { host: `127.0.0.1:${server.port}`, cookie: `rs_token=${TOKEN}` } })).toBe(200);
  });

  it('answers an oversized body with 413 and a sentence (not a reset), whether its length is declared or chunked', async () => {
    const post = (bytes: number, chunked: boolean): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const headers: Record<string, string | number> = { 'x-station-session': 'session-0001', authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
        if (!chunked) headers['content-length'] = bytes;
        const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/call/system.info', headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let sent = 0;
        const pump = (): void => {
          while (sent < bytes) {
            const n = Math.min(chunk.length, bytes - sent);
            sent += n;
            if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
          }
          req.end();
        };
        pump();
      });
    const before = reached;
    for (const [mb, chunked] of [[9, false], [9, true], [50, false], [50, true]] as const) {
      const r = await post(mb * 1024 * 1024, chunked);
      expect(r.status, `${mb} MB${chunked ? ' chunked' : ''}`).toBe(413);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { messageKey: 'error.bodyTooLarge', params: { limitMb: MAX_CALL_BODY_BYTES / 1024 / 1024 } } });
    }
    expect(reached).toBe(before);
    // Just under the limit is read whole and parsed (blank JSON: 400 from the parser, not 413).
    expect((await post(MAX_CALL_BODY_BYTES - 16, false)).status).toBe(400);
  }, 60_000);

  it('answers a malformed percent-encoding in a path with 400, not 500', async () => {
    const headers = { host: `127.0.0.1:${server.port}`, cookie: `rs_token=${TOKEN}` };
    for (const path of ['/%E0%A4%A', '/%', '/assets/%ZZ.js', '/%C0%AF']) expect(await send({ method: 'GET', path, headers }), path).toBe(400);
  });
});
