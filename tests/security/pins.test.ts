// PINs: slow salted hashes at rest, lock-out after repeated failures, and no PIN in the station's log.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../../core/contract/index.js';
import { startStation, type Station } from '../../core/station.js';
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
