import { BLOB_LIMITS, WmsEvent, type EventAck } from '../contract/index.js';
import { inTransaction, type Pool, type PoolClient } from './db.js';
import { photosOf } from './ingest.js';
import { readBlob } from './blobs.js';
import { UpstreamError, type WmsUpstream } from './wmsUpstream.js';

export interface RelayOptions {
  pool: Pool;
  siteId: string;
  wms: WmsUpstream;
  /** Events per WMS batch (the contract allows up to 1000). */
  batchSize?: number;
  /** Outbox rows looked at per cycle, shared among the benches' batches. */
  windowSize?: number;
  /** WMS batches in flight at once (each bench's events go in batches of their own). */
  concurrency?: number;
  /** Time between cycles when idle. */
  intervalMs?: number;
  /** Out-of-order answers for one event before it becomes a dead letter. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  log?: (line: string) => void;
}

export interface RelayStats {
  delivered: number;
  dead: number;
  batches: number;
  lastError: string | null;
  backoffUntil: number;
}

export interface Relay {
  start(): void;
  /** Finishes the cycle under way (a batch is never left half recorded) and stops. */
  stop(): Promise<void>;
  /** Runs cycles until nothing is deliverable now; resolves with what it did. */
  drain(): Promise<void>;
  /** Events were accepted: relay soon, unless the WMS asked the hub to wait. */
  notify(): void;
  stats(): RelayStats;
}

interface Row {
  id: string;
  idempotency_key: string;
  station_id: string;
  aggregate_type: string;
  aggregate_id: string;
  sequence: number;
  previous_sequence: number | null;
  type: string;
  payload: unknown;
  occurred_at: string;
  attempts: number;
}

/**
 * What may go now: due, and with no earlier event of its aggregate dead or waiting for its backoff (nothing
 * may overtake those), so dead letters and backoffs never crowd out the window; in acceptance order.
 * A row waiting for its backoff has failed before (a new row is due at once), and `attempts > 0` says so to
 * the planner: only rows that failed are in the index that answers this (relay_outbox_blocking, migration 0011).
 */
export const RELAY_SELECT = `SELECT o.id, o.idempotency_key, o.station_id, o.aggregate_type, o.aggregate_id, o.attempts,
       e.sequence, e.previous_sequence, e.type, e.payload, e.occurred_at
FROM relay_outbox o JOIN events e ON e.site_id = o.site_id AND e.idempotency_key = o.idempotency_key
WHERE o.site_id = $1 AND o.state = 'pending' AND o.next_attempt_at <= now()
  AND NOT EXISTS (
    SELECT 1 FROM relay_outbox b
    WHERE b.site_id = o.site_id AND b.aggregate_type = o.aggregate_type AND b.aggregate_id = o.aggregate_id AND b.id < o.id
      AND (b.state = 'dead' OR (b.state = 'pending' AND b.attempts > 0 AND b.next_attempt_at > now())))
ORDER BY o.id LIMIT $2`;

/**
 * RELAY_SELECT must walk the open rows in id order and stop at the window. Statistics taken while the outbox
 * was all delivered (the usual state) make PostgreSQL expect a few open rows, so after a WMS outage it read and
 * sorted the whole backlog every cycle instead (10 s a cycle at 200,000 waiting: the relay slowed most when it
 * had the most to catch up). For this one transaction, a sort or a bitmap scan is no option.
 */
export const RELAY_QUEUE_PLAN = 'SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off';

const fullJitter = (attempt: number, base: number, cap: number): number => Math.floor(Math.random() * Math.min(cap, base * 2 ** Math.max(0, attempt)));

/**
 * Relays accepted events from the hub's PostgreSQL outbox to the WMS. Each event keeps the bench's
 * idempotency key and station id, so the WMS applies it once whatever the hub retries. Each aggregate's
 * events go in acceptance order: an aggregate with an earlier event not yet delivered (waiting for its
 * backoff, or a dead letter) sends nothing more, and one aggregate rides in one batch per cycle.
 * A WMS outage backs the whole relay off (honouring Retry-After) and never counts toward dead letters;
 * only the WMS's per-event refusals do. A session advisory lock lets one hub of a site relay at a time.
 */
