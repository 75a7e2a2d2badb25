import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { verifyAuditChain } from '../../db/repositories/audit.js';
import { appendEvent, markDead } from '../../db/repositories/outbox.js';
import type {
  ContainerView,
  DryRunResult,
  GradedItem,
  GradingProfile,
  ItemMatch,
  ParcelSearchResult,
  ParcelView,
  ReviewDetail,
  ReviewQueuePage,
  RoutingRuleInput,
  RuleSet,
} from '../../contract/index.js';
import { api, WmsEventBody } from '../../contract/index.js';
import { completeGtin } from '../../domain/identifiers/gtin.js';
import { makeTrackingNumber } from '../../domain/identifiers/tracking.js';
import { nextQuestion } from '../../domain/grading/evaluate.js';
import { route } from '../../domain/rules/route.js';
import { defaultRuleSet } from '../../domain/rules/defaultRuleSet.js';
import { blobPath } from './photos.js';
import { createHarness, testJpeg, testPng, type Harness } from './harness.test-helper.js';

const GTIN_SHIRT = '0' + completeGtin('490000000001');
const GTIN_LIP = '0' + completeGtin('490000000002');
const GTIN_SHIRT2 = '0' + completeGtin('490000000003');
const GTIN_CAMERA = '0' + completeGtin('490000000004');
const TRACKING_1 = makeTrackingNumber('yamato', '12345678901');
const TRACKING_2 = makeTrackingNumber('sagawa', '22345678901');
const GS = '\u001d';

// Smallest valid images: the magic bytes are what the station checks.
const JPEG = testJpeg();
const PNG = testPng();

