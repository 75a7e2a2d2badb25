import { describe, expect, it } from 'vitest';
import { openDatabase } from './connection.js';
import { SORT_RUN_CACHE_KIB, sortInSmallRuns } from './tuning.js';

describe('sortInSmallRuns', () => {
  it("shrinks the page cache for a sort and puts the connection's own size back", () => {
    const db = openDatabase(':memory:');
    db.pragma('cache_size = -131072');
    const restore = sortInSmallRuns(db);
    expect(db.pragma('cache_size', { simple: true })).toBe(-SORT_RUN_CACHE_KIB);
    restore();
    expect(db.pragma('cache_size', { simple: true })).toBe(-131072);
    db.close();
    // A connection closed meanwhile (a stopped worker) is left alone.
    expect(() => restore()).not.toThrow();
  });
});
