import { z } from 'zod';
import { AUDIT_ANCHOR_PATH, AuditAnchorList, AuditAnchorReceipt } from '../../contract/auditAnchor.js';
import { WmsErrorBody } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { auditHead } from '../../db/repositories/audit.js';

const ErrorDetails = z.object({ message: z.string().optional() });

export interface HubEndpoint {
  url: string;
  token: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The hub refused or could not be asked; `code` is the hub's error key when it answered with one. */
export class AnchorCallError extends Error {
  constructor(message: string, readonly status?: number, readonly code?: string) {
    super(message);
    this.name = 'AnchorCallError';
  }
}

async function call(hub: HubEndpoint, method: 'GET' | 'POST', body?: unknown): Promise<unknown> {
  const doFetch = hub.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(new URL(AUDIT_ANCHOR_PATH, hub.url), {
      method,
      headers: { authorization: `Bearer ${hub.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(hub.timeoutMs ?? 5000),
    });
  } catch (err) {
    throw new AnchorCallError(`cannot reach the hub at ${hub.url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = WmsErrorBody.safeParse(json);
    const d = ErrorDetails.safeParse(e.success ? e.data.details : undefined);
    const detail = d.success ? d.data.message : undefined;
    throw new AnchorCallError(`the hub refused the call (HTTP ${res.status}${e.success ? `, ${e.data.error}` : ''})${detail !== undefined ? `: ${detail}` : ''}`, res.status, e.success ? e.data.error : undefined);
  }
  return json;
}

/**
 * Sends the chain's head; nothing is sent while the log is empty. `beforeSend` resolves once the head is on disk
 * (db/durableCommits.ts): the hub must never anchor a row a power cut could take from the bench.
 */
export async function sendAuditAnchor(db: Db, stationId: string, hub: HubEndpoint, beforeSend?: () => Promise<void>): Promise<AuditAnchorReceipt | null> {
  const head = auditHead(db);
  if (!head) return null;
  await beforeSend?.();
  return AuditAnchorReceipt.parse(await call(hub, 'POST', { stationId, seq: head.seq, hash: head.hash }));
}

/** The anchors the hub holds for the bench the credential belongs to. */
export async function fetchAuditAnchors(hub: HubEndpoint): Promise<AuditAnchorList> {
  const parsed = AuditAnchorList.safeParse(await call(hub, 'GET'));
  if (!parsed.success) throw new AnchorCallError('the hub sent an anchor list this bench cannot read');
  return parsed.data;
}

export interface AuditAnchorSender {
  /** On the sync timer: sends when `everyMs` has passed since the last attempt. */
  tick(): void;
  /** On close: sends now and waits (bounded by the call's timeout). */
  flush(): Promise<void>;
}

/**
 * Keeps the hub's anchor close to the bench's head. A failure is logged and retried on a later tick: an
 * anchor is evidence, not a delivery, so it never blocks the bench.
 */
export function createAuditAnchorSender(options: {
  db: Db;
  stationId: string;
  hub: HubEndpoint;
  everyMs: number;
  log: (msg: string, err?: unknown) => void;
  now?: () => number;
  beforeSend?: () => Promise<void>;
}): AuditAnchorSender {
  const now = options.now ?? Date.now;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | null = null;
  const send = (): Promise<void> => {
    lastAttempt = now();
    inFlight ??= sendAuditAnchor(options.db, options.stationId, options.hub, options.beforeSend)
      .then(
        () => undefined,
        (err: unknown) => options.log('audit anchor not sent to the hub', err),
      )
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
  return {
    tick() {
      if (now() - lastAttempt >= options.everyMs) void send();
    },
    async flush() {
      await inFlight;
      await send();
    },
  };
}