function seed(db: Db): void {
  const now = '2026-11-01T00:00:00.000Z';
  const p = db.prepare('INSERT INTO products (sku, gtin, name, name_ja, category, price_jpy, weight_grams, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  p.run('APP-1', GTIN_SHIRT, 'Linen shirt', 'リネンシャツ', 'apparel', 4990, 300, now);
  p.run('COS-1', GTIN_LIP, 'Lipstick', 'リップスティック', 'cosmetics', 2800, 50, now);
  p.run('APP-2', GTIN_SHIRT2, 'Oxford shirt', 'オックスフォードシャツ', 'apparel', 5990, 320, now);
  p.run('ELE-1', GTIN_CAMERA, 'Camera', 'カメラ', 'electronics', 80000, 900, now);
  const r = db.prepare(
    'INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  r.run('RMA-00000001', 'ORD-0000000001', '山田 太郎', 'ヤマダ タロウ', '09012345678', 'yamato', TRACKING_1, 'open', now, now);
  r.run('RMA-00000002', 'ORD-0000000002', '鈴木 花子', 'スズキ ハナコ', '080-1111-2222', 'sagawa', TRACKING_2, 'open', now, now);
  const l = db.prepare('INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text) VALUES (?, ?, ?, ?, ?, ?, ?)');
  l.run('L1', 'RMA-00000001', 1, 'APP-1', 1, 'size', 'サイズが合わない');
  l.run('L2', 'RMA-00000001', 2, 'COS-1', 1, 'changed_mind', '気が変わった');
  l.run('L3', 'RMA-00000002', 1, 'APP-2', 1, 'size', 'サイズ');
  l.run('L4', 'RMA-00000002', 2, 'ELE-1', 1, 'changed_mind', '不要');
}

/** The likely answer to every question on the path: a typical item. */
function likelyAnswers(profile: GradingProfile, overrides: Record<string, string> = {}): Record<string, string> {
  const answers: Record<string, string> = { ...overrides };
  for (let q = nextQuestion(profile, answers); q; q = nextQuestion(profile, answers)) answers[q.id] = q.likely;
  return answers;
}

function outboxTypes(db: Db): string[] {
  return (db.prepare('SELECT type FROM outbox ORDER BY id').all() as { type: string }[]).map((r) => r.type);
}

function lastEvent(db: Db, type: string): Record<string, unknown> {
  const row = db.prepare('SELECT type, payload FROM outbox WHERE type = ? ORDER BY id DESC LIMIT 1').get(type) as { type: string; payload: string };
  // What the WMS will validate: the outbox row must be a valid event body.
  return WmsEventBody.parse({ type: row.type, payload: JSON.parse(row.payload) }).payload as Record<string, unknown>;
}

let h: Harness;
beforeEach(async () => {
  h = await createHarness(seed);
  await h.signIn('staff', 'staff');
  await h.signIn('lead', 'lead');
  await h.signIn('boss', 'supervisor');
});
afterEach(() => {
  expect(verifyAuditChain(h.db)).toMatchObject({ ok: true });
  h.close();
});

describe('identify anything', () => {
  it('opens a parcel by RMA number, order number, tracking number and a GS1 code of the product inside', async () => {
    const byRma = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'rma-00000001' });
    expect(byRma.rmaNumber).toBe('RMA-00000001');
    // The same open parcel, whatever identifies it.
    expect((await h.ok<ParcelView>('staff', 'parcel.open', { code: 'ORD-0000000001' })).parcelId).toBe(byRma.parcelId);
    expect((await h.ok<ParcelView>('staff', 'parcel.open', { code: TRACKING_1 })).parcelId).toBe(byRma.parcelId);
    const byGs1 = await h.ok<ParcelView>('staff', 'parcel.open', { code: `]C101${GTIN_SHIRT2}21SN-9` });
    expect(byGs1.rmaNumber).toBe('RMA-00000002');
  });

  it('keeps GTIN, serial, lot and expiry of a GS1 item scan on the item, and an LPN scan finds its parcel again', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
    const match = await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: `]C101${GTIN_SHIRT}1726123110LOT1${GS}21SN123` });
    expect(match).toMatchObject({ line: { lineId: 'L1' }, matchToken: expect.any(String) });
    // The unit's identity stays at the station: the renderer sees none of it.
    expect(JSON.stringify(match)).not.toMatch(/SN123|LOT1/);
    const graded = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', grade: 'A', matchToken: match.matchToken });
    const row = h.db.prepare('SELECT gtin, serial, lot, expiry FROM items WHERE id = ?').get(graded.itemId);
    expect(row).toEqual({ gtin: GTIN_SHIRT, serial: 'SN123', lot: 'LOT1', expiry: '2026-12-31' });
    expect(lastEvent(h.db, 'item.graded')).toMatchObject({ serial: 'SN123', lot: 'LOT1' });

    expect((await h.ok<ParcelView>('staff', 'parcel.open', { code: graded.lpn })).parcelId).toBe(parcel.parcelId);
    // The same unit scanned again is refused, by LPN or by serial.
    expect(await h.handle('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: graded.lpn })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', messageKey: 'error.alreadyGraded' },
    });
    expect(await h.handle('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: 'SN123' })).toMatchObject({
      ok: false,
      error: { messageKey: 'error.alreadyGraded', params: { lpn: graded.lpn } },
    });
  });

  it('says a parcel label scanned while a parcel is open is one, and that F8 closes the parcel in hand first', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
    for (const code of [TRACKING_2, 'RMA-00000002', 'ORD-0000000002', TRACKING_1]) {
      expect(await h.handle('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code }), code).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', messageKey: 'error.parcelLabelWhileOpen', params: { code } },
      });
    }
    // Anything else that is no product barcode is still said to be one.
    expect(await h.handle('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: 'HELLO WORLD' })).toMatchObject({ ok: false, error: { messageKey: 'error.notAnItemCode' } });
  });

  it('flags an expired lot and sends the item to review', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
    const match = await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: `]C101${GTIN_LIP}17261001` });
    const graded = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L2', grade: 'N', matchToken: match.matchToken });
    expect(graded.flags).toContain('expired_lot');
    expect(graded.reviewStatus).toBe('pending');
  });

  it('keeps a GS1 scan whose lot is not the lot sold on its line, and flags it for the lead with both lots', async () => {
    h.db.prepare("UPDATE rma_lines SET lot = 'L2406A' WHERE id = 'L2'").run();
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
    const match = await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: `]C101${GTIN_LIP}10L2311C` });
    // Same product: it stays on its line.
    expect(match.line.lineId).toBe('L2');
    const graded = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L2', grade: 'N', matchToken: match.matchToken });
    expect(graded.flags).toEqual(['lot_mismatch']);
    expect(graded.reviewStatus).toBe('pending');
    // Like a serial mismatch, it waits for the lead in quarantine: a restock label would put a unit nobody sold
    // back on the shelf before the lead has looked at it.
    expect(graded.routing).toMatchObject({ disposition: 'quarantine', ruleId: 'flagged-to-review' });
    expect(lastEvent(h.db, 'item.graded')).toMatchObject({ lot: 'L2311C', flags: ['lot_mismatch'], heldForReview: true });
    const queue = await h.ok<ReviewQueuePage>('lead', 'review.list', { flag: 'lot_mismatch' });
    expect(queue.items.map((i) => i.itemId)).toEqual([graded.itemId]);
    const detail = await h.ok<ReviewDetail>('lead', 'review.get', { itemId: graded.itemId });
    expect(detail).toMatchObject({ flags: ['lot_mismatch'], identity: { lot: 'L2311C' }, sold: { lot: 'L2406A' } });
  });

  it('names the rule that routed an item with its conditions, on the result and on review, not by its id alone', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
    const graded = await h.ok<GradedItem & { rule?: unknown }>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', grade: 'A' });
    const likeNew = defaultRuleSet.rules.find((r) => r.id === 'like-new-restock');
    expect(graded.routing.ruleId).toBe('like-new-restock');
    expect(graded.rule).toEqual({ when: likeNew?.when, explain: likeNew?.explain });
    // A camera of ¥80,000 is flagged high value: the lead's review names flagged-to-review the same way.
    const camera = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000002' });
    const held = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: camera.parcelId, lineId: 'L4', grade: 'A' });
    const detail = await h.ok<ReviewDetail & { rule?: unknown }>('lead', 'review.get', { itemId: held.itemId });
    const flaggedRule = defaultRuleSet.rules.find((r) => r.id === 'flagged-to-review');
    expect(detail.ruleId).toBe('flagged-to-review');
    expect(detail.rule).toEqual({ when: flaggedRule?.when, explain: flaggedRule?.explain });
  });

  it('flags a GS1 serial (AI 21) that is not the serial sold on the line, and shows the lead both', async () => {
    h.db.prepare("UPDATE rma_lines SET serial_number = 'CAM-0001' WHERE id = 'L4'").run();
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000002' });
    const match = await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: `]C101${GTIN_CAMERA}21CAM-0777` });
    expect(match.line.lineId).toBe('L4');
    const graded = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L4', grade: 'N', matchToken: match.matchToken });
    expect(graded.flags).toContain('serial_mismatch');
    const detail = await h.ok<ReviewDetail>('lead', 'review.get', { itemId: graded.itemId });
    expect(detail).toMatchObject({ identity: { serial: 'CAM-0777' }, sold: { serial: 'CAM-0001' } });
  });

  it('matches a unit to the line that sold its lot when two lines sell the same product', async () => {
    h.db.prepare("INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text, lot) VALUES ('L2b', 'RMA-00000001', 3, 'COS-1', 1, 'changed_mind', '', 'L2311C')").run();
    h.db.prepare("UPDATE rma_lines SET lot = 'L2406A' WHERE id = 'L2'").run();
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
    const match = await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: `]C101${GTIN_LIP}10L2311C` });
    expect(match.line.lineId).toBe('L2b');
    const graded = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L2b', grade: 'N', matchToken: match.matchToken });
    expect(graded.flags).toEqual([]);
  });

  describe('an item scan is a single-use token the station keeps', () => {
    const refusedAs = (key: string) => ({ ok: false, error: { code: 'CONFLICT', messageKey: key } });

    it('refuses the serial, lot or EPC sent by the renderer: item.grade has no such fields', async () => {
      const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
      expect(await h.handle('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L2', grade: 'N', identity: { expiry: '2020-01-01' } })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
    });

    it("refuses another line's token, and the flags still come from the real scan", async () => {
      const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
      const fresh = await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: `]C101${GTIN_SHIRT}17261231` });
      const expired = await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: `]C101${GTIN_LIP}17200101` });
      expect(await h.handle('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L2', grade: 'N', matchToken: fresh.matchToken })).toMatchObject(
        refusedAs('error.matchMismatch'),
      );
      const lip = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L2', grade: 'N', matchToken: expired.matchToken });
      expect(lip.flags).toContain('expired_lot');
      const shirt = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', grade: 'A', matchToken: fresh.matchToken });
      expect(shirt.flags).not.toContain('expired_lot');
    });

    it("refuses a token from another parcel, another operator's session, and one already used", async () => {
      const first = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
      const second = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000002' });
      const shirt2 = await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: second.parcelId, code: `]C101${GTIN_SHIRT2}17200101` });
      expect(await h.handle('staff', 'item.grade', { parcelId: first.parcelId, lineId: 'L3', grade: 'A', matchToken: shirt2.matchToken })).toMatchObject(
        refusedAs('error.matchMismatch'),
      );
      expect(await h.handle('lead', 'item.grade', { parcelId: second.parcelId, lineId: 'L3', grade: 'A', matchToken: shirt2.matchToken })).toMatchObject(
        refusedAs('error.matchMismatch'),
      );
      const graded = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: second.parcelId, lineId: 'L3', grade: 'A', matchToken: shirt2.matchToken });
      expect(graded.flags).toContain('expired_lot');
      const camera = await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: second.parcelId, code: GTIN_CAMERA });
      expect(camera.line.lineId).toBe('L4');
      expect(await h.handle('staff', 'item.grade', { parcelId: second.parcelId, lineId: 'L3', grade: 'A', matchToken: shirt2.matchToken })).toMatchObject({ ok: false });
      expect(await h.handle('staff', 'item.grade', { parcelId: second.parcelId, lineId: 'L4', grade: 'A', matchToken: shirt2.matchToken })).toMatchObject(
        refusedAs('error.matchExpired'),
      );
    });

    it('refuses an unknown token, and one older than 30 minutes (fake clock)', async () => {
      const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
      expect(await h.handle('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L2', grade: 'N', matchToken: 'A'.repeat(32) })).toMatchObject(
        refusedAs('error.matchExpired'),
      );
      const m = await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: `]C101${GTIN_LIP}17200101` });
      h.setNow(new Date('2026-11-10T01:31:00.000Z'));
      // Signed in again (the session idles out too): only the scan's own age refuses it.
      await h.signIn('staff', 'staff');
      expect(await h.handle('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L2', grade: 'N', matchToken: m.matchToken })).toMatchObject(
        refusedAs('error.matchExpired'),
      );
    });

    it('keeps the token through a refused grade (photo needed), so the retry uses the same scan', async () => {
      const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
      const m = await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: `]C101${GTIN_LIP}17200101` });
      expect(await h.handle('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L2', grade: 'scrap', matchToken: m.matchToken })).toMatchObject({
        ok: false,
        error: { messageKey: 'error.photosRequired' },
      });
      const photo = await h.ok<{ sha256: string }>('staff', 'photo.attach', { dataBase64: JPEG.toString('base64') });
      const graded = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L2', grade: 'scrap', photos: [photo.sha256], matchToken: m.matchToken });
      expect(graded.flags).toContain('expired_lot');
    });

    it('ends the open scans of a parcel when it closes', async () => {
      const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
      await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: GTIN_LIP });
      const m = await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: GTIN_SHIRT });
      await h.ok<ParcelView>('staff', 'parcel.close', { parcelId: parcel.parcelId, confirmUnreceived: true });
      await h.ok<ParcelView>('lead', 'parcel.reopen', { parcelId: parcel.parcelId, reason: 'closed too early' });
      expect(await h.handle('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', grade: 'A', matchToken: m.matchToken })).toMatchObject(
        refusedAs('error.matchExpired'),
      );
    });
  });

  it('names the product of an item that is not on the RMA so it can be graded as wrong or extra', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
    expect(await h.handle('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: GTIN_SHIRT2 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', messageKey: 'error.itemNotOnRma', params: { sku: 'APP-2', gtin: GTIN_SHIRT2, name: 'Oxford shirt', nameJa: 'オックスフォードシャツ' } },
    });
  });
});

