import type { z } from 'zod';
import {
  BlobHeadHeaders,
  BlobState,
  contentRangeHeader,
  MAX_PHOTO_BYTES,
  EventBatchResult,
  ManifestPage,
  HUB_BENCH_ERRORS,
  ProductPage,
  RmaLookupResult,
  RmaPage,
  WMS_PATHS,
  WmsErrorBody,
  WmsHealth,
  wmsBlobPath,
  type EventBatch,
  type PullCursor,
} from '../../contract/index.js';

export type WmsErrorKind = 'network' | 'timeout' | 'http' | 'malformed' | 'auth';

/** Every failure of a WMS call, typed so callers decide retry vs. dead letter without parsing messages. */
export class WmsError extends Error {
  constructor(
    readonly kind: WmsErrorKind,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
    /** The `error` code of the answer's body, when it had one (a site hub's are i18n keys, error.hub.*). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'WmsError';
  }
}

export interface WmsClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface WmsClient {
  readonly baseUrl: string;
  health(): Promise<WmsHealth>;
  products(cursor: PullCursor | null, limit: number): Promise<ProductPage>;
  rmas(cursor: PullCursor | null, limit: number): Promise<RmaPage>;
  lookupRmas(q: string): Promise<RmaLookupResult>;
  postEvents(batch: EventBatch): Promise<EventBatchResult>;
  /**
   * Inbound manifests of consolidated totes (issue 17). Optional so fakes need not serve them; a WMS (or hub)
   * that answers 404 offers none, and the page is empty.
   */
  manifests?(cursor: PullCursor | null, limit: number): Promise<ManifestPage>;
  /**
   * A pull page as parsed JSON, not yet checked against the contract: the pull checks its shape and then
   * each row in small chunks, yielding between them, instead of validating the whole page in one stretch.
   * Optional: a client without it is pulled through products()/rmas().
   */
  pageJson?(resource: 'products' | 'rmas', cursor: PullCursor | null, limit: number): Promise<unknown>;
  /**
   * A pull page's body as bytes, neither decoded, parsed nor checked: a first pull hands them to the bulk-load
   * worker (bulkLoad.ts), which does all three off the station's thread. Optional, as pageJson.
   */
  pageBytes?(resource: 'products' | 'rmas', cursor: PullCursor | null, limit: number): Promise<Uint8Array>;
}

/** The resumable, content-addressed blob endpoint (photos). Kept apart so WmsClient fakes need not implement it. */
export interface WmsBlobClient {
  /** Where the WMS stands with this blob; null when it has never seen it. */
  headBlob(sha256: string): Promise<BlobState | null>;
  /** Appends one chunk at `start`. A 409 (wrong offset) or 400 (hash mismatch) is thrown as WmsError with that status. */
  putBlobChunk(sha256: string, start: number, total: number, chunk: Uint8Array): Promise<BlobState>;
  /** A complete blob's bytes (customer photos); null when the WMS does not have it. Optional: fakes need not fetch. */
  getBlob?(sha256: string): Promise<Uint8Array | null>;
}

/**
 * A TLS handshake refused because the server's certificate does not chain to a trusted (pinned) CA, or does not
 * name the host: said as such, with its own key, rather than as "cannot reach". Events stay queued (retryable),
 * but only a corrected certificate or RS_HUB_CA helps.
 */
export function certificateRefusal(err: unknown): WmsError | null {
  const cause = err instanceof Error ? (err.cause ?? err) : err;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : '';
  if (!/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME/.test(code)) return null;
  const detail = cause instanceof Error ? cause.message : code;
  return new WmsError('network', `the server's TLS certificate is not trusted by this bench (${code}: ${detail})`, true, undefined, undefined, HUB_BENCH_ERRORS.certificateNotTrusted);
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const s = value.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function createWmsClient(options: WmsClientOptions): WmsClient & WmsBlobClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;

  async function request<T extends z.ZodType>(schema: T, method: 'GET' | 'POST', path: string, body?: unknown): Promise<z.infer<T>> {
    const { res, text } = await exchange(method, path, body !== undefined ? { 'content-type': 'application/json' } : {}, body !== undefined ? JSON.stringify(body) : undefined);
    return validated(schema, path, res, text);
  }

  /** One HTTP exchange; transport failures become WmsError, HTTP errors (but a 404 on HEAD) too. */
  async function exchange(
    method: 'GET' | 'POST' | 'HEAD' | 'PUT',
    path: string,
    headers: Record<string, string>,
    body?: string | Uint8Array,
    /** Keep the body as bytes (a pull page for the bulk-load worker); the text is then read only from an error. */
    raw = false,
  ): Promise<{ res: Response; text: string; bytes?: Uint8Array }> {
    let res: Response;
    try {
      res = await doFetch(baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${options.token}`, accept: 'application/json', ...headers },
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
        throw new WmsError('timeout', `no answer within ${Math.round(timeoutMs / 1000)} s`, true);
      }
      const untrusted = certificateRefusal(err);
      if (untrusted) throw untrusted;
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
      throw new WmsError('network', `cannot reach the WMS (${cause})`, true);
    }

    let text = '';
    let bytes: Uint8Array | undefined;
    try {
      if (raw) bytes = new Uint8Array(await res.arrayBuffer());
      else text = await res.text();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new WmsError(timedOut ? 'timeout' : 'network', 'the connection broke while the WMS was answering', true);
    }

    if (!res.ok && !(method === 'HEAD' && res.status === 404)) {
      if (bytes) text = new TextDecoder().decode(bytes);
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      const detail = describeErrorBody(text);
      if (res.status === 401 || res.status === 403) {
        throw new WmsError('auth', `the WMS refused this station's token (HTTP ${res.status})`, false, res.status, undefined, detail);
      }
      const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
      throw new WmsError('http', `the WMS answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`, retryable, res.status, retryAfterMs, detail);
    }
    return { res, text, ...(bytes ? { bytes } : {}) };
  }

  function parsedJson(path: string, res: Response, text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new WmsError('malformed', `the WMS answered ${path} with something that is not JSON`, true, res.status);
    }
  }

