// Issue 15: the bench's side of the site hub beyond the WMS contract: the roster, the site-wide PIN check,
// and the hub's review decisions about this bench's items.
import { z } from 'zod';
import { DecisionPage, OperatorView, RosterPage, SITE_PATHS, SITE_REPORT_PATHS, type BenchStatusReport, type RuleSet } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { applyRosterPage, applySiteDecisions, siteCursor, type AppliedDecision } from '../../db/repositories/siteSync.js';
import { pullSiteRuleSet } from './ruleSetPull.js';
import { runAfterCurrent } from '../../shared-node/runAfterCurrent.js';

export interface SiteSyncOptions {
  db: Db;
  /** The hub (the bench's `wms.url`) and the bench's hub credential. */
  baseUrl: string;
  token: string;
  /** Roster and decisions are polled this often; ≤ 10 s, so a disable reaches every connected bench in time. */
  intervalMs: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Operators the roster just disabled: their sessions must end now. */
  onDisabled?: (operatorIds: string[]) => void;
  onDecisions?: (applied: AppliedDecision[]) => void;
  /** What this bench tells the hub about itself on every pull (the site's "benches at a glance"). */
  status?: () => BenchStatusReport;
  /** Issue 15: a new version of the site's rule set was adopted (core/sync/ruleSetPull.ts). */
  onRuleSet?: (ruleSet: RuleSet) => void;
  now?: () => Date;
  log?: (msg: string, err?: unknown) => void;
}

/** What the hub answered to a PIN check; `unreachable` sends the bench to its own copy of the roster. */
export type SitePinCheck =
  | { kind: 'ok'; operator: OperatorView }
  | { kind: 'failed' }
  | { kind: 'locked'; until: string | null }
  | { kind: 'unreachable' };

export interface SiteSync {
  start(): void;
  stop(): Promise<void>;
  /** One roster + decisions pull now; resolves when applied (or failed: the last copy stays). */
  pullNow(): Promise<void>;
  checkPin(badge: string, pin: string): Promise<SitePinCheck>;
  /** The last pull's failure, or null once a pull succeeded: an offline bench keeps its last roster. */
  lastError(): string | null;
}

const HubRefusal = z.object({ error: z.string(), details: z.object({ until: z.string().optional() }).passthrough().optional() });

export function createSiteSync(options: SiteSyncOptions): SiteSync {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const now = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let lastError: string | null = null;

  const request = (path: string, init: RequestInit = {}): Promise<Response> =>
    doFetch(base + path, {
      ...init,
      headers: { authorization: `Bearer ${options.token}`, accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
      signal: AbortSignal.timeout(timeoutMs),
    });

  async function getPage<T extends z.ZodType>(schema: T, path: string): Promise<z.infer<T>> {
    const res = await request(path);
    if (!res.ok) throw new Error(`hub answered ${res.status} to ${path.split('?')[0]}`);
    return schema.parse(await res.json());
  }

  async function pullRoster(): Promise<void> {
    for (;;) {
      const after = siteCursor(options.db, 'site.roster');
      const page = await getPage(RosterPage, `${SITE_PATHS.roster}?after=${after}&limit=500`);
      if (page.operators.length === 0) return;
      const disabled = applyRosterPage(options.db, page.operators, now().toISOString());
      if (disabled.length > 0) options.onDisabled?.(disabled);
      if (page.next === null) return;
    }
  }

  async function pullDecisions(): Promise<void> {
    for (;;) {
      const after = siteCursor(options.db, 'site.decisions');
      const page = await getPage(DecisionPage, `${SITE_PATHS.decisions}?after=${after}&limit=500`);
      if (page.decisions.length === 0) return;
      const applied = applySiteDecisions(options.db, page.decisions, now().toISOString());
      if (applied.length > 0) options.onDecisions?.(applied);
      if (page.next === null) return;
    }
  }

  /** Best effort: a hub without the route (older) or a failed report changes nothing here; the next pull reports again. */
  async function reportStatus(): Promise<void> {
    if (!options.status) return;
    try {
      const res = await request(SITE_REPORT_PATHS.benchStatus, { method: 'POST', body: JSON.stringify(options.status()) });
      await res.body?.cancel();
    } catch (err) {
      options.log?.('site: bench status not reported', err);
    }
  }

  // The pull under way may have read the hub before the caller's change (a rule set just published): a call
  // made meanwhile gets a pull after it. Handing back the running one made "sync now" miss a publish under load.
  const pulls = runAfterCurrent(async () => {
    // The rule set's pull records its own problems (the Rules screen shows them) and never stops the roster's.
    await pullSiteRuleSet({
      db: options.db,
      get: (path) => request(path),
      report: async (refusal) => void (await request(SITE_PATHS.ruleSetRefused, { method: 'POST', body: JSON.stringify(refusal) })),
      now,
      ...(options.onRuleSet ? { onAdopted: options.onRuleSet } : {}),
      ...(options.log ? { log: options.log } : {}),
    }).catch((err: unknown) => options.log?.('site rule set pull failed', err));
    try {
      await pullRoster();
      await pullDecisions();
      lastError = null;
      await reportStatus();
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
  });
  const pullNow = (): Promise<void> => pulls.now();

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => {
      timer = null;
      void pullNow().finally(schedule);
    }, options.intervalMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      void pullNow().finally(schedule);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await pulls.running();
    },
    pullNow,
    async checkPin(badge, pin) {
      let res: Response;
      try {
        res = await request(SITE_PATHS.checkPin, { method: 'POST', body: JSON.stringify({ badge, pin }) });
      } catch {
        return { kind: 'unreachable' };
      }
      const body: unknown = await res.json().catch(() => null);
      if (res.ok) {
        const op = OperatorView.safeParse(body);
        return op.success ? { kind: 'ok', operator: op.data } : { kind: 'unreachable' };
      }
      const refusal = HubRefusal.safeParse(body);
      if (res.status === 423) return { kind: 'locked', until: refusal.success ? (refusal.data.details?.until ?? null) : null };
      if (res.status === 401 && refusal.success && refusal.data.error === 'error.signInFailed') return { kind: 'failed' };
      // Anything else (a revoked bench credential, a hub in trouble): the bench's own copy decides.
      options.log?.(`site PIN check: hub answered ${res.status}; checking against this bench's copy of the roster`);
      return { kind: 'unreachable' };
    },
    lastError: () => lastError,
  };
}
