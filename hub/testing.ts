// Test support: one embedded PostgreSQL per test file, on a temp data dir and a free port on 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from './postgres.js';

export interface TestPostgres {
  url: string;
  dir: string;
  port: number;
  /** Stops PostgreSQL and starts it again on the same data and port (a database restart under the hub). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestPostgres(database = 'rs_hub_test'): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'rs-hub-pg-'));
  let cluster = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), database });
  return {
    url: cluster.url,
    dir,
    port: cluster.port,
    async restart() {
      await cluster.stop();
      cluster = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), database, port: cluster.port });
    },
    async stop() {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
