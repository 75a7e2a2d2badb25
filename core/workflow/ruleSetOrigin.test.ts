// Which rule set routed an item, at a bench of a site: this bench's own v3 (published here before the site had
// rules) and the site's v3 (pulled from the hub) share a number, not their rules. Each item records the source, whose
// it is and the content hash; the review detail explains it by the right table and the export says whose it was.
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RuleSet, WmsEventBody, type ReviewDetailResult, type RoutingRuleInput } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { readonlyView } from '../../db/readonly.js';
import { iterateItemRows } from '../../db/repositories/reports.js';
import { adoptSiteRuleSet } from '../../db/repositories/siteRuleSets.js';
import { defaultRuleSet } from '../../domain/rules/defaultRuleSet.js';
import { completeGtin } from '../../domain/identifiers/gtin.js';
import { makeTrackingNumber } from '../../domain/identifiers/tracking.js';
import { ruleSetSha256 } from '../../shared-node/ruleSetHash.js';
import { itemColumns } from './exports/columns.js';
import { writeCsv } from './exports/csvWriter.js';
import { createHarness, type Harness } from './harness.test-helper.js';
import { defaultReportClock as clock, scopeFor } from './reports/clock.js';
import { defaultRecoveryFactors, factorRules } from './reports/recoveryFactors.js';

const TRACKING = makeTrackingNumber('yamato', '12345678901');
const GTIN_SHIRT = '0' + completeGtin('490000000001');

