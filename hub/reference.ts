import { ManifestPage, ProductPage, RmaPage, WMS_PATHS, type PullCursor, type PullQuery } from '../contract/index.js';
import { inTransaction, type Pool } from './db.js';
import { UpstreamError, type WmsUpstream } from './wmsUpstream.js';
import { runAfterCurrent } from '../shared-node/runAfterCurrent.js';

/** Manifests come after RMAs, as at the bench, so a manifest's RMAs are at the site first. */
export const RESOURCES = ['products', 'rmas', 'manifests'] as const;
export type Resource = (typeof RESOURCES)[number];

export interface ReferencePuller {
  start(): void;
  stop(): Promise<void>;
  /** Pulls everything new from the WMS now; resolves with the rows stored per resource. */
  pullNow(): Promise<Record<Resource, number>>;
  lastError(): string | null;
}

interface PulledRow {
  id: string;
  u: string;
  b: unknown;
}

/** One WMS page of a resource, checked against the contract, as (id, updatedAt, body) in the WMS's cursor order. */
async function fetchPage(wms: WmsUpstream, resource: Resource, pathAndQuery: string): Promise<{ rows: PulledRow[]; last: boolean }> {
  switch (resource) {
    case 'products': {
      const page = await wms.get(ProductPage, `${WMS_PATHS.products}?${pathAndQuery}`);
      return { rows: page.items.map((x) => ({ id: x.sku, u: x.updatedAt, b: x })), last: page.next === null };
    }
    case 'rmas': {
      const page = await wms.get(RmaPage, `${WMS_PATHS.rmas}?${pathAndQuery}`);
      return { rows: page.items.map((x) => ({ id: x.rmaNumber, u: x.updatedAt, b: x })), last: page.next === null };
    }
    case 'manifests': {
      try {
        const page = await wms.get(ManifestPage, `${WMS_PATHS.manifests}?${pathAndQuery}`);
        return { rows: page.items.map((x) => ({ id: x.toteId, u: x.updatedAt, b: x })), last: page.next === null };
      } catch (err) {
        // A WMS from before totes does not serve manifests: it has none, as the bench's own client reads it.
        if (err instanceof UpstreamError && err.status === 404) return { rows: [], last: true };
        throw err;
      }
    }
  }
}

/**
 * Keeps the site's copy of RMAs, products and inbound manifests: pulls from the WMS by cursor, so the WMS serves each row
 * once per site instead of once per bench. A page and the cursor after it commit together.
 */
export function createReferencePuller(options: {
  pool: Pool;
  siteId: string;
  wms: WmsUpstream;
  intervalMs?: number;
  pageSize?: number;
  log?: (line: string) => void;
  /** After each round that stored rows (the prepared snapshot file is rebuilt then). */
  onPulled?: (stored: Record<Resource, number>) => void;
}): ReferencePuller {
  const { pool, siteId, wms } = options;
  const pageSize = options.pageSize ?? 1000;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let lastError: string | null = null;

  async function pullResource(resource: Resource): Promise<number> {
    const cur = await pool.query<{ updated_since: string; after_id: string }>('SELECT updated_since, after_id FROM reference_cursors WHERE site_id = $1 AND resource = $2', [siteId, resource]);
    let cursor: PullCursor | null = cur.rows[0] ? { updatedSince: cur.rows[0].updated_since, afterId: cur.rows[0].after_id } : null;
    let stored = 0;
    for (;;) {
      const q = new URLSearchParams({ limit: String(pageSize) });
      if (cursor) {
        q.set('updated_since', cursor.updatedSince);
        q.set('after_id', cursor.afterId);
      }
      const page = await fetchPage(wms, resource, q.toString());
      const rows = page.rows;
      const last = rows.at(-1);
      if (!last) break;
      const next = { updatedSince: last.u, afterId: last.id };
      // A WMS that hands back the same rows again would loop forever.
      if (cursor && (next.updatedSince < cursor.updatedSince || (next.updatedSince === cursor.updatedSince && next.afterId <= cursor.afterId))) break;
      await inTransaction(pool, async (c) => {
        await c.query(
          `INSERT INTO reference_rows (site_id, resource, id, updated_at, body)
           SELECT $1, $2, x->>'id', x->>'u', x->'b' FROM jsonb_array_elements($3::jsonb) AS x
           ON CONFLICT (site_id, resource, id) DO UPDATE SET updated_at = excluded.updated_at, body = excluded.body`,
          [siteId, resource, JSON.stringify(rows)],
        );
        await c.query(
          `INSERT INTO reference_cursors (site_id, resource, updated_since, after_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (site_id, resource) DO UPDATE SET updated_since = excluded.updated_since, after_id = excluded.after_id, pulled_at = now()`,
          [siteId, resource, next.updatedSince, next.afterId],
        );
      });
      stored += rows.length;
      cursor = next;
      if (page.last) break;
    }
    return stored;
  }

  // The pull under way may have read the WMS before the caller's change: a call made meanwhile gets a pull
  // after it (shared-node/runAfterCurrent.ts). Handing back the running one lost a race in a test under load.
  const pulls = runAfterCurrent(async (): Promise<Record<Resource, number>> => {
    try {
      const stored: Record<Resource, number> = { products: 0, rmas: 0, manifests: 0 };
      for (const resource of RESOURCES) stored[resource] = await pullResource(resource);
      lastError = null;
      if (stored.products + stored.rmas + stored.manifests > 0) options.onPulled?.(stored);
      return stored;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  });
  const pullNow = (): Promise<Record<Resource, number>> => pulls.now();

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => {
      timer = null;
      pullNow()
        .catch((err: unknown) => options.log?.(`reference data: ${err instanceof Error ? err.message : String(err)}`))
        .finally(schedule);
    }, options.intervalMs ?? 30_000);
  }

  return {
    start() {
      if (running) return;
      running = true;
      void pullNow()
        .catch((err: unknown) => options.log?.(`reference data: ${err instanceof Error ? err.message : String(err)}`))
        .finally(schedule);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await pulls.running()?.catch(() => undefined);
    },
    pullNow,
    lastError: () => lastError,
  };
}

