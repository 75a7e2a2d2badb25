// The Reports screen as a supervisor in Japan reads it: dates in the app's language whatever the browser's locale,
// the filters still there after a look at the dashboard (gone after sign-out), and names that never break
// inside the family or given name in a narrow column.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openScreen, signIn, signOut, startBench, type Bench } from './harness.js';

let bench: Bench;

beforeAll(async () => {
  bench = await startBench();
}, 120_000);

afterAll(async () => {
  await bench?.close();
});

/** Each part of a name (鈴木, 美咲) as the lines it is laid out on: one top per part when no part is broken. */
async function linesOfNameParts(page: Page, selector: string): Promise<{ name: string; parts: number[] }[]> {
  // A string, because this file is compiled without DOM types: it runs in the page.
  return page.evaluate(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((el) => {
    const text = el.firstChild;
    const tops = [];
    for (let i = 0; i < text.length; i++) {
      const r = document.createRange();
      r.setStart(text, i);
      r.setEnd(text, i + 1);
      tops.push(Math.round(r.getBoundingClientRect().top));
    }
    let start = 0;
    const parts = [];
    for (const part of text.data.split(' ')) {
      parts.push(new Set(tops.slice(start, start + part.length)).size);
      start += part.length + 1;
    }
    return { name: text.data, parts };
  })`);
}

describe('Reports in Japanese', () => {
  it('dates read yyyy/mm/dd in Japanese even on an en-US browser, typed dates are read, and the filters outlive the screen', async () => {
    // The browser's locale is en-US: a native date input would show mm/dd/yyyy here.
    const page = await bench.newPage({ width: 1280, height: 860, language: 'en' });
    // Midday in Tokyo: the screen opens on the site's operational day (from 06:00), which before 06:00 is yesterday.
    const today = '2026-12-07';
    await page.clock.setFixedTime(new Date(`${today}T03:00:00Z`));
    const op = bench.sample.operators.supervisor;
    await signIn(page, op.badge, op.pin);
    await page.getByTestId('lang-ja').click();
    await openScreen(page, 'reports');
    const from = page.getByTestId('filter-from');
    await eventually(() => from.inputValue(), (v) => expect(v).toBe(today.replaceAll('-', '/')));
    expect(await from.getAttribute('placeholder')).toBe('yyyy/mm/dd');

    // Typed with the IME still on: full-width digits and slashes.
    await from.fill('２０２６／１１／１');
    await page.getByTestId('filter-category').selectOption('shoes');
    await page.getByTestId('reports-apply').click();
    await from.blur();
    expect(await from.inputValue()).toBe('2026/11/01');
    expect(await page.getByTestId('export-filename').inputValue()).toBe(`returns-2026-11-01_${today}`);

    // A typo is not dropped silently: the field says so and the station's help names the format.
    await page.getByTestId('filter-to').fill('2026/13/40');
    expect(await page.getByTestId('filter-to').getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('reports-apply').click();
    await page.getByTestId('notice-text').filter({ hasText: '年/月/日' }).waitFor();
    await page.getByTestId('filter-to').fill(today.replaceAll('-', '/'));
    await page.getByTestId('reports-apply').click();

    // A look at the dashboard and back: the period and the category are as the supervisor left them.
    await openScreen(page, 'dashboard');
    await openScreen(page, 'reports');
    expect(await page.getByTestId('filter-from').inputValue()).toBe('2026/11/01');
    expect(await page.getByTestId('filter-category').inputValue()).toBe('shoes');

    // English shows the same date unambiguously, not as the browser's 11/01/2026.
    await page.getByTestId('lang-en').click();
    await eventually(() => page.getByTestId('filter-from').inputValue(), (v) => expect(v).toBe('2026-11-01'));
    await page.getByTestId('lang-ja').click();

    // The next supervisor at this PC starts on today.
    await signOut(page);
    await signIn(page, op.badge, op.pin);
    await openScreen(page, 'reports');
    await eventually(() => page.getByTestId('filter-from').inputValue(), (v) => expect(v).toBe(today.replaceAll('-', '/')));
    expect(await page.getByTestId('filter-category').inputValue()).toBe('');
    await page.context().close();
  }, 120_000);

  it('a name in a narrow table breaks only at its space (鈴木 美咲, never 鈴木 美|咲)', async () => {
    const page = await bench.newPage({ width: 360, height: 760, language: 'ja' });
    const op = bench.sample.operators.supervisor;
    await signIn(page, op.badge, op.pin);
    await openScreen(page, 'operators');
    await page.locator('[data-testid^="operator-"] .person-name').first().waitFor();
    const names = await linesOfNameParts(page, '[data-testid^="operator-"] .person-name');
    expect(names.length).toBeGreaterThanOrEqual(4);
    expect(names.map((n) => n.name)).toContain('鈴木 美咲');
    expect(names.filter((n) => n.parts.some((lines) => lines > 1))).toEqual([]);
    await page.context().close();
  }, 90_000);
});
