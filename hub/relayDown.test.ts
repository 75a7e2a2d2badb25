// The relay when PostgreSQL cannot be reached at all (a restart under the hub, as chaos:site does): a cycle
// records the failure and backs off; it must not reject out of the relay's timer, which stopped the hub's process.
import { describe, expect, it } from 'vitest';
import { createPool } from './db.js';
import { freePort } from './postgres.js';
import { createRelay } from './relay.js';
import { createWmsUpstream } from './wmsUpstream.js';

describe('relay with its database gone', () => {
  it('backs off and says why instead of throwing', async () => {
    const port = await freePort();
    const pool = createPool(`postgres://nobody:none@127.0.0.1:${port}/rs_hub`);
    const relay = createRelay({
      pool,
      siteId: 'SITE-DOWN',
      wms: createWmsUpstream({ baseUrl: 'http://127.0.0.1:1', token: 'unused' }),
      intervalMs: 60_000,
      backoffBaseMs: 10,
      backoffCapMs: 20,
    });
    try {
      await expect(relay.drain()).resolves.toBeUndefined();
      expect(relay.stats().lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(relay.stats().backoffUntil).toBeGreaterThan(0);
    } finally {
      await relay.stop();
      await pool.end();
    }
  });
});
