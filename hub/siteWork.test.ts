// Issue 15 at the hub: one roster (enrol / disable / reset, pulled by cursor), the site-wide PIN lock-out,
// the hub UI's session and call gate, and the site review queue. One embedded PostgreSQL for the file.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiResponse, SITE_PATHS, type DecisionPage, type OperatorSummary, type ReviewDetailResult, type RosterPage, type WmsEvent } from '../contract/index.js';
import type { DemoWms } from '../fixtures/demo-wms/server.js';
import { itemGraded } from '../tests/integration/sync-helpers.js';
import { HUB_PATHS, type BenchCredential } from './protocol.js';
import { HUB_STATION_ID } from './review.js';
import type { Hub } from './server.js';
import { verifySiteAudit } from './siteAudit.js';
import { sessionCookie } from './siteSession.js';
import { startTestSite, type TestSite } from './testSite.test-helper.js';
import { hashPin } from '../shared-node/pinHash.js';
import { defaultRuleSet } from '../domain/rules/defaultRuleSet.js';

let site: TestSite;
let wms: DemoWms;
let hub: Hub;
// Short, for the idle test; every other test signs in afresh and keeps its calls well inside it.
const IDLE_MS = 6000;
// The hub's own audit of site actions, newest last (hub/siteAudit.ts).
const auditOf = async (entity: string): Promise<{ actor: string; action: string }[]> =>
  (await hub.pool.query<{ actor: string; action: string }>('SELECT actor, action FROM site_audit WHERE site_id = $1 AND entity = $2 ORDER BY seq', [hub.siteId, entity])).rows;

beforeAll(async () => {
  site = await startTestSite({ siteId: 'SITE-R', wmsToken: 'wms-token-site', products: 5, rmas: 5, site: { lockAfterFailures: 3, lockMinutes: 5, idleMs: IDLE_MS } });
  ({ hub, wms } = site);
});
afterAll(async () => {
  await site?.close();
});

