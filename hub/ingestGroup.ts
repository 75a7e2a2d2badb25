import type { WmsEvent } from '../contract/index.js';
import type { Pool } from './db.js';

/**
 * A batch the quick path takes for new (hub/ingest.ts): its bench and its events as a JSON array. Every event of
 * it applies, so each aggregate's events follow one another and its head is the highest sequence among them.
 */
export interface NewBatch {
  stationId: string;
  eventsJson: string;
  events: number;
  /** flagLocksOf its events. */
  locks: number;
}

/**
 * Statements of new batches under way at once. Batches that arrive meanwhile wait and then go together, so
 * under load many benches' batches share one statement and one commit (group commit): the triggers on events
 * run once per statement, and a commit's WAL flush serves them all. Two keep both cores busy.
 */
const IN_FLIGHT = 2;
/**
 * At most this many of the site flags' locks in one statement. Its trigger (0008) takes a transaction lock per
 * distinct RMA, serial and EPC of the statement's receipts and gradings, from PostgreSQL's shared lock table
 * (about 64 per connection): a group takes no more than the largest single batch may (1,000 gradings × 3).
 */
const GROUP_LOCKS = 3000;
/** And at most this many events (a statement's parameters and its rows in memory). */
const GROUP_EVENTS = 5000;

/** How many locks the site flags' trigger may take for these events (it takes one per distinct key; this counts each). */
export function flagLocksOf(events: readonly WmsEvent[]): number {
  let n = 0;
  for (const e of events) {
    if (e.type === 'parcel.received') n += e.payload.rmaNumber !== null ? 1 : 0;
    else if (e.type === 'item.graded') n += (e.payload.serial !== undefined ? 1 : 0) + (e.payload.epc !== undefined ? 1 : 0) + (e.payload.rmaNumber !== null ? 1 : 0);
  }
  return n;
}

interface Waiting {
  batch: NewBatch;
  done: (err: unknown) => void;
}

interface Group {
  waiting: Waiting[];
  inFlight: number;
}

const groups = new WeakMap<Pool, Map<string, Group>>();

/**
 * Writes the batch's heads, events and relay rows, together with other benches' new batches waiting at the same
 * moment, in one statement with no transaction around it (atomic, one commit). Resolves once that is committed;
 * rejects with the statement's error. A group that fails is written again batch by batch, so one batch's failure
 * (a head or key the hub already had) is that batch's alone.
 */
export function writeNewBatch(pool: Pool, siteId: string, batch: NewBatch): Promise<void> {
  let bySite = groups.get(pool);
  if (!bySite) groups.set(pool, (bySite = new Map()));
  let g = bySite.get(siteId);
  if (!g) bySite.set(siteId, (g = { waiting: [], inFlight: 0 }));
  const group = g;
  return new Promise((resolve, reject) => {
    group.waiting.push({ batch, done: (err) => (err === null ? resolve() : reject(err)) });
    pump(pool, siteId, group);
  });
}

function pump(pool: Pool, siteId: string, g: Group): void {
  while (g.inFlight < IN_FLIGHT && g.waiting.length > 0) {
    const taken: Waiting[] = [];
    let events = 0;
    let locks = 0;
    const fits = (b: NewBatch): boolean => events + b.events <= GROUP_EVENTS && locks + b.locks <= GROUP_LOCKS;
    while (g.waiting.length > 0 && (taken.length === 0 || fits(g.waiting[0]!.batch))) {
      const w = g.waiting.shift()!;
      events += w.batch.events;
      locks += w.batch.locks;
      taken.push(w);
    }
    g.inFlight++;
    void writeTaken(pool, siteId, taken).finally(() => {
      g.inFlight--;
      pump(pool, siteId, g);
    });
  }
}

async function writeTaken(pool: Pool, siteId: string, taken: Waiting[]): Promise<void> {
  try {
    await writeTogether(pool, siteId, taken.map((w) => w.batch));
    for (const w of taken) w.done(null);
  } catch (err) {
    if (taken.length === 1) {
      taken[0]!.done(err);
      return;
    }
    for (const w of taken) {
      await writeTogether(pool, siteId, [w.batch]).then(
        () => w.done(null),
        (e: unknown) => w.done(e),
      );
    }
  }
}

/**
 * Heads are inserted in one fixed order (type, id), so two statements creating the same aggregates wait for each
 * other instead of deadlocking; the second then fails on the head. They are counted per batch, so two batches of
 * one statement that both take an aggregate for new fail on it too. Events and relay rows go in batch order, then
 * each batch's order: the relay ids are the acceptance order the relay keeps.
 */
async function writeTogether(pool: Pool, siteId: string, batches: NewBatch[]): Promise<void> {
  await pool.query({
    name: 'hub.ingest.writeNew',
    text: `WITH r AS (
             SELECT ($3::text[])[b.bn] AS station, b.bn, x.*
             FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS b(batch, bn),
                  ROWS FROM (jsonb_to_recordset(b.batch) AS ("idempotencyKey" uuid, "aggregateType" text, "aggregateId" text, sequence int,
                             "previousSequence" int, type text, payload jsonb, "occurredAt" text)) WITH ORDINALITY AS x(k, t, i, s, p, y, d, o, n)),
           h AS (
             INSERT INTO aggregate_heads (site_id, aggregate_type, aggregate_id, last_sequence)
             SELECT $1, t, i, max(s) FROM r GROUP BY bn, t, i ORDER BY t, i),
           e AS (
             INSERT INTO events (site_id, idempotency_key, station_id, aggregate_type, aggregate_id, sequence, previous_sequence, type, payload, occurred_at)
             SELECT $1, k, station, t, i, s, p, y, d, o FROM r ORDER BY bn, n)
           INSERT INTO relay_outbox (site_id, idempotency_key, station_id, aggregate_type, aggregate_id)
           SELECT $1, k, station, t, i FROM r ORDER BY bn, n`,
    values: [siteId, `[${batches.map((b) => b.eventsJson).join(',')}]`, batches.map((b) => b.stationId)],
  });
}
