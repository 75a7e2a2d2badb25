import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WebSocketServer } from 'ws';
import type { z } from 'zod';
import { api, isCallName, SiteExportQuery, SITE_REPORT_PATHS, type ApiResponse, type CallName, type CallOutput, type OperatorView, type SyncStatus } from '../contract/index.js';
import type { Pool } from './db.js';
import { SITE_FALLBACK_CALLS, SITE_SCOPED_CALLS } from '../contract/site.js';
import { lookupSiteItem } from './itemLookup.js';
import { checkPin, enrolOperator, listOperators, resetOperatorPin, setOperatorDisabled, siteOperator, type LockPolicy } from './roster.js';
import { approveSiteReview, bulkApproveSiteReview, getSiteReview, listSiteReview, overrideSiteReview } from './review.js';
import { dryRunSite, getSiteRules, publishSiteRuleSet } from './ruleSets.js';
import { proposedRulesRefusal } from '../domain/rules/ruleSetVersions.js';
import { SiteError } from './siteErrors.js';
import { closeSiteSession, cookieValue, openSiteSession, sessionCookie, SITE_COOKIE, siteSessionOperator } from './siteSession.js';
import { RENDERER_CSP, RENDERER_FILE_TYPES } from '../contract/rendererServing.js';
import { listBenchesGlance } from './benchesAtAGlance.js';
import { startSiteDashboardFeed } from './siteDashboard.js';
import { siteExport } from './siteExport.js';
import { defaultSiteReportSettings, siteDashboard, siteSummary, type SiteReportSettings } from './siteReports.js';

export interface SiteUiOptions extends LockPolicy {
  /** The built renderer (vite build output); absent: the hub serves the calls but no pages. */
  staticDir?: string;
  /** A signed-in lead or supervisor with no own action for this long is signed out. */
  idleMs: number;
}

export interface SiteUiDeps {
  pool: Pool;
  siteId: string;
  wmsUrl: string;
  relayError: () => string | null;
  /** Relay soon (the status bar's "send now"): the relay's own cycle delivers, honouring the WMS's backoff. */
  relayNow: () => void;
  log: (line: string) => void;
  /** The hub is stopping: a call that arrives now is refused, and the hub UI says so rather than "unexpected answer". */
  stopping: () => boolean;
  /** Issue 15 (wt-15r): the live dashboard LISTENs on its own connection; absent, the screens poll. */
  databaseUrl?: string;
  reports?: SiteReportSettings;
}


const TYPES = RENDERER_FILE_TYPES;

/** Calls that need the hub's bench and admin routes' prefixes are never pages. */
const NOT_PAGES = /^\/(api|hub|admin)\//;

/**
 * The hub UI's own paths: everything under `/api/` but the WMS contract (`/api/v1/…`), whose callers are benches
 * and which keeps the contract's `{error, details}`. What the hub UI asks for here is answered in the call answer's
 * shape, even a path or method the hub does not have, so the renderer can say it in the operator's language.
 */
export const isSiteUiPath = (url: string): boolean => /^\/api\/(?!v1(?:[/?]|$))/.test(url) || /^\/api(?:\?|$)/.test(url);

type Parsed<C extends CallName> = z.output<(typeof api)[C]['input']>;
interface CallCtx {
  /** The request's id, in the hub's log line and in the answer of a call that failed inside the hub, to match the two. */
  requestId: string;
  operator: OperatorView | null;
  token: string | null;
  setToken(token: string | null): void;
}
type SiteHandlers = { [C in CallName]?: (ctx: CallCtx, input: Parsed<C>) => Promise<CallOutput<C>> };

/**
 * Input the call's schema refused: a refinement may name its own message (error.dateRange: the start is after the
 * end), as the bench's dispatcher lets it (core/workflow/dispatch.ts); other issues name the field.
 */
function inputError(error: z.ZodError, name: string, raw: unknown): SiteError {
  // Proposed rules that do not parse: refused as a rule set, naming the rule and what is wrong with it (as a bench does).
  const rules = name.startsWith('rules.') ? proposedRulesRefusal(error.issues, raw) : null;
  if (rules) return new SiteError('INVALID_INPUT', 'error.ruleSetInvalid', rules.message, rules.params);
  const issue = error.issues[0];
  const where = issue?.path.join('.') || 'input';
  const own = issue?.code === 'custom' && typeof issue.params?.messageKey === 'string' ? issue.params.messageKey : null;
  return new SiteError('INVALID_INPUT', own ?? 'error.invalidInput', `${where}: ${issue?.message ?? 'invalid'}`, { field: where });
}

