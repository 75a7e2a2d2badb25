import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, stationLogHook } from './logger.js';
import { MASK, maskText, maskValue } from './mask.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string): Array<Record<string, unknown>> =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('masking', () => {
  it('masks Japanese customer names in kanji, hiragana, katakana and half-width kana', () => {
    for (const name of ['山田太郎', 'やまだ たろう', 'ヤマダ タロウ', 'ﾔﾏﾀﾞ ﾀﾛｳ', '佐々木 花子', '髙橋ー']) {
      const out = maskText(`customer ${name} returned RMA-00000012`);
      expect(out).not.toMatch(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u);
      expect(out).toContain(MASK.name);
      expect(out).toContain('RMA-00000012');
    }
  });

  it('masks Japanese phone numbers in the usual spellings but keeps tracking numbers and ids', () => {
    for (const phone of ['03-1234-5678', '090-1234-5678', '09012345678', '0312345678', '(03) 1234-5678', '+81 90-1234-5678', '+81-3-1234-5678', '0120-123-456']) {
      expect(maskText(`call ${phone} tomorrow`)).toBe(`call ${MASK.phone} tomorrow`);
    }
    // 12-digit Yamato tracking, hyphenated or not, an RMA and an LPN are not phones.
    for (const keep of ['1234-5678-9012', '012345678901', 'RMA-00001234', 'LPN-BENCH-01-0000042', '4901234567894']) {
      expect(maskText(keep)).toBe(keep);
    }
  });

  it('masks bearer tokens, token= parameters, PINs and e-mails inside free text', () => {
    const out = maskText('GET /?token=abcDEF123_- Authorization: Bearer s3cr3t.tok pin=1234 {"pin":"5678"} mail taro@example.co.jp');
    expect(out).not.toMatch(/abcDEF123|s3cr3t|1234|5678|taro@/);
    expect(out).toContain(MASK.email);
  });

  it('masks secrets and personal fields by key anywhere in a logged object, errors and cycles included', () => {
    const cyclic: Record<string, unknown> = { wmsToken: 'tok-123456', nested: { customerName: 'Jane Roe', phone: '+1 555 0100', pinHash: 'scrypt$…' } };
    cyclic.self = cyclic;
    const err = new Error('WMS said 401 for token=tok-123456 (山田 様)');
    const out = JSON.stringify(maskValue({ ctx: cyclic, err, items: [{ name: 'Jane Roe', sku: 'SKU-1' }], shipping: 'express', printerAddress: '10.0.0.5' }));
    expect(out).not.toMatch(/tok-123456|Jane Roe|555 0100|scrypt|山田/);
    expect(out).toContain('[circular]');
    expect(out).toContain('SKU-1');
    // "shipping" is not a PIN and a device address is not a customer's.
    expect(out).toContain('express');
    expect(out).toContain('10.0.0.5');
  });

  it('never throws and always yields JSON for arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }), (v) => {
        expect(() => JSON.stringify(maskValue({ v }))).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});

describe('file logger', () => {
  it('writes one JSON line per entry with level and time, masked, and drops levels below the threshold', () => {
    const logger = createLogger({ dir, level: 'info', now: () => new Date('2026-01-02T03:04:05Z') });
    logger.debug('not written');
    logger.info('signed in', { badge: 'OP-1001', pin: '1234' });
    logger.error('label for 山田 花子 failed', { err: new Error('printer said no'), customer: { phone: '090-1111-2222' } });
    const got = lines(logger.file);
    expect(got).toHaveLength(2);
    expect(got[0]).toEqual({ t: '2026-01-02T03:04:05.000Z', level: 'info', msg: 'signed in', badge: 'OP-1001', pin: MASK.secret });
    expect(got[1]?.level).toBe('error');
    expect(JSON.stringify(got[1])).not.toMatch(/山田|花子|090-1111-2222/);
    expect((got[1]?.err as { message: string }).message).toBe('printer said no');
  });

  it('rotates by size and keeps at most maxFiles files, none over the limit', () => {
    const logger = createLogger({ dir, maxBytes: 4096, maxFiles: 3 });
    for (let i = 0; i < 400; i++) logger.info(`line ${i}`, { pad: 'x'.repeat(40) });
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['station.log', 'station.log.1', 'station.log.2']);
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(4096);
    // The newest lines are in the current file, older ones in .1, and the oldest were dropped.
    const current = lines(join(dir, 'station.log'));
    expect(current.at(-1)?.msg).toBe('line 399');
    const previous = lines(join(dir, 'station.log.1'));
    expect(Number(String(previous.at(-1)?.msg).split(' ')[1]) + 1).toBe(Number(String(current[0]?.msg).split(' ')[1]));
    expect(lines(join(dir, 'station.log.2'))[0]?.msg).not.toBe('line 0');
  });

  it('continues the current file after a restart and cuts a single oversized line', () => {
    createLogger({ dir, maxBytes: 2048 }).info('before restart');
    const again = createLogger({ dir, maxBytes: 2048 });
    again.info('x'.repeat(10_000));
    expect(statSync(again.file).size).toBeLessThanOrEqual(2048);
    const got = lines(again.file);
    expect(got.map((l) => l.msg === 'before restart' || l.truncated === true)).toEqual([true, true]);
  });

  it('the station hook writes errors with their masked cause', () => {
    const logger = createLogger({ dir });
    const hook = stationLogHook(logger);
    hook('call parcel.open failed', new Error('no RMA for 080-1234-5678'));
    hook('sync started');
    const got = lines(logger.file);
    expect(got.map((l) => l.level)).toEqual(['error', 'info']);
    expect(JSON.stringify(got[0])).not.toContain('080-1234-5678');
  });
});
