// Counts read as English and as Japanese: "1 row", never "1 rows", through i18next's plural forms.
import { describe, expect, it } from 'vitest';
import { exportedText, exportProgressText, routeChangedText, tagsReadText } from '../ui/countTexts.js';
import { en } from './en.js';
import { createI18n } from './index.js';
import { ja } from './ja.js';
import { flattenTexts } from './flatten.test-helper.js';

const enT = createI18n('en').t;
const jaT = createI18n('ja').t;

const result = (rows: number) => ({ fileName: 'returns-2026-11-02.csv', rows, totals: { items: rows, recoveryJpy: 12_500 } });

describe('export notices', () => {
  it('says row for one and rows otherwise, with the figure formatted', () => {
    expect(exportedText(enT, result(1), 'en')).toBe('Wrote returns-2026-11-02.csv (1 row, recovery ¥12,500)');
    expect(exportedText(enT, result(0), 'en')).toBe('Wrote returns-2026-11-02.csv (0 rows, recovery ¥12,500)');
    expect(exportedText(enT, result(12_345), 'en')).toBe('Wrote returns-2026-11-02.csv (12,345 rows, recovery ¥12,500)');
  });

  it('in Japanese counts with 件, the same for one and many', () => {
    expect(exportedText(jaT, result(1), 'ja')).toBe('returns-2026-11-02.csv を書き出しました（1件、回収見込額 ￥12,500）');
    expect(exportedText(jaT, result(12_345), 'ja')).toBe('returns-2026-11-02.csv を書き出しました（12,345件、回収見込額 ￥12,500）');
  });

  it('progress: the total decides row or rows', () => {
    expect(exportProgressText(enT, { fileName: 'a.xlsx', rows: 0, total: 1 }, 'en')).toBe('Writing a.xlsx: 0 of 1 row');
    expect(exportProgressText(enT, { fileName: 'a.xlsx', rows: 1, total: 100_000 }, 'en')).toBe('Writing a.xlsx: 1 of 100,000 rows');
    expect(exportProgressText(jaT, { fileName: 'a.xlsx', rows: 1, total: 100_000 }, 'ja')).toBe('a.xlsx を書き出し中：100,000件中 1件');
  });
});

describe('other counts', () => {
  it('tags and reads each take their own plural', () => {
    expect(tagsReadText(enT, 1, 1)).toBe('1 tag (1 read)');
    expect(tagsReadText(enT, 2, 5)).toBe('2 tags (5 reads)');
    expect(tagsReadText(jaT, 1, 3)).toBe('タグ 1枚（読み取り 3回）');
  });

  it("the rules' dry run", () => {
    expect(routeChangedText(enT, { changed: 1, total: 1 }, 'en')).toBe('1 of 1 item would route differently');
    expect(routeChangedText(enT, { changed: 3, total: 1200 }, 'en')).toBe('3 of 1,200 items would route differently');
  });

  it.each([
    ['review.count', '1 item', '2 items'],
    ['blind.count', '1 candidate', '2 candidates'],
    ['syncScreen.attempts', '1 attempt', '2 attempts'],
    ['devices.matchUnexpected', '1 tag of an item not on the return', '2 tags of items not on the return'],
    ['site.relabel.title', 'Relabel: 1 item re-routed by a lead', 'Relabel: 2 items re-routed by a lead'],
  ])('%s', (key, one, two) => {
    expect(enT(key, { count: 1 })).toBe(one);
    expect(enT(key, { count: 2 })).toBe(two);
  });

  // Counts that are never 1 where they are shown: a flag needs two or more, and "more" means the list was cut.
  const NEVER_ONE = new Set(['blind.more', 'siteRules.evidence.site_rma_twice', 'siteRules.evidence.site_serial_twice', 'siteRules.evidence.site_epc_twice', 'siteRules.evidence.returner']);

  it('no English text with a {{count}} reads "1 …s" or "(s)" when the count is 1', () => {
    const texts = flattenTexts(en);
    const bases = new Set([...texts].filter(([, v]) => v.includes('{{count}}')).map(([k]) => k.replace(/_(one|other)$/, '')));
    expect(bases.size).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const key of bases) {
      if (NEVER_ONE.has(key)) continue;
      const text = enT(key, { count: 1, file: 'f', rows: '1', total: '1', changed: '1', reads: 'r', label: 'L', lpn: 'P', subject: 'S' });
      if (/\b1 [a-z]+s\b/.test(text) || text.includes('(s)')) wrong.push(`${key}: ${text}`);
    }
    expect(wrong).toEqual([]);
  });

  it('every plural has its one and other forms in both languages', () => {
    for (const dict of [flattenTexts(en), flattenTexts(ja)]) {
      for (const key of dict.keys()) {
        const m = /^(.*)_(one|other)$/.exec(key);
        if (m) expect(dict.has(`${m[1]}_one`) && dict.has(`${m[1]}_other`), key).toBe(true);
      }
    }
  });
});