/**
 * A call that failed inside the hub: the operator gets a keyed sentence and the request's id to quote, never the
 * error itself (a stack or a database message says more about the hub than a browser needs); the log has both.
 */
function hubFailed(requestId: string): SiteError {
  return new SiteError('INTERNAL', 'error.site.hubFailed', `Something went wrong inside the site hub. Try again (reference ${requestId}).`, { requestId });
}

/** Only leads and supervisors manage the site; staff work at a bench. */
const SITE_ROLES = new Set(['lead', 'supervisor']);

/**
 * The hub UI: the bench's React renderer served by the hub, talking to it over the renderer's browser
 * transport (`POST /api/call/<name>`, the call contract of contract/calls), for the subset of calls the site
 * screens need. Every call is checked here as the bench's dispatcher checks it: the contract's roles per
 * call, its input schema, its output schema. The session is an HttpOnly, SameSite=Strict cookie; a call
 * must carry the renderer's `X-Station-Session` header, which a cross-site form or image cannot send, and an
 * Origin, when sent, must be the hub's own.
 */
export interface SiteUi {
  /** An unknown path or method under the hub UI's paths (isSiteUiPath): 404 in the call answer's shape. */
  notFound(req: FastifyRequest, reply: FastifyReply): FastifyReply;
  /** A failure before or around a hub UI route (the hub stopping, an unreadable body, a fault): the call answer's shape. */
  answerError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply;
  /** A site-scoped call (contract/site.ts SITE_SCOPED_CALLS) from an enrolled bench, for an operator it signed in. */
  callForBench(name: CallName, operatorId: string, input: unknown, requestId: string): Promise<ApiResponse>;
  close(): Promise<void>;
}