function seed(db: Db): void {
  const now = '2026-11-01T00:00:00.000Z';
  db.prepare('INSERT INTO products VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run('APP-1', GTIN_SHIRT, 'Linen shirt', 'リネンシャツ', 'apparel', 4990, 300, now);
  db.prepare('INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    'RMA-00000001', 'ORD-0000000001', '山田 太郎', 'ヤマダ タロウ', '09012345678', 'yamato', TRACKING, 'open', now, now,
  );
  const l = db.prepare('INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const [id, no] of [['L1', 1], ['L2', 2], ['L3', 3]] as const) l.run(id, 'RMA-00000001', no, 'APP-1', 1, 'size', 'サイズが合わない');
}

/** The same rule id in both tables, routing elsewhere and said otherwise: explaining by the wrong table would show. */
const apparelA = (destination: string, en: string, ja: string): RoutingRuleInput => ({
  id: 'apparel-a',
  when: { categories: ['apparel'], grades: ['A'] },
  then: { disposition: 'resale', destination },
  explain: { en, ja },
});
const benchRule = apparelA('OUTLET', 'Bench rule: apparel in grade A goes to the outlet.', '作業台のルール：A判定の衣料はアウトレットへ。');
const siteV3 = RuleSet.parse({
  version: 3,
  rules: [apparelA('SECONDARY', 'Site rule: apparel in grade A goes to the secondary market.', 'サイトのルール：A判定の衣料は二次流通へ。'), ...defaultRuleSet.rules],
  publishedAt: '2026-11-02T00:00:00.000Z',
  publishedBy: 'OP-9001',
});

async function exportCsv(db: Db, language: 'ja' | 'en'): Promise<Record<string, string>[]> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  const rows = iterateItemRows(readonlyView(db), scopeFor({}, clock), factorRules(defaultRecoveryFactors));
  await writeCsv(sink, rows, itemColumns, { language, utcOffsetMinutes: 540, timeZoneLabel: 'JST' });
  return parse(Buffer.concat(chunks).toString('utf8'), { bom: true, columns: true }) as Record<string, string>[];
}

describe("a bench's own v3 and the site's v3", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(seed, { site: true });
  });
  afterEach(() => h.close());

  it('are told apart on each item, its item.graded event, its review detail and the export', async () => {
    await h.signIn('boss', 'supervisor');
    await h.signIn('s1', 'staff');
    await h.signIn('lead', 'lead');
    const { parcelId } = await h.ok<{ parcelId: string }>('s1', 'parcel.open', { code: TRACKING });

    // Shipped rules first: "標準 v2".
    const shipped = await h.ok<{ itemId: string; routing: { ruleSetVersion: number; ruleSetOrigin?: unknown } }>('s1', 'item.grade', { parcelId, lineId: 'L1', grade: 'A' });
    expect(shipped.routing).toMatchObject({ ruleId: 'like-new-restock', ruleSetVersion: 2, ruleSetOrigin: { source: 'shipped', sha256: ruleSetSha256(defaultRuleSet) } });

    // This bench publishes its own v3 (the site has published none yet).
    const own = await h.ok<RuleSet>('boss', 'rules.publish', { rules: [benchRule, ...defaultRuleSet.rules] });
    expect(own.version).toBe(3);
    const byBench = await h.ok<{ itemId: string; routing: object }>('s1', 'item.grade', { parcelId, lineId: 'L2', grade: 'A' });
    expect(byBench.routing).toMatchObject({ destination: 'OUTLET', ruleId: 'apparel-a', ruleSetVersion: 3, ruleSetOrigin: { source: 'bench', sourceId: 'BENCH-01', sha256: ruleSetSha256(own) } });

    // The site publishes its v3 at the hub; the bench pulls it (core/sync/ruleSetPull.ts) and routes by it.
    adoptSiteRuleSet(h.db, 3, JSON.stringify(siteV3), '2026-11-02T00:00:00.000Z', 'SITE-01');
    h.rules.siteRuleSetChanged();
    const bySite = await h.ok<{ itemId: string; routing: object }>('s1', 'item.grade', { parcelId, lineId: 'L3', grade: 'A' });
    expect(bySite.routing).toMatchObject({ destination: 'SECONDARY', ruleId: 'apparel-a', ruleSetVersion: 3, ruleSetOrigin: { source: 'site', sourceId: 'SITE-01', sha256: ruleSetSha256(siteV3) } });
    expect(ruleSetSha256(own)).not.toBe(ruleSetSha256(siteV3));

    // The events the hub and the WMS receive say it, and parse with the contract.
    const graded = (h.db.prepare("SELECT payload FROM outbox WHERE type = 'item.graded' ORDER BY id").all() as { payload: string }[]).map((r) => {
      const e = WmsEventBody.parse({ type: 'item.graded', payload: JSON.parse(r.payload) as unknown });
      if (e.type !== 'item.graded') throw new Error(e.type);
      return e.payload;
    });
    expect(graded.map((p) => [p.ruleSetVersion, p.ruleSetOrigin?.source, p.ruleSetOrigin?.sourceId])).toEqual([
      [2, 'shipped', undefined],
      [3, 'bench', 'BENCH-01'],
      [3, 'site', 'SITE-01'],
    ]);

    // Review: each v3 item is explained by its own table's rule, though both say apparel-a v3.
    const benchDetail = await h.ok<ReviewDetailResult>('lead', 'review.get', { itemId: byBench.itemId });
    expect(benchDetail).toMatchObject({ ruleId: 'apparel-a', ruleSetVersion: 3, ruleSetOrigin: { source: 'bench', sourceId: 'BENCH-01' } });
    expect(benchDetail.rule?.explain.en).toBe(benchRule.explain.en);
    const siteDetail = await h.ok<ReviewDetailResult>('lead', 'review.get', { itemId: bySite.itemId });
    expect(siteDetail).toMatchObject({ ruleId: 'apparel-a', ruleSetVersion: 3, ruleSetOrigin: { source: 'site', sourceId: 'SITE-01' } });
    expect(siteDetail.rule?.explain.en).toBe(siteV3.rules[0]!.explain.en);
    expect((await h.ok<ReviewDetailResult>('lead', 'review.get', { itemId: shipped.itemId })).ruleSetOrigin).toMatchObject({ source: 'shipped' });

    // The export: whose rule set in words, and its codes.
    const en = await exportCsv(h.db, 'en');
    expect(en.map((r) => [r['Rule'], r['Rule set'], r['Rule set version'], r['Rule set source code'], r['Rule set bench or site ID']])).toEqual([
      ['like-new-restock', 'shipped v2', '2', 'shipped', ''],
      ['apparel-a', 'bench BENCH-01 v3', '3', 'bench', 'BENCH-01'],
      ['apparel-a', 'site v3', '3', 'site', 'SITE-01'],
    ]);
    expect(en.map((r) => r['Rule set SHA-256'])).toEqual([ruleSetSha256(defaultRuleSet), ruleSetSha256(own), ruleSetSha256(siteV3)]);
    const ja = await exportCsv(h.db, 'ja');
    expect(ja.map((r) => r['ルールセット'])).toEqual(['標準 v2', '作業台 BENCH-01 v3', 'サイト v3']);
  });

  it('an item graded before the source was recorded keeps its version alone, and is explained as before', async () => {
    await h.signIn('s1', 'staff');
    await h.signIn('lead', 'lead');
    const { parcelId } = await h.ok<{ parcelId: string }>('s1', 'parcel.open', { code: TRACKING });
    const old = await h.ok<{ itemId: string }>('s1', 'item.grade', { parcelId, lineId: 'L1', grade: 'A' });
    // What migration 016 leaves on an item graded before it.
    h.db.prepare('UPDATE items SET rule_set_source = NULL, rule_set_source_id = NULL, rule_set_sha256 = NULL WHERE id = ?').run(old.itemId);
    const detail = await h.ok<ReviewDetailResult>('lead', 'review.get', { itemId: old.itemId });
    expect(detail.ruleSetOrigin).toBeUndefined();
    expect(detail.rule?.explain.en).toBe(defaultRuleSet.rules.find((r) => r.id === 'like-new-restock')!.explain.en);
    expect((await exportCsv(h.db, 'en')).map((r) => [r['Rule set'], r['Rule set source code']])).toEqual([['v2', '']]);
  });

  it('names no rule when the kept table is not the content that routed the item', async () => {
    await h.signIn('s1', 'staff');
    await h.signIn('lead', 'lead');
    const { parcelId } = await h.ok<{ parcelId: string }>('s1', 'parcel.open', { code: TRACKING });
    const item = await h.ok<{ itemId: string }>('s1', 'item.grade', { parcelId, lineId: 'L1', grade: 'A' });
    h.db.prepare('UPDATE items SET rule_set_sha256 = ? WHERE id = ?').run('0'.repeat(64), item.itemId);
    const detail = await h.ok<ReviewDetailResult>('lead', 'review.get', { itemId: item.itemId });
    expect(detail).toMatchObject({ ruleId: 'like-new-restock', ruleSetOrigin: { source: 'shipped', sha256: '0'.repeat(64) } });
    expect(detail.rule).toBeUndefined();
  });
});