describe('what the WMS said about the sale', () => {
  it('finds the RMA by the serial it sold, and flags a serial returner, an exceeded window and a serial mismatch', async () => {
    h.db.prepare("UPDATE rmas SET delivered_at = '2026-10-01T03:00:00.000Z', customer_return_rate = 0.6 WHERE rma_number = 'RMA-00000002'").run();
    h.db.prepare("UPDATE rma_lines SET serial_number = 'CAM-0001', resolution = 'store_credit' WHERE id = 'L4'").run();
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'CAM-0001' });
    expect(parcel.rmaNumber).toBe('RMA-00000002');
    const profile = await h.ok<GradingProfile>('staff', 'grading.profile', { category: 'electronics' });
    const match = await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: `]C101${GTIN_CAMERA}21CAM-9999` });
    const graded = await h.ok<GradedItem>('staff', 'item.grade', {
      parcelId: parcel.parcelId,
      lineId: 'L4',
      answers: likelyAnswers(profile),
      matchToken: match.matchToken,
    });
    expect(graded.flags).toEqual(expect.arrayContaining(['serial_returner', 'return_window_exceeded', 'serial_mismatch', 'high_value']));
    const res = h.db.prepare('SELECT status, body_json FROM resolutions WHERE item_id = ?').get(graded.itemId) as { status: string; body_json: string };
    expect(res.status).toBe('held');
    expect(JSON.parse(res.body_json)).toMatchObject({ requested: 'store_credit' });
  });
});

