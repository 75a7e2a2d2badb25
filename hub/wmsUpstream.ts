// The hub's own client of the WMS contract. The bench's client lives in core/sync, which the hub may
// not import; this one needs only what relaying and proxying use, and classifies failures the same way.
import type { z } from 'zod';
import { BlobHeadHeaders, BlobState, contentRangeHeader, EventBatchResult, MAX_PHOTO_BYTES, WMS_PATHS, WmsErrorBody, wmsBlobPath, type EventBatch } from '../contract/index.js';

export class UpstreamError extends Error {
  constructor(
    message: string,
    /** Worth trying again later (network, timeout, 5xx, 408, 429, unreadable answer). */
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export interface WmsUpstream {
  readonly baseUrl: string;
  postEvents(batch: EventBatch): Promise<EventBatchResult>;
  headBlob(sha256: string): Promise<BlobState | null>;
  putBlobChunk(sha256: string, start: number, total: number, chunk: Uint8Array): Promise<BlobState>;
  /** A complete blob's bytes (customers' declaration photos live at the WMS); null when the WMS has none. */
  getBlob(sha256: string): Promise<Buffer | null>;
  /** GET of a read endpoint (pull, lookup), answer checked against `schema`. */
  get<T extends z.ZodType>(schema: T, pathAndQuery: string): Promise<z.infer<T>>;
}

function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function createWmsUpstream(options: { baseUrl: string; token: string; timeoutMs?: number }): WmsUpstream {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function exchange(method: string, path: string, headers: Record<string, string>, body?: string | Uint8Array): Promise<{ res: Response; text: string }> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${options.token}`, accept: 'application/json', ...headers },
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
      throw new UpstreamError(`cannot reach the WMS (${cause})`, true);
    }
    if (!res.ok && !(method === 'HEAD' && res.status === 404)) {
      let detail = '';
      try {
        const b = WmsErrorBody.safeParse(JSON.parse(text));
        if (b.success) detail = `: ${b.data.error}`;
      } catch {
        // not JSON: the status says enough
      }
      // A refused hub token (401/403) is the hub's configuration, not the events' fault: the relay waits
      // and tries again rather than dead-lettering what the benches sent.
      const retryable = res.status >= 500 || res.status === 408 || res.status === 429 || res.status === 401 || res.status === 403;
      throw new UpstreamError(`the WMS answered HTTP ${res.status}${detail}`, retryable, res.status, retryAfterMs(res.headers.get('retry-after')));
    }
    return { res, text };
  }

  function parsed<T extends z.ZodType>(schema: T, path: string, text: string): z.infer<T> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UpstreamError(`the WMS answered ${path} with something that is not JSON`, true);
    }
    const r = schema.safeParse(json);
    if (!r.success) throw new UpstreamError(`the WMS answer to ${path} does not match the contract`, true);
    return r.data;
  }

  return {
    baseUrl,
    async postEvents(batch) {
      const { text } = await exchange('POST', WMS_PATHS.events, { 'content-type': 'application/json' }, JSON.stringify(batch));
      return parsed(EventBatchResult, WMS_PATHS.events, text);
    },
    async headBlob(sha256) {
      const { res } = await exchange('HEAD', wmsBlobPath(sha256), {});
      if (res.status === 404) return null;
      const h = BlobHeadHeaders.safeParse({ 'upload-offset': res.headers.get('upload-offset'), 'upload-length': res.headers.get('upload-length') });
      if (!h.success) throw new UpstreamError('the WMS answered a blob HEAD without Upload-Offset/Upload-Length', true);
      const offset = h.data['upload-offset'];
      const length = h.data['upload-length'];
      return { sha256, offset, length, complete: offset === length };
    },
    async putBlobChunk(sha256, start, total, chunk) {
      const path = wmsBlobPath(sha256);
      const { text } = await exchange('PUT', path, { 'content-type': 'application/octet-stream', 'content-range': contentRangeHeader(start, chunk.byteLength, total) }, chunk);
      return parsed(BlobState, path, text);
    },
    async getBlob(sha256) {
      const path = wmsBlobPath(sha256);
      let res: Response;
      let bytes: ArrayBuffer;
      try {
        res = await fetch(baseUrl + path, { headers: { authorization: `Bearer ${options.token}`, accept: 'application/octet-stream' }, signal: AbortSignal.timeout(timeoutMs) });
        if (res.status === 404) return null;
        if (Number(res.headers.get('content-length') ?? '0') > MAX_PHOTO_BYTES) throw new UpstreamError(`the WMS's blob ${sha256} is larger than a photo may be`, false, res.status);
        bytes = await res.arrayBuffer();
      } catch (err) {
        if (err instanceof UpstreamError) throw err;
        const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
        throw new UpstreamError(`cannot reach the WMS (${cause})`, true);
      }
      if (!res.ok) throw new UpstreamError(`the WMS answered HTTP ${res.status}`, res.status >= 500 || res.status === 408 || res.status === 429, res.status, retryAfterMs(res.headers.get('retry-after')));
      return Buffer.from(bytes);
    },
    async get(schema, pathAndQuery) {
      const { text } = await exchange('GET', pathAndQuery, {});
      return parsed(schema, pathAndQuery, text);
    },
  };
}