async function http(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(hub.url + path, {
    method,
    headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, json, headers: res.headers };
}

const admin = (method: string, path: string, body?: unknown) => http(method, path, { token: hub.adminToken, ...(body !== undefined ? { body } : {}) });

async function enrolBench(stationId: string): Promise<BenchCredential> {
  const code = await admin('POST', HUB_PATHS.adminCodes, { stationId });
  const cred = await http('POST', HUB_PATHS.enrol, { body: { code: (code.json as { code: string }).code } });
  return cred.json as BenchCredential;
}

/** A browser tab of the hub UI: keeps the cookie the hub sets, sends the renderer's header. */
class Tab {
  cookie = '';
  lastSetCookie: string | null = null;
  constructor(readonly session = randomUUID()) {}
  async call<T = unknown>(name: string, input: unknown = {}, headers: Record<string, string> = {}): Promise<{ status: number; body: ApiResponse; value: T }> {
    const res = await fetch(`${hub.url}/api/call/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-station-session': this.session, ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
      body: JSON.stringify(input),
    });
    const set = res.headers.get('set-cookie');
    if (set) {
      this.lastSetCookie = set;
      this.cookie = set.split(';')[0] ?? '';
    }
    const body = (await res.json()) as ApiResponse;
    return { status: res.status, body, value: (body.ok ? body.value : undefined) as T };
  }
}
const errorOf = (r: { body: ApiResponse }) => (r.body.ok ? null : r.body.error);

describe('site roster at the hub', () => {
  let sup: OperatorSummary;
  it('enrols once; the same person again and a badge in use are refused with their own codes', async () => {
    const r = await admin('POST', '/admin/v1/operators', { badge: 'SUP-1', name: 'Sato', role: 'supervisor', pin: '1111' });
    expect(r.status).toBe(200);
    sup = r.json as OperatorSummary;
    expect(sup).toMatchObject({ badge: 'SUP-1', role: 'supervisor', disabled: false });
    const twice = await admin('POST', '/admin/v1/operators', { badge: 'SUP-1', name: 'sato', role: 'lead', pin: '2222' });
    expect(twice.status).toBe(409);
    expect((twice.json as { error: string }).error).toBe('error.site.alreadyEnrolled');
    const taken = await admin('POST', '/admin/v1/operators', { badge: 'SUP-1', name: 'Suzuki', role: 'lead', pin: '2222' });
    expect(taken.status).toBe(409);
    expect((taken.json as { error: string }).error).toBe('error.badgeTaken');
    // A badge typed in another case is the same badge: a second operator under it would be one a case-blind lookup
    // (the review queue's operator filter, a lead reading it aloud) cannot tell from the first.
    const otherCase = await admin('POST', '/admin/v1/operators', { badge: 'sup-1', name: 'Suzuki', role: 'lead', pin: '2222' });
    expect(otherCase.status).toBe(409);
    expect((otherCase.json as { error: string }).error).toBe('error.badgeTaken');
    expect(((await admin('POST', '/admin/v1/operators', { badge: 'Sup-1', name: 'SATO', role: 'lead', pin: '2222' })).json as { error: string }).error).toBe('error.site.alreadyEnrolled');
    const bad = await admin('POST', '/admin/v1/operators', { badge: 'has space', name: 'X', role: 'lead', pin: '12' });
    expect(bad.status).toBe(400);
    expect((await admin('GET', '/admin/v1/operators')).json).toMatchObject({ operators: [{ badge: 'SUP-1' }] });
  });

  it('is pulled by benches by cursor, and a disable is a new row after the cursor', async () => {
    const bench = await enrolBench('BENCH-R1');
    await admin('POST', '/admin/v1/operators', { badge: 'L-1', name: 'Lead One', role: 'lead', pin: '4321' });
    const staff = (await admin('POST', '/admin/v1/operators', { badge: 'S-1', name: 'Staff One', role: 'staff', pin: '5555' })).json as OperatorSummary;
    const first = (await http('GET', `${SITE_PATHS.roster}?after=0&limit=2`, { token: bench.token })).json as RosterPage;
    expect(first.operators.map((o) => o.badge)).toEqual(['SUP-1', 'L-1']);
    expect(first.operators[0]?.pinHash).toMatch(/^scrypt\$32768\$/);
    expect(first.next).toBe(first.operators[1]?.rev);
    const rest = (await http('GET', `${SITE_PATHS.roster}?after=${first.next}`, { token: bench.token })).json as RosterPage;
    expect(rest.operators.map((o) => o.badge)).toEqual(['S-1']);
    expect(rest.next).toBeNull();
    const cursor = rest.operators[0]!.rev;
    expect((await http('GET', `${SITE_PATHS.roster}?after=${cursor}`, { token: bench.token })).json).toEqual({ operators: [], next: null });
    await admin('POST', `/admin/v1/operators/${staff.id}/disable`, { disabled: true });
    const after = (await http('GET', `${SITE_PATHS.roster}?after=${cursor}`, { token: bench.token })).json as RosterPage;
    expect(after.operators).toMatchObject([{ badge: 'S-1', disabled: true }]);
    // Without a bench credential there is no roster.
    expect((await http('GET', `${SITE_PATHS.roster}?after=0`)).status).toBe(401);
    await admin('POST', `/admin/v1/operators/${staff.id}/disable`, { disabled: false });
  });

  it('counts PIN failures site-wide: twenty guesses at once check at most three PINs, then the badge is locked everywhere', async () => {
    const b1 = await enrolBench('BENCH-R2');
    const b2 = await enrolBench('BENCH-R3');
    const target = (await admin('POST', '/admin/v1/operators', { badge: 'L-LOCK', name: 'Locked Lead', role: 'lead', pin: '8642' })).json as OperatorSummary;
    const guesses = Array.from({ length: 20 }, (_, i) =>
      http('POST', SITE_PATHS.checkPin, { token: (i % 2 ? b1 : b2).token, body: { badge: 'L-LOCK', pin: String(1000 + i) } }),
    );
    const answers = await Promise.all(guesses);
    const codes = answers.map((a) => (a.json as { error: string }).error);
    expect(codes.filter((c) => c === 'error.signInFailed')).toHaveLength(3);
    expect(codes.filter((c) => c === 'error.locked')).toHaveLength(17);
    // The right PIN, from either bench or the hub UI, is locked out too.
    const right = await http('POST', SITE_PATHS.checkPin, { token: b1.token, body: { badge: 'L-LOCK', pin: '8642' } });
    expect(right.status).toBe(423);
    expect(errorOf(await new Tab().call('session.signIn', { badge: 'L-LOCK', pin: '8642' }))?.messageKey).toBe('error.locked');
    // A supervisor's PIN reset lifts it.
    await admin('POST', `/admin/v1/operators/${target.id}/pin`, { pin: '9753' });
    const ok = await http('POST', SITE_PATHS.checkPin, { token: b2.token, body: { badge: 'L-LOCK', pin: '9753' } });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ id: target.id, name: 'Locked Lead', role: 'lead' });
  });

  it('a right PIN clears earlier failures; a disabled badge reads like an unknown one', async () => {
    const b = await enrolBench('BENCH-R4');
    const check = (pin: string, badge = 'L-1') => http('POST', SITE_PATHS.checkPin, { token: b.token, body: { badge, pin } });
    expect((await check('0000')).status).toBe(401);
    expect((await check('0001')).status).toBe(401);
    expect((await check('4321')).status).toBe(200);
    // Two more failures do not lock: the count started again.
    expect((await check('0002')).status).toBe(401);
    expect((await check('0003')).status).toBe(401);
    expect((await check('4321')).status).toBe(200);
    expect((await check('4321', 'NOBODY')).json).toMatchObject({ error: 'error.signInFailed' });
  });

  it('compares badges as sign-in normalizes them: lower case and full width are one badge, also one stored lower case before', async () => {
    const b = await enrolBench('BENCH-R5');
    const enrolled = await admin('POST', '/admin/v1/operators', { badge: ' l-case ', name: 'Lead Case', role: 'lead', pin: '1470' });
    expect(enrolled.json).toMatchObject({ badge: 'L-CASE' });
    expect(((await admin('POST', '/admin/v1/operators', { badge: 'Ｌ－ＣＡＳＥ', name: 'Someone Else', role: 'lead', pin: '1470' })).json as { error: string }).error).toBe('error.badgeTaken');
    expect((await http('POST', SITE_PATHS.checkPin, { token: b.token, body: { badge: 'ｌ－ｃａｓｅ', pin: '1470' } })).status).toBe(200);
    expect((await new Tab().call('session.signIn', { badge: 'l-case', pin: '1470' })).body.ok).toBe(true);
    // A badge the hub stored in lower case before badges were normalized.
    await hub.pool.query(
      `INSERT INTO operators (site_id, id, badge, name, role, pin_hash, rev) VALUES ($1, 'op-legacy', 'old-7', 'Old Lead', 'lead', $2, nextval('roster_rev'))`,
      [hub.siteId, await hashPin('2580')],
    );
    expect((await http('POST', SITE_PATHS.checkPin, { token: b.token, body: { badge: 'OLD-7', pin: '2580' } })).json).toMatchObject({ id: 'op-legacy' });
    expect((await new Tab().call('session.signIn', { badge: 'ＯＬＤ－７', pin: '2580' })).value).toMatchObject({ id: 'op-legacy' });
    expect(((await admin('POST', '/admin/v1/operators', { badge: 'OLD-7', name: 'Someone Else', role: 'lead', pin: '1470' })).json as { error: string }).error).toBe('error.badgeTaken');
    // Benches get it in the form they compare.
    const page = (await http('GET', `${SITE_PATHS.roster}?after=0&limit=1000`, { token: b.token })).json as RosterPage;
    expect(page.operators.find((o) => o.id === 'op-legacy')?.badge).toBe('OLD-7');
  });
});

describe('hub UI: sign-in, cookie, CSRF, roles, idle', () => {
  it('signs a supervisor in with an HttpOnly, SameSite=Strict cookie and answers for them', async () => {
    const tab = new Tab();
    expect((await tab.call('session.current')).value).toBeNull();
    const signIn = await tab.call('session.signIn', { badge: 'SUP-1', pin: '1111' });
    expect(signIn.body.ok).toBe(true);
    expect(tab.lastSetCookie).toMatch(/^rs_site=[A-Za-z0-9_-]{40,}; HttpOnly; SameSite=Strict; Path=\/$/);
    expect((await tab.call('session.current')).value).toMatchObject({ name: 'Sato', role: 'supervisor' });
    expect((await tab.call('system.info')).value).toMatchObject({ site: true, stationId: 'SITE-R' });
    // The status bar's relay state and its "send now".
    expect((await tab.call('sync.status')).value).toMatchObject({ pending: expect.any(Number), deadLetters: 0 });
    expect((await tab.call('sync.flush')).body.ok).toBe(true);
    const list = await tab.call<{ operators: OperatorSummary[] }>('operators.list');
    expect(list.value.operators.map((o) => o.badge)).toContain('L-1');
    // Signed out: the cookie is cleared and the old token is worth nothing.
    const old = tab.cookie;
    await tab.call('session.signOut');
    expect(tab.lastSetCookie).toMatch(/Max-Age=0/);
    tab.cookie = old;
    expect(errorOf(await tab.call('operators.list'))?.code).toBe('UNAUTHENTICATED');
  });

  it('marks the cookie Secure when the hub is reached over TLS', () => {
    expect(sessionCookie('t0k3n', true)).toBe('rs_site=t0k3n; HttpOnly; SameSite=Strict; Path=/; Secure');
    expect(sessionCookie(null, true)).toMatch(/^rs_site=; HttpOnly; SameSite=Strict; Path=\/; Secure; Max-Age=0$/);
  });

  it('refuses calls without the renderer header or from another origin (CSRF), and unknown or bench-only calls', async () => {
    const tab = new Tab();
    await tab.call('session.signIn', { badge: 'SUP-1', pin: '1111' });
    const noHeader = await fetch(`${hub.url}/api/call/operators.list`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: tab.cookie }, body: '{}' });
    expect(noHeader.status).toBe(403);
    const foreign = await tab.call('operators.list', {}, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(errorOf(foreign)?.messageKey).toBe('error.site.crossSite');
    expect(errorOf(await tab.call('item.grade', {}))?.messageKey).toBe('error.site.notAtHub');
    expect(errorOf(await tab.call('no.such'))?.messageKey).toBe('error.unknownCall');
  });

  it('refuses a body that is not a JSON object in the call answer’s own shape (the keyed error the hub UI shows), as 400', async () => {
    const session = randomUUID();
    const send = async (body: string, contentType = 'application/json') => {
      const res = await fetch(`${hub.url}/api/call/system.info`, {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-station-session': session },
        body,
      });
      const text = await res.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON: the assertions below say so
      }
      return { status: res.status, json };
    };
    for (const body of ['{nope', '{"a":', '', '[1, 2]', '"operators"', '42', 'null', 'true']) {
      const r = await send(body);
      expect(r.status, body).toBe(400);
      expect(ApiResponse.safeParse(r.json).success, `${body}: ${JSON.stringify(r.json)}`).toBe(true);
      expect(r.json, body).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', messageKey: 'error.invalidInput' } });
    }
    // Text is read as a string, which is no object; a type the hub reads not at all is 415.
    expect(await send('{}', 'text/plain')).toMatchObject({ status: 400, json: { ok: false, error: { messageKey: 'error.invalidInput' } } });
    expect(await send('<call/>', 'application/xml')).toMatchObject({ status: 415, json: { ok: false, error: { messageKey: 'error.invalidInput' } } });
    const huge = await send(JSON.stringify({ pad: 'x'.repeat(9 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect(huge.json).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', messageKey: 'error.bodyTooLarge', params: { limitMb: 8 } } });
    expect(await send('{}')).toMatchObject({ status: 200, json: { ok: true, value: { site: true } } });
  });

  it('enforces roles per call: staff cannot sign in to the hub, a lead cannot manage the roster', async () => {
    expect(errorOf(await new Tab().call('session.signIn', { badge: 'S-1', pin: '5555' }))?.messageKey).toBe('error.site.leadsOnly');
    const lead = new Tab();
    expect((await lead.call('session.signIn', { badge: 'L-1', pin: '4321' })).body.ok).toBe(true);
    expect(errorOf(await lead.call('operators.enrol', { badge: 'X-1', name: 'X', role: 'staff', pin: '1234', pinRepeat: '1234' }))?.code).toBe('FORBIDDEN');
    expect((await lead.call('review.list', {})).body.ok).toBe(true);
  });

  it('a supervisor enrols, disables and resets at the hub UI, with clear errors; disabling ends that operator’s hub sessions', async () => {
    const sup = new Tab();
    await sup.call('session.signIn', { badge: 'SUP-1', pin: '1111' });
    const enrolled = await sup.call<OperatorSummary>('operators.enrol', { badge: 'L-2', name: 'Lead Two', role: 'lead', pin: '2468', pinRepeat: '2468' });
    expect(enrolled.value).toMatchObject({ badge: 'L-2', role: 'lead' });
    expect(errorOf(await sup.call('operators.enrol', { badge: 'L-2', name: 'Lead Two', role: 'lead', pin: '2468', pinRepeat: '2468' }))?.messageKey).toBe('error.site.alreadyEnrolled');
    expect(errorOf(await sup.call('operators.enrol', { badge: 'L-3', name: 'Lead Three', role: 'lead', pin: '2468', pinRepeat: '2469' }))?.code).toBe('INVALID_INPUT');
    const lead2 = new Tab();
    expect((await lead2.call('session.signIn', { badge: 'L-2', pin: '2468' })).body.ok).toBe(true);
    await sup.call('operators.setDisabled', { operatorId: enrolled.value.id, disabled: true });
    expect((await lead2.call('session.current')).value).toBeNull();
    expect(errorOf(await sup.call('operators.setDisabled', { operatorId: (await sup.call<{ id: string }>('session.current')).value.id, disabled: true }))?.messageKey).toBe('error.cannotDisableSelf');
    expect((await sup.call<OperatorSummary>('operators.resetPin', { operatorId: enrolled.value.id, pin: '1357', pinRepeat: '1357' })).value.badge).toBe('L-2');
    // Each roster change is in the site's hash chain, by the supervisor who made it; the refused ones are not.
    const supId = (await sup.call<{ id: string }>('session.current')).value.id;
    expect(await auditOf(enrolled.value.id)).toEqual([
      { actor: supId, action: 'operator.enrolled' },
      { actor: supId, action: 'operator.disabled' },
      { actor: supId, action: 'operator.pinReset' },
    ]);
    expect(await verifySiteAudit(hub.pool, hub.siteId)).toMatchObject({ ok: true });
  });

  it('signs out after the idle time even while the UI keeps polling', async () => {
    const tab = new Tab();
    await tab.call('session.signIn', { badge: 'L-1', pin: '4321' });
    const until = Date.now() + IDLE_MS + 1500;
    let last: unknown = 'unset';
    while (Date.now() < until) {
      // Background calls (the session check, the status bar) answer but do not count as the operator's activity.
      last = (await tab.call('session.current')).value;
      await tab.call('sync.status');
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(last).toBeNull();
    expect(errorOf(await tab.call('review.list', {}))?.code).toBe('UNAUTHENTICATED');
  });
});

describe('site review queue', () => {
  const sequences = new Map<string, number>();
  function graded(stationId: string, k: number, gradedAt: string, operatorId: string): WmsEvent {
    const body = itemGraded(`P-${stationId}-${k}`, k);
    const itemId = randomUUID();
    const sequence = (sequences.get(itemId) ?? 0) + 1;
    sequences.set(itemId, sequence);
    return {
      idempotencyKey: randomUUID(),
      aggregateType: 'item',
      aggregateId: itemId,
      sequence,
      occurredAt: gradedAt,
      type: 'item.graded',
      payload: { ...body.payload, itemId, stationId, gradedAt, operatorId, flags: ['high_value'], heldForReview: true },
    } as WmsEvent;
  }

  let b1: BenchCredential;
  let b2: BenchCredential;
  let lead: Tab;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    b1 = await enrolBench('BENCH-Q1');
    b2 = await enrolBench('BENCH-Q2');
    const e1 = graded('BENCH-Q1', 1, '2026-01-01T09:00:00.000Z', 'op-a');
    const e2 = graded('BENCH-Q2', 2, '2026-01-01T08:00:00.000Z', 'op-b');
    const e3 = graded('BENCH-Q1', 3, '2026-01-01T10:00:00.000Z', 'op-b');
    const plain = graded('BENCH-Q2', 4, '2026-01-01T07:00:00.000Z', 'op-b');
    (plain.payload as { heldForReview?: boolean }).heldForReview = false;
    ids.q1a = (e1.payload as { itemId: string }).itemId;
    ids.q2 = (e2.payload as { itemId: string }).itemId;
    ids.q1b = (e3.payload as { itemId: string }).itemId;
    for (const [cred, events] of [[b1, [e1, e3]], [b2, [e2, plain]]] as const) {
      const r = await http('POST', '/api/v1/events', { token: cred.token, body: { stationId: cred.stationId, events } });
      expect((r.json as { results: { status: string }[] }).results.map((a) => a.status)).toEqual(['applied', 'applied']);
    }
    // A replayed batch adds nothing to the queue.
    await http('POST', '/api/v1/events', { token: b1.token, body: { stationId: b1.stationId, events: [e1] } });
  });
  beforeEach(async () => {
    lead = new Tab();
    expect((await lead.call('session.signIn', { badge: 'L-1', pin: '4321' })).body.ok).toBe(true);
  });

  type Page = { items: { itemId: string; stationId: string; reviewStatus: string; operatorId: string }[]; total: number };
  it('lists every bench’s held items in one queue, oldest first, with the bench; filters by bench and operator', async () => {
    const all = (await lead.call<Page>('review.list', {})).value;
    expect(all.total).toBe(3);
    expect(all.items.map((i) => [i.itemId, i.stationId])).toEqual([
      [ids.q2, 'BENCH-Q2'],
      [ids.q1a, 'BENCH-Q1'],
      [ids.q1b, 'BENCH-Q1'],
    ]);
    expect((await lead.call<Page>('review.list', { stationId: 'BENCH-Q1' })).value.items.map((i) => i.itemId)).toEqual([ids.q1a, ids.q1b]);
    expect((await lead.call<Page>('review.list', { operatorId: 'op-b' })).value.items.map((i) => i.itemId)).toEqual([ids.q2, ids.q1b]);
    expect((await lead.call<Page>('review.list', { sort: 'newest', stationId: 'BENCH-Q1', operatorId: 'op-b' })).value.items.map((i) => i.itemId)).toEqual([ids.q1b]);
    expect((await lead.call<{ stationId: string; ruleId: string }>('review.get', { itemId: ids.q2 })).value).toMatchObject({ stationId: 'BENCH-Q2', ruleId: 'R1' });
  });

  it('approves and overrides as events relayed to the WMS; a second decision is stale; the holding bench pulls its decisions', async () => {
    const approved = await lead.call<{ reviewStatus: string; reviewedBy: string }>('review.approve', { itemId: ids.q2 });
    expect(approved.value.reviewStatus).toBe('approved');
    const stale = errorOf(await lead.call('review.approve', { itemId: ids.q2 }));
    expect(stale?.code).toBe('CONFLICT');
    expect(stale?.messageKey).toBe('error.site.alreadyDecided');
    const over = await lead.call<{ reviewStatus: string; disposition: string; grade: string }>('review.override', { itemId: ids.q1a, disposition: 'repair', grade: 'C', reason: 'hinge cracked' });
    expect(over.value).toMatchObject({ reviewStatus: 'overridden', disposition: 'repair', grade: 'C' });
    expect(errorOf(await lead.call('review.override', { itemId: ids.q1a, disposition: 'resale', reason: 'second thoughts' }))?.messageKey).toBe('error.site.alreadyDecided');

    await hub.relay.drain();
    const atWms = wms.db.prepare("SELECT type, station_id AS station, payload FROM events WHERE type IN ('item.approved', 'item.overridden') ORDER BY seq").all() as { type: string; station: string; payload: string }[];
    expect(atWms.map((e) => [e.type, e.station, (JSON.parse(e.payload) as { itemId: string }).itemId])).toEqual([
      ['item.approved', HUB_STATION_ID, ids.q2],
      ['item.overridden', HUB_STATION_ID, ids.q1a],
    ]);
    expect(JSON.parse(atWms[1]!.payload)).toMatchObject({ after: { disposition: 'repair', grade: 'C' }, before: { disposition: 'restock' }, reason: 'hinge cracked' });

    const forQ1 = (await http('GET', `${SITE_PATHS.decisions}?after=0`, { token: b1.token })).json as DecisionPage;
    expect(forQ1.decisions).toMatchObject([{ itemId: ids.q1a, kind: 'overridden', after: { disposition: 'repair' }, reason: 'hinge cracked' }]);
    const forQ2 = (await http('GET', `${SITE_PATHS.decisions}?after=0`, { token: b2.token })).json as DecisionPage;
    expect(forQ2.decisions).toMatchObject([{ itemId: ids.q2, kind: 'approved', after: null }]);
    expect((await lead.call<Page>('review.list', {})).value.items.map((i) => i.itemId)).toEqual([ids.q1b]);
    // Decisions are site actions in the hub's audit chain; the stale second tries left nothing there.
    expect((await auditOf(ids.q2 ?? '')).map((e) => e.action)).toEqual(['review.approved']);
    expect((await auditOf(ids.q1a ?? '')).map((e) => e.action)).toEqual(['review.overridden']);
    expect(await verifySiteAudit(hub.pool, hub.siteId)).toMatchObject({ ok: true });
  });

  it('queues a lot_mismatch from a bench with the lot the line sold beside the lot that came back', async () => {
    await hub.pool.query(
      `INSERT INTO reference_rows (site_id, resource, id, updated_at, body) VALUES ($1, 'rmas', 'RMA-LOT-1', '2026-01-01T00:00:00Z', $2)`,
      [hub.siteId, JSON.stringify({ rmaNumber: 'RMA-LOT-1', lines: [{ id: 'RMA-LOT-1-L1', sku: 'SKU-00001', qty: 1, lot: 'L2406A' }] })],
    );
    const e = graded('BENCH-Q2', 8, '2026-01-03T09:00:00.000Z', 'op-b');
    Object.assign(e.payload, { rmaNumber: 'RMA-LOT-1', lineId: 'RMA-LOT-1-L1', lot: 'L2311C', flags: ['lot_mismatch'], ruleId: 'flagged-to-review', ruleSetVersion: defaultRuleSet.version });
    await http('POST', '/api/v1/events', { token: b2.token, body: { stationId: 'BENCH-Q2', events: [e] } });
    const itemId = (e.payload as { itemId: string }).itemId;
    expect((await lead.call<Page>('review.list', { flag: 'lot_mismatch' })).value.items.map((i) => i.itemId)).toEqual([itemId]);
    const detail = await lead.call<ReviewDetailResult>('review.get', { itemId });
    expect(detail.value).toMatchObject({ flags: ['lot_mismatch'], identity: { lot: 'L2311C' }, sold: { lot: 'L2406A' } });
    // The rule that routed it, from the version it was routed by (the shipped one: the site has published none yet).
    const rule = defaultRuleSet.rules.find((r) => r.id === 'flagged-to-review');
    expect(detail.value.rule).toEqual({ when: rule?.when, explain: rule?.explain });
    await lead.call('review.approve', { itemId });
  });

  it('finds an operator’s items by badge or name, and names the operator in each row', async () => {
    const ops = ((await http('GET', '/admin/v1/operators', { token: hub.adminToken })).json as { operators: OperatorSummary[] }).operators;
    const staff = ops.find((o) => o.badge === 'S-1')!;
    const e = graded('BENCH-Q2', 7, '2026-01-03T08:00:00.000Z', staff.id);
    await http('POST', '/api/v1/events', { token: b2.token, body: { stationId: 'BENCH-Q2', events: [e] } });
    const itemId = (e.payload as { itemId: string }).itemId;
    for (const who of ['S-1', 's-1', 'Ｓ－１', 'staff one', staff.id]) {
      const page = (await lead.call<{ items: { itemId: string; operatorName: string | null }[] }>('review.list', { operatorId: who })).value;
      expect(page.items, who).toEqual([expect.objectContaining({ itemId, operatorName: 'Staff One' })]);
    }
    await lead.call('review.approve', { itemId });
  });

  it('bulk approves what still waits and reports the rest as skipped; a bench’s own decision closes the row too', async () => {
    const r = await lead.call<{ approved: string[]; skipped: string[] }>('review.bulkApprove', { itemIds: [ids.q1b!, ids.q2!] });
    expect(r.value).toEqual({ approved: [ids.q1b], skipped: [ids.q2] });
    const e = graded('BENCH-Q2', 9, '2026-01-02T08:00:00.000Z', 'op-b');
    const itemId = (e.payload as { itemId: string }).itemId;
    const decidedAtBench = { ...e, idempotencyKey: randomUUID(), sequence: 2, type: 'item.approved', payload: { itemId, lpn: 'L', operatorId: 'op-lead', stationId: 'BENCH-Q2', reviewedAt: '2026-01-02T08:05:00.000Z' } } as WmsEvent;
    await http('POST', '/api/v1/events', { token: b2.token, body: { stationId: 'BENCH-Q2', events: [e, decidedAtBench] } });
    expect((await lead.call<Page>('review.list', { status: 'all', stationId: 'BENCH-Q2' })).value.items.find((i) => i.itemId === itemId)?.reviewStatus).toBe('approved');
    expect(errorOf(await lead.call('review.approve', { itemId }))?.messageKey).toBe('error.site.alreadyDecided');
  });
});