/**
 * One page of the site's copy, with the WMS's cursor rules: rows strictly after (updated_since, after_id). The row
 * comparison walks the cursor index as a range; the equivalent `updated_at > $3 OR (…)` could not, and every page
 * rescanned the site's rows from the start.
 */
export async function referencePage(pool: Pool, siteId: string, resource: Resource, q: PullQuery): Promise<{ items: unknown[]; next: PullCursor | null }> {
  const r =
    q.updated_since === undefined
      ? await pool.query<{ id: string; updated_at: string; body: unknown }>(
          'SELECT id, updated_at, body FROM reference_rows WHERE site_id = $1 AND resource = $2 ORDER BY updated_at, id LIMIT $3',
          [siteId, resource, q.limit],
        )
      : await pool.query<{ id: string; updated_at: string; body: unknown }>(
          `SELECT id, updated_at, body FROM reference_rows
           WHERE site_id = $1 AND resource = $2 AND (updated_at, id) > ($3, $4)
           ORDER BY updated_at, id LIMIT $5`,
          [siteId, resource, q.updated_since, q.after_id ?? '', q.limit],
        );
  const last = r.rows.at(-1);
  return { items: r.rows.map((x) => x.body), next: last && r.rows.length === q.limit ? { updatedSince: last.updated_at, afterId: last.id } : null };
}

/**
 * The site's copy of one resource as NDJSON lines (one row body a line, in cursor order), then a
 * SnapshotTrailer. It is read in one REPEATABLE READ transaction, so it is one consistent picture even
 * while the puller writes; its trailer's cursor is exactly where a cursor pull continues, so a bench that
 * loaded it asks the hub only for what changed since.
 */
export async function* referenceSnapshot(pool: Pool, siteId: string, resource: Resource, pageSize = 5000): AsyncGenerator<string> {
  const client = await pool.connect();
  let committed = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // One cursor walks the index once. Keyset pages with `updated_at > $3 OR (updated_at = $3 AND id > $4)` could
    // not use it as a range, so each page scanned the site's rows from the start (a 1M-RMA snapshot: minutes).
    await client.query(
      `DECLARE snapshot NO SCROLL CURSOR FOR
         SELECT id, updated_at, body::text AS body FROM reference_rows WHERE site_id = $1 AND resource = $2 ORDER BY updated_at, id`,
      [siteId, resource],
    );
    type Rows = { rows: { id: string; updated_at: string; body: string }[] };
    const fetchPage = (): Promise<Rows> => {
      const p: Promise<Rows> = client.query(`FETCH FORWARD ${Math.max(1, Math.floor(pageSize))} FROM snapshot`);
      // A bench that stops reading leaves one read ahead; it fails with the dropped connection, and nobody awaits it.
      p.catch(() => undefined);
      return p;
    };
    let cursor: PullCursor | null = null;
    let rows = 0;
    let pending: Promise<Rows> | null = fetchPage();
    while (pending) {
      const r: Rows = await pending;
      // The next page is read while this one goes out.
      pending = r.rows.length === pageSize ? fetchPage() : null;
      const last = r.rows.at(-1);
      if (!last) break;
      rows += r.rows.length;
      cursor = { updatedSince: last.updated_at, afterId: last.id };
      yield `${r.rows.map((x) => x.body).join('\n')}\n`;
    }
    await client.query('CLOSE snapshot');
    await client.query('COMMIT');
    committed = true;
    yield `${JSON.stringify({ end: true, rows, cursor })}\n`;
  } finally {
    // A stream that failed, or that the bench stopped reading half-way, leaves its transaction open:
    // that connection is dropped rather than handed to the next caller.
    client.release(!committed);
  }
}