export function registerSiteUi(app: FastifyInstance, deps: SiteUiDeps, options: SiteUiOptions): SiteUi {
  const { pool, siteId } = deps;
  const reports = deps.reports ?? defaultSiteReportSettings;
  const me = (ctx: CallCtx): OperatorView => {
    if (!ctx.operator) throw new SiteError('UNAUTHENTICATED', 'error.signInFirst', 'Sign in first: scan your badge.');
    return ctx.operator;
  };

  const handlers: SiteHandlers = {
    'system.info': async () => ({ stationId: siteId, version: 'rs-hub/1', wmsIsDemo: false, wmsUrl: deps.wmsUrl, printer: 'none', site: true }),
    'setup.status': async () => ({ needsFirstSupervisor: false }),
    'session.current': async (ctx) => ctx.operator,
    'session.signIn': async (ctx, input) => {
      const op = await checkPin(pool, siteId, input.badge, input.pin, options);
      if (!SITE_ROLES.has(op.role)) throw new SiteError('FORBIDDEN', 'error.site.leadsOnly', 'The site hub is for leads and supervisors; sign in at a bench.');
      if (ctx.token) await closeSiteSession(pool, siteId, ctx.token);
      ctx.setToken(await openSiteSession(pool, siteId, op.id));
      return op;
    },
    'session.signOut': async (ctx) => {
      const signedOut = await closeSiteSession(pool, siteId, ctx.token);
      ctx.setToken(null);
      return { signedOut };
    },
    'sync.flush': async (ctx) => {
      deps.relayNow();
      return (handlers['sync.status'] as NonNullable<SiteHandlers['sync.status']>)(ctx, {});
    },
    'sync.status': async () => {
      const r = await pool.query<{ pending: string; dead: string; oldest: Date | null }>(
        `SELECT count(*) FILTER (WHERE state = 'pending') AS pending, count(*) FILTER (WHERE state = 'dead') AS dead,
                min(accepted_at) FILTER (WHERE state = 'pending') AS oldest
         FROM relay_outbox WHERE site_id = $1 AND state <> 'delivered'`,
        [siteId],
      );
      const row = r.rows[0];
      const error = deps.relayError();
      const status: SyncStatus = {
        online: error === null,
        wmsUrl: deps.wmsUrl,
        wmsIsDemo: false,
        pending: Number(row?.pending ?? 0),
        deadLetters: Number(row?.dead ?? 0),
        oldestPendingAgeSec: row?.oldest ? Math.max(0, Math.round((Date.now() - row.oldest.getTime()) / 1000)) : null,
        lastError: error,
        lastErrorKey: error ? 'sync.error.other' : null,
        lastSyncAt: null,
      };
      return status;
    },
    'operators.list': async () => ({ operators: await listOperators(pool, siteId) }),
    'operators.enrol': async (ctx, input) => enrolOperator(pool, siteId, input, me(ctx).id),
    'operators.setDisabled': async (ctx, input) => setOperatorDisabled(pool, siteId, me(ctx).id, input.operatorId, input.disabled),
    'operators.resetPin': async (ctx, input) => resetOperatorPin(pool, siteId, input.operatorId, input.pin, me(ctx).id),
    'review.list': async (_ctx, input) => listSiteReview(pool, siteId, input),
    'review.get': async (_ctx, input) => getSiteReview(pool, siteId, input.itemId),
    'review.approve': async (ctx, input) => {
      await approveSiteReview(pool, siteId, me(ctx), input.itemId, input.note);
      return getSiteReview(pool, siteId, input.itemId);
    },
    'review.override': async (ctx, input) => {
      await overrideSiteReview(pool, siteId, me(ctx), input);
      return getSiteReview(pool, siteId, input.itemId);
    },
    'review.bulkApprove': async (ctx, input) => bulkApproveSiteReview(pool, siteId, me(ctx), input.itemIds),
    // A lead scans an item's label on the Review screen: any bench's item, opened in the site queue when it waits.
    'item.lookup': async (_ctx, input) => lookupSiteItem(pool, siteId, input.lpn),
    // Issue 15 (wt-15r): site reports, the live dashboard and the benches, over PostgreSQL.
    'reports.summary': async (_ctx, input) => siteSummary(pool, siteId, input, reports),
    'reports.config': async () => ({ exportFolder: null, clock: reports.clock, recoveryFactors: reports.factors }),
    'dashboard.shift': async () => siteDashboard(pool, siteId, reports),
    'benches.list': async () => listBenchesGlance(pool, siteId, reports.onlineWithinSec),
    // Issue 15 (wt-15s): the site's one rule set, published here and pulled by every bench.
    'rules.get': async () => getSiteRules(pool, siteId),
    'rules.dryRun': async (_ctx, input) => dryRunSite(pool, siteId, input.rules, input.limit),
    'rules.publish': async (ctx, input) => publishSiteRuleSet(pool, siteId, me(ctx), input.rules, input.note, input.gradingProfiles),
  };

  const fail = (e: SiteError): ApiResponse => ({ ok: false, error: e.toApiError() });

  async function dispatch(req: FastifyRequest, reply: FastifyReply, name: string, raw: unknown): Promise<ApiResponse> {
    if (!isCallName(name)) return fail(new SiteError('NOT_FOUND', 'error.unknownCall', `Unknown call: ${name.slice(0, 60)}`));
    const token = cookieValue(req.headers.cookie, SITE_COOKIE);
    // Only the operator's own actions keep a session alive; the renderer's polls (`background`) do not.
    const operator = await siteSessionOperator(pool, siteId, token, api[name].background !== true, options.idleMs);
    const secure = req.protocol === 'https';
    return run(name, raw, { requestId: req.id, operator, token, setToken: (t) => void reply.header('set-cookie', sessionCookie(t, secure)) });
  }

  /** One call as the hub UI and a bench's site screens make it: roles, input and output checked as the bench's dispatcher does. */
  async function run(name: CallName, raw: unknown, ctx: CallCtx): Promise<ApiResponse> {
    const handler = handlers[name] as ((ctx: CallCtx, input: unknown) => Promise<unknown>) | undefined;
    if (!handler) return fail(new SiteError('NOT_FOUND', 'error.site.notAtHub', 'The site hub does not do this; use a bench.', { call: name }));
    const spec = api[name];
    const { operator } = ctx;
    if (spec.access !== 'public') {
      if (!operator) return fail(new SiteError('UNAUTHENTICATED', 'error.signInFirst', 'Sign in first: scan your badge.'));
      if (!spec.access.includes(operator.role)) return fail(new SiteError('FORBIDDEN', 'error.forbidden', 'Your role may not do this. Ask a lead or supervisor.', { role: operator.role }));
    }
    const parsed = spec.input.safeParse(raw ?? {});
    if (!parsed.success) return fail(inputError(parsed.error, name, raw));
    try {
      return { ok: true, value: spec.output.parse(await handler(ctx, parsed.data)) };
    } catch (err) {
      if (err instanceof SiteError) return fail(err);
      logFailure(name, ctx.requestId, err);
      return fail(hubFailed(ctx.requestId));
    }
  }

  const logFailure = (name: string, requestId: string, err: unknown): void => {
    deps.log(`hub: site call ${name.slice(0, 60)} failed (request ${requestId}): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  };

  const sameOrigin = (req: FastifyRequest): boolean => {
    const origin = req.headers.origin;
    return origin === undefined || origin === `${req.protocol}://${req.headers.host ?? ''}`;
  };

  // Whatever the call route could not answer itself is answered here, in the call answer's shape with its keyed
  // message, never by the hub's error handler in the bench contract's shape, which the hub UI could only show as
  // "unexpected answer": the hub stopping (its onRequest hook refuses every new request), a body Fastify could not
  // read (not JSON, too large, a content type it does not parse), and anything that failed on the way to the call.
  const callError = (err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    void reply.header('cache-control', 'no-store');
    if (deps.stopping()) {
      void reply.header('retry-after', '5');
      return reply.code(503).send(fail(new SiteError('INTERNAL', 'error.site.hubStopping', 'The site hub is stopping. Wait a moment, then try again.')));
    }
    const code = typeof err.code === 'string' ? err.code : '';
    // A route's schema refused the request (a bench's site call: hub/siteRoutes.ts); the hub UI's routes have none.
    if (err.validation !== undefined) {
      return reply.code(400).send(fail(new SiteError('INVALID_INPUT', 'error.invalidInput', `The request does not match the call: ${err.message.slice(0, 200)}`)));
    }
    if (code.startsWith('FST_ERR_CTP_')) {
      if (err.statusCode === 413) {
        // Fastify's own default when the hub sets none.
        const limitMb = Math.floor((app.initialConfig.bodyLimit ?? 1024 * 1024) / (1024 * 1024));
        return reply.code(413).send(fail(new SiteError('INVALID_INPUT', 'error.bodyTooLarge', `The request is larger than ${limitMb} MB, the most one call may carry.`, { limitMb })));
      }
      return reply.code(err.statusCode ?? 400).send(fail(new SiteError('INVALID_INPUT', 'error.invalidInput', `The request body could not be read: ${err.message}`)));
    }
    logFailure((req.params as { name?: string }).name ?? '?', req.id, err);
    return reply.code(500).send(fail(hubFailed(req.id)));
  };

  const notFound = (req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = req.url.split('?')[0] ?? '';
    void reply.header('cache-control', 'no-store');
    // A call asked for with the wrong method (a link opened, a GET from a script) is told how calls are made.
    const how = path.startsWith('/api/call/') && req.method !== 'POST' ? '; calls are POST' : '';
    const message = `No such endpoint at the site hub: ${req.method} ${path.slice(0, 120)}${how}.`;
    return reply.code(404).send(fail(new SiteError('NOT_FOUND', 'error.hub.notFound', message, { method: req.method, path: path.slice(0, 120) })));
  };

  app.post('/api/call/:name', { errorHandler: callError }, async (req, reply) => {
    const name = (req.params as { name: string }).name;
    void reply.header('cache-control', 'no-store');
    // CSRF: a cross-site page can neither send this header without a CORS preflight (never granted) nor pass the Origin check.
    const session = req.headers['x-station-session'];
    if (typeof session !== 'string' || !/^[A-Za-z0-9-]{8,64}$/.test(session) || !sameOrigin(req)) {
      return reply.code(403).send(fail(new SiteError('FORBIDDEN', 'error.site.crossSite', 'This call did not come from the hub UI.')));
    }
    // The renderer sends the call's input as a JSON object; anything else is no call's input, whatever its schema.
    if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
      return reply.code(400).send(fail(new SiteError('INVALID_INPUT', 'error.invalidInput', 'The request body is not a JSON object.')));
    }
    return reply.send(await dispatch(req, reply, name, req.body));
  });

  // The site export: a download the browser starts from a link, so the session cookie (SameSite=Strict: never
  // sent from another site) is its credential; supervisors only, as the bench's reports.export.
  app.get(SITE_REPORT_PATHS.export, { errorHandler: callError }, async (req, reply) => {
    void reply.header('cache-control', 'no-store');
    const refuse = (status: number, e: SiteError) => reply.code(status).send(fail(e));
    if (!sameOrigin(req)) return refuse(403, new SiteError('FORBIDDEN', 'error.site.crossSite', 'This call did not come from the hub UI.'));
    const operator = await siteSessionOperator(pool, siteId, cookieValue(req.headers.cookie, SITE_COOKIE), true, options.idleMs);
    if (!operator) return refuse(401, new SiteError('UNAUTHENTICATED', 'error.signInFirst', 'Sign in first: scan your badge.'));
    const spec = api['reports.export'];
    if (spec.access === 'public' || !spec.access.includes(operator.role)) {
      return refuse(403, new SiteError('FORBIDDEN', 'error.forbidden', 'Your role may not do this. Ask a lead or supervisor.', { role: operator.role }));
    }
    const parsed = SiteExportQuery.safeParse(req.query);
    if (!parsed.success) return refuse(400, inputError(parsed.error, 'reports.export', req.query));
    try {
      const file = await siteExport(pool, siteId, parsed.data, reports);
      deps.log(`hub: ${operator.id} exports the site report (${parsed.data.format})`);
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('x-content-type-options', 'nosniff')
        .send(file.body);
    } catch (err) {
      if (err instanceof SiteError) return refuse(err.status, err);
      throw err;
    }
  });

  // The renderer's event socket: the live dashboard's `dashboard.changed` (from PostgreSQL's NOTIFY) is
  // pushed here; the other screens poll.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  wss.on('error', () => undefined);
  const feed = deps.databaseUrl
    ? startSiteDashboardFeed({
        databaseUrl: deps.databaseUrl,
        siteId,
        log: deps.log,
        onChange: (at) => {
          const frame = JSON.stringify({ event: 'dashboard.changed', payload: { at: at.toISOString() } });
          for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(frame);
        },
      })
    : null;
  const onUpgrade = (req: import('node:http').IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const origin = req.headers.origin;
    const proto = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    if (!(req.url ?? '').startsWith('/api/events?') || (origin !== undefined && origin !== `${proto}://${req.headers.host ?? ''}`)) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      ws.on('message', () => undefined);
    });
  };
  app.server.on('upgrade', onUpgrade);

  if (options.staticDir) {
    const root = resolve(options.staticDir);
    app.get('/*', async (req, reply) => {
      const path = req.url.split('?')[0] ?? '/';
      if (isSiteUiPath(path)) return notFound(req, reply);
      if (NOT_PAGES.test(path)) {
        return reply.code(404).send({ error: 'error.hub.notFound', details: { message: `no such endpoint: GET ${path}` } });
      }
      let decoded: string;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        return reply.code(400).type('text/plain; charset=utf-8').send('The path is not valid percent-encoding.');
      }
      let file = resolve(root, '.' + decoded);
      if (file !== root && !file.startsWith(root + sep)) return reply.code(404).send();
      if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
      if (!existsSync(file)) return reply.code(503).type('text/plain; charset=utf-8').send('The hub UI is not built: run `npm run build:renderer`.');
      return reply
        .headers({ 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': RENDERER_CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' })
        .send(createReadStream(file));
    });
  }

  return {
    notFound,
    answerError: callError,
    // A bench's Review, Reports and Dashboard screens: the signed-in operator there, as the roster has them now.
    async callForBench(name, operatorId, raw, requestId) {
      if (!SITE_SCOPED_CALLS.has(name) && !SITE_FALLBACK_CALLS.has(name)) return fail(new SiteError('NOT_FOUND', 'error.site.notAtHub', 'The site hub does not do this; use a bench.', { call: name }));
      const operator = await siteOperator(pool, siteId, operatorId);
      if (!operator) return fail(new SiteError('UNAUTHENTICATED', 'error.signInFirst', 'Sign in first: scan your badge.'));
      return run(name, raw, { requestId, operator, token: null, setToken: () => undefined });
    },
    async close() {
      app.server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await feed?.stop();
    },
  };
}
