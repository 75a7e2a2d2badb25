import { fetchCustomerPhotos, type GetBlob, type StoreCustomerPhoto } from './customerPhotos.js';
import { isHubErrorKey, type SyncStatus } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { outboxCounts } from '../../db/repositories/outbox.js';
import { createBlobUploader, type BlobUploader, type ReadBlob } from './blobUpload.js';
import { backoffDelayMs, deliverOutbox, type DeliveryReport } from './outboxDelivery.js';
import { pullReferenceData, type PullReport } from './pull.js';
import { ManifestPageError, pullManifests } from './manifestPull.js';
import { WmsError, type WmsBlobClient, type WmsClient } from './wmsClient.js';

export interface SyncEngineOptions {
  db: Db;
  client: WmsClient;
  stationId: string;
  /** Time between background cycles (push, then pull). */
  intervalMs: number;
  batchSize: number;
  onStatus?: (status: SyncStatus) => void;
  wmsIsDemo?: boolean;
  pageSize?: number;
  /** better-sqlite3 binary for the bulk-load worker of a first pull (Electron's ABI build). */
  nativeBinding?: string;
  maxBatchBytes?: number;
  maxAttempts?: number;
  /** Backoff after a failed cycle: full jitter over [0, min(cap, base·2^failures)). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Set false to only push (e.g. a child process in a test that has no reference data to care about). */
  pull?: boolean;
  /** Photos named by events are uploaded first through this (the same WMS client and the station's blob store). */
  blobs?: { client: WmsBlobClient; read: ReadBlob; chunkBytes?: number };
  /**
   * Runs on every tick of the timer, before the cycle and whatever the WMS's state: the station's WAL
   * checkpoint lives here rather than in an operator's commit. `idle`: nothing was recorded since the last tick.
   */
  onTick?: (idle: boolean) => void;
  /** Resolves once the outbox's events are on disk, before any is sent (outboxDelivery's `beforeSend`). */
  beforeSend?: () => Promise<void>;
  /** Before the pull: a new or wiped bench behind a site hub loads the hub's snapshot first (core/sync/snapshot.ts). */
  bootstrap?: () => Promise<unknown>;
  /** After the pull, the customers' declaration photos are fetched and stored through this. */
  customerPhotos?: { getBlob: GetBlob; store: StoreCustomerPhoto };
  onCycle?: (result: { delivery?: DeliveryReport; pull?: PullReport; error?: unknown }) => void;
  now?: () => Date;
  random?: () => number;
  /** The client's base URL is the bench's site hub (RS_HUB_URL): the status says so. */
  viaHub?: boolean;
}

export interface SyncEngine {
  start(): void;
  stop(): Promise<void>;
  /** Runs a cycle now, ignoring any backoff, and resolves with the status after it. */
  flushNow(): Promise<SyncStatus>;
  /** An event was appended: send it soon unless the WMS is in backoff. */
  notify(): void;
  status(): SyncStatus;
}

/** What the operator reads in the sync bar: plain words, no stack traces. */
/** The i18n key of a sync failure, so the bar speaks the operator's language (describeSyncError stays English for logs). */
export function syncErrorKey(err: unknown, wmsUrl: string): { key: string; params: Record<string, string | number> } {
  if (err instanceof ManifestPageError) return { key: 'sync.error.manifestMalformed', params: { detail: err.detail } };
  // A site hub names its refusal with an i18n key of its own (contract/hub.ts): more exact than the HTTP status.
  if (err instanceof WmsError && err.code !== undefined && isHubErrorKey(err.code)) return { key: err.code, params: { url: wmsUrl } };
  if (err instanceof WmsError) {
    switch (err.kind) {
      case 'network':
        return { key: 'sync.error.network', params: { url: wmsUrl } };
      case 'timeout':
        return { key: 'sync.error.timeout', params: {} };
      case 'auth':
        return { key: 'sync.error.auth', params: {} };
      case 'malformed':
        return { key: 'sync.error.malformed', params: {} };
      case 'http':
        return { key: err.retryable ? 'sync.error.httpRetry' : 'sync.error.httpRefused', params: { status: err.status ?? '?' } };
    }
  }
  return { key: 'sync.error.other', params: {} };
}

