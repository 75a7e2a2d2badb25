// The site hub goes away and comes back (a relay in front of it cut and restored): a bench's lead screens say "this
// bench only" and go back to the whole site by themselves, and the hub UI's bar says the hub is lost and stops
// saying so once it answers again; both say it again when the hub goes away again. Before, the notes stayed.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScreen, screenshotDir, signIn } from './harness.js';
import { signInAtHub, startSite, type Site } from './siteHarness.js';

let site: Site;

beforeAll(async () => {
  site = await startSite({ benches: ['BENCH-A'], proxied: true });
  await site.gradeFlagged(0, 0);
}, 240_000);

afterAll(async () => {
  site?.hubLink?.up();
  await site?.close();
});

describe('the hub away and back', () => {
  it('a bench’s review: "this bench only" while the hub is away, the whole site again when it answers, and again', async () => {
    const link = site.hubLink!;
    const page = await site.benchPage(0, 'en');
    const lead = site.sample.operators.lead;
    await signIn(page, lead.badge, lead.pin);
    await openScreen(page, 'review');
    await page.locator('[data-testid="scope-note"][data-scope="site"]').waitFor();

    link.down();
    await page.locator('[data-testid="scope-note"][data-scope="bench"]').waitFor({ timeout: 45_000 });
    await page.screenshot({ path: join(screenshotDir(), 'hub-away-bench-en.png') });
    link.up();
    // Nothing done on the screen: the note goes by itself.
    await page.locator('[data-testid="scope-note"][data-scope="site"]').waitFor({ timeout: 45_000 });
    await page.screenshot({ path: join(screenshotDir(), 'hub-back-bench-en.png') });
    link.down();
    await page.locator('[data-testid="scope-note"][data-scope="bench"]').waitFor({ timeout: 45_000 });
    link.up();
    await page.locator('[data-testid="scope-note"][data-scope="site"]').waitFor({ timeout: 45_000 });
    await page.context().close();
  }, 240_000);

  it('the hub UI: the bar and a screen’s "the site hub does not answer" while it is away, gone by themselves once it answers', async () => {
    const link = site.hubLink!;
    link.up();
    const page = await site.hubPage('ja');
    const sup = site.sample.operators.supervisor;
    await signInAtHub(page, sup.badge, sup.pin);
    const lost = page.locator('[data-testid="events-disconnected"][data-hub="true"]');
    expect(await lost.count()).toBe(0);

    link.down();
    await lost.waitFor({ timeout: 30_000 });
    expect(await lost.textContent()).toContain('サイトハブ');
    // A screen opened meanwhile cannot ask the hub: it says so (its query has no timer that would ask again).
    await openScreen(page, 'reports');
    const notice = page.getByTestId('notice');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toContain('サイトハブが応答しません');
    await page.screenshot({ path: join(screenshotDir(), 'hub-away-hubui-ja.png') });
    link.up();
    await expect.poll(() => lost.count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => notice.count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('screen-reports').waitFor();
    await page.locator('[data-testid="sync-online"]').waitFor();
    await page.screenshot({ path: join(screenshotDir(), 'hub-back-hubui-ja.png') });
    link.down();
    await lost.waitFor({ timeout: 30_000 });
    link.up();
    await expect.poll(() => lost.count(), { timeout: 30_000 }).toBe(0);
    await page.context().close();
  }, 240_000);
});
