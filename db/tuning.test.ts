import { describe, expect, it } from 'vitest';
import { openDatabase } from './connection.js';
import { SORT_RUN_CACHE_KIB, sortInSmallRuns, tuneForBulkLoad } from './tuning.js';

describe('sortInSmallRuns', () => {
  it("shrinks the page cache for a sort and puts the connection's own size back", () => {
    const db = openDatabase(':memory:');
    db.pragma('cache_size = -131072');
    const during = sortInSmallRuns(db, () => db.pragma('cache_size', { simple: true }));
    expect(during).toBe(-SORT_RUN_CACHE_KIB);
    expect(db.pragma('cache_size', { simple: true })).toBe(-131072);
    // A connection closed meanwhile (a stopped worker) is left alone.
    expect(() => sortInSmallRuns(db, () => db.close())).not.toThrow();
  });
});

describe('tuneForBulkLoad', () => {
  it("waits for the write lock far longer than a station's connection (a loader waits for its turn in a worker)", () => {
    const db = openDatabase(':memory:');
    const station = db.pragma('busy_timeout', { simple: true }) as number;
    tuneForBulkLoad(db);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(120_000);
    expect(station).toBeLessThan(120_000);
    db.close();
  });
});
