// Issue 15, "an outside anchor for the audit chain": benches anchor their audit-chain head at the hub,
// `returns-station audit verify --hub` finds a cut tail or a rebuilt chain, and the hub's own chain of
// site actions verifies and shows tampering.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ANCHOR_ERRORS, AUDIT_ANCHOR_PATH } from '../../contract/auditAnchor.js';
import { startStation } from '../../app/station.js';
import { createAuditAnchorSender, fetchAuditAnchors, sendAuditAnchor } from '../../core/sync/auditAnchor.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { appendAudit, auditHead, verifyAuditChain } from '../../db/repositories/audit.js';
import { startDemoWms, type DemoWms } from '../../fixtures/demo-wms/server.js';
import { HUB_ERRORS, HUB_PATHS, type BenchCredential } from '../../hub/protocol.js';
import { startHub, type Hub } from '../../hub/server.js';
import { appendSiteAudit, verifySiteAudit } from '../../hub/siteAudit.js';
import { startTestPostgres, type TestPostgres } from '../../hub/testing.js';
import { inTransaction } from '../../hub/db.js';

const BIN = fileURLToPath(new URL('../../bin/returns-station.mjs', import.meta.url));
let pgServer: TestPostgres;
let wms: DemoWms;
let hub: Hub;
let dir: string;
let benchA: BenchCredential;
let benchB: BenchCredential;
let fileA: string;

async function call(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(hub.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
}

async function enrol(stationId: string): Promise<BenchCredential> {
  const code = await call('POST', HUB_PATHS.adminCodes, hub.adminToken, { stationId });
  const cred = await call('POST', HUB_PATHS.enrol, null, { code: (code.json as { code: string }).code });
  expect(cred.status).toBe(200);
  return cred.json as BenchCredential;
}

function grade(db: Db, n: number, grade = 'A'): void {
  for (let i = 0; i < n; i++) appendAudit(db, { operatorId: 'OP-1', action: 'item.graded', entity: `item:${grade}${i}`, after: { grade } });
}

// Asynchronous: the hub runs in this process and must answer the command while it waits.
async function verifyCli(file: string, hubUrl: string | null, token = benchA.token) {
  const r = await promisify(execFile)(process.execPath, [BIN, 'audit', 'verify', '--db', file, ...(hubUrl ? ['--hub', hubUrl] : ['--local'])], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, RS_HUB_TOKEN: token, RS_HUB_URL: '' },
  }).then(
    (ok) => ({ status: 0, stdout: ok.stdout, stderr: ok.stderr }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({ status: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }),
  );
  return { status: r.status, stderr: r.stderr, out: r.stdout ? (JSON.parse(r.stdout) as Record<string, unknown>) : null };
}

