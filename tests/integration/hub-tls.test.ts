// The hub over HTTPS with a certificate from a site CA, and benches that pin that CA (RS_HUB_CA). The CAs and
// the hub's certificate are made here with the openssl CLI. A bench pinned to another CA is refused with its
// own key (error.hub.certificateNotTrusted), and so is a bench that trusts only the OS's public roots.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoApp } from '../../app/demo.js';
import { pinnedFetch, readHubCa } from '../../app/hubTls.js';
import { createSnapshotSource, loadSnapshot } from '../../core/sync/snapshot.js';
import { syncErrorKey } from '../../core/sync/syncEngine.js';
import { createWmsClient, WmsError } from '../../core/sync/wmsClient.js';
import { openDatabase } from '../../db/connection.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { BenchCredential, EnrolmentCode, HUB_PATHS } from '../../hub/protocol.js';
import { startHub, type Hub } from '../../hub/server.js';

let dir: string;
let wms: DemoWms;
let hub: Hub;
let credential: BenchCredential;
const data = generateDemoData({ seed: 42, rmas: 30 });

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA (key + self-signed certificate) in `name`.key / `name`.pem. */
function makeCa(name: string): void {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-hub-tls-'));
  chmodSync(dir, 0o755);
  makeCa('site-ca');
  makeCa('other-ca');
  // The hub's certificate, for 127.0.0.1, signed by the site CA.
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'hub.key', '-out', 'hub.csr', '-subj', '/CN=rs-hub');
  writeFileSync(join(dir, 'hub.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'hub.csr', '-CA', 'site-ca.pem', '-CAkey', 'site-ca.key', '-CAcreateserial', '-out', 'hub.pem', '-days', '2', '-extfile', 'hub.ext');

  wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: 'wms-token-tls', seed: { products: data.products, rmas: data.rmas } });
  hub = await startHub({
    siteId: 'SITE-TLS',
    dataDir: join(dir, 'hub'),
    wms: { url: wms.url, token: wms.token, timeoutMs: 5000 },
    tls: { cert: readFileSync(join(dir, 'hub.pem')), key: readFileSync(join(dir, 'hub.key')) },
    log: () => undefined,
  });
  await hub.reference.pullNow();
  const siteFetch = pinnedFetch(readHubCa(join(dir, 'site-ca.pem')));
  const post = async (path: string, token: string | null, body: unknown): Promise<unknown> => {
    const res = await siteFetch(hub.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    return res.json();
  };
  const { code } = EnrolmentCode.parse(await post(HUB_PATHS.adminCodes, hub.adminToken, { stationId: 'BENCH-TLS' }));
  credential = BenchCredential.parse(await post(HUB_PATHS.enrol, null, { code }));
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await wms?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hub over HTTPS with a pinned CA', () => {
  it('serves HTTPS, and a bench pinned to the site CA talks to it', async () => {
    expect(hub.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const client = createWmsClient({ baseUrl: hub.url, token: credential.token, fetch: pinnedFetch(readHubCa(join(dir, 'site-ca.pem'))) });
    await expect(client.health()).resolves.toMatchObject({ status: 'ok' });
    expect((await client.rmas(null, 10)).items).toHaveLength(10);
  });

  it('refuses a bench pinned to another CA, with a clear error and its own key', async () => {
    const client = createWmsClient({ baseUrl: hub.url, token: credential.token, fetch: pinnedFetch(readHubCa(join(dir, 'other-ca.pem'))) });
    const err = await client.health().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WmsError);
    expect((err as WmsError).message).toMatch(/TLS certificate is not trusted/);
    expect(syncErrorKey(err, hub.url)).toEqual({ key: 'error.hub.certificateNotTrusted', params: { url: hub.url } });
    // The snapshot download is refused the same way, and loads nothing.
    const db = openDatabase(join(dir, 'wrong-ca.sqlite'));
    try {
      const snap = await loadSnapshot(db, createSnapshotSource({ baseUrl: hub.url, token: credential.token, fetch: pinnedFetch(readHubCa(join(dir, 'other-ca.pem'))) })).catch((e: unknown) => e);
      expect((snap as WmsError).code).toBe('error.hub.certificateNotTrusted');
    } finally {
      db.close();
    }
  });

  it('is not trusted through the OS roots alone: the CA must be pinned', async () => {
    const client = createWmsClient({ baseUrl: hub.url, token: credential.token });
    const err = await client.health().catch((e: unknown) => e);
    expect((err as WmsError).code).toBe('error.hub.certificateNotTrusted');
  });

  it('says what is wrong with an RS_HUB_CA file that holds no certificate', () => {
    expect(() => readHubCa(join(dir, 'hub.ext'))).toThrow(/RS_HUB_CA: .* holds no PEM certificate/);
    expect(() => readHubCa(join(dir, 'missing.pem'))).toThrow(/RS_HUB_CA: cannot read/);
  });

  it('a bench station with RS_HUB_CA bootstraps and syncs over HTTPS', async () => {
    const app = await startDemoApp({
      dataDir: join(dir, 'bench'),
      env: { RS_HUB_URL: hub.url, RS_HUB_TOKEN: credential.token, RS_STATION_ID: 'BENCH-TLS', RS_HUB_CA: join(dir, 'site-ca.pem') },
      printer: { transport: 'none' },
      log: () => undefined,
    });
    try {
      const staff = data.operators.find((o) => o.role === 'staff')!;
      expect(await app.station.handle('op', 'session.signIn', { badge: staff.badge, pin: staff.pin })).toMatchObject({ ok: true });
      const status = await app.station.handle('op', 'sync.status', {});
      expect(status).toMatchObject({ ok: true, value: { online: true, wmsUrl: hub.url } });
    } finally {
      await app.close();
    }
    const db = openDatabase(join(dir, 'bench', 'station.sqlite'));
    try {
      expect((db.prepare('SELECT count(*) AS n FROM rmas').get() as { n: number }).n).toBe(30);
    } finally {
      db.close();
    }
  }, 60_000);
});
