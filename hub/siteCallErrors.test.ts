// The hub UI's call route when the call itself is not what failed: a failure inside the hub (500) and the hub stopping
// (503) are answered in the call answer's shape with a key the hub UI says in both languages, as a refused body is
// (hub/siteWork.test.ts), never in the bench contract's {error, details}, which the hub UI can only call "an
// unexpected answer". One embedded PostgreSQL and one hub for the file; the last test stops the hub.
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiResponse } from '../contract/index.js';
import type { DemoWms } from '../fixtures/demo-wms/server.js';
import type { Hub } from './server.js';
import { startTestSite, type TestSite } from './testSite.test-helper.js';

let site: TestSite;
let wms: DemoWms;
let hub: Hub;
const logged: string[] = [];

beforeAll(async () => {
  site = await startTestSite({
    siteId: 'SITE-E',
    wmsToken: 'wms-token-calls',
    products: 2,
    rmas: 2,
    log: (line) => void logged.push(line),
    prepare: (folder) => {
      // A built UI's stand-in, so GETs reach the page route as they do at a site (it answers unknown paths with the page).
      mkdirSync(join(folder, 'ui'));
      writeFileSync(join(folder, 'ui', 'index.html'), '<!doctype html><title>hub</title>');
      return { site: { staticDir: join(folder, 'ui') } };
    },
  });
  ({ hub, wms } = site);
});
afterAll(async () => {
  await site?.close();
});

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

