// `npm run screenshots:site`: the site screens of issue 15 in Japanese and English, saved to
// docs/screenshots/ as <lang>-30-… : the hub UI (sign-in, the site review queue with its bench column,
// an override, a stale decision, the site roster), a bench's relabel list, the hub's Rules screen with a dry run
// over the site's items and a review item with a flag only the site can raise (RMA received at two benches).
import { GRADING_PROFILES } from '../domain/grading/profiles/index.js';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { signIn, wedgeScan } from '../tests/e2e/harness.js';
import { signInAtHub, startSite } from '../tests/e2e/siteHarness.js';

const OUT = resolve('docs/screenshots');

async function shot(page: Page, lang: string, name: string): Promise<void> {
  await page.evaluate(`(async () => { await document.fonts.ready; })()`);
  const file = join(OUT, `${lang}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`saved ${file}`);
}

const site = await startSite({ benches: ['BENCH-A', 'BENCH-B'] });
try {
  // Two items per bench and language, so each language has its own to decide.
  const byLang = { ja: [] as { itemId: string; lpn: string; disposition: string }[], en: [] as { itemId: string; lpn: string; disposition: string }[] };
  let n = 0;
  for (const lang of ['ja', 'en'] as const) {
    for (const bench of [0, 1, 0]) byLang[lang].push(await site.gradeFlagged(bench, n++));
  }
  // One RMA per language received and graded at both benches: the second item carries the site's flag.
  const receivedTwice = { ja: '', en: '' };
  for (const lang of ['ja', 'en'] as const) {
    await site.gradeFlagged(0, n);
    receivedTwice[lang] = (await site.gradeFlagged(1, n++)).itemId;
  }
  for (const lang of ['ja', 'en'] as const) {
    const [a, b] = byLang[lang];
    const hub = await site.hubPage(lang);
    await hub.getByTestId('signin-badge').waitFor();
    await shot(hub, lang, '30-site-sign-in');
    const lead = site.sample.operators.lead;
    await signInAtHub(hub, lead.badge, lead.pin);
    await hub.locator(`[data-testid="review-row"][data-item-id="${a!.itemId}"]`).waitFor();
    await shot(hub, lang, '31-site-review-queue');

    await hub.locator(`[data-testid="review-row"][data-item-id="${a!.itemId}"]`).getByTestId('review-open').click();
    await hub.locator('[data-testid="review-detail"][data-status="pending"]').waitFor();
    await hub.getByTestId('override-disposition').selectOption(a!.disposition === 'repair' ? 'resale' : 'repair');
    await hub.getByTestId('override-reason').fill(lang === 'ja' ? 'ヒンジ部に割れ' : 'crack under the hinge');
    await shot(hub, lang, '32-site-override');
    await hub.getByTestId('override-submit').click();
    await hub.locator('[data-testid="review-detail"][data-status="overridden"]').waitFor();

    // Another lead (a supervisor in a second browser) decides this one first.
    await hub.locator(`[data-testid="review-row"][data-item-id="${b!.itemId}"]`).getByTestId('review-open').click();
    await hub.locator('[data-testid="review-detail"][data-status="pending"]').waitFor();
    const other = await site.hubPage(lang);
    await signInAtHub(other, site.sample.operators.supervisor.badge, site.sample.operators.supervisor.pin);
    await other.locator(`[data-testid="review-row"][data-item-id="${b!.itemId}"]`).getByTestId('review-open').click();
    await other.getByTestId('review-approve').click();
    await other.locator('[data-testid="review-detail"][data-status="approved"]').waitFor();
    await hub.getByTestId('review-approve').click();
    await hub.getByTestId('notice').first().waitFor();
    await shot(hub, lang, '33-site-stale-decision');

    await other.getByTestId('nav-operators').click();
    await other.getByTestId('screen-operators').waitFor();
    await other.getByText(site.sample.operators.staff.badge).first().waitFor();
    await shot(other, lang, '34-site-operators');
    await other.context().close();
    await hub.context().close();

    const bench = await site.benchPage(0, lang);
    await signIn(bench, site.sample.operators.staff.badge, site.sample.operators.staff.pin);
    await bench.locator(`[data-testid="relabel-row"][data-item-id="${a!.itemId}"]`).waitFor({ timeout: 20_000 });
    await shot(bench, lang, '35-bench-relabel');
    // Scanning the box's old label prints the new one.
    await wedgeScan(bench, a!.lpn);
    await bench.locator('[data-testid="relabel-printed"]').waitFor();
    await shot(bench, lang, '35b-bench-relabel-printed');
    await bench.getByTestId('sign-out').click();
    await bench.getByTestId('screen-signin').waitFor();
    // A lead at the bench works the site's queue, asked of the hub; the screen says it is the whole site.
    await signIn(bench, lead.badge, lead.pin);
    await bench.getByTestId('nav-review').click();
    await bench.locator('[data-testid="scope-note"][data-scope="site"]').waitFor();
    await shot(bench, lang, '38-bench-site-review');
    await bench.context().close();

    // The site's rule set: a supervisor dry-runs a change against the site's graded items.
    const rules = await site.hubPage(lang);
    await signInAtHub(rules, site.sample.operators.supervisor.badge, site.sample.operators.supervisor.pin);
    await rules.getByTestId('nav-rules').click();
    await rules.getByTestId('screen-rules').waitFor();
    await rules.getByTestId('rule-row').filter({ hasText: 'flagged-to-review' }).getByTestId('rule-disposition').selectOption('repair');
    await rules.getByTestId('rules-dry-run').click();
    await rules.getByTestId('dry-run-item').first().waitFor();
    await shot(rules, lang, '36-site-rules-dry-run');
    // The grading profiles published with the rules (a site's own shoes checklist).
    await rules.getByTestId('rules-mode-profiles').click();
    const siteShoes = { ...GRADING_PROFILES.shoes, version: GRADING_PROFILES.shoes.version + 1, title: { ja: 'サイトの靴', en: 'Site shoes' } };
    await rules.getByTestId('rules-profiles-json').fill(JSON.stringify([siteShoes], null, 2));
    await shot(rules, lang, '36b-site-rules-profiles');
    await rules.context().close();

    // A flag only the site can raise, with its evidence.
    const flagged = await site.hubPage(lang);
    await signInAtHub(flagged, lead.badge, lead.pin);
    await flagged.locator(`[data-testid="review-row"][data-item-id="${receivedTwice[lang]}"]`).getByTestId('review-open').click();
    await flagged.locator('[data-testid="site-flag"][data-code="site_rma_twice"]').waitFor();
    await shot(flagged, lang, '37-site-flag-evidence');
    await flagged.context().close();
  }
} finally {
  await site.close();
}
