import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CheckPinRequest, isCallName, NewOperatorFields, RosterQuery, RuleSetRefusal, SITE_PATHS, SiteToteParams, type ApiResponse, type CallName } from '../contract/index.js';
import { SiteCallParams, SiteCallRequest } from '../contract/site.js';
import type { Pool } from './db.js';
import { decisionsFor } from './review.js';
import { checkPin, countOperators, enrolOperator, listOperators, resetOperatorPin, rosterPage, setOperatorDisabled, type LockPolicy } from './roster.js';
import { recordRuleSetRefusal, siteRuleSetBody } from './ruleSets.js';
import { SiteError } from './siteErrors.js';
import { siteToteReceived } from './totes.js';

type App = FastifyInstance;

const send = (reply: FastifyReply, err: unknown): FastifyReply => {
  if (!(err instanceof SiteError)) throw err;
  return reply.code(err.status).send({ error: err.messageKey, details: { message: err.message, ...err.params } });
};

/** What an enrolled bench asks the hub about the site: its roster, sign-ins against the site-wide lock-out, decisions. */
export function registerSiteBenchRoutes(
  bench: App,
  deps: {
    pool: Pool;
    siteId: string;
    benchId: (req: { benchId: string }) => string;
    lock: LockPolicy;
    /** The hub UI's own call path (hub/siteUi.ts), for a bench's site-scoped screens. */
    siteCall: (name: CallName, operatorId: string, input: unknown, requestId: string) => Promise<ApiResponse>;
    /** A failure on the way to or inside a site call, answered in the call answer's shape (hub/siteUi.ts). */
    siteCallError: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => FastifyReply;
  },
): void {
  const b = bench.withTypeProvider<ZodTypeProvider>();
  b.get(SITE_PATHS.roster, { schema: { querystring: RosterQuery } }, async (req) => rosterPage(deps.pool, deps.siteId, req.query.after, req.query.limit));
  b.post(SITE_PATHS.checkPin, { schema: { body: CheckPinRequest } }, async (req, reply) => {
    // A site that has not enrolled anyone yet has no roster to check against: its benches keep their own
    // operators until the first one is enrolled here (a bench reads this answer as "ask your own copy").
    if ((await countOperators(deps.pool, deps.siteId)) === 0) {
      return reply.code(404).send({ error: 'error.site.noRoster', details: { message: 'this site has no roster yet; benches use their own operators' } });
    }
    try {
      return await checkPin(deps.pool, deps.siteId, req.body.badge, req.body.pin, deps.lock);
    } catch (err) {
      return send(reply, err);
    }
  });
  b.get(SITE_PATHS.decisions, { schema: { querystring: RosterQuery } }, async (req) => decisionsFor(deps.pool, deps.siteId, deps.benchId(req), req.query.after, req.query.limit));
  // A bench closing a tote asks which of its bags the site's other benches received (issue 17).
  b.get(SITE_PATHS.toteReceived, { schema: { params: SiteToteParams } }, async (req) => siteToteReceived(deps.pool, deps.siteId, req.params.toteId));
  // The answer is the call's own ({ ok, value } or { ok: false, error }), so a bench hands it to its screen as it came:
  // a call the hub does not know, a body it refused and a failure inside the hub too (error.site.hubFailed with the
  // request id of the hub's log line), as the hub UI's /api/call answers them. A refusal before the route (the bench's
  // credential, the hub stopping) keeps the contract's shape, as on every bench route: the bench then answers from its
  // own copy.
  const siteCallError = (err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (!req.benchId) throw err;
    return deps.siteCallError(err, req, reply);
  };
  b.post(SITE_PATHS.siteCall, { schema: { params: SiteCallParams, body: SiteCallRequest }, errorHandler: siteCallError }, async (req, reply) => {
    const name = req.params.name;
    if (!isCallName(name)) {
      return reply.code(404).send({ ok: false, error: new SiteError('NOT_FOUND', 'error.unknownCall', `Unknown call: ${name.slice(0, 64)}`, { call: name.slice(0, 64) }).toApiError() } satisfies ApiResponse);
    }
    return deps.siteCall(name, req.body.operatorId, req.body.input, req.id);
  });
  // Issue 15 (wt-15s): the site's rule set, which every bench of the site routes by (null: none published yet).
  b.get(SITE_PATHS.ruleSet, async () => ({ ruleSet: await siteRuleSetBody(deps.pool, deps.siteId), siteId: deps.siteId }));
  // A bench refused the rule set it was served: the site's audit says which bench and why.
  b.post(SITE_PATHS.ruleSetRefused, { schema: { body: RuleSetRefusal } }, async (req, reply) => {
    await recordRuleSetRefusal(deps.pool, deps.siteId, deps.benchId(req), req.body);
    return reply.code(204).send();
  });
}

const OperatorId = z.object({ operatorId: z.string().min(1).max(64) });

/**
 * The roster for the hub's administrator (bearer admin token, `npm run hub -- operators …`): the way the
 * site's first supervisor is enrolled, before anyone can sign in to the hub UI. Later changes are the
 * supervisors' own, from the hub UI (the operators.* calls).
 */
export function registerSiteAdminRoutes(admin: App, deps: { pool: Pool; siteId: string }): void {
  const a = admin.withTypeProvider<ZodTypeProvider>();
  a.get('/admin/v1/operators', async () => ({ operators: await listOperators(deps.pool, deps.siteId) }));
  a.post('/admin/v1/operators', { schema: { body: NewOperatorFields.omit({ pinRepeat: true }) } }, async (req, reply) => {
    try {
      return await enrolOperator(deps.pool, deps.siteId, req.body, 'admin');
    } catch (err) {
      return send(reply, err);
    }
  });
  a.post('/admin/v1/operators/:operatorId/disable', { schema: { params: OperatorId, body: z.object({ disabled: z.boolean() }) } }, async (req, reply) => {
    try {
      return await setOperatorDisabled(deps.pool, deps.siteId, null, req.params.operatorId, req.body.disabled);
    } catch (err) {
      return send(reply, err);
    }
  });
  a.post('/admin/v1/operators/:operatorId/pin', { schema: { params: OperatorId, body: z.object({ pin: z.string().regex(/^\d{4,8}$/) }) } }, async (req, reply) => {
    try {
      return await resetOperatorPin(deps.pool, deps.siteId, req.params.operatorId, req.body.pin, 'admin');
    } catch (err) {
      return send(reply, err);
    }
  });
}
