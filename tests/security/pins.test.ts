// PINs: slow salted hashes at rest, lock-out after repeated failures, and no PIN in the station's log.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../../contract/index.js';
import { startStation, type Station } from '../../app/station.js';
import { openDatabase } from '../../db/connection.js';
import { DEMO_OPERATORS } from '../../fixtures/demo-data/generate.js';

let dir: string;
let station: Station;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-pins-'));
  // No runtime.log: the station's default file logger under <dataDir>/logs is part of what is checked.
  station = await startStation({ stationId: 'SEC-01', dataDir: dir }, { operators: DEMO_OPERATORS });
});
afterAll(async () => {
  await station?.close();
  rmSync(dir, { recursive: true, force: true });
});

const code = (r: ApiResponse): string => (r.ok ? 'ok' : r.error.code);

describe('PINs', () => {
  it('are stored only as scrypt hashes with a salt of their own', () => {
    const db = openDatabase(join(dir, 'station.sqlite'), { readonly: true });
    try {
      const rows = db.prepare('SELECT badge, pin_hash FROM operators').all() as Array<{ badge: string; pin_hash: string }>;
      expect(rows.length).toBe(DEMO_OPERATORS.length);
      const salts = new Set<string>();
      for (const row of rows) {
        const [scheme, n, salt, key] = row.pin_hash.split('$');
        expect(scheme).toBe('scrypt');
        expect(Number(n)).toBeGreaterThanOrEqual(2 ** 15);
        expect(Buffer.from(salt ?? '', 'base64').length).toBeGreaterThanOrEqual(16);
        expect(Buffer.from(key ?? '', 'base64').length).toBeGreaterThanOrEqual(32);
        salts.add(salt ?? '');
        const pin = DEMO_OPERATORS.find((o) => o.badge === row.badge)?.pin ?? '';
        expect(row.pin_hash).not.toContain(pin);
      }
      expect(salts.size).toBe(rows.length);
    } finally {
      db.close();
    }
  });

  it('five wrong PINs lock the badge, even against the right PIN, and other badges stay usable', async () => {
    for (let i = 0; i < 5; i++) expect(code(await station.handle('s1', 'session.signIn', { badge: 'OP-1002', pin: '0000' }))).toBe('UNAUTHENTICATED');
    expect(code(await station.handle('s1', 'session.signIn', { badge: 'OP-1002', pin: '4321' }))).toBe('LOCKED');
    expect(code(await station.handle('s1', 'parcel.open', { code: 'RMA-00000001' }))).toBe('UNAUTHENTICATED');
    expect(code(await station.handle('s2', 'session.signIn', { badge: 'OP-1001', pin: '1234' }))).toBe('ok');
  });

  it('an unknown badge and a wrong PIN get the same answer (no badge enumeration)', async () => {
    const unknown = await station.handle('s3', 'session.signIn', { badge: 'OP-0000', pin: '1234' });
    const wrong = await station.handle('s3', 'session.signIn', { badge: 'OP-3001', pin: '9999' });
    expect(unknown).toEqual(wrong);
  });

  it('the station writes its log masked, as private JSON lines under <dataDir>/logs (default logger)', async () => {
    // A listener that throws is logged by the station with the error: its message carries a PIN, a phone and a name.
    const unsubscribe = station.subscribe(() => {
      throw new Error('listener broke: pin=2345 customer 山田 花子 090-1234-5678');
    });
    try {
      await station.handle('s4', 'sync.flush', {});
      await station.syncNow();
    } finally {
      unsubscribe();
    }
    const file = join(dir, 'logs', 'station.log');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const broke = lines.filter((l) => l.includes('listener for'));
    expect(broke.length).toBeGreaterThan(0);
    for (const l of broke) {
      expect(() => JSON.parse(l)).not.toThrow();
      expect(l).not.toMatch(/2345|山田|花子|090-1234-5678/);
    }
    expect(statSync(file).mode & 0o077).toBe(0);
  });
});

describe('PIN lock-out under concurrent guesses', () => {
  // The lock was checked before the asynchronous scrypt step and failures recorded after it, so guesses sent
  // together all passed the check: 40 wrong + the right one gave a sign-in (and reset the count).
  it('40 wrong PINs and the right one sent at once: locked, and no sign-in', async () => {
    const wrong = Array.from({ length: 40 }, (_, i) => station.handle(`c40-${i}`, 'session.signIn', { badge: 'OP-2001', pin: String(5000 + i) }));
    const right = station.handle('c40-right', 'session.signIn', { badge: 'OP-2001', pin: '2345' });
    const results = await Promise.all([...wrong, right]);
    expect(results.filter((r) => r.ok)).toEqual([]);
    expect(code(results.at(-1) as ApiResponse)).toBe('LOCKED');
    expect(results.filter((r) => code(r) === 'UNAUTHENTICATED').length).toBeLessThanOrEqual(5);
    expect(await station.handle('c40-right', 'session.current', {})).toEqual({ ok: true, value: null });
    expect(code(await station.handle('c40-later', 'session.signIn', { badge: 'OP-2001', pin: '2345' }))).toBe('LOCKED');
  }, 60_000);

  it('200 wrong PINs at once lock the badge', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => station.handle(`c200-${i}`, 'session.signIn', { badge: 'OP-3001', pin: String(100000 + i) })));
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(results.filter((r) => code(r) === 'LOCKED').length).toBeGreaterThanOrEqual(195);
    expect(code(await station.handle('c200-right', 'session.signIn', { badge: 'OP-3001', pin: '3456' }))).toBe('LOCKED');
    const db = openDatabase(join(dir, 'station.sqlite'), { readonly: true });
    try {
      const row = db.prepare('SELECT failed_pins, locked_until FROM operators WHERE badge = ?').get('OP-3001') as { failed_pins: number; locked_until: string | null };
      expect(row.locked_until).not.toBeNull();
      expect(row.failed_pins).toBeGreaterThanOrEqual(5);
    } finally {
      db.close();
    }
  }, 60_000);
});