describe('blind returns', () => {
  it('finds RMAs by kana in hiragana or half-width, by full-width phone, by SKU and by JAN', async () => {
    const search = async (q: string): Promise<string[]> => (await h.ok<ParcelSearchResult>('staff', 'parcel.search', { q })).candidates.map((c) => c.rmaNumber);
    expect(await search('すずき')).toEqual(['RMA-00000002']);
    expect(await search('ｽｽﾞｷ ﾊﾅｺ')).toEqual(['RMA-00000002']);
    expect(await search('０８０－１１１１－２２２２')).toEqual(['RMA-00000002']);
    expect(await search('APP-1')).toEqual(['RMA-00000001']);
    expect(await search(GTIN_SHIRT2.slice(1))).toEqual(['RMA-00000002']);
    expect(await search('no such person')).toEqual([]);
  });

  it('matches names at the start of a word, best match first, says when there is more, and finds a partial phone number', async () => {
    const r = h.db.prepare(
      'INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // Newer than the exact match, so an order by date alone would put these first.
    r.run('RMA-00000010', 'ORD-0000000010', '斉藤 花子', 'サイトウ ハナコ', '07011112222', 'yamato', 'T10', 'open', '2026-11-05T00:00:00.000Z', '2026-11-05T00:00:00.000Z');
    r.run('RMA-00000011', 'ORD-0000000011', '伊藤 美紀', 'イトウミキ', '07033334444', 'yamato', 'T11', 'open', '2026-11-04T00:00:00.000Z', '2026-11-04T00:00:00.000Z');
    r.run('RMA-00000012', 'ORD-0000000012', '伊藤 雪', 'イトウ', '07055556666', 'yamato', 'T12', 'open', '2026-11-02T00:00:00.000Z', '2026-11-02T00:00:00.000Z');
    const search = (q: string) => h.ok<ParcelSearchResult>('staff', 'parcel.search', { q });
    const ito = await search('いとう');
    expect(ito.candidates.map((c) => c.rmaNumber)).toEqual(['RMA-00000012', 'RMA-00000011']);
    expect(ito.more).toBe(false);
    expect((await search('090')).candidates.map((c) => c.rmaNumber)).toEqual(['RMA-00000001']);
    expect((await search('2222')).candidates.map((c) => c.rmaNumber).sort()).toEqual(['RMA-00000002', 'RMA-00000010']);

    for (let i = 0; i < 25; i++) {
      const n = String(100 + i).padStart(8, '0');
      r.run(`RMA-${n}`, `ORD-${n}`, `客 ${i}`, `ナカムラ ${i}`, `0701234${String(i).padStart(4, '0')}`, 'yamato', `TT${i}`, 'open', '2026-11-03T00:00:00.000Z', '2026-11-03T00:00:00.000Z');
    }
    const many = await search('なかむら');
    expect(many.candidates).toHaveLength(20);
    expect(many.more).toBe(true);
  });

  it('says when the WMS could not be asked, and still answers from the local copy', async () => {
    h.setLookup(async () => {
      throw new Error('WMS down');
    });
    const r = await h.ok<ParcelSearchResult>('staff', 'parcel.search', { q: 'ORD-0000000001' });
    expect(r).toMatchObject({ source: 'local', fallbackReason: 'WMS down', candidates: [{ rmaNumber: 'RMA-00000001', matchedOn: ['order'] }] });
  });

  it('finds RMAs written a moment ago; with a long queue (a first pull) it says how many names are not searchable yet', async () => {
    const r = h.db.prepare(
      'INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const search = (q: string) => h.ok<ParcelSearchResult>('staff', 'parcel.search', { q });
    r.run('RMA-00000050', 'ORD-0000000050', '高橋 陽子', 'タカハシ ヨウコ', '07099990000', 'yamato', 'T50', 'open', '2026-11-05T00:00:00.000Z', '2026-11-05T00:00:00.000Z');
    expect(await search('たかはし')).toMatchObject({ candidates: [{ rmaNumber: 'RMA-00000050', matchedOn: ['kana'] }], waitingForIndex: 0 });
    h.db.transaction(() => {
      for (let i = 0; i < 3_500; i++) {
        const n = String(1000 + i).padStart(8, '0');
        r.run(`RMA-${n}`, `ORD-${n}`, `渡辺 ${i}`, `ワタナベ ${i}`, `0801234${String(i).padStart(4, '0')}`, 'yamato', `TW${i}`, 'open', '2026-11-03T00:00:00.000Z', '2026-11-03T00:00:00.000Z');
      }
    })();
    const first = await search('ORD-00004499');
    // An order number is found whatever the index's state; 3,000 of the queue were indexed by this search.
    expect(first).toMatchObject({ candidates: [{ rmaNumber: 'RMA-00004499' }], waitingForIndex: 500 });
    expect((await search('わたなべ')).waitingForIndex).toBe(0);
  });

  it('receives an unexpected parcel, sends its items to review, and a lead links it to the RMA later', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.receiveUnexpected', { customerName: '鈴木', note: 'no label' });
    expect(parcel).toMatchObject({ blindReturn: true, rmaNumber: '', customerName: '鈴木', lines: [] });
    expect(lastEvent(h.db, 'parcel.received')).toMatchObject({ rmaNumber: null, blindReturn: true, known: { customerName: '鈴木' } });

    const graded = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, unexpected: { kind: 'extra', gtin: GTIN_SHIRT2 }, grade: 'A' });
    expect(graded).toMatchObject({ kind: 'extra', sku: 'APP-2', reviewStatus: 'pending' });
    expect(graded.flags).toContain('blind_return');
    expect(h.printed.at(-1)?.rmaNumber).toBe('UNEXPECTED');

    expect(await h.handle('staff', 'parcel.linkRma', { parcelId: parcel.parcelId, rmaNumber: 'RMA-00000002' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const unlinked = await h.ok<ParcelView[]>('lead', 'parcel.listUnlinked', {});
    expect(unlinked.map((p) => p.parcelId)).toEqual([parcel.parcelId]);
    const linked = await h.ok<ParcelView>('lead', 'parcel.linkRma', { parcelId: parcel.parcelId, rmaNumber: 'RMA-00000002' });
    expect(linked.rmaNumber).toBe('RMA-00000002');
    expect(linked.lines.find((l) => l.lineId === 'L3')?.receivedQty).toBe(1);
    expect(linked.items?.[0]).toMatchObject({ kind: 'expected', lineId: 'L3' });
    expect(lastEvent(h.db, 'parcel.linked')).toMatchObject({ rmaNumber: 'RMA-00000002', itemsMatched: [{ itemId: graded.itemId, lineId: 'L3' }], operatorId: 'OP-2001' });
    expect(await h.handle('lead', 'parcel.linkRma', { parcelId: parcel.parcelId, rmaNumber: 'RMA-00000001' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', messageKey: 'error.parcelAlreadyLinked' },
    });
    expect(await h.ok<ParcelView[]>('lead', 'parcel.listUnlinked', {})).toEqual([]);
  });
});

describe('multi-item parcels', () => {
  it('records a wrong item (both SKUs, photo required), an extra item and a missing line when the parcel closes', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
    await h.ok('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', grade: 'A' });
    const wrong = { parcelId: parcel.parcelId, unexpected: { kind: 'wrong', gtin: GTIN_SHIRT2, insteadOfLineId: 'L2' }, grade: 'B' };
    expect(await h.handle('staff', 'item.grade', wrong)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', messageKey: 'error.photosRequired' } });
    expect(await h.handle('staff', 'item.grade', { ...wrong, photos: ['a'.repeat(64)] })).toMatchObject({ ok: false, error: { messageKey: 'error.photoUnknown' } });
    const photo = await h.ok<{ sha256: string }>('staff', 'photo.attach', { dataBase64: JPEG.toString('base64') });
    const wrongItem = await h.ok<GradedItem>('staff', 'item.grade', { ...wrong, photos: [photo.sha256] });
    expect(wrongItem).toMatchObject({ kind: 'wrong', sku: 'APP-2', reviewStatus: 'pending' });
    expect(wrongItem.flags).toContain('wrong_item');
    expect(lastEvent(h.db, 'item.graded')).toMatchObject({ kind: 'wrong', sku: 'APP-2', expectedSku: 'COS-1', lineId: 'L2' });
    const extra = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, unexpected: { kind: 'extra', sku: 'ELE-1' }, grade: 'N' });

    const closed = await h.ok<ParcelView>('staff', 'parcel.close', { parcelId: parcel.parcelId, confirmUnreceived: true });
    expect(closed.status).toBe('closed');
    expect(closed.outcomes).toEqual([
      { kind: 'wrong', lineId: 'L2', expectedSku: 'COS-1', receivedSku: 'APP-2', qty: 1, itemId: wrongItem.itemId },
      { kind: 'extra', lineId: null, expectedSku: null, receivedSku: 'ELE-1', qty: 1, itemId: extra.itemId },
      { kind: 'missing', lineId: 'L2', expectedSku: 'COS-1', receivedSku: null, qty: 1, itemId: null },
    ]);
    expect(lastEvent(h.db, 'parcel.closed')).toMatchObject({ rmaNumber: 'RMA-00000001', outcomes: closed.outcomes });
    expect(await h.handle('staff', 'parcel.close', { parcelId: parcel.parcelId, confirmUnreceived: true })).toMatchObject({ ok: false, error: { messageKey: 'error.parcelClosed' } });
    expect(await h.handle('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L2', grade: 'A' })).toMatchObject({ ok: false, error: { messageKey: 'error.parcelClosed' } });
  });

  it('records an empty box', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000002' });
    const closed = await h.ok<ParcelView>('staff', 'parcel.close', { parcelId: parcel.parcelId, confirmUnreceived: true });
    expect(closed.outcomes?.map((o) => o.kind)).toEqual(['empty_box', 'missing', 'missing']);
  });

  it('refuses to call the expected product a wrong item, and needs one of lineId / unexpected', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
    expect(
      await h.handle('staff', 'item.grade', { parcelId: parcel.parcelId, unexpected: { kind: 'wrong', sku: 'APP-1', insteadOfLineId: 'L1' }, grade: 'A', photos: [] }),
    ).toMatchObject({ ok: false, error: { messageKey: 'error.notAWrongItem' } });
    expect(await h.handle('staff', 'item.grade', { parcelId: parcel.parcelId, grade: 'A' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await h.handle('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('grading with profiles', () => {
  it('computes grade, condition, packaging and fault from the answers and recommends a resolution', async () => {
    const profile = await h.ok<GradingProfile>('staff', 'grading.profile', { category: 'apparel' });
    expect(profile.questions[0]?.id).toBe('packaging');
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
    const answers = likelyAnswers(profile, { worn: 'worn' });
    const graded = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', answers });
    expect(graded).toMatchObject({ grade: 'B', condition: 'used_good', fault: 'customer' });
    const row = h.db.prepare('SELECT profile_id, condition, fault, answers_json FROM items WHERE id = ?').get(graded.itemId) as Record<string, string>;
    expect(row).toMatchObject({ profile_id: 'apparel', condition: 'used_good', fault: 'customer' });
    expect(JSON.parse(row.answers_json!)).toEqual(answers);
    const res = h.db.prepare('SELECT status FROM resolutions WHERE item_id = ?').get(graded.itemId) as { status: string } | undefined;
    expect(res).toBeDefined();
    if (res?.status === 'released') expect(outboxTypes(h.db)).toContain('resolution.recommended');
  });

  it('refuses incomplete answers, unknown answers and a grade that disagrees with them', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
    const profile = await h.ok<GradingProfile>('staff', 'grading.profile', { category: 'apparel' });
    expect(await h.handle('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', answers: { packaging: 'opened_intact' } })).toMatchObject({
      ok: false,
      error: { messageKey: 'error.gradingIncomplete' },
    });
    expect(await h.handle('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', answers: { packaging: 'no-such' } })).toMatchObject({
      ok: false,
      error: { messageKey: 'error.gradingAnswer', params: { question: 'packaging' } },
    });
    expect(await h.handle('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', answers: likelyAnswers(profile, { worn: 'worn' }), grade: 'N' })).toMatchObject({
      ok: false,
      error: { messageKey: 'error.gradeDisagrees', params: { computed: 'B' } },
    });
  });
});

