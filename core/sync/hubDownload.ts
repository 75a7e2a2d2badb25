import { hubUnreachable, WmsError } from './wmsClient.js';

export interface HubDownloadOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Until the hub starts answering. */
  connectTimeoutMs?: number;
}

/**
 * Starts a bench-authenticated download from the hub (the NDJSON snapshot, the prepared reference file): the
 * response with its body, or null when the hub has none (404); a refused credential, another HTTP error or no
 * answer in time is a WmsError. `what` names the download in the error ("the snapshot").
 */
export async function openHubDownload(options: HubDownloadOptions, path: string, accept: string, what: string): Promise<(Response & { body: ReadableStream<Uint8Array> }) | null> {
  const connectMs = options.connectTimeoutMs ?? 10_000;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), connectMs);
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(options.baseUrl.replace(/\/+$/, '') + path, {
      headers: { authorization: `Bearer ${options.token}`, accept },
      signal: abort.signal,
    });
  } catch (err) {
    throw hubUnreachable(err, abort.signal.aborted, connectMs);
  } finally {
    clearTimeout(timer);
  }
  if (res.status === 404) {
    await res.body?.cancel();
    return null;
  }
  if (res.status === 401 || res.status === 403) throw new WmsError('auth', `the hub refused this bench's credential (HTTP ${res.status})`, false, res.status);
  if (!res.ok || !res.body) throw new WmsError('http', `the hub answered ${what} with HTTP ${res.status}`, res.status >= 500 || res.status === 429, res.status);
  return res as Response & { body: ReadableStream<Uint8Array> };
}
