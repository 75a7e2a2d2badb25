import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Station, StationListener } from '../core/station.js';
import { startPreviewServer, type PreviewServer } from './http.js';

const calls: { session: string; name: string; input: unknown }[] = [];
// Every server started on the fake station hears it (one test starts a second server beside the first).
const listeners = new Set<StationListener>();
const station: Station = {
  info: { stationId: 'T', version: 't', wmsIsDemo: true, wmsUrl: 'x', printer: 'none' },
  async handle(session, name, input) {
    calls.push({ session, name, input });
    return { ok: true, value: { echoed: name } };
  },
  subscribe(l) {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  endSession: () => undefined,
  syncNow: async () => undefined,
  close: async () => undefined,
};

let dir: string;
let server: PreviewServer;

function raw(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-preview-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>RS</title>');
  writeFileSync(join(tmpdir(), 'rs-secret.txt'), 'secret');
  server = await startPreviewServer({ station, staticDir: dir, token: 'test-token-123456' });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(tmpdir(), 'rs-secret.txt'), { force: true });
});

const host = () => ({ host: `127.0.0.1:${server.port}` });
const auth = () => ({ ...host(), cookie: 'rs_token=test-token-123456' });

describe('preview server', () => {
  it('says a port in use in a sentence, and takes any free port when its port was only a default', async () => {
    await expect(startPreviewServer({ station, staticDir: dir, port: server.port })).rejects.toThrow(`127.0.0.1:${server.port} is already in use`);
    const other = await startPreviewServer({ station, staticDir: dir, port: server.port, anyPortIfTaken: true });
    try {
      expect(other.port).not.toBe(server.port);
      expect(other.port).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });

  it('listens on loopback and turns the one-time token URL into an HttpOnly cookie', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await raw('/?token=test-token-123456', { headers: host() });
    expect(res.status).toBe(302);
    expect(String(res.headers['set-cookie'])).toMatch(/rs_token=test-token-123456; HttpOnly; SameSite=Strict/);
    expect((await raw('/?token=wrong', { headers: host() })).status).toBe(401);
  });

  it('needs the token for every request, static files included', async () => {
    expect((await raw('/', { headers: host() })).status).toBe(401);
    const ok = await raw('/', { headers: auth() });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-security-policy']).toMatch(/default-src 'self'/);
  });

  it('rejects foreign Host headers (DNS rebinding) and cross-site Origins', async () => {
    expect((await raw('/', { headers: { ...auth(), host: 'evil.example:80' } })).status).toBe(403);
    const cross = await raw('/api/call/system.info', {
      method: 'POST',
      headers: { ...auth(), origin: 'http://evil.example', 'x-station-session': 'abcdefgh-1234' },
      body: '{}',
    });
    expect(cross.status).toBe(403);
  });

  it('passes calls to the station with a per-tab session, and refuses bad bodies', async () => {
    const res = await raw('/api/call/system.info', { method: 'POST', headers: { ...auth(), 'x-station-session': 'abcdefgh-1234' }, body: '{}' });
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: { echoed: 'system.info' } });
    expect(calls.at(-1)).toEqual({ session: 'http:abcdefgh-1234', name: 'system.info', input: {} });
    const bad = await raw('/api/call/system.info', { method: 'POST', headers: { ...auth(), 'x-station-session': 'abcdefgh-1234' }, body: '{nope' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const noSession = await raw('/api/call/system.info', { method: 'POST', headers: auth(), body: '{}' });
    expect(noSession.status).toBe(400);
  });

  it('does not serve files outside the renderer folder', async () => {
    const res = await raw('/..%2frs-secret.txt', { headers: auth() });
    expect(res.body).not.toContain('secret');
  });

  it('pushes station events over an authenticated WebSocket and refuses one without the token', async () => {
    const url = `ws://127.0.0.1:${server.port}/api/events?session=abcdefgh-1234`;
    const denied = new WebSocket(url, { headers: { host: `127.0.0.1:${server.port}` } });
    await expect(new Promise((_, reject) => denied.on('error', reject))).rejects.toThrow(/403/);
    const ws = new WebSocket(url, { headers: { cookie: 'rs_token=test-token-123456', origin: `http://127.0.0.1:${server.port}` } });
    await new Promise((r) => ws.on('open', r));
    const got = new Promise<string>((r) => ws.on('message', (m) => r(String(m))));
    const scan = { text: '4901234567894', symbology: 'ean-13' as const, aim: null, gs1: false, source: 'test', at: 0 };
    for (const l of listeners) l('device.scan', scan);
    expect(JSON.parse(await got)).toEqual({ event: 'device.scan', payload: scan });
    ws.close();
  });
});
