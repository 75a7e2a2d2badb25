import { describe, expect, it } from 'vitest';
import { MatchTokens } from './matchTokens.js';

const holder = { sessionKey: 's1', operatorId: 'op-1' };
const binding = { ...holder, parcelId: 'p-1', lineId: 'L1' };

describe('match tokens', () => {
  it('are random, opaque and hold the identity only on the server side', () => {
    const tokens = new MatchTokens();
    const a = tokens.issue(binding, { serial: 'SN1' });
    const b = tokens.issue(binding, { serial: 'SN1' });
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('SN1');
    expect(tokens.identityFor(a, binding)).toEqual({ serial: 'SN1' });
  });

  it('refuse a changed binding, a spent token and an expired one', () => {
    let now = new Date('2026-11-10T01:00:00.000Z');
    const tokens = new MatchTokens({ now: () => now, ttlMinutes: 30 });
    const t = tokens.issue(binding, { lot: 'LOT1' });
    for (const other of [{ lineId: 'L2' }, { parcelId: 'p-2' }, { sessionKey: 's2' }, { operatorId: 'op-2' }]) {
      expect(() => tokens.identityFor(t, { ...binding, ...other })).toThrow(expect.objectContaining({ messageKey: 'error.matchMismatch' }));
    }
    tokens.consume(t);
    expect(() => tokens.identityFor(t, binding)).toThrow(expect.objectContaining({ messageKey: 'error.matchExpired' }));
    const late = tokens.issue(binding, {});
    now = new Date('2026-11-10T01:30:00.000Z');
    expect(() => tokens.identityFor(late, binding)).toThrow(expect.objectContaining({ messageKey: 'error.matchExpired' }));
  });

  it('stay bounded when a client scans without grading', () => {
    const tokens = new MatchTokens({ maxEntries: 3 });
    const first = tokens.issue(binding, {});
    for (let i = 0; i < 5; i++) tokens.issue(binding, {});
    expect(tokens.size).toBe(3);
    expect(() => tokens.identityFor(first, binding)).toThrow(expect.objectContaining({ messageKey: 'error.matchExpired' }));
  });

  it('expired ones leave memory at the next scan, live ones stay', () => {
    let now = new Date('2026-11-10T01:00:00.000Z');
    const tokens = new MatchTokens({ now: () => now, ttlMinutes: 30 });
    for (let i = 0; i < 3; i++) tokens.issue(binding, {});
    now = new Date('2026-11-10T01:20:00.000Z');
    const live = tokens.issue(binding, { serial: 'SN2' });
    now = new Date('2026-11-10T01:31:00.000Z');
    tokens.issue(binding, {});
    expect(tokens.size).toBe(2);
    expect(tokens.identityFor(live, binding)).toEqual({ serial: 'SN2' });
  });

  it('go when their parcel closes', () => {
    const tokens = new MatchTokens();
    const t = tokens.issue(binding, {});
    const other = tokens.issue({ ...binding, parcelId: 'p-2' }, {});
    tokens.dropParcel('p-1');
    expect(() => tokens.identityFor(t, binding)).toThrow(expect.objectContaining({ messageKey: 'error.matchExpired' }));
    expect(tokens.identityFor(other, { ...binding, parcelId: 'p-2' })).toEqual({});
  });
});
