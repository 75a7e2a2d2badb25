// The WMS token reaches the station from the environment (RS_WMS_TOKEN) and stays in memory:
// it is never written to the data folder (database, logs) and never echoed in an error.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startStation } from '../../app/station.js';
import { readLaunchEnv } from '../../app/env.js';

const SECRET = 'wms-secret-token-7Qx9Zr2LmN';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('secrets', () => {
  it('the WMS token is not written to the database, its WAL or the logs, even when the WMS is unreachable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-secrets-'));
    dirs.push(dir);
    const station = await startStation({ stationId: 'SEC-02', dataDir: dir, wms: { url: 'http://127.0.0.1:1', token: SECRET } });
    try {
      await station.syncNow().catch(() => undefined);
      await station.handle('s', 'sync.flush', {});
    } finally {
      await station.close();
    }
    const files = filesUnder(dir);
    expect(files.some((f) => f.endsWith('station.sqlite'))).toBe(true);
    for (const f of files) expect(readFileSync(f).includes(Buffer.from(SECRET)), f).toBe(false);
  });

  it('start-up errors about the settings never repeat the token', () => {
    for (const env of [
      { RS_WMS_URL: 'not a url', RS_WMS_TOKEN: SECRET },
      { RS_WMS_TOKEN: SECRET, RS_PRINTER: 'lpt1' },
      { RS_WMS_URL: 'http://127.0.0.1:9', RS_WMS_TOKEN: 'x9k' },
    ]) {
      expect(() => readLaunchEnv(env)).toThrow();
      try {
        readLaunchEnv(env);
      } catch (err) {
        expect(String(err)).not.toContain(SECRET);
        expect(String(err)).not.toContain('x9k');
      }
    }
  });
});
