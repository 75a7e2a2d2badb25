import { afterEach, describe, expect, it, vi } from 'vitest';
import { Listeners } from './listeners.js';
import { TagDeduper, collectParcel, dedupeReads, makeTagRead, normalizeEpcHex, type TagRead } from './tagReads.js';

const read = (epcHex: string, at = 0, extra: Partial<TagRead> = {}): TagRead => ({ epcHex, at, source: 'test', ...extra });

describe('makeTagRead / normalizeEpcHex', () => {
  it('normalises case and separators and validates through the contract schema', () => {
    expect(makeTagRead({ epcHex: '3034-b708 ac39', at: 5, source: 'x', antenna: 2, rssi: -50 })).toEqual({
      ok: true,
      read: { epcHex: '3034B708AC39', at: 5, source: 'x', antenna: 2, rssi: -50 },
    });
  });

  it('rejects EPCs that are not whole words of hex', () => {
    expect(normalizeEpcHex('abc').ok).toBe(false);
    expect(normalizeEpcHex('zzzz').ok).toBe(false);
    expect(normalizeEpcHex('A'.repeat(128)).ok).toBe(false);
    const r = makeTagRead({ epcHex: '', at: 0, source: 'x' });
    expect(!r.ok && r.error.reason).toBe('bad_epc');
  });

  it('rejects an empty source', () => {
    const r = makeTagRead({ epcHex: 'AAAA', at: 0, source: '' });
    expect(r.ok).toBe(false);
  });
});

describe('TagDeduper', () => {
  it('passes the first read, drops repeats inside the window, passes again after it', () => {
    let t = 0;
    const d = new TagDeduper({ windowMs: 1000, now: () => t });
    expect(d.accept(read('AAAA'))).toBe(true);
    t = 500;
    expect(d.accept(read('AAAA'))).toBe(false);
    expect(d.accept(read('BBBB'))).toBe(true);
    t = 1400; // 900 ms after the last sighting: still the same tag sitting in the field
    expect(d.accept(read('AAAA'))).toBe(false);
    t = 2500; // gone for 1100 ms, then back
    expect(d.accept(read('AAAA'))).toBe(true);
  });

  it('forgets the oldest EPCs instead of growing under a flood of distinct tags', () => {
    let t = 0;
    const d = new TagDeduper({ windowMs: 1_000_000, maxEntries: 100, now: () => t });
    for (let i = 0; i < 10_000; i++) {
      t = i;
      d.accept(read(i.toString(16).padStart(8, '0').toUpperCase()));
    }
    expect(d.size).toBeLessThanOrEqual(100);
  });

  it('wraps a reader so listeners only hear new tags', () => {
    const src = new Listeners<TagRead>();
    const seen: string[] = [];
    const t = 0;
    const deduped = dedupeReads({ onRead: (l) => src.add(l) }, { windowMs: 1000, now: () => t });
    deduped.onRead((r) => seen.push(r.epcHex));
    for (const e of ['AAAA', 'AAAA', 'BBBB', 'AAAA', 'BBBB']) src.emit(read(e));
    expect(seen).toEqual(['AAAA', 'BBBB']);
    deduped.close();
    src.emit(read('CCCC'));
    expect(seen).toEqual(['AAAA', 'BBBB']);
  });
});

describe('collectParcel', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('collects the distinct tags read during the window with counts, antennas and best RSSI', async () => {
    vi.useFakeTimers();
    const src = new Listeners<TagRead>();
    const p = collectParcel({ onRead: (l) => src.add(l) }, { durationMs: 1500 });
    src.emit(read('AAAA', 10, { antenna: 1, rssi: -60 }));
    src.emit(read('BBBB', 20, { antenna: 2 }));
    src.emit(read('AAAA', 30, { antenna: 2, rssi: -48 }));
    await vi.advanceTimersByTimeAsync(1500);
    src.emit(read('CCCC', 40)); // after the window: not part of this parcel
    const parcel = await p;
    expect(parcel.totalReads).toBe(3);
    expect(parcel.tags).toEqual([
      { epcHex: 'AAAA', reads: 2, antennas: [1, 2], bestRssi: -48, firstAt: 10, lastAt: 30 },
      { epcHex: 'BBBB', reads: 1, antennas: [2], firstAt: 20, lastAt: 20 },
    ]);
    expect(src.size).toBe(0);
  });

  it('stops early on abort and caps the number of distinct tags', async () => {
    const src = new Listeners<TagRead>();
    const ac = new AbortController();
    const p = collectParcel({ onRead: (l) => src.add(l) }, { durationMs: 60_000, maxTags: 2, signal: ac.signal });
    for (const e of ['AAAA', 'BBBB', 'CCCC']) src.emit(read(e));
    ac.abort();
    const parcel = await p;
    expect(parcel.tags.map((t) => t.epcHex)).toEqual(['AAAA', 'BBBB']);
    expect(parcel.truncated).toBe(true);
  });
});
