// Issue 15: a bench connected to its site hub shows its leads and supervisors the whole site. The site-scoped calls
// (contract/site.ts SITE_SCOPED_CALLS) are asked of the hub for the operator signed in here; with the hub away the
// bench answers from its own copy and marks the answer `scope: 'bench'`, so the screen can say it is this bench only
// (also when the hub cannot answer that call, or does not know the operator: a site whose benches keep their own roster).
// A failure the hub answers in the call answer's shape (error.site.hubFailed with its reference, a refused input) is
// the screen's to show: the bench does not quietly answer from its own copy instead.
// item.lookup (SITE_FALLBACK_CALLS) goes the other way: this bench's own item first (its label job is here), the hub
// only for an LPN another bench graded.
import { ApiResponse, siteCallPath, SITE_SCOPED_CALLS, type CallName } from '../../contract/index.js';
import type { CallContext, Handlers } from './dispatch.js';
import { StationError } from './errors.js';

export interface SiteCallsOptions {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  /** After the hub failed to answer, the bench's own copy answers for this long before the hub is asked again. */
  retryAfterMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
  log?: (msg: string, err?: unknown) => void;
}

type HubAnswer = { kind: 'answer'; response: ApiResponse } | { kind: 'unreachable' };

/** The outputs that carry where their answer came from (the screens show a note for each). */
const SCOPED_OUTPUTS = new Set(['review.list', 'reports.summary', 'dashboard.shift']);

/** Refusals that mean "the hub cannot answer this for this bench" rather than "no": the bench's own copy answers. */
const ASK_LOCALLY = new Set(['error.site.notAtHub', 'error.signInFirst', 'error.unknownCall']);

export function siteScopedHandlers(local: Handlers, options: SiteCallsOptions): Partial<Handlers> {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 3000;
  const retryAfterMs = options.retryAfterMs ?? 15_000;
  let hubAwayUntil = 0;

  async function ask(name: CallName, operatorId: string, input: unknown): Promise<HubAnswer> {
    if (now() < hubAwayUntil) return { kind: 'unreachable' };
    try {
      const res = await doFetch(base + siteCallPath(name), {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ operatorId, input }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body: unknown = await res.json().catch(() => undefined);
      const parsed = ApiResponse.safeParse(body);
      // The hub answers every call on this route in the call answer's shape, a refusal or its own failure too (with
      // any status). Anything else (an older hub without this route, a refusal of the bench's credential, the hub
      // stopping) is not an answer about the site.
      if (!parsed.success || (!res.ok && parsed.data.ok)) throw new Error(`hub answered ${res.status} to ${name}${parsed.success ? '' : ' with something that is not a call answer'}`);
      if (!parsed.data.ok && parsed.data.error.messageKey === 'error.site.hubStopping') throw new Error(`hub is stopping (${name})`);
      return { kind: 'answer', response: parsed.data };
    } catch (err) {
      hubAwayUntil = now() + retryAfterMs;
      options.log?.(`site: ${name} answered by this bench (${err instanceof Error ? err.message : String(err)})`);
      return { kind: 'unreachable' };
    }
  }

  const out: Partial<Record<CallName, (ctx: CallContext, input: unknown) => Promise<unknown>>> = {};
  for (const name of SITE_SCOPED_CALLS) {
    const call = name as CallName;
    const own = local[call] as (ctx: CallContext, input: unknown) => unknown;
    const scoped = SCOPED_OUTPUTS.has(call);
    out[call] = async (ctx, input) => {
      if (!ctx.operator) return own(ctx, input);
      const answer = await ask(call, ctx.operator.id, input);
      const mine = async (): Promise<unknown> => {
        const value = await own(ctx, input);
        return scoped ? { ...(value as object), scope: 'bench' } : value;
      };
      if (answer.kind === 'unreachable') return mine();
      const r = answer.response;
      if (r.ok) return scoped ? { ...(r.value as object), scope: 'site' } : r.value;
      if (ASK_LOCALLY.has(r.error.messageKey)) return mine();
      throw new StationError(r.error.code, r.error.messageKey, r.error.message, r.error.params);
    };
  }
  // An LPN scanned on the Review screen (or at intake): this bench's own item, else the site's item of another bench.
  const ownLookup = local['item.lookup'] as (ctx: CallContext, input: unknown) => unknown;
  out['item.lookup'] = async (ctx, input) => {
    try {
      return await ownLookup(ctx, input);
    } catch (err) {
      if (!ctx.operator || !(err instanceof StationError) || err.messageKey !== 'error.noItemForLpn') throw err;
      const answer = await ask('item.lookup', ctx.operator.id, input);
      // The hub away, or unable to answer: what this bench knows (it has no such item).
      if (answer.kind === 'unreachable') throw err;
      const r = answer.response;
      if (r.ok) return r.value;
      if (ASK_LOCALLY.has(r.error.messageKey)) throw err;
      throw new StationError(r.error.code, r.error.messageKey, r.error.message, r.error.params);
    }
  };
  return out as Partial<Handlers>;
}