const anchorRows = async () => (await hub.pool.query('SELECT station_id, seq, hash FROM audit_anchors ORDER BY station_id, seq')).rows;
const siteAuditRows = async () => (await hub.pool.query<{ seq: string; action: string; entity: string }>('SELECT seq, action, entity FROM site_audit WHERE site_id = $1 ORDER BY seq', [hub.siteId])).rows;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-anchor-'));
  pgServer = await startTestPostgres();
  wms = await startDemoWms({ dbFile: join(dir, 'wms.sqlite'), token: 'wms-token-anchor', seed: { products: [], rmas: [] } });
  hub = await startHub({
    siteId: 'SITE-A',
    databaseUrl: pgServer.url,
    wms: { url: wms.url, token: wms.token, timeoutMs: 2000 },
    relay: { intervalMs: 60_000 },
    reference: { intervalMs: 60_000 },
    log: () => undefined,
  });
  benchA = await enrol('BENCH-A');
  benchB = await enrol('BENCH-B');
  fileA = join(dir, 'a', 'station.sqlite');
}, 120_000);
afterAll(async () => {
  await hub?.close();
  await wms?.close();
  await pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit anchors at the hub', () => {
  it('records the head of the authenticated bench, once per position, and lists only its own', async () => {
    const db = openDatabase(fileA);
    const hubA = { url: hub.url, token: benchA.token };
    expect(await sendAuditAnchor(db, 'BENCH-A', hubA)).toBeNull();
    grade(db, 3);
    expect(await sendAuditAnchor(db, 'BENCH-A', hubA)).toEqual({ seq: 3, status: 'recorded' });
    expect(await sendAuditAnchor(db, 'BENCH-A', hubA)).toEqual({ seq: 3, status: 'unchanged' });
    grade(db, 2);
    // The station's commits are synced off the event loop: the head goes only once it is on disk.
    const order: string[] = [];
    const sent = sendAuditAnchor(db, 'BENCH-A', hubA, async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('synced');
    }).then((r) => (order.push('sent'), r));
    expect(await sent).toEqual({ seq: 5, status: 'recorded' });
    expect(order).toEqual(['synced', 'sent']);
    db.close();
    const listA = await fetchAuditAnchors(hubA);
    expect(listA.stationId).toBe('BENCH-A');
    expect(listA.anchors.map((a) => a.seq)).toEqual([3, 5]);
    expect((await fetchAuditAnchors({ url: hub.url, token: benchB.token })).anchors).toEqual([]);
  });

  it('refuses bad anchors with a clear code and changes nothing', async () => {
    const before = await anchorRows();
    const db = openDatabase(fileA, { readonly: true });
    const at4 = (db.prepare('SELECT hash FROM audit_log WHERE seq = 4').get() as { hash: string }).hash;
    const head = auditHead(db)!;
    db.close();
    const cases: Array<[string | null, unknown, number, string]> = [
      [benchA.token, { stationId: 'BENCH-A', seq: 'six', hash: 'zz' }, 400, HUB_ERRORS.malformed],
      [benchA.token, { stationId: 'BENCH-A', seq: 6, hash: head.hash, extra: 1 }, 400, HUB_ERRORS.malformed],
      [benchA.token, '{"stationId":', 400, HUB_ERRORS.malformed],
      [benchB.token, { stationId: 'BENCH-A', seq: 9, hash: head.hash }, 403, HUB_ERRORS.foreignBench],
      [null, { stationId: 'BENCH-A', seq: 9, hash: head.hash }, 401, HUB_ERRORS.unauthenticated],
      [benchA.token, { stationId: 'BENCH-A', seq: 4, hash: at4 }, 409, AUDIT_ANCHOR_ERRORS.backwards],
      [benchA.token, { stationId: 'BENCH-A', seq: 5, hash: at4 }, 409, AUDIT_ANCHOR_ERRORS.conflict],
    ];
    for (const [token, body, status, code] of cases) {
      const r = await call('POST', AUDIT_ANCHOR_PATH, token, body);
      expect({ body, status: r.status, error: (r.json as { error: string }).error }).toEqual({ body, status, error: code });
    }
    expect(await anchorRows()).toEqual(before);
  });

  it('audit verify --hub passes an intact chain, and names a cut tail and a rebuilt chain', async () => {
    const intact = await verifyCli(fileA, hub.url);
    expect(intact.stderr).toBe('');
    expect(intact.status).toBe(0);
    expect(intact.out).toMatchObject({ ok: true, entries: 5, hub: { stationId: 'BENCH-A', anchors: 2, findings: [] } });

    // Someone with file access drops the append-only trigger and removes the two newest entries: the
    // remaining chain is valid, so a local check alone passes.
    const cut = join(dir, 'cut', 'station.sqlite');
    openDatabase(cut).close();
    copyFileSync(fileA, cut);
    const c = openDatabase(cut);
    c.exec('DROP TRIGGER audit_log_no_delete');
    c.prepare('DELETE FROM audit_log WHERE seq > 3').run();
    expect(verifyAuditChain(c)).toEqual({ ok: true, entries: 3 });
    // The hub sees it too if the bench reports its head again.
    await expect(sendAuditAnchor(c, 'BENCH-A', { url: hub.url, token: benchA.token })).rejects.toMatchObject({ status: 409, code: AUDIT_ANCHOR_ERRORS.backwards });
    c.close();
    expect((await verifyCli(cut, null)).status).toBe(0);
    const truncated = await verifyCli(cut, hub.url);
    expect(truncated.status).toBe(1);
    expect(truncated.out).toMatchObject({ ok: false, hub: { findings: [{ kind: 'truncated', seq: 5, localHead: 3 }] } });
    expect(truncated.stderr).toContain('The hub recorded audit entry 5 from this bench, but the local audit log ends at entry 3: its newest entries were removed.');

    // A chain rebuilt from scratch, every hash valid, with other content.
    const rebuilt = join(dir, 'rebuilt', 'station.sqlite');
    const r = openDatabase(rebuilt);
    grade(r, 6, 'B');
    expect(verifyAuditChain(r)).toEqual({ ok: true, entries: 6 });
    r.close();
    const rewritten = await verifyCli(rebuilt, hub.url);
    expect(rewritten.status).toBe(1);
    expect(rewritten.out).toMatchObject({ ok: false, hub: { findings: [{ kind: 'rewritten', seq: 3 }] } });
    expect(rewritten.stderr).toContain('Audit entry 3 is not the entry the hub recorded from this bench (its hash differs): the log was rewritten from there or earlier.');

    // No hub answer: the local check is still reported, with the reason it could not compare.
    const away = await verifyCli(fileA, 'http://127.0.0.1:1');
    expect(away.status).toBe(2);
    expect(away.out).toEqual({ ok: true, entries: 5 });
    expect(away.stderr).toContain('not compared with the hub');
  }, 120_000);

  it('the bench sends on the sync timer no more often than asked, and once more on close', async () => {
    const db = openDatabase(join(dir, 'b', 'station.sqlite'));
    let t = 0;
    const logged: string[] = [];
    const sender = createAuditAnchorSender({ db, stationId: 'BENCH-B', hub: { url: hub.url, token: benchB.token }, everyMs: 180_000, log: (m) => logged.push(m), now: () => t });
    grade(db, 2);
    sender.tick();
    await sender.flush();
    grade(db, 1);
    t = 60_000;
    sender.tick(); // too soon: nothing new is sent
    await new Promise((r) => setTimeout(r, 200));
    expect((await fetchAuditAnchors({ url: hub.url, token: benchB.token })).anchors.map((a) => a.seq)).toEqual([2]);
    grade(db, 1);
    t = 240_000;
    sender.tick();
    await sender.flush(); // on close
    expect((await fetchAuditAnchors({ url: hub.url, token: benchB.token })).anchors.map((a) => a.seq)).toEqual([2, 4]);
    expect(logged).toEqual([]);
    db.close();
  });
});

