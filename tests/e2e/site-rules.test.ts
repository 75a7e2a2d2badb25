// Issue 15 (wt-15s) in Chromium: a supervisor changes the rules in the hub UI's Rules screen, dry-runs the change
// against the items the site's benches graded (and sees which ones would route differently), publishes it once for
// the site; a bench's Rules screen then says it runs the site's version and the next item there routes by it. A lead
// opens an item whose RMA was received at two benches and sees the site's flag with its evidence.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRADING_PROFILES } from '../../domain/grading/profiles/index.js';
import { screenshotDir, signIn } from './harness.js';
import { signInAtHub, startSite, type Site } from './siteHarness.js';

let site: Site;
let twice: { itemId: string; lpn: string; disposition: string }[] = [];

beforeAll(async () => {
  site = await startSite({ benches: ['BENCH-A', 'BENCH-B'] });
  // The same RMA received and graded at both benches: the second is the site's to flag.
  twice = [await site.gradeFlagged(0, 3), await site.gradeFlagged(1, 3)];
}, 240_000);

afterAll(async () => {
  await site?.close();
});

const ruleRow = (page: Page, ruleId: string) => page.getByTestId('rule-row').filter({ hasText: ruleId });

describe('one rule set for the site, in the hub UI', () => {
  let published = 0;

  it('a supervisor dry-runs a change against the site’s items, sees them listed, and publishes it for the site', async () => {
    const hub = await site.hubPage('en');
    await signInAtHub(hub, site.sample.operators.supervisor.badge, site.sample.operators.supervisor.pin);
    await hub.getByTestId('nav-rules').click();
    await hub.getByTestId('screen-rules').waitFor();
    expect(await hub.getByTestId('rules-source').getAttribute('data-source')).toBe('bench');
    expect(await hub.getByTestId('rules-source').textContent()).toContain('No rule set is published for the site yet');

    // The rules as they are change nothing: the answer says so, with no empty table of changes under it.
    await hub.getByTestId('rules-dry-run').click();
    await hub.locator('[data-testid="dry-run-result"][data-changed="0"]').waitFor();
    expect(await hub.getByTestId('dry-run-transitions').count()).toBe(0);
    expect(await hub.getByTestId('dry-run-item').count()).toBe(0);

    // Flagged items go to repair instead of waiting in quarantine: both benches' items would change.
    await ruleRow(hub, 'flagged-to-review').getByTestId('rule-disposition').selectOption('repair');
    // The "nothing changes" of the rules before is not the changed rules' answer, nor does it allow publishing them.
    await expect.poll(() => hub.getByTestId('dry-run-result').count()).toBe(0);
    expect(await hub.getByTestId('rules-publish').isDisabled()).toBe(true);
    await hub.getByTestId('rules-dry-run').click();
    const result = hub.getByTestId('dry-run-result');
    await result.waitFor();
    expect(await result.getAttribute('data-changed')).toBe('2');
    expect(await hub.getByTestId('dry-run-transitions').count()).toBe(1);
    const rows = hub.getByTestId('dry-run-item');
    expect(await rows.count()).toBe(2);
    const listed = (await rows.allTextContents()).join(' ');
    for (const x of [...twice.map((t) => t.lpn), 'BENCH-A', 'BENCH-B']) expect(listed).toContain(x);

    // The site's shoes checklist goes out with the rules: a wrong one is refused before it is sent.
    await hub.getByTestId('rules-mode-profiles').click();
    expect(await hub.getByTestId('rules-profiles-json').inputValue()).toBe('[]');
    await hub.getByTestId('rules-profiles-json').fill('[{"id": "shoes"}]');
    await hub.getByTestId('rules-profiles-error').waitFor();
    expect(await hub.getByTestId('rules-publish').isDisabled()).toBe(true);
    const siteShoes = { ...GRADING_PROFILES.shoes, version: GRADING_PROFILES.shoes.version + 1, title: { ja: 'サイトの靴', en: 'Site shoes' } };
    await hub.getByTestId('rules-profiles-json').fill(JSON.stringify([siteShoes], null, 2));
    expect(await hub.getByTestId('rules-profiles-error').count()).toBe(0);

    await hub.getByTestId('rules-note').fill('flagged items to repair');
    const versionsBefore = await site.hub.pool.query('SELECT version FROM site_rule_sets WHERE site_id = $1', ['SITE-E2E']);
    // A double click is one publication: before, its second click came before the button was disabled, and the site
    // had two new versions (the screen saying the first was published while the second was current).
    await hub.getByTestId('rules-publish').dblclick();
    await hub.locator('[data-testid="rules-source"][data-source="site"]').waitFor();
    await hub.waitForTimeout(500);
    const versionsAfter = await site.hub.pool.query('SELECT version FROM site_rule_sets WHERE site_id = $1', ['SITE-E2E']);
    expect(versionsAfter.rowCount).toBe((versionsBefore.rowCount ?? 0) + 1);
    published = Number(/Version (\d+)/.exec((await hub.getByTestId('rules-source').textContent()) ?? '')?.[1]);
    expect(published).toBeGreaterThan(0);
    expect(await hub.getByTestId('rules-mode-profiles').textContent()).toBe('Grading profiles (1)');
    await hub.context().close();
  });

  it('a bench says it runs the site’s version, publishes nothing of its own, and routes its next item by it', async () => {
    const bench = await site.benchPage(0, 'en');
    const sup = site.sample.operators.supervisor;
    await signIn(bench, sup.badge, sup.pin);
    await bench.getByTestId('nav-rules').click();
    // The bench pulls the site's rule set with the roster, every few seconds.
    await bench.locator('[data-testid="rules-source"][data-source="site"]').waitFor({ timeout: 15_000 });
    expect(await bench.getByTestId('rules-source').textContent()).toContain(`Version ${published}: the site's rule set`);
    expect(await bench.getByTestId('rules-publish').isDisabled()).toBe(true);
    expect(await bench.getByTestId('rules-mode-profiles').textContent()).toBe('Grading profiles (1)');
    await bench.context().close();

    // The next item graded there (and delivered) was routed by the site's version, which it records.
    const next = await site.gradeFlagged(0, 5);
    const atHub = await site.hub.pool.query<{ disposition: string; v: number }>(
      "SELECT payload->>'disposition' AS disposition, (payload->>'ruleSetVersion')::int AS v FROM events WHERE type = 'item.graded' AND payload->>'itemId' = $1",
      [next.itemId],
    );
    expect(atHub.rows).toEqual([{ disposition: 'repair', v: published }]);
  });

  it('a lead opens the item whose RMA two benches received and sees the site flag with both receipts', async () => {
    const hub = await site.hubPage('en');
    await signInAtHub(hub, site.sample.operators.lead.badge, site.sample.operators.lead.pin);
    const row = hub.locator(`[data-testid="review-row"][data-item-id="${twice[1]!.itemId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Same RMA received twice');
    await row.getByTestId('review-open').click();
    const flag = hub.locator('[data-testid="site-flag"][data-code="site_rma_twice"]');
    await flag.waitFor();
    const text = (await flag.textContent()) ?? '';
    expect(text).toContain('was received 2 times');
    // The bench ids with non-breaking hyphens (U+2011), so the narrow panel does not split them.
    expect(text).toContain('Bench BENCH\u2011A');
    expect(text).toContain('Bench BENCH\u2011B');
    // In the narrow panel each word stays whole (before, every cell broke inside its words: "Wher|e", "WMS histor|y",
    // "RMA-0000|0837"); a line may break after a hyphen, never inside an RMA number; only the parcel's UUID may break
    // anywhere.
    const broken = (await hub.evaluate(`(() => {
      const out = [];
      const el = document.querySelector('[data-testid="site-flag"][data-code="site_rma_twice"]');
      for (const cell of el.querySelectorAll('td:not(.evidence-id), th')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent ?? '';
          const words = cell.classList.contains('evidence-nowrap') ? /\\S+/g : /[^\\s-]+-?/g;
          for (const m of text.matchAll(words)) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
            if (tops.size > 1) out.push(m[0]);
          }
        }
      }
      return out;
    })()`)) as string[];
    expect(broken).toEqual([]);
    await hub.getByTestId('site-flag-evidence').screenshot({ path: join(screenshotDir(), 'site-flag-evidence-en.png') });
    await hub.context().close();
  });
});

describe('hub UI: double submits and out-of-range input', () => {
  it('a supervisor’s double click on Enrol enrols once and says so, with no “already enrolled” after it', async () => {
    const hub = await site.hubPage('ja');
    await signInAtHub(hub, site.sample.operators.supervisor.badge, site.sample.operators.supervisor.pin);
    await hub.getByTestId('nav-operators').click();
    await hub.getByTestId('screen-operators').waitFor();
    await hub.getByTestId('enrol-badge').fill('OP-7777');
    await hub.getByTestId('enrol-name').fill('新人 太郎');
    await hub.getByTestId('enrol-pin').fill('4321');
    await hub.getByTestId('enrol-pin-repeat').fill('4321');
    await hub.getByTestId('enrol-submit').dblclick();
    await hub.getByTestId('operators-done').waitFor();
    await hub.getByTestId('operator-OP-7777').waitFor();
    await hub.waitForTimeout(500);
    expect(await hub.locator('[role="alert"]').count()).toBe(0);
    expect(await hub.getByTestId('operators-done').textContent()).toContain('新人 太郎');
    // The row's cells are table cells, ending on one line (the buttons' cell was a flex box: its line stepped).
    const cells = (await hub.evaluate(
      `Array.from(document.querySelectorAll('[data-testid="operator-OP-7777"] td')).map((td) => ({ display: getComputedStyle(td).display, bottom: Math.round(td.getBoundingClientRect().bottom) }))`,
    )) as { display: string; bottom: number }[];
    expect(cells.length).toBe(5);
    expect(cells.map((c) => c.display)).toEqual(Array(cells.length).fill('table-cell'));
    expect(new Set(cells.map((c) => c.bottom)).size).toBe(1);
    await hub.context().close();
  });

  it('the queue’s “waiting at least” past a year shows an empty queue, not a refusal; an override’s reason stops at 500', async () => {
    const hub = await site.hubPage('en');
    await signInAtHub(hub, site.sample.operators.lead.badge, site.sample.operators.lead.pin);
    await hub.getByTestId('review-row').first().waitFor();
    const minAge = hub.locator('.filter input[type="number"]').first();
    await minAge.fill('99999999');
    await hub.getByTestId('review-empty').waitFor();
    expect(await hub.getByTestId('review-total').textContent()).toMatch(/^0\b/);
    expect(await hub.locator('[role="alert"]').count()).toBe(0);
    expect(await minAge.inputValue()).toBe('525600');
    await minAge.fill('');
    // A flag longer than its column ends in an ellipsis and says itself whole in its title.
    const tag = hub.getByTestId('review-row').first().locator('.tag').first();
    expect(await tag.getAttribute('title')).toBe(await tag.textContent());
    // The window's getComputedStyle, typed here: the e2e tests compile without the DOM lib.
    type Styles = { getComputedStyle(el: unknown): { textOverflow: string } };
    expect(await tag.evaluate((el) => (globalThis as unknown as Styles).getComputedStyle(el).textOverflow)).toBe('ellipsis');
    await hub.getByTestId('review-open').first().click();
    await hub.getByTestId('override-reason').fill('x'.repeat(800));
    expect((await hub.getByTestId('override-reason').inputValue()).length).toBe(500);
    await hub.context().close();
  });
});