async function call(name: string, cookie?: string): Promise<Answer> {
  const res = await fetch(`${hub.url}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-station-session': randomUUID(), ...(cookie ? { cookie } : {}) },
    body: '{}',
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the assertions say so
  }
  return { status: res.status, body, headers: res.headers };
}

/** The table renamed away for the length of `fn`: the hub's next query of it fails as a broken database would. */
async function withoutTable<T>(table: string, fn: () => Promise<T>): Promise<T> {
  await hub.pool.query(`ALTER TABLE ${table} RENAME TO ${table}_away`);
  try {
    return await fn();
  } finally {
    await hub.pool.query(`ALTER TABLE ${table}_away RENAME TO ${table}`);
  }
}

const errorOf = (body: unknown) => {
  const parsed = ApiResponse.safeParse(body);
  expect(parsed.success, JSON.stringify(body)).toBe(true);
  return parsed.success && !parsed.data.ok ? parsed.data.error : null;
};

describe('hub UI call route: failures that are not the call’s', () => {
  it('answers a failure on the way to the call (the session lookup) as 500 in the call answer’s shape, with the request id and nothing internal; the log has both', async () => {
    // A cookie makes the hub look the session up before the call runs; that lookup's table is gone.
    const r = await withoutTable('site_sessions', () => call('system.info', 'rs_site=some-token-of-a-tab'));
    expect(r.status).toBe(500);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const error = errorOf(r.body);
    expect(error).toMatchObject({ code: 'INTERNAL', messageKey: 'error.site.hubFailed', params: { requestId: expect.stringMatching(/^[0-9a-f]{8}$/) } });
    const requestId = String(error?.params.requestId);
    // Neither the database's words nor a stack reach the browser.
    expect(JSON.stringify(r.body)).not.toMatch(/site_sessions|relation|does not exist|at .*\.ts/);
    expect(error?.message).toContain(requestId);
    const line = logged.find((l) => l.includes(`request ${requestId}`));
    expect(line).toMatch(/site call system\.info failed/);
    expect(line).toMatch(/site_sessions/);
    // Nothing else broke: the same call answers once the table is back.
    expect(await call('system.info', 'rs_site=some-token-of-a-tab')).toMatchObject({ status: 200, body: { ok: true, value: { site: true } } });
  });

  it('answers a call whose own work failed with the same key and reference, and logs it under that reference', async () => {
    await fetch(`${hub.url}/admin/v1/operators`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ badge: 'SUP-E', name: 'Sup E', role: 'supervisor', pin: '1357' }),
    });
    const signIn = await fetch(`${hub.url}/api/call/session.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-station-session': randomUUID() },
      body: JSON.stringify({ badge: 'SUP-E', pin: '1357' }),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^rs_site=.+/);
    // The session checks out; the status bar's query of the relay outbox then fails.
    const r = await withoutTable('relay_outbox', () => call('sync.status', cookie));
    expect(r.status).toBe(200);
    const error = errorOf(r.body);
    expect(error).toMatchObject({ code: 'INTERNAL', messageKey: 'error.site.hubFailed' });
    expect(JSON.stringify(r.body)).not.toMatch(/relay_outbox|relation/);
    expect(logged.find((l) => l.includes(`request ${String(error?.params.requestId)}`))).toMatch(/site call sync\.status failed.*relay_outbox/s);
  });

  it('answers an unknown path or method under the hub UI’s /api/ in the call answer’s shape (404 error.hub.notFound), and keeps the WMS contract’s shape under /api/v1/', async () => {
    const asked: Array<[string, string]> = [
      ['GET', '/api/nope'],
      ['GET', '/api/nope?x=1'],
      ['POST', '/api/nope'],
      ['GET', '/api/call/system.info'],
      ['DELETE', '/api/call/system.info'],
      ['PUT', '/api/site/export'],
      ['GET', '/api/site/nope'],
    ];
    for (const [method, path] of asked) {
      const res = await fetch(`${hub.url}${path}`, { method, headers: { 'x-station-session': randomUUID(), 'content-type': 'application/json' }, ...(method === 'GET' ? {} : { body: '{}' }) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('cache-control'), `${method} ${path}`).toBe('no-store');
      const body: unknown = await res.json();
      expect(errorOf(body), `${method} ${path}`).toMatchObject({ code: 'NOT_FOUND', messageKey: 'error.hub.notFound', params: { method } });
    }
    const get = errorOf(await (await fetch(`${hub.url}/api/call/system.info`)).json());
    expect(get?.message).toMatch(/calls are POST/);
    // Benches speak the WMS contract under /api/v1/: its error shape stays theirs.
    const v1 = await fetch(`${hub.url}/api/v1/nope`);
    expect(v1.status).toBe(404);
    expect(await v1.json()).toMatchObject({ error: 'error.hub.notFound', details: { message: expect.stringContaining('/api/v1/nope') } });
    // A page is still a page.
    const page = await fetch(`${hub.url}/review`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>hub</title>');
  });

  it('answers the export route’s refusals in the call answer’s shape', async () => {
    const r = await fetch(`${hub.url}/api/site/export?format=csv`);
    expect(r.status).toBe(401);
    expect(errorOf(await r.json())).toMatchObject({ messageKey: 'error.signInFirst' });
  });

  it('answers a call that arrives while the hub stops as 503 in the call answer’s shape (error.site.hubStopping)', async () => {
    const { port } = hub;
    // A tab's connection that has begun its request when the hub starts to stop: the hub waits for it rather than
    // dropping it as idle, and the rest of the request then arrives at a hub that is stopping.
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(`POST /api/call/system.info HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n`);
    // And a download of the export, and a path the hub does not have, begun the same way.
    const others = ['/api/site/export?format=csv', '/api/nope'].map((path) => {
      const s = connect(port, '127.0.0.1');
      const got: Buffer[] = [];
      s.on('data', (c: Buffer) => got.push(c));
      const opened = new Promise<void>((resolve, reject) => s.once('connect', resolve).once('error', reject));
      const closed = new Promise<string>((resolve) => s.once('close', () => resolve(Buffer.concat(got).toString('utf8'))));
      return { s, path, opened, closed };
    });
    for (const o of others) {
      await o.opened;
      o.s.write(`GET ${o.path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n`);
    }
    // Same process: a turn of the event loop lets the server read the request line.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = hub.close();
    socket.write(`content-type: application/json\r\nx-station-session: ${randomUUID()}\r\ncontent-length: 2\r\n\r\n{}`);
    for (const o of others) o.s.write('\r\n');
    for (const o of others) {
      const [otherHead = '', otherBody = ''] = (await o.closed).split('\r\n\r\n');
      expect(otherHead, o.path).toMatch(/^HTTP\/1\.1 503 /);
      expect(errorOf(JSON.parse(otherBody) as unknown), o.path).toMatchObject({ code: 'INTERNAL', messageKey: 'error.site.hubStopping' });
    }
    await ended;
    await stopped;
    const raw = Buffer.concat(chunks).toString('utf8');
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 503 /);
    expect(head.toLowerCase()).toContain('retry-after: 5');
    expect(head.toLowerCase()).toContain('cache-control: no-store');
    const error = errorOf(JSON.parse(body) as unknown);
    expect(error).toMatchObject({ code: 'INTERNAL', messageKey: 'error.site.hubStopping' });
  });
});