  function validated<T extends z.ZodType>(schema: T, path: string, res: Response, text: string): z.infer<T> {
    const json = parsedJson(path, res, text);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'unknown';
      throw new WmsError('malformed', `the WMS answer to ${path} does not match the contract (${where})`, true, res.status);
    }
    return parsed.data;
  }

  const pullPath = (path: string, cursor: PullCursor | null, limit: number): string => {
    const q = new URLSearchParams({ limit: String(limit) });
    if (cursor) {
      q.set('updated_since', cursor.updatedSince);
      q.set('after_id', cursor.afterId);
    }
    return `${path}?${q.toString()}`;
  };

  async function pullPage(resource: 'products' | 'rmas', cursor: PullCursor | null, limit: number, raw = false): Promise<{ path: string; res: Response; text: string; bytes?: Uint8Array }> {
    const path = pullPath(resource === 'rmas' ? WMS_PATHS.rmas : WMS_PATHS.products, cursor, limit);
    try {
      return { path, ...(await exchange('GET', path, {}, undefined, raw)) };
    } catch (err) {
      // A kept-alive connection the WMS closed just as the request went out ("other side closed"): a GET
      // may simply go again, once, rather than fail a pull of a million rows and wait for the backoff.
      if (!(err instanceof WmsError && err.kind === 'network')) throw err;
      return { path, ...(await exchange('GET', path, {}, undefined, raw)) };
    }
  }

  return {
    baseUrl,
    health: () => request(WmsHealth, 'GET', WMS_PATHS.health),
    products: (cursor, limit) => request(ProductPage, 'GET', pullPath(WMS_PATHS.products, cursor, limit)),
    rmas: (cursor, limit) => request(RmaPage, 'GET', pullPath(WMS_PATHS.rmas, cursor, limit)),
    async manifests(cursor, limit) {
      try {
        return await request(ManifestPage, 'GET', pullPath(WMS_PATHS.manifests, cursor, limit));
      } catch (err) {
        if (err instanceof WmsError && err.kind === 'http' && err.status === 404) return { items: [], next: null };
        throw err;
      }
    },
    lookupRmas: (q) => request(RmaLookupResult, 'GET', `${WMS_PATHS.rmaLookup}?${new URLSearchParams({ q }).toString()}`),
    postEvents: (batch) => request(EventBatchResult, 'POST', WMS_PATHS.events, batch),
    async pageJson(resource, cursor, limit) {
      const { path, res, text } = await pullPage(resource, cursor, limit);
      return parsedJson(path, res, text);
    },
    async pageBytes(resource, cursor, limit) {
      return (await pullPage(resource, cursor, limit, true)).bytes ?? new Uint8Array();
    },
    async headBlob(sha256) {
      const path = wmsBlobPath(sha256);
      const { res } = await exchange('HEAD', path, {});
      if (res.status === 404) return null;
      const h = BlobHeadHeaders.safeParse({ 'upload-offset': res.headers.get('upload-offset'), 'upload-length': res.headers.get('upload-length') });
      if (!h.success || h.data['upload-offset'] > h.data['upload-length']) {
        throw new WmsError('malformed', `the WMS answered HEAD ${path} without a valid Upload-Offset/Upload-Length`, true, res.status);
      }
      const offset = h.data['upload-offset'];
      const length = h.data['upload-length'];
      return { sha256, offset, length, complete: offset === length };
    },
    async getBlob(sha256) {
      const path = wmsBlobPath(sha256);
      let res: Response;
      try {
        res = await doFetch(baseUrl + path, {
          method: 'GET',
          headers: { authorization: `Bearer ${options.token}`, accept: 'application/octet-stream' },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
        throw new WmsError(timedOut ? 'timeout' : 'network', timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : 'cannot reach the WMS', true);
      }
      if (res.status === 404) return null;
      if (res.status === 401 || res.status === 403) throw new WmsError('auth', `the WMS refused this station's token (HTTP ${res.status})`, false, res.status);
      if (!res.ok) throw new WmsError('http', `the WMS answered HTTP ${res.status}`, res.status >= 500, res.status);
      const length = Number(res.headers.get('content-length') ?? '0');
      if (length > MAX_PHOTO_BYTES) throw new WmsError('malformed', `the photo is larger than ${MAX_PHOTO_BYTES} bytes`, false, res.status);
      return new Uint8Array(await res.arrayBuffer());
    },
    async putBlobChunk(sha256, start, total, chunk) {
      const path = wmsBlobPath(sha256);
      const { res, text } = await exchange('PUT', path, { 'content-type': 'application/octet-stream', 'content-range': contentRangeHeader(start, chunk.byteLength, total) }, chunk);
      return validated(BlobState, path, res, text);
    },
  };
}

function describeErrorBody(text: string): string | undefined {
  try {
    const r = WmsErrorBody.safeParse(JSON.parse(text));
    return r.success ? r.data.error : undefined;
  } catch {
    return undefined;
  }
}

/** What a failed request to the hub means: no answer in time, a certificate refused, or no connection. */
export function hubUnreachable(err: unknown, timedOut: boolean, connectMs: number): WmsError {
  if (timedOut) return new WmsError('timeout', `no answer within ${Math.round(connectMs / 1000)} s`, true);
  const untrusted = certificateRefusal(err);
  if (untrusted) return untrusted;
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
  return new WmsError('network', `cannot reach the hub (${cause})`, true);
}