export function describeSyncError(err: unknown, wmsUrl: string): string {
  if (err instanceof WmsError) {
    switch (err.kind) {
      case 'network':
        return `Cannot reach the WMS at ${wmsUrl}. Events are kept on this station and will be sent when it is back.`;
      case 'timeout':
        return 'The WMS did not answer in time. Events are kept and will be sent again.';
      case 'auth':
        return "The WMS refused this station's access token. Ask a supervisor to check the WMS settings.";
      case 'malformed':
        if (err instanceof ManifestPageError) return `The WMS sent a tote manifest page this station cannot read (${err.detail}). Nothing from it was saved; it is asked for again.`;
        return 'The WMS sent an answer this station cannot read. Events are kept and will be sent again.';
      case 'http':
        return err.retryable
          ? `The WMS reported a problem (HTTP ${err.status ?? '?'}). Events are kept and will be sent again.`
          : `The WMS refused a request (HTTP ${err.status ?? '?'}).`;
    }
  }
  return `Sync stopped on an unexpected error: ${err instanceof Error ? err.message : String(err)}`;
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db, client } = options;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const baseMs = options.backoffBaseMs ?? 1000;
  const capMs = options.backoffCapMs ?? 60_000;

  const blobs: BlobUploader | undefined = options.blobs ? createBlobUploader(options.blobs) : undefined;
  let online = false;
  let lastError: string | null = null;
  let lastErrorKey: ReturnType<typeof syncErrorKey> | null = null;
  let lastErrorKind: WmsError['kind'] | 'other' | null = null;
  let lastSyncAt: string | null = null;
  let failures = 0;
  let backoffUntil = 0;
  let timer: NodeJS.Timeout | null = null;
  let soon: NodeJS.Immediate | null = null;
  let running = false;
  let inFlight: Promise<void> | null = null;
  let again = false;
  let recordedSinceTick = false;

  function tick(): void {
    const idle = !recordedSinceTick;
    recordedSinceTick = false;
    try {
      options.onTick?.(idle);
    } catch {
      // A failed checkpoint is retried on the next tick; it must not stop sync.
    }
  }

  function status(): SyncStatus {
    const c = outboxCounts(db);
    const oldest = c.oldestPendingOccurredAt ? Date.parse(c.oldestPendingOccurredAt) : NaN;
    return {
      online,
      wmsUrl: client.baseUrl,
      wmsIsDemo: options.wmsIsDemo ?? false,
      pending: c.pending,
      deadLetters: c.deadLetters,
      oldestPendingAgeSec: Number.isNaN(oldest) ? null : Math.max(0, Math.round((now().getTime() - oldest) / 1000)),
      lastError,
      lastErrorKey: lastErrorKey?.key ?? null,
      ...(lastErrorKey ? { lastErrorParams: lastErrorKey.params } : {}),
      lastSyncAt,
      viaHub: options.viaHub ?? false,
    };
  }

  async function once(force: boolean): Promise<void> {
    if (!force && now().getTime() < backoffUntil) {
      // Unreachable WMS: a cheap health probe each tick, so delivery resumes the moment it is back.
      if (lastErrorKind !== 'network' && lastErrorKind !== 'timeout') return;
      try {
        await client.health();
      } catch {
        return;
      }
    }
    const result: { delivery?: DeliveryReport; pull?: PullReport; error?: unknown } = {};
    try {
      result.delivery = await deliverOutbox(db, client, {
        stationId: options.stationId,
        batchSize: options.batchSize,
        now,
        random,
        ...(options.maxBatchBytes !== undefined ? { maxBatchBytes: options.maxBatchBytes } : {}),
        ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
        ...(blobs ? { blobs } : {}),
        ...(options.beforeSend ? { beforeSend: options.beforeSend } : {}),
      });
      if (options.pull !== false && options.bootstrap) await options.bootstrap();
      if (options.pull !== false) result.pull = await pullReferenceData(db, client, {
          ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
          bulk: options.nativeBinding ? { nativeBinding: options.nativeBinding } : {},
        });
      if (options.pull !== false) await pullManifests(db, client);
      if (options.pull !== false && options.customerPhotos) await fetchCustomerPhotos(db, { ...options.customerPhotos, now });
      online = true;
      lastError = null;
      lastErrorKey = null;
      lastErrorKind = null;
      failures = 0;
      backoffUntil = 0;
      lastSyncAt = now().toISOString();
    } catch (err) {
      result.error = err;
      online = false;
      lastError = describeSyncError(err, client.baseUrl);
      lastErrorKey = syncErrorKey(err, client.baseUrl);
      lastErrorKind = err instanceof WmsError ? err.kind : 'other';
      failures++;
      const retryAfter = err instanceof WmsError ? (err.retryAfterMs ?? 0) : 0;
      backoffUntil = now().getTime() + Math.max(backoffDelayMs(failures, baseMs, capMs, random), retryAfter);
    }
    options.onCycle?.(result);
  }

  function cycle(force: boolean): Promise<void> {
    if (inFlight) {
      // One cycle at a time; an event appended meanwhile gets one more cycle right after.
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      let f = force;
      do {
        again = false;
        await once(f);
        f = false;
      } while (again && running && now().getTime() >= backoffUntil);
    })()
      .catch(() => undefined)
      .finally(() => {
        inFlight = null;
        emit();
      });
    return inFlight;
  }

  function emit(): void {
    if (!options.onStatus) return;
    try {
      options.onStatus(status());
    } catch {
      // A listener's failure is not the sync engine's.
    }
  }

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => {
      timer = null;
      tick();
      void cycle(false).then(schedule);
    }, options.intervalMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      void cycle(false).then(schedule);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      if (soon) clearImmediate(soon);
      timer = null;
      soon = null;
      await inFlight;
    },
    async flushNow() {
      // A cycle may be running; wait for it and then run a forced one so the caller sees fresh work sent.
      if (inFlight) await inFlight;
      await cycle(true);
      return status();
    },
    notify() {
      recordedSinceTick = true;
      if (soon || now().getTime() < backoffUntil) return;
      soon = setImmediate(() => {
        soon = null;
        void cycle(false);
      });
    },
    status,
  };
}
