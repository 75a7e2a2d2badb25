import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { ItemReportRow } from '../../../db/repositories/reports.js';
import { itemColumns } from './columns.js';
import { csvCell, writeCsv } from './csvWriter.js';
import { guardFormula, quoteField } from '../../../domain/spreadsheet/csvText.js';

const base: ItemReportRow = {
  lpn: 'BENCH-01-000001',
  gradedAt: '2026-11-01T15:30:00.000Z',
  receivedAt: '2026-11-01T15:00:00.000Z',
  stationId: 'BENCH-01',
  operatorId: 'OP-1',
  operatorName: '佐藤 花子',
  rmaNumber: 'RMA-00000001',
  sku: 'APP-1',
  productName: 'Shirt',
  productNameJa: 'シャツ',
  category: 'apparel',
  reason: 'size',
  kind: 'expected',
  grade: 'A',
  disposition: 'resale',
  destination: 'RESALE-1',
  ruleId: 'r1',
  priceJpy: 4990,
  factor: 0.65,
  recoveryJpy: 3244,
  cycleSec: 1800,
  blindReturn: 0,
  flags: null,
  reviewStatus: 'none',
  ruleSetVersion: 2,
  ruleSetSource: 'shipped',
  ruleSetSourceId: null,
  ruleSetSha256: 'ab'.repeat(32),
};

/** A sink that accepts little at a time, so the writer must wait for 'drain'. */
class SlowSink extends Writable {
  chunks: Buffer[] = [];
  drains = 0;
  constructor() {
    super({ highWaterMark: 1024 });
    this.on('drain', () => this.drains++);
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error) => void): void {
    this.chunks.push(chunk);
    setImmediate(cb);
  }
}

describe('CSV cells', () => {
  it('prefixes text a spreadsheet would run as a formula', () => {
    for (const t of ['=1+1', '+81 90', '-2', '@SUM(A1)', '\tx', '\rx']) expect(guardFormula(t)).toBe(`'${t}`);
    for (const t of ['シャツ', 'a=b', '1-2', '']) expect(guardFormula(t)).toBe(t);
  });

  it('quotes per RFC 4180 only when needed', () => {
    expect(quoteField('plain')).toBe('plain');
    expect(quoteField('a,b')).toBe('"a,b"');
    expect(quoteField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteField('two\nlines')).toBe('"two\nlines"');
    expect(quoteField('cr\rhere')).toBe('"cr\rhere"');
  });

  it('writes numbers raw, never guarded, and dates in site time', () => {
    expect(csvCell(-500, { type: 'yen' }, 540)).toBe('-500');
    expect(csvCell(null, { type: 'text' }, 540)).toBe('');
    expect(csvCell('2026-11-01T15:30:00.000Z', { type: 'datetime' }, 540)).toBe('2026-11-02 00:30:00');
    expect(csvCell('=cmd|x', { type: 'text' }, 540)).toBe("'=cmd|x");
  });
});

describe('writeCsv', () => {
  it('writes a BOM, CRLF rows and hostile text that parses back intact, waiting on a slow sink', async () => {
    const names = ['=HYPERLINK("http://evil")', 'Sneaker "Air", white', 'ノートPC\n15インチ', '@risk'];
    const rows = Array.from({ length: 3000 }, (_, i) => ({ ...base, lpn: `L${i}`, productNameJa: names[i % names.length]!, recoveryJpy: i }));
    const sink = new SlowSink();
    const count = await writeCsv(sink, rows, itemColumns, { language: 'en', utcOffsetMinutes: 540, timeZoneLabel: 'JST' });
    await new Promise<void>((resolve) => sink.end(resolve));
    expect(count).toBe(3000);
    const bytes = Buffer.concat(sink.chunks);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    // Record separators are CRLF; the only bare LFs are the ones inside the quoted product name.
    expect(text.split('\r\n')).toHaveLength(3000 + 2);
    expect(text.split('\n').length - text.split('\r\n').length).toBe(3000 / 4);
    const records = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(3000);
    expect(records[0]!['Product']).toBe(`'=HYPERLINK("http://evil")`);
    expect(records[1]!['Product']).toBe('Sneaker "Air", white');
    expect(records[2]!['Product']).toBe('ノートPC\n15インチ');
    expect(records[3]!['Product']).toBe("'@risk");
    expect(records[5]!['Graded at (JST)']).toBe('2026-11-02 00:30:00');
    expect(records.reduce((s, r) => s + Number(r['Recovery (JPY)']), 0)).toBe((2999 * 3000) / 2);
    // The writer went over the sink's buffer and waited for it rather than piling up.
    expect(sink.drains).toBeGreaterThan(0);
  });
});
