import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiResponse, ParcelView, SiteToteReceived, ToteBagScan, ToteFlagView, ToteView } from '../../contract/index.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { upsertProducts, upsertRmas } from '../../db/repositories/referenceData.js';
import { upsertManifests } from '../../db/repositories/totes.js';
import { generateDemoData } from '../../fixtures/demo-data/generate.js';
import { demoTotes, UNKNOWN_RMA, UNMANIFESTED_BAG, bagCodeOf, type DemoTote } from '../../fixtures/demo-data/manifests.js';
import { createDispatcher, type Handlers } from './dispatch.js';
import { IntakeService } from './intake.js';
import { enrolOperatorsIfNone } from './operators.js';
import { ParcelService } from './parcels.js';
import { SessionService } from './session.js';
import { TEST_OPERATORS } from './harness.test-helper.js';
import { ToteService, toteHandlers } from './totes.js';

const data = generateDemoData({ seed: 42, rmas: 60, now: '2026-11-01T00:00:00.000Z' });
const totes = demoTotes(data);

let dir: string;
let db: Db;
let call: (session: string, name: string, input: unknown) => Promise<ApiResponse>;

async function ok<T>(session: string, name: string, input: unknown): Promise<T> {
  const r = await call(session, name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.messageKey} ${r.error.message}`);
  return r.value as T;
}

async function refused(session: string, name: string, input: unknown): Promise<{ code: string; messageKey: string; params: Record<string, string | number> }> {
  const r = await call(session, name, input);
  if (r.ok) throw new Error(`${name} was accepted`);
  return r.error;
}

const events = (type: string): { aggregate_id: string; payload: string }[] =>
  db.prepare('SELECT aggregate_id, payload FROM outbox WHERE type = ? ORDER BY id').all(type) as { aggregate_id: string; payload: string }[];

function tote(i: number): DemoTote {
  const t = totes[i];
  if (!t) throw new Error(`no demo tote #${i}`);
  return t;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-totes-'));
  db = openDatabase(join(dir, 'station.sqlite'));
  upsertProducts(db, data.products);
  upsertRmas(db, data.rmas);
  upsertManifests(db, totes.map((t) => t.manifest));
  await enrolOperatorsIfNone(db, TEST_OPERATORS);
  const sessions = new SessionService(db, { lockAfterFailures: 3, lockMinutes: 5, idleMinutes: 30 });
  const noop = (): void => undefined;
  const intake = new IntakeService({ db, stationId: 'BENCH-01', onOutboxAppended: noop });
  const parcels = new ParcelService({ db, stationId: 'BENCH-01', intake, lookup: async () => ({ source: 'local', rmas: [] }), onOutboxAppended: noop });
  const handlers: Partial<Handlers> = {
    'session.signIn': (ctx, i) => sessions.signIn(ctx.sessionKey, i.badge, i.pin),
    'parcel.open': (ctx, i) => intake.openParcel(ctx.operator!, i.code),
    'parcel.close': (ctx, i) => parcels.close(ctx.operator!, i.parcelId, { confirmUnreceived: i.confirmUnreceived }),
    ...toteHandlers(new ToteService({ db, stationId: 'BENCH-01', intake, onOutboxAppended: noop })),
  };
  const d = createDispatcher(handlers as Handlers, sessions, () => undefined);
  call = (s, n, i) => d.handle(s, n, i);
  await ok('staff', 'session.signIn', { badge: 'OP-1001', pin: '1234' });
  await ok('lead', 'session.signIn', { badge: 'OP-2001', pin: '2345' });
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('demo manifests', () => {
  it('have totes of 5–40 bags from several origins, one bag per RMA, some short and one with a stray', () => {
    expect(totes.length).toBeGreaterThanOrEqual(3);
    for (const t of totes) expect(t.manifest.bags.length).toBeGreaterThanOrEqual(5);
    for (const t of totes) expect(t.manifest.bags.length).toBeLessThanOrEqual(41);
    expect(new Set(totes.map((t) => t.manifest.origin)).size).toBeGreaterThanOrEqual(2);
    const codes = totes.flatMap((t) => t.manifest.bags.map((b) => b.bagCode));
    expect(new Set(codes).size).toBe(codes.length);
    expect(tote(0).manifest.bags).toHaveLength(5);
    expect(tote(0).short).toHaveLength(1);
    expect(tote(0).strays).toHaveLength(1);
    expect(totes.some((t) => t.manifest.bags.some((b) => b.rmaNumber === UNKNOWN_RMA))).toBe(true);
    const big = demoTotes(generateDemoData({ seed: 42, rmas: 1000, now: '2026-11-01T00:00:00.000Z' }));
    expect(big.some((t) => t.manifest.bags.length > 20)).toBe(true);
    expect(new Set(big.map((t) => t.manifest.origin))).toEqual(new Set(['store', 'depot', 'convenience_store']));
  });
});

describe('a consolidated tote at the bench', () => {
  it('scanning its label opens it and lists the expected bags with their RMAs; scanned again it shows its state and opens nothing twice', async () => {
    const t = tote(0);
    const view = await ok<ToteView>('staff', 'tote.open', { code: t.manifest.toteId.toLowerCase() });
    expect(view).toMatchObject({ toteId: t.manifest.toteId, status: 'open', expectedCount: 5, receivedCount: 0, origin: t.manifest.origin });
    expect(view.bags.map((b) => [b.bagCode, b.rmaNumber, b.state])).toEqual(t.manifest.bags.map((b) => [b.bagCode, b.rmaNumber, 'expected']));
    await ok('staff', 'tote.scanBag', { toteId: t.manifest.toteId, code: t.arrives[0] });
    const again = await ok<ToteView>('staff', 'tote.open', { code: t.manifest.toteId });
    expect(again.receivedCount).toBe(1);
    expect(events('tote.opened')).toHaveLength(1);
    expect(events('tote.opened')[0]?.aggregate_id).toBe(`${t.manifest.toteId}@BENCH-01`);
  });

  it('scanning a bag opens its return as if its parcel had been scanned; the same bag again opens nothing new', async () => {
    const t = tote(0);
    await ok('staff', 'tote.open', { code: t.manifest.toteId });
    const bag = t.manifest.bags[0]!;
    const scan = await ok<ToteBagScan>('staff', 'tote.scanBag', { toteId: t.manifest.toteId, code: bag.bagCode });
    expect(scan.parcel).toMatchObject({ rmaNumber: bag.rmaNumber, scannedCode: bag.bagCode, status: 'open' });
    expect(scan.bag).toMatchObject({ state: 'received', parcelId: scan.parcel?.parcelId });
    expect(scan.notices).toEqual([]);
    const twice = await ok<ToteBagScan>('staff', 'tote.scanBag', { toteId: t.manifest.toteId, code: bag.bagCode });
    expect(twice.notices).toEqual(['again']);
    expect(twice.parcel?.parcelId).toBe(scan.parcel?.parcelId);
    expect(twice.tote.receivedCount).toBe(1);
    expect(events('parcel.received')).toHaveLength(1);
    // Closed, the return is not received twice: the parcel path refuses it as already received.
    await ok<ParcelView>('staff', 'parcel.close', { parcelId: scan.parcel!.parcelId, confirmUnreceived: true });
    expect((await refused('staff', 'tote.scanBag', { toteId: t.manifest.toteId, code: bag.bagCode })).messageKey).toBe('error.returnAlreadyReceived');
    expect(events('parcel.received')).toHaveLength(1);
    // The parcel path itself knows bag codes too.
    const other = t.manifest.bags[1]!;
    expect((await ok<ParcelView>('staff', 'parcel.open', { code: other.bagCode })).rmaNumber).toBe(other.rmaNumber);
  });

  it("a bag scanned into the wrong tote is recorded as a stray there, opens its return once, and counts as received for its own tote", async () => {
    const first = tote(0);
    const second = tote(1);
    await ok('staff', 'tote.open', { code: first.manifest.toteId });
    const strayCode = first.strays[0]!;
    const scan = await ok<ToteBagScan>('staff', 'tote.scanBag', { toteId: first.manifest.toteId, code: strayCode });
    expect(scan.notices).toEqual(['stray']);
    expect(scan.noticeParams).toMatchObject({ tote: first.manifest.toteId, otherTote: second.manifest.toteId, bag: strayCode });
    expect(scan.bag).toMatchObject({ state: 'stray', otherToteId: second.manifest.toteId });
    expect(scan.parcel).not.toBeNull();
    expect(scan.tote.strayCount).toBe(1);
    await ok('staff', 'tote.open', { code: second.manifest.toteId });
    const there = await ok<ToteBagScan>('staff', 'tote.scanBag', { toteId: second.manifest.toteId, code: strayCode });
    expect(there.notices).toEqual(['receivedElsewhere']);
    expect(there.noticeParams.otherTote).toBe(first.manifest.toteId);
    expect(there.bag).toMatchObject({ state: 'received', otherToteId: first.manifest.toteId });
    expect(there.parcel?.parcelId).toBe(scan.parcel?.parcelId);
    expect(events('parcel.received')).toHaveLength(1);
  });

  it('a manifest naming an unknown RMA says so on the bag line; its bag is recorded without opening a return', async () => {
    const t = totes.find((x) => x.manifest.bags.some((b) => b.rmaNumber === UNKNOWN_RMA))!;
    const view = await ok<ToteView>('staff', 'tote.open', { code: t.manifest.toteId });
    expect(view.bags.find((b) => b.rmaNumber === UNKNOWN_RMA)).toMatchObject({ rmaKnown: false, state: 'expected' });
    expect(view.bags.filter((b) => b.rmaNumber !== UNKNOWN_RMA).every((b) => b.rmaKnown)).toBe(true);
    const scan = await ok<ToteBagScan>('staff', 'tote.scanBag', { toteId: t.manifest.toteId, code: bagCodeOf(UNKNOWN_RMA) });
    expect(scan.notices).toEqual(['rmaUnknown']);
    expect(scan.noticeParams.rma).toBe(UNKNOWN_RMA);
    expect(scan.parcel).toBeNull();
    expect(scan.bag).toMatchObject({ state: 'received', rmaKnown: false });
  });

  it('a bag no manifest names is recorded as unmanifested; alone (no tote in hand) it asks for the tote first', async () => {
    const t = tote(0);
    expect((await refused('staff', 'tote.scanBag', { code: UNMANIFESTED_BAG })).messageKey).toBe('error.tote.bagNeedsTote');
    await ok('staff', 'tote.open', { code: t.manifest.toteId });
    const scan = await ok<ToteBagScan>('staff', 'tote.scanBag', { toteId: t.manifest.toteId, code: UNMANIFESTED_BAG });
    expect(scan.notices).toEqual(['unmanifested']);
    expect(scan.parcel).toBeNull();
    expect(scan.tote.unmanifestedCount).toBe(1);
  });

  it('a bag scanned with no tote in hand opens its own tote and its return', async () => {
    const t = tote(1);
    const scan = await ok<ToteBagScan>('staff', 'tote.scanBag', { code: t.arrives[0] });
    expect(scan.tote).toMatchObject({ toteId: t.manifest.toteId, status: 'open', receivedCount: 1 });
    expect(scan.parcel).not.toBeNull();
  });

  it('closing reconciles: missing, stray and unmanifested bags become flags for a lead, sent once to the WMS', async () => {
    const t = tote(0);
    const toteId = t.manifest.toteId;
    await ok('staff', 'tote.open', { code: toteId });
    for (const code of [...t.arrives, UNMANIFESTED_BAG]) await ok('staff', 'tote.scanBag', { toteId, code });
    const ask = await refused('staff', 'tote.close', { toteId });
    expect(ask).toMatchObject({ code: 'CONFLICT', messageKey: 'error.tote.closeNeedsConfirmation', params: { tote: toteId, missing: 1 } });
    const closed = await ok<ToteView>('staff', 'tote.close', { toteId, confirmMissing: true });
    expect(closed).toMatchObject({ status: 'closed', expectedCount: 5, receivedCount: 4, missingCount: 1, strayCount: 1, unmanifestedCount: 1 });
    expect(closed.bags.find((b) => b.bagCode === t.short[0])?.state).toBe('missing');
    expect(closed.flags.map((f) => f.code).sort()).toEqual(['tote_bag_missing', 'tote_bag_stray', 'tote_bag_unmanifested']);
    // Closed twice (a second click, another scan of the label): the same state, nothing sent twice.
    expect((await ok<ToteView>('staff', 'tote.close', { toteId, confirmMissing: true })).flags).toHaveLength(3);
    expect((await ok<ToteView>('staff', 'tote.open', { code: toteId })).status).toBe('closed');
    const sent = events('tote.closed');
    expect(sent).toHaveLength(1);
    const payload = JSON.parse(sent[0]!.payload) as { received: unknown[]; missing: { bagCode: string }[]; strays: { manifestToteId: string }[]; unmanifested: unknown[] };
    expect(payload.received).toHaveLength(4);
    expect(payload.missing.map((m) => m.bagCode)).toEqual(t.short);
    expect(payload.strays).toEqual([expect.objectContaining({ bagCode: t.strays[0], manifestToteId: tote(1).manifest.toteId })]);
    expect(payload.unmanifested).toEqual([{ bagCode: UNMANIFESTED_BAG }]);
    // A closed tote takes no more bags.
    expect((await refused('staff', 'tote.scanBag', { toteId, code: t.short[0] })).messageKey).toBe('error.tote.closed');

    expect((await refused('staff', 'tote.flags', {})).code).toBe('FORBIDDEN');
    const flags = await ok<ToteFlagView[]>('lead', 'tote.flags', {});
    expect(flags.map((f) => [f.code, f.toteId, f.bagCode])).toEqual(
      expect.arrayContaining([
        ['tote_bag_missing', toteId, t.short[0]],
        ['tote_bag_stray', toteId, t.strays[0]],
        ['tote_bag_unmanifested', toteId, UNMANIFESTED_BAG],
      ]),
    );
    const acked = await ok<ToteFlagView>('lead', 'tote.acknowledgeFlag', { id: flags[0]!.id });
    expect(acked).toMatchObject({ status: 'acknowledged', reviewedBy: 'OP-2001' });
    expect(await ok<ToteFlagView[]>('lead', 'tote.flags', {})).toHaveLength(2);
  });

  it('refuses what is not a tote, a tote without a manifest, and a bag for a tote not opened here, each with its own message', async () => {
    expect((await refused('staff', 'tote.open', { code: 'RMA-00000001' })).messageKey).toBe('error.tote.notToteLabel');
    expect((await refused('staff', 'tote.open', { code: 'TOTE-NOPE999' })).messageKey).toBe('error.tote.noManifest');
    expect((await refused('staff', 'tote.scanBag', { toteId: tote(0).manifest.toteId, code: 'RMA-00000001' })).messageKey).toBe('error.tote.notBagCode');
    expect((await refused('staff', 'tote.scanBag', { toteId: tote(0).manifest.toteId, code: tote(0).arrives[0] })).messageKey).toBe('error.tote.notOpen');
    expect((await refused('staff', 'tote.close', { toteId: tote(0).manifest.toteId })).messageKey).toBe('error.tote.notOpen');
  });
});

describe('a tote closed at a bench behind a site hub', () => {
  const staff = { id: 'OP-1001', name: '佐藤 花子', role: 'staff' as const };
  const service = (siteReceived: (toteId: string) => Promise<SiteToteReceived>): ToteService =>
    new ToteService({ db, stationId: 'BENCH-01', intake: new IntakeService({ db, stationId: 'BENCH-01', onOutboxAppended: () => undefined }), onOutboxAppended: () => undefined, siteReceived });

  it('does not flag a bag another bench received: it is received there; its own bench in the answer changes nothing; asked outside any transaction', async () => {
    const t = tote(0).manifest;
    const [b0, b1, b2, b3] = t.bags.map((b) => b.bagCode);
    const asked: { toteId: string; inTransaction: boolean }[] = [];
    const s = service(async (toteId) => {
      asked.push({ toteId, inTransaction: db.inTransaction });
      return {
        toteId,
        bags: [
          { bagCode: b1!, stationId: 'BENCH-02', closedAt: '2026-11-01T00:00:00.000Z' },
          { bagCode: b2!, stationId: 'BENCH-01', closedAt: '2026-11-01T00:00:00.000Z' },
        ],
      };
    });
    s.open(staff, t.toteId);
    s.scanBag(staff, t.toteId, b0!);
    const closed = await s.close(staff, t.toteId, true);
    expect(asked).toEqual([{ toteId: t.toteId, inTransaction: false }]);
    expect(closed.siteCheck).toBe('site');
    expect(closed.bags.find((b) => b.bagCode === b1)).toMatchObject({ state: 'received', receivedAtStation: 'BENCH-02' });
    expect(closed.flags.filter((f) => f.code === 'tote_bag_missing').map((f) => f.bagCode).sort()).toEqual(t.bags.map((b) => b.bagCode).filter((c) => c !== b0 && c !== b1).sort());
    expect(closed.flags.some((f) => f.bagCode === b3)).toBe(true);
    const payload = JSON.parse(events('tote.closed')[0]!.payload) as { received: { bagCode: string }[]; receivedElsewhere: { bagCode: string; stationId: string }[] };
    expect(payload.received.map((b) => b.bagCode)).toEqual([b0]);
    expect(payload.receivedElsewhere).toEqual([{ bagCode: b1, stationId: 'BENCH-02' }]);
    // Shown again later, the tote still says where that bag was received.
    expect(s.get(t.toteId).bags.find((b) => b.bagCode === b1)?.receivedAtStation).toBe('BENCH-02');
  });

  it('when the hub does not answer, reconciles with this bench’s scans, flags every unscanned bag, and says so', async () => {
    const t = tote(0).manifest;
    const s = service(() => Promise.reject(new Error('connect ECONNREFUSED')));
    s.open(staff, t.toteId);
    s.scanBag(staff, t.toteId, t.bags[0]!.bagCode);
    const closed = await s.close(staff, t.toteId, true);
    expect(closed).toMatchObject({ status: 'closed', siteCheck: 'unreachable', missingCount: t.bags.length - 1 });
    expect(closed.bags.every((b) => !b.receivedAtStation)).toBe(true);
  });
});
