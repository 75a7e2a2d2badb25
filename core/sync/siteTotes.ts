// Issue 17: a bench behind a site hub asks it, when closing a tote, which bags of that tote the site's other
// benches have received, so it does not flag them missing. Short timeout: the operator is waiting on the close.
import { SiteToteReceived, siteToteReceivedPath } from '../../contract/index.js';

export interface SiteToteLookupOptions {
  /** The hub (the bench's `wms.url`) and the bench's hub credential. */
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Rejects on any failure (unreachable, timeout, refusal, malformed answer): the caller reconciles locally. */
export function createSiteToteLookup(options: SiteToteLookupOptions): (toteId: string) => Promise<SiteToteReceived> {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 2000;
  return async (toteId) => {
    const res = await doFetch(base + siteToteReceivedPath(toteId), {
      headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`hub answered ${res.status} to the received bags of ${toteId}`);
    const answer = SiteToteReceived.parse(await res.json());
    if (answer.toteId !== toteId) throw new Error(`hub answered for tote ${answer.toteId}, not ${toteId}`);
    return answer;
  };
}