describe('a station behind a hub', () => {
  it('anchors its head on the sync timer and again on close', async () => {
    const benchC = await enrol('BENCH-C');
    const dataDir = join(dir, 'c');
    const file = join(dataDir, 'station.sqlite');
    const before = openDatabase(file);
    grade(before, 2);
    before.close();
    const station = await startStation(
      { dataDir, stationId: 'BENCH-C', wms: { url: hub.url, token: benchC.token }, sync: { intervalMs: 50, batchSize: 10 } },
      { log: () => undefined, auditAnchors: { everyMs: 3_600_000 } },
    );
    const hubC = { url: hub.url, token: benchC.token };
    try {
      const started = Date.now();
      while ((await fetchAuditAnchors(hubC)).anchors.length === 0 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 50));
      expect((await fetchAuditAnchors(hubC)).anchors.map((a) => a.seq)).toEqual([2]);
      const writer = openDatabase(file);
      grade(writer, 1);
      writer.close();
    } finally {
      await station.close();
    }
    // The timer waits an hour; only the close sent entry 3.
    expect((await fetchAuditAnchors(hubC)).anchors.map((a) => a.seq)).toEqual([2, 3]);
  }, 60_000);
});

describe("the hub's own audit of site actions", () => {
  it('records enrolment and revocation in the same transaction, and verifies', async () => {
    const rows = await siteAuditRows();
    expect(rows.map((r) => `${r.action} ${r.entity}`)).toEqual([
      'bench.enrolmentCodeIssued bench:BENCH-A',
      'bench.enrolled bench:BENCH-A',
      'bench.enrolmentCodeIssued bench:BENCH-B',
      'bench.enrolled bench:BENCH-B',
      'bench.enrolmentCodeIssued bench:BENCH-C',
      'bench.enrolled bench:BENCH-C',
    ]);
    expect((await call('POST', HUB_PATHS.adminRevoke.replace(':stationId', 'BENCH-B'), hub.adminToken)).status).toBe(200);
    expect((await call('POST', HUB_PATHS.adminRevoke.replace(':stationId', 'BENCH-B'), hub.adminToken)).status).toBe(200);
    expect((await call('POST', HUB_PATHS.adminRevoke.replace(':stationId', 'NOPE'), hub.adminToken)).status).toBe(404);
    expect((await siteAuditRows()).map((r) => r.action).slice(6)).toEqual(['bench.revoked']);
    // An action that fails takes its audit entry with it.
    await expect(
      inTransaction(hub.pool, async (c) => {
        await appendSiteAudit(c, hub.siteId, { actor: 'admin', action: 'roster.enrolled', entity: 'operator:X' });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(await siteAuditRows()).toHaveLength(7);
    expect((await call('GET', HUB_PATHS.adminSiteAuditVerify, hub.adminToken)).json).toEqual({ ok: true, entries: 7 });
    expect((await call('GET', HUB_PATHS.adminSiteAuditVerify, benchA.token)).status).toBe(401);
  });

  it('is append-only, and an entry edited behind the trigger is found', async () => {
    await expect(hub.pool.query("UPDATE site_audit SET actor = 'someone' WHERE seq = 2")).rejects.toThrow(/append-only/);
    await expect(hub.pool.query('DELETE FROM site_audit WHERE seq = 2')).rejects.toThrow(/append-only/);
    await inTransaction(hub.pool, async (c) => {
      await c.query('ALTER TABLE site_audit DISABLE TRIGGER USER');
      await c.query("UPDATE site_audit SET entity = 'bench:BENCH-Z' WHERE site_id = $1 AND seq = 2", [hub.siteId]);
      await c.query('ALTER TABLE site_audit ENABLE TRIGGER USER');
    });
    expect(await verifySiteAudit(hub.pool, hub.siteId)).toEqual({ ok: false, entries: 2, brokenAtSeq: 2, reason: 'entry was altered' });
    await inTransaction(hub.pool, async (c) => {
      await c.query('ALTER TABLE site_audit DISABLE TRIGGER USER');
      await c.query("UPDATE site_audit SET entity = 'bench:BENCH-A' WHERE site_id = $1 AND seq = 2", [hub.siteId]);
      await c.query('DELETE FROM site_audit WHERE site_id = $1 AND seq = 3', [hub.siteId]);
      await c.query('ALTER TABLE site_audit ENABLE TRIGGER USER');
    });
    expect(await verifySiteAudit(hub.pool, hub.siteId)).toEqual({ ok: false, entries: 3, brokenAtSeq: 3, reason: 'entry was removed' });
  });
});
