import { afterEach, describe, expect, it } from 'vitest';
import { SITE_PATHS } from '../../contract/index.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { createSiteSync } from './siteSync.js';

let db: Db | undefined;
afterEach(() => db?.close());

/** A hub with an empty roster and no decisions; each rule-set request is counted and may be held back. */
function fakeHub() {
  const held: (() => void)[] = [];
  let hold = false;
  const calls = { ruleSet: 0 };
  const json = (body: unknown): Response => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  const fetchFake = (async (url: string | URL | Request) => {
    const path = new URL(String(url)).pathname;
    if (path === SITE_PATHS.ruleSet) {
      calls.ruleSet++;
      if (hold) await new Promise<void>((resolve) => held.push(resolve));
      return json({ ruleSet: null });
    }
    if (path === SITE_PATHS.roster) return json({ operators: [], next: null });
    if (path === SITE_PATHS.decisions) return json({ decisions: [], next: null });
    return new Response('{}', { status: 404 });
  }) as typeof fetch;
  return { fetchFake, calls, held, setHold: (h: boolean) => (hold = h) };
}

describe('site sync, pull now', () => {
  it('asked while a pull runs, pulls again after it (once for everyone who asked meanwhile)', async () => {
    db = openDatabase(':memory:');
    const hub = fakeHub();
    const site = createSiteSync({ db, baseUrl: 'http://hub.test', token: 't', intervalMs: 60_000, fetch: hub.fetchFake });
    hub.setHold(true);
    const first = site.pullNow();
    await new Promise((r) => setTimeout(r, 10));
    expect(hub.calls.ruleSet).toBe(1);
    // A rule set is published now; these callers must see a pull that starts after this moment.
    hub.setHold(false);
    const asked = [site.pullNow(), site.pullNow(), site.pullNow()];
    hub.held.shift()!();
    await first;
    await Promise.all(asked);
    expect(hub.calls.ruleSet).toBe(2);
    // With nothing running, a call pulls at once.
    await site.pullNow();
    expect(hub.calls.ruleSet).toBe(3);
  });
});