describe('photos', () => {
  it('stores JPEG and PNG content-addressed, once, and refuses other bytes and oversize photos', async () => {
    const a = await h.ok<{ sha256: string; mime: string }>('staff', 'photo.attach', { dataBase64: PNG.toString('base64') });
    expect(a.mime).toBe('image/png');
    const path = blobPath(h.dir, a.sha256);
    expect(path).toContain(`blobs/${a.sha256.slice(0, 2)}/${a.sha256.slice(2)}`);
    expect(readFileSync(path)).toEqual(PNG);
    const again = await h.ok<{ sha256: string }>('staff', 'photo.attach', { dataBase64: `data:image/png;base64,${PNG.toString('base64')}` });
    expect(again.sha256).toBe(a.sha256);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM photos').get()).toEqual({ n: 1 });

    expect(await h.handle('staff', 'photo.attach', { dataBase64: Buffer.from('GIF89a....').toString('base64') })).toMatchObject({
      ok: false,
      error: { messageKey: 'error.photoNotImage' },
    });
    const big = Buffer.alloc(5 * 1024 * 1024 + 1);
    JPEG.copy(big);
    expect(await h.handle('staff', 'photo.attach', { dataBase64: big.toString('base64') })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('decodes a photo before storing it: magic bytes alone, a broken body or an absurd size are refused', async () => {
    const refused = async (bytes: Buffer): Promise<unknown> => {
      const r = await h.handle('staff', 'photo.attach', { dataBase64: bytes.toString('base64') });
      return r.ok ? 'stored' : r.error.messageKey;
    };
    const magic = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect(await refused(magic)).toBe('error.photoUnreadable');
    expect(await refused(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe('error.photoUnreadable');
    const png = testPng();
    const corrupt = Buffer.from(png);
    corrupt[corrupt.length - 20] = (corrupt[corrupt.length - 20] ?? 0) ^ 0xff; // inside the image data: its CRC no longer matches
    expect(await refused(corrupt)).toBe('error.photoUnreadable');
    expect(await refused(png.subarray(0, png.length - 16))).toBe('error.photoUnreadable');
    expect(await refused(testJpeg().subarray(0, 36))).toBe('error.photoUnreadable');
    expect(await refused(testPng(4, 4))).toBe('error.photoTooSmall');
    expect(await refused(testJpeg(2, 2))).toBe('error.photoTooSmall');
    // A PNG header claiming 60000×60000 is refused before any pixel is allocated.
    const bomb = Buffer.from(png);
    bomb.writeUInt32BE(60_000, 16);
    bomb.writeUInt32BE(60_000, 20);
    expect(await refused(bomb)).toBe('error.photoTooBig');
    expect(await refused(testJpeg(20_000, 20_000))).toBe('error.photoTooBig');
    expect(await refused(testJpeg(640, 480))).toBe('stored');
    expect(await refused(testPng(64, 48))).toBe('stored');
  });

  it('attaches a photo to an item already graded, and the lead sees its hash', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
    const match = await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: `]C101${GTIN_LIP}17200101` });
    const graded = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L2', grade: 'N', matchToken: match.matchToken });
    const photo = await h.ok<{ sha256: string }>('staff', 'photo.attach', { dataBase64: JPEG.toString('base64'), itemId: graded.itemId });
    const detail = await h.ok<ReviewDetail>('lead', 'review.get', { itemId: graded.itemId });
    expect(detail.photos).toEqual([photo.sha256]);
    expect(existsSync(blobPath(h.dir, photo.sha256))).toBe(true);
  });
});

describe('rules in the app', () => {
  const quarantineApparel: RoutingRuleInput = {
    id: 'apparel-to-quarantine',
    when: { categories: ['apparel'] },
    then: { disposition: 'quarantine', destination: 'QUARANTINE' },
    explain: { en: 'Test: all apparel is checked.', ja: 'テスト：アパレルは全数検品。' },
  };

  it('dry-runs proposed rules over the last items, publishes them (supervisor only) and routes new items with the new version', async () => {
    const { current } = await h.ok<{ current: RuleSet }>('staff', 'rules.get', {});
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
    await h.ok('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', grade: 'B' });
    const proposed = [quarantineApparel, ...current.rules];

    expect(await h.handle('staff', 'rules.dryRun', { rules: proposed })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const dry = await h.ok<DryRunResult>('lead', 'rules.dryRun', { rules: proposed, limit: 10 });
    expect(dry).toMatchObject({ total: 1, changed: 1, proposedVersion: current.version + 1 });
    expect(dry.byTransition[0]?.to).toEqual({ disposition: 'quarantine', destination: 'QUARANTINE' });

    expect(await h.handle('lead', 'rules.publish', { rules: proposed })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await h.handle('boss', 'rules.publish', { rules: [quarantineApparel] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', messageKey: 'error.ruleSetInvalid', params: { reason: 'catchAllLast', problem: 'catchAllLast' } },
    });
    // A rule that does not parse is refused as a rule set too, naming the rule, the field and the problem (the
    // screen says them in the operator's language), not as a generic invalid input.
    const emptied = [{ ...quarantineApparel, then: { disposition: 'quarantine', destination: '' } }, ...current.rules];
    expect(await h.handle('lead', 'rules.dryRun', { rules: emptied })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', messageKey: 'error.ruleSetInvalid', params: { reason: 'rule', rule: 1, place: 'then.destination', problem: 'empty' } },
    });
    const published = await h.ok<RuleSet>('boss', 'rules.publish', { rules: proposed, note: 'check apparel' });
    expect(published).toMatchObject({ version: current.version + 1, publishedBy: 'OP-3001', note: 'check apparel' });

    const p2 = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000002' });
    const graded = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: p2.parcelId, lineId: 'L3', grade: 'A' });
    expect(graded.routing).toMatchObject({ ruleId: 'apparel-to-quarantine', ruleSetVersion: current.version + 1 });
    const got = await h.ok<{ current: RuleSet; history: { version: number; status: string }[] }>('staff', 'rules.get', {});
    expect(got.current.version).toBe(current.version + 1);
    expect(got.history.map((x) => [x.version, x.status])).toEqual([
      [current.version + 1, 'published'],
      [current.version, 'retired'],
    ]);
    expect(h.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'rules.published'").get()).toEqual({ n: 1 });
  });

  it('publishes grading profiles with the rules: the bench grades by them, and a later change of rules keeps them', async () => {
    const { current } = await h.ok<{ current: RuleSet }>('staff', 'rules.get', {});
    const shipped = await h.ok<GradingProfile>('staff', 'grading.profile', { category: 'apparel' });
    // The site's apparel checklist: the shipped one with a version of its own and one more question at its end.
    const siteApparel: GradingProfile = {
      ...shipped,
      version: shipped.version + 1,
      questions: [
        ...shipped.questions,
        {
          id: 'odour',
          text: { ja: '臭いはありますか', en: 'Any odour?' },
          likely: 'none',
          answers: [
            { id: 'none', key: '1', label: { ja: 'なし', en: 'None' }, effects: {} },
            { id: 'smoke', key: '2', label: { ja: 'たばこ臭', en: 'Smoke' }, effects: { maxGrade: 'C' } },
          ],
        },
      ],
    };
    const bad = await h.handle('boss', 'rules.publish', { rules: current.rules, gradingProfiles: [siteApparel, siteApparel] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', messageKey: 'error.ruleSetInvalid' } });
    const v1 = await h.ok<RuleSet>('boss', 'rules.publish', { rules: current.rules, gradingProfiles: [siteApparel] });
    expect(v1.gradingProfiles?.map((p) => [p.id, p.version])).toEqual([['apparel', shipped.version + 1]]);

    const served = await h.ok<GradingProfile>('staff', 'grading.profile', { category: 'apparel' });
    expect(served.questions.at(-1)?.id).toBe('odour');
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
    const graded = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', answers: likelyAnswers(served, { odour: 'smoke' }) });
    expect(graded.grade).toBe('C');
    expect(h.db.prepare('SELECT profile_version FROM items WHERE id = ?').get(graded.itemId)).toEqual({ profile_version: shipped.version + 1 });
    // Other categories keep the shipped profile.
    expect((await h.ok<GradingProfile>('staff', 'grading.profile', { category: 'shoes' })).version).toBe(1);

    const v2 = await h.ok<RuleSet>('boss', 'rules.publish', { rules: current.rules, note: 'rules only' });
    expect(v2.gradingProfiles?.map((p) => p.id)).toEqual(['apparel']);
    const cleared = await h.ok<RuleSet>('boss', 'rules.publish', { rules: current.rules, gradingProfiles: [] });
    expect(cleared.gradingProfiles).toEqual([]);
    expect((await h.ok<GradingProfile>('staff', 'grading.profile', { category: 'apparel' })).version).toBe(shipped.version);
  });
});

describe('containers', () => {
  it('sorts items into the container of their disposition, refuses the wrong one, and closing sends container.closed', async () => {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' });
    const resale = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L1', grade: 'B' });
    expect(resale.routing.disposition).toBe('resale');
    const p2 = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000002' });
    const restock = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: p2.parcelId, lineId: 'L3', grade: 'N' });
    expect(restock.routing.disposition).toBe('restock');

    await h.ok<ContainerView>('staff', 'container.open', { label: 'tote-outlet-01', disposition: 'resale' });
    expect(await h.handle('staff', 'container.open', { label: 'TOTE-OUTLET-01', disposition: 'resale' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const sorted = await h.ok<ContainerView>('staff', 'container.sort', { label: 'TOTE-OUTLET-01', itemCode: resale.lpn });
    expect(sorted.itemCount).toBe(1);
    expect(await h.handle('staff', 'container.sort', { label: 'TOTE-OUTLET-01', itemCode: restock.lpn })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', messageKey: 'error.wrongContainer', params: { disposition: 'restock' } },
    });
    expect(lastEvent(h.db, 'item.sorted')).toMatchObject({ lpn: resale.lpn, containerLabel: 'TOTE-OUTLET-01' });
    expect((await h.ok<ContainerView[]>('staff', 'container.list', {})).map((c) => c.label)).toEqual(['TOTE-OUTLET-01']);

    const closed = await h.ok<ContainerView>('staff', 'container.close', { label: 'TOTE-OUTLET-01' });
    expect(closed.status).toBe('closed');
    expect(lastEvent(h.db, 'container.closed')).toMatchObject({ label: 'TOTE-OUTLET-01', disposition: 'resale', lpns: [resale.lpn] });
    expect(await h.handle('staff', 'container.sort', { label: 'TOTE-OUTLET-01', itemCode: resale.lpn })).toMatchObject({
      ok: false,
      error: { messageKey: 'error.noOpenContainer' },
    });
  });
});

describe('lead review', () => {
  async function flaggedItems(): Promise<GradedItem[]> {
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000002' });
    // High value (¥80,000) and an expired lot: both flagged.
    const camera = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L4', grade: 'A' });
    h.setNow(new Date('2026-11-10T01:20:00.000Z'));
    const expired = await h.ok<ItemMatch>('staff', 'parcel.matchItem', { parcelId: parcel.parcelId, code: `]C101${GTIN_SHIRT2}17260101` });
    const shirt = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L3', grade: 'A', matchToken: expired.matchToken });
    const clean = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: (await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000001' })).parcelId, lineId: 'L1', grade: 'A' });
    expect(clean.reviewStatus).toBe('none');
    return [camera, shirt];
  }

  it('lists flagged items filtered, sorted and paged, with their age', async () => {
    const [camera, shirt] = await flaggedItems();
    expect(await h.handle('staff', 'review.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const all = await h.ok<ReviewQueuePage>('lead', 'review.list', {});
    expect(all.total).toBe(2);
    expect(all.items.map((i) => i.itemId)).toEqual([camera!.itemId, shirt!.itemId]);
    expect(all.items[0]).toMatchObject({ ageMinutes: 20, flags: ['high_value'], category: 'electronics' });
    expect((await h.ok<ReviewQueuePage>('lead', 'review.list', { sort: 'newest' })).items[0]?.itemId).toBe(shirt!.itemId);
    expect((await h.ok<ReviewQueuePage>('lead', 'review.list', { flag: 'expired_lot' })).items.map((i) => i.itemId)).toEqual([shirt!.itemId]);
    expect((await h.ok<ReviewQueuePage>('lead', 'review.list', { minAgeMinutes: 10 })).items.map((i) => i.itemId)).toEqual([camera!.itemId]);
    const page2 = await h.ok<ReviewQueuePage>('lead', 'review.list', { pageSize: 1, page: 2 });
    expect(page2).toMatchObject({ total: 2, page: 2, items: [{ itemId: shirt!.itemId }] });
    expect(await h.handle('lead', 'review.list', { flag: 'not_a_flag' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('finds an operator’s items by part of the badge, id or name, in any case, the text taken literally', async () => {
    const [camera, shirt] = await flaggedItems();
    // The shirt graded by another operator, whose badge and name carry LIKE's wildcards.
    const other = await h.ok<{ id: string }>('boss', 'operators.enrol', { badge: 'A_B', name: '100% 山本', role: 'staff', pin: '4321', pinRepeat: '4321' });
    h.db.prepare('UPDATE items SET operator_id = ? WHERE id = ?').run(other.id, shirt!.itemId);
    const found = async (operatorId: string) => (await h.ok<ReviewQueuePage>('lead', 'review.list', { operatorId })).items.map((i) => i.itemId);
    for (const text of ['佐藤', '佐藤花子', 'op-1001', '1001', 'ＯＰ－１００１']) expect(await found(text), text).toEqual([camera!.itemId]);
    for (const text of ['山本', '%', '_', 'a_b', other.id.slice(0, 12).toUpperCase()]) expect(await found(text), text).toEqual([shirt!.itemId]);
    for (const text of ['田中', 'A%B', '\\', "'; DROP TABLE items; --"]) expect(await found(text), text).toEqual([]);
    expect((await h.ok<ReviewQueuePage>('lead', 'review.list', {})).total).toBe(2);
  });

  it('names the bench and the grading operator on each row, and answers a bench filter from its own items: all or none', async () => {
    const [camera, shirt] = await flaggedItems();
    const all = await h.ok<ReviewQueuePage>('lead', 'review.list', {});
    expect(all.items.map((i) => [i.stationId, i.operatorId, i.operatorName])).toEqual([
      ['BENCH-01', 'OP-1001', '佐藤 花子'],
      ['BENCH-01', 'OP-1001', '佐藤 花子'],
    ]);
    expect(await h.ok<ReviewDetail>('lead', 'review.get', { itemId: camera!.itemId })).toMatchObject({ stationId: 'BENCH-01', operatorName: '佐藤 花子' });
    const found = async (stationId: string) => (await h.ok<ReviewQueuePage>('lead', 'review.list', { stationId })).items.map((i) => i.itemId);
    // As the site hub matches its benches: the whole id, in any case, typed full-width too.
    for (const text of ['BENCH-01', 'bench-01', 'ｂｅｎｃｈ－０１']) expect(await found(text), text).toEqual([camera!.itemId, shirt!.itemId]);
    for (const text of ['BENCH-02', 'BENCH', '01', '%']) expect(await found(text), text).toEqual([]);
    expect(await h.ok<ReviewQueuePage>('lead', 'review.list', { stationId: 'BENCH-02' })).toMatchObject({ total: 0, page: 1 });
  });

  it('approves, overrides with a reason (audited, new event) and bulk-approves', async () => {
    const [camera, shirt] = await flaggedItems();
    expect(await h.handle('staff', 'review.approve', { itemId: camera!.itemId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await h.handle('lead', 'review.override', { itemId: camera!.itemId, grade: 'C' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const overridden = await h.ok<ReviewDetail>('lead', 'review.override', { itemId: camera!.itemId, disposition: 'repair', reason: 'lens scratched' });
    expect(overridden).toMatchObject({ reviewStatus: 'overridden', disposition: 'repair', destination: 'REPAIR', reviewReason: 'lens scratched', reviewedBy: 'OP-2001' });
    expect(lastEvent(h.db, 'item.overridden')).toMatchObject({
      lpn: camera!.lpn,
      before: { grade: 'A' },
      after: { grade: 'A', disposition: 'repair', destination: 'REPAIR' },
      reason: 'lens scratched',
    });
    const audit = h.db.prepare("SELECT before_json, after_json FROM audit_log WHERE action = 'review.overridden'").get() as { before_json: string; after_json: string };
    expect(JSON.parse(audit.before_json)).toMatchObject({ grade: 'A', reviewStatus: 'pending' });
    expect(JSON.parse(audit.after_json)).toMatchObject({ disposition: 'repair', reason: 'lens scratched' });

    const regraded = await h.ok<ReviewDetail>('lead', 'review.override', { itemId: shirt!.itemId, grade: 'C', reason: 'stain found' });
    // A new grade alone is re-routed under the current rules, as if the flags were cleared.
    const expected = route(defaultRuleSet, { grade: 'C', category: 'apparel', reason: 'size', priceJpy: 5990, flags: [] });
    expect(regraded).toMatchObject({ grade: 'C', disposition: expected.disposition, destination: expected.destination });

    expect(await h.handle('lead', 'review.approve', { itemId: shirt!.itemId })).toMatchObject({ ok: false, error: { messageKey: 'error.notPendingReview' } });
    const bulk = await h.ok<{ approved: string[]; skipped: string[] }>('lead', 'review.bulkApprove', { itemIds: [camera!.itemId] });
    expect(bulk).toEqual({ approved: [], skipped: [camera!.itemId] });
  });

  it('a decided item keeps the time it waited and says who decided when; only a waiting one goes on ageing', async () => {
    const [camera, shirt] = await flaggedItems();
    h.setNow(new Date('2026-11-10T01:50:00.000Z'));
    await h.signIn('lead', 'lead');
    await h.ok('lead', 'review.approve', { itemId: camera!.itemId });
    // A day later: the camera waited 50 minutes (graded 01:00, approved 01:50); the shirt (graded 01:20) still waits.
    h.setNow(new Date('2026-11-11T01:50:00.000Z'));
    await h.signIn('lead', 'lead');
    const decided = { ageMinutes: 50, reviewStatus: 'approved', reviewedAt: '2026-11-10T01:50:00.000Z', reviewedBy: 'OP-2001', reviewedByName: '田中 一郎' };
    const all = await h.ok<ReviewQueuePage>('lead', 'review.list', { status: 'all' });
    expect(all.items.find((i) => i.itemId === camera!.itemId)).toMatchObject(decided);
    expect(all.items.find((i) => i.itemId === shirt!.itemId)).toMatchObject({ ageMinutes: 1470, reviewStatus: 'pending', reviewedAt: null, reviewedBy: null });
    expect(await h.ok<ReviewDetail>('lead', 'review.get', { itemId: camera!.itemId })).toMatchObject(decided);
  });

  it('"waiting at least N minutes" counts a decided item to its decision, as its row does', async () => {
    const [camera, shirt] = await flaggedItems();
    // The camera (graded 01:00) decided quickly, 50 minutes on; the shirt (graded 01:20) decided a day later.
    h.setNow(new Date('2026-11-10T01:50:00.000Z'));
    await h.signIn('lead', 'lead');
    await h.ok('lead', 'review.approve', { itemId: camera!.itemId });
    h.setNow(new Date('2026-11-11T01:20:00.000Z'));
    await h.signIn('lead', 'lead');
    const shirtDecision = await h.ok<ReviewDetail>('lead', 'review.override', { itemId: shirt!.itemId, grade: 'B', reason: 'stain on the sleeve' });
    expect(shirtDecision.ageMinutes).toBe(1440);
    // A week later both are long since graded; only the shirt waited long.
    h.setNow(new Date('2026-11-18T00:00:00.000Z'));
    await h.signIn('lead', 'lead');
    const ids = async (status: 'all' | 'decided' | 'pending', minAgeMinutes?: number) =>
      (await h.ok<ReviewQueuePage>('lead', 'review.list', { status, ...(minAgeMinutes !== undefined ? { minAgeMinutes } : {}) })).items.map((i) => i.itemId).sort();
    const both = [camera!.itemId, shirt!.itemId].sort();
    expect(await ids('decided', 0)).toEqual(both);
    expect(await ids('decided', 50)).toEqual(both);
    expect(await ids('decided', 51)).toEqual([shirt!.itemId]);
    expect(await ids('all', 60)).toEqual([shirt!.itemId]);
    expect(await ids('decided', 1440)).toEqual([shirt!.itemId]);
    expect(await ids('decided', 1441)).toEqual([]);
    expect(await ids('pending', 60)).toEqual([]);
    // Every N agrees with the wait each row shows.
    const shown = (await h.ok<ReviewQueuePage>('lead', 'review.list', { status: 'all' })).items;
    for (const n of [1, 49, 50, 51, 1439, 1440, 1441, 10_080, 10_081]) {
      expect(await ids('all', n), `at least ${n}`).toEqual(shown.filter((i) => i.ageMinutes >= n).map((i) => i.itemId).sort());
    }
  });

  it('holds the resolution of a flagged item until a lead approves it', async () => {
    const profile = await h.ok<GradingProfile>('staff', 'grading.profile', { category: 'electronics' });
    const parcel = await h.ok<ParcelView>('staff', 'parcel.open', { code: 'RMA-00000002' });
    const camera = await h.ok<GradedItem>('staff', 'item.grade', { parcelId: parcel.parcelId, lineId: 'L4', answers: likelyAnswers(profile) });
    expect(camera.flags).toContain('high_value');
    expect(h.db.prepare('SELECT status FROM resolutions WHERE item_id = ?').get(camera.itemId)).toEqual({ status: 'held' });
    expect(outboxTypes(h.db)).not.toContain('resolution.recommended');

    const approved = await h.ok<{ approved: string[] }>('lead', 'review.bulkApprove', { itemIds: [camera.itemId] });
    expect(approved.approved).toEqual([camera.itemId]);
    expect(h.db.prepare('SELECT status FROM resolutions WHERE item_id = ?').get(camera.itemId)).toEqual({ status: 'released' });
    expect(outboxTypes(h.db).slice(-2)).toEqual(['item.approved', 'resolution.recommended']);
    expect(lastEvent(h.db, 'resolution.recommended')).toMatchObject({ lpn: camera.lpn, approvedBy: 'OP-2001', recommendation: { kind: expect.any(String) } });
    const detail = await h.ok<ReviewDetail>('lead', 'review.get', { itemId: camera.itemId });
    expect(detail).toMatchObject({ reviewStatus: 'approved', resolution: { status: 'released' } });
    expect(detail.answers).toEqual(likelyAnswers(profile));
  });
});

describe('dead letters for leads', () => {
  function deadLetter(): number {
    const e = appendEvent(h.db, 'parcel', 'p-x', { type: 'parcel.received', payload: { parcelId: 'p-x', rmaNumber: null, scannedCode: '', operatorId: 'OP-1001', stationId: 'BENCH-01', receivedAt: 'x' } });
    markDead(h.db, e.id, 'HTTP 422: rejected', '2026-11-10T00:00:00.000Z');
    return e.id;
  }

  it('lists, retries and skips dead letters with a reason, audited', async () => {
    const id = deadLetter();
    expect(await h.handle('staff', 'sync.deadLetters', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const list = await h.ok<{ id: number; lastError: string; payload: { parcelId: string } }[]>('lead', 'sync.deadLetters', {});
    expect(list).toMatchObject([{ id, lastError: 'HTTP 422: rejected', payload: { parcelId: 'p-x' } }]);
    expect(await h.ok('lead', 'sync.retryDeadLetter', { id })).toEqual({ retried: true });
    expect(await h.ok('lead', 'sync.deadLetters', {})).toEqual([]);
    expect(await h.handle('lead', 'sync.retryDeadLetter', { id })).toMatchObject({ ok: false, error: { messageKey: 'error.noDeadLetter' } });

    const id2 = deadLetter();
    expect(await h.handle('lead', 'sync.skipDeadLetter', { id: id2, reason: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await h.ok('lead', 'sync.skipDeadLetter', { id: id2, reason: 'duplicate of a manual entry' })).toEqual({ skipped: true });
    const audit = h.db.prepare("SELECT operator_id, after_json FROM audit_log WHERE action = 'sync.deadLetterSkipped'").get() as { operator_id: string; after_json: string };
    expect(audit.operator_id).toBe('OP-2001');
    expect(JSON.parse(audit.after_json)).toMatchObject({ reason: 'duplicate of a manual entry' });
  });
});

describe('people', () => {
  it('signs an idle session out after the configured minutes', async () => {
    h.setNow(new Date('2026-11-10T01:29:00.000Z'));
    await h.ok('staff', 'container.list', {});
    h.setNow(new Date('2026-11-10T02:00:00.000Z'));
    expect(await h.handle('staff', 'container.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  const UUID = '00000000-0000-4000-8000-000000000000';
  const catchAll: RoutingRuleInput = { id: 'all', when: {}, then: { disposition: 'quarantine', destination: 'Q' }, explain: { en: 'x', ja: 'x' } };
  // Every call this slice added: the least role allowed, and a valid input (so the role check is what refuses).
  const calls: Record<string, ['staff' | 'lead' | 'supervisor', unknown]> = {
    'parcel.get': ['staff', { parcelId: UUID }],
    'parcel.search': ['staff', { q: 'abc' }],
    'parcel.receiveUnexpected': ['staff', {}],
    'parcel.listUnlinked': ['lead', {}],
    'parcel.linkRma': ['lead', { parcelId: UUID, rmaNumber: 'RMA-00000001' }],
    'parcel.close': ['staff', { parcelId: UUID }],
    'grading.profile': ['staff', { category: 'shoes' }],
    'photo.attach': ['staff', { dataBase64: JPEG.toString('base64') }],
    'rules.get': ['staff', {}],
    'rules.dryRun': ['lead', { rules: [catchAll] }],
    'rules.publish': ['supervisor', { rules: [catchAll] }],
    'container.list': ['staff', {}],
    'container.open': ['staff', { label: 'T1', disposition: 'restock' }],
    'container.sort': ['staff', { label: 'T1', itemCode: 'LPN-BENCH01-0000001' }],
    'container.close': ['staff', { label: 'T1' }],
    'review.list': ['lead', {}],
    'review.get': ['lead', { itemId: UUID }],
    'review.approve': ['lead', { itemId: UUID }],
    'review.override': ['lead', { itemId: UUID, grade: 'A', reason: 'because' }],
    'review.bulkApprove': ['lead', { itemIds: [UUID] }],
    'sync.deadLetters': ['lead', {}],
    'sync.retryDeadLetter': ['lead', { id: 1 }],
    'sync.skipDeadLetter': ['lead', { id: 1, reason: 'because' }],
  };

  it.each(Object.entries(calls))('%s: refused before sign-in and below its role', async (name, [role, input]) => {
    const ranks = ['staff', 'lead', 'supervisor'] as const;
    expect((api as Record<string, { access: unknown }>)[name]?.access).toEqual(ranks.slice(ranks.indexOf(role)));
    expect(await h.handle('nobody', name, input)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    for (const who of ranks.slice(0, ranks.indexOf(role))) {
      expect(await h.handle(who === 'supervisor' ? 'boss' : who, name, input)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    // The least role gets past the gate (the handler may still refuse, e.g. NOT_FOUND for the made-up ids).
    const r = await h.handle(role === 'supervisor' ? 'boss' : role, name, input);
    if (!r.ok) expect(['NOT_FOUND', 'CONFLICT']).toContain(r.error.code);
  });
});