export function createRelay(options: RelayOptions): Relay {
  const { pool, siteId, wms } = options;
  const batchSize = options.batchSize ?? 200;
  const windowSize = Math.max(batchSize, options.windowSize ?? batchSize * 10);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const intervalMs = options.intervalMs ?? 1000;
  const maxAttempts = options.maxAttempts ?? 8;
  const baseMs = options.backoffBaseMs ?? 500;
  const capMs = options.backoffCapMs ?? 60_000;
  const log = options.log ?? (() => undefined);
  const stats: RelayStats = { delivered: 0, dead: 0, batches: 0, lastError: null, backoffUntil: 0 };
  let failures = 0;
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  let again = false;

  async function select(): Promise<Map<string, Row[]>> {
    const r = await inTransaction(pool, async (c) => {
      await c.query(RELAY_QUEUE_PLAN);
      return c.query<Row>(RELAY_SELECT, [siteId, windowSize]);
    });
    const blocked = new Set<string>();
    const stationOf = new Map<string, string>();
    const byStation = new Map<string, Row[]>();
    for (const row of r.rows) {
      const agg = `${row.aggregate_type}\u0000${row.aggregate_id}`;
      if (blocked.has(agg)) continue;
      // Claimed by another bench's batch this cycle: it waits for the next, so batches (sent side by side)
      // cannot reorder it. Nor may a later event of an aggregate go when an earlier one did not fit.
      const otherStation = stationOf.has(agg) && stationOf.get(agg) !== row.station_id;
      const list = byStation.get(row.station_id) ?? [];
      if (otherStation || list.length >= batchSize) {
        blocked.add(agg);
        continue;
      }
      stationOf.set(agg, row.station_id);
      list.push(row);
      byStation.set(row.station_id, list);
    }
    return byStation;
  }

  async function ensureBlobs(event: WmsEvent): Promise<void> {
    for (const sha256 of photosOf(event)) {
      const there = await wms.headBlob(sha256);
      if (there?.complete) continue;
      const data = await readBlob(pool, siteId, sha256);
      if (!data) throw new UpstreamError(`photo ${sha256.slice(0, 12)}… is not held by the hub`, false, 422);
      let offset = there && there.length === data.length ? there.offset : 0;
      for (let restarts = 0; offset < data.length; ) {
        const chunk = data.subarray(offset, Math.min(offset + BLOB_LIMITS.maxChunkBytes, data.length));
        try {
          const st = await wms.putBlobChunk(sha256, offset, data.length, chunk);
          offset = st.complete ? data.length : st.offset;
        } catch (err) {
          // The WMS moved the offset (an answer lost) or dropped a damaged copy: ask and go on from there.
          if (err instanceof UpstreamError && (err.status === 409 || err.status === 400) && restarts++ < 3) {
            const now = await wms.headBlob(sha256);
            offset = now?.complete ? data.length : now && now.length === data.length ? now.offset : 0;
            continue;
          }
          throw err;
        }
      }
    }
  }

  async function record(rows: Row[], acks: EventAck[] | { refusedWhole: string }): Promise<void> {
    const byKey = Array.isArray(acks) ? new Map(acks.map((a) => [a.idempotencyKey.toLowerCase(), a])) : null;
    await inTransaction(pool, async (c) => {
      const delivered: string[] = [];
      for (const row of rows) {
        const ack = byKey ? byKey.get(row.idempotency_key.toLowerCase()) : undefined;
        if (ack && (ack.status === 'applied' || ack.status === 'duplicate')) {
          delivered.push(row.id);
        } else if (!byKey || ack?.status === 'rejected') {
          const why = byKey ? `rejected by the WMS: ${ack?.error ?? 'no reason given'}` : (acks as { refusedWhole: string }).refusedWhole;
          await c.query("UPDATE relay_outbox SET state = 'dead', last_error = $3 WHERE site_id = $1 AND id = $2", [siteId, row.id, why]);
          stats.dead++;
          log(`relay: dead letter ${row.idempotency_key} (${row.aggregate_type} ${row.aggregate_id} #${row.sequence}): ${why}`);
        } else {
          const why = ack ? `the WMS wants an earlier event first (${ack.error ?? 'out of order'})` : 'the WMS did not acknowledge this event';
          const attempts = row.attempts + 1;
          const dead = attempts >= maxAttempts;
          await c.query(
            `UPDATE relay_outbox SET attempts = $3, last_error = $4, state = CASE WHEN $5 THEN 'dead' ELSE state END,
                    next_attempt_at = now() + make_interval(secs => $6::double precision / 1000)
             WHERE site_id = $1 AND id = $2`,
            [siteId, row.id, attempts, dead ? `${why}; gave up after ${attempts} attempts` : why, dead, fullJitter(attempts, baseMs, capMs)],
          );
          if (dead) stats.dead++;
        }
      }
      if (delivered.length > 0) {
        await c.query("UPDATE relay_outbox SET state = 'delivered', delivered_at = now(), last_error = NULL WHERE site_id = $1 AND id = ANY($2::bigint[])", [siteId, delivered]);
        stats.delivered += delivered.length;
      }
    });
  }

  const toWire = (row: Row): WmsEvent | null => {
    const r = WmsEvent.safeParse({
      idempotencyKey: row.idempotency_key,
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      sequence: row.sequence,
      ...(row.previous_sequence !== null ? { previousSequence: row.previous_sequence } : {}),
      occurredAt: row.occurred_at,
      type: row.type,
      payload: row.payload,
    });
    return r.success ? r.data : null;
  };

  async function send(stationId: string, rows: Row[]): Promise<void> {
    const events: WmsEvent[] = [];
    const sent: Row[] = [];
    for (const row of rows) {
      const e = toWire(row);
      if (!e) {
        await record([row], { refusedWhole: 'the stored event no longer matches the WMS contract' });
        break;
      }
      try {
        await ensureBlobs(e);
      } catch (err) {
        if (err instanceof UpstreamError && !err.retryable) {
          await record([row], { refusedWhole: `photo upload refused: ${err.message}` });
          break;
        }
        if (events.length > 0) break;
        throw err;
      }
      events.push(e);
      sent.push(row);
    }
    if (events.length === 0) return;
    stats.batches++;
    try {
      const { results } = await wms.postEvents({ stationId, events });
      await record(sent, results);
    } catch (err) {
      if (err instanceof UpstreamError && !err.retryable && err.status !== undefined) {
        // Refused as a whole (4xx): one by one, so only the bad event dies.
        if (sent.length > 1) {
          for (const row of sent) await send(stationId, [row]);
          return;
        }
        await record(sent, { refusedWhole: `refused by the WMS: ${err.message}` });
        return;
      }
      throw err;
    }
  }

  async function cycle(): Promise<boolean> {
    const byStation = await select();
    if (byStation.size === 0) return false;
    // The benches' batches share no aggregate (select), so they may go side by side. Every batch under way
    // is finished and recorded before a failure is passed on, so none is left half recorded.
    const queue = [...byStation];
    let failure: { err: unknown } | null = null;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let next = queue.shift(); next && !failure; next = queue.shift()) {
          try {
            await send(next[0], next[1]);
          } catch (err) {
            failure ??= { err };
          }
        }
      }),
    );
    if (failure) throw (failure as { err: unknown }).err;
    return true;
  }

  async function runCycles(): Promise<void> {
    // Connecting is inside the try: a PostgreSQL that is restarting refuses connections, and a rejection
    // here would escape the timer and stop the hub's process (chaos:site found it).
    let lock: PoolClient | null = null;
    let broken = false;
    try {
      lock = await pool.connect();
      const got = await lock.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtextextended('rs_hub.relay:' || $1, 0)) AS ok", [siteId]);
      if (!got.rows[0]?.ok) return;
      try {
        for (let i = 0; i < 1000 && (await cycle()); i++) {
          failures = 0;
          stats.lastError = null;
        }
      } finally {
        await lock.query("SELECT pg_advisory_unlock(hashtextextended('rs_hub.relay:' || $1, 0))", [siteId]);
      }
    } catch (err) {
      // Anything but the WMS failing may mean the database connection (and its lock) is gone.
      broken = !(err instanceof UpstreamError);
      failures++;
      stats.lastError = err instanceof Error ? err.message : String(err);
      const retryAfter = err instanceof UpstreamError ? (err.retryAfterMs ?? 0) : 0;
      stats.backoffUntil = Date.now() + Math.max(fullJitter(failures, baseMs, capMs), retryAfter);
      log(`relay: ${stats.lastError}; next try in ${Math.round((stats.backoffUntil - Date.now()) / 1000)} s`);
    } finally {
      lock?.release(broken);
    }
  }

  function kick(): Promise<void> {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        again = false;
        await runCycles();
      } while (again && Date.now() >= stats.backoffUntil);
    })().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => {
      timer = null;
      const wait = Date.now() < stats.backoffUntil;
      void (wait ? Promise.resolve() : kick()).then(schedule);
    }, intervalMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      void kick().then(schedule);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await inFlight;
    },
    async drain() {
      if (inFlight) await inFlight;
      stats.backoffUntil = 0;
      await kick();
    },
    notify() {
      if (!running || Date.now() < stats.backoffUntil) return;
      void kick();
    },
    stats: () => ({ ...stats }),
  };
}
