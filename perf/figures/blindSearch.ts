// The blind-return search at warehouse scale: `parcel.search` through the station's dispatcher, by kind of query,
// and what indexing a whole station costs (a first pull or a snapshot queues every RMA), beside the search it
// replaced (every RMA read and normalised in JS) on the same database.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParcelSearchResult } from '../../contract/index.js';
import { createSearchIndexer } from '../../core/workflow/searchIndex.js';
import { openDatabase } from '../../db/connection.js';
import { nameMatchScore, normalizeForSearch, phoneMatchScore } from '../../domain/text/normalize.js';
import { startBenchStation } from '../lib/benchStation.js';
import { loopSampler, type LoopDelay } from '../lib/loopSampler.js';
import { measure, percentile, type Latency } from '../lib/stats.js';

export const SEARCH_KINDS = ['familyName', 'fullNameKana', 'kanaStart', 'phoneLast4', 'phoneWhole', 'orderNumber'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface BlindSearchFigures {
  byKind: Record<SearchKind, Latency>;
  /**
   * Indexing every RMA of the station from an empty index, in the background slices a station runs; `stationWrite`
   * is a one-row commit on the station's connection every 20 ms meanwhile (what an operator's call would add).
   */
  indexing: { rmas: number; seconds: number; cpuSeconds: number; loop: LoopDelay; stationWrite: { p50Ms: number; p99Ms: number; maxMs: number } };
  /** The search before the index (every RMA read and scored in JS), a few queries: ms each. */
  before: { query: string; ms: number; matches: number }[];
}

interface Sample {
  customerName: string;
  customerKana: string;
  customerPhone: string;
  orderNumber: string;
}

const queryOf = (kind: SearchKind, s: Sample): string => {
  const [family = ''] = s.customerName.split(/\s+/);
  switch (kind) {
    case 'familyName':
      // A one-character family name (林) is below the search's two; the whole name then.
      return family.length >= 2 ? family : s.customerName;
    case 'fullNameKana':
      return s.customerKana;
    case 'kanaStart':
      return s.customerKana.slice(0, 2);
    case 'phoneLast4':
      return s.customerPhone.replace(/\D/g, '').slice(-4);
    case 'phoneWhole':
      return s.customerPhone;
    case 'orderNumber':
      return s.orderNumber;
  }
};

/** The search as it was: every RMA read and scored (kept here only to compare). */
function searchBefore(dbFile: string, q: string): { ms: number; matches: number } {
  const db = openDatabase(dbFile, { readonly: true });
  try {
    const t0 = performance.now();
    const text = normalizeForSearch(q);
    let found = 0;
    const rows = db.prepare('SELECT customer_name AS n, customer_kana AS k, customer_phone AS p FROM rmas ORDER BY created_at DESC').iterate() as Iterable<{ n: string; k: string; p: string }>;
    for (const r of rows) {
      if (phoneMatchScore(r.p, q) > 0) found++;
      if (text.length >= 1 && (nameMatchScore(r.n, q) > 0 || nameMatchScore(r.k, q) > 0)) found++;
    }
    return { ms: performance.now() - t0, matches: found };
  } finally {
    db.close();
  }
}

const spreadOf = (ms: readonly number[]): { p50Ms: number; p99Ms: number; maxMs: number } => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) ?? Number.NaN };
};

export async function blindSearchFigures(options: { dbFile: string; iterations: number; runs: number; beforeQueries: number; log: (m: string) => void }): Promise<BlindSearchFigures> {
  const { dbFile, log } = options;
  const probe = openDatabase(dbFile, { readonly: true });
  const samples = probe
    .prepare('SELECT customer_name AS customerName, customer_kana AS customerKana, customer_phone AS customerPhone, order_number AS orderNumber FROM rmas ORDER BY random() LIMIT 200')
    .all() as Sample[];
  const rmas = (probe.prepare('SELECT count(*) AS n FROM rmas').get() as { n: number }).n;
  probe.close();

  const bench = await startBenchStation(dbFile);
  const byKind = {} as Record<SearchKind, Latency>;
  try {
    for (const kind of SEARCH_KINDS) {
      byKind[kind] = await measure(async (i) => {
        const r = await bench.ok<ParcelSearchResult>('parcel.search', { q: queryOf(kind, samples[i % samples.length]!) });
        if (r.waitingForIndex > 0) throw new Error(`the cached station is not indexed (${r.waitingForIndex} waiting)`);
      }, { warmup: 10, iterations: options.iterations, runs: options.runs });
      log(`  blind search ${kind}: p50 ${byKind[kind].p50Ms.toFixed(2)} ms, p99 ${byKind[kind].p99Ms.toFixed(2)} ms`);
    }
  } finally {
    await bench.close();
  }

  // The whole index again from an empty one, on a copy, as after a first pull.
  const dir = mkdtempSync(join(tmpdir(), 'rs-bench-index-'));
  let indexing: BlindSearchFigures['indexing'];
  try {
    const file = join(dir, 'station.sqlite');
    copyFileSync(dbFile, file);
    const db = openDatabase(file, { commitSync: 'deferred', walAutoCheckpoint: false });
    db.exec('DELETE FROM rma_search; DELETE FROM rma_search_docs; INSERT OR IGNORE INTO rma_search_pending (rma_number) SELECT rma_number FROM rmas;');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const write = db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('bench.indexing.probe', ?)");
    const writes: number[] = [];
    const sampler = loopSampler();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const indexer = createSearchIndexer(db);
    const probe = setInterval(() => {
      const w0 = performance.now();
      write.run(String(w0));
      writes.push(performance.now() - w0);
    }, 20);
    indexer.kick();
    await indexer.settled();
    const t1 = performance.now();
    clearInterval(probe);
    const c = process.cpuUsage(c0);
    sampler.stop();
    indexing = { rmas, seconds: (t1 - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6, loop: sampler.between(t0, t1), stationWrite: spreadOf(writes) };
    db.close();
    log(`  indexing ${rmas.toLocaleString('en')} RMAs: ${indexing.seconds.toFixed(1)} s, ${indexing.cpuSeconds.toFixed(1)} s CPU, loop delay p99 ${indexing.loop.p99Ms.toFixed(1)} ms, max ${indexing.loop.maxMs.toFixed(1)} ms; a station write meanwhile p50 ${indexing.stationWrite.p50Ms.toFixed(2)} / p99 ${indexing.stationWrite.p99Ms.toFixed(2)} / max ${indexing.stationWrite.maxMs.toFixed(2)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const before: BlindSearchFigures['before'] = [];
  for (const s of samples.slice(0, options.beforeQueries)) {
    const query = queryOf('familyName', s);
    const b = searchBefore(dbFile, query);
    before.push({ query, ...b });
    log(`  before (every RMA scored in JS): ${query} ${b.ms.toFixed(0)} ms (${b.matches} matches)`);
  }
  return { byKind, indexing, before };
}
