import { chromium } from 'playwright-core';
const [hubUrl] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'ja-JP' });
const hub = await ctx.newPage();
await hub.goto(hubUrl);
await hub.getByTestId('signin-badge').waitFor({ timeout: 30000 }); await hub.waitForTimeout(1500);
const scan = async (page, code) => { await page.keyboard.type(code, { delay: 20 }); await page.keyboard.press('Enter'); };
await scan(hub, 'OP-3001'); await hub.getByTestId('signin-pin').waitFor(); await hub.keyboard.type('3456', { delay: 200 }); await hub.keyboard.press('Enter');
await hub.waitForTimeout(3000);
const navs = await hub.locator('[data-testid^="nav-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
console.log(navs.join(' '));
for (const n of navs.filter((x) => x !== 'nav-signout')) {
  await hub.getByTestId(n).click().catch(() => {});
  await hub.waitForTimeout(2000);
  await hub.screenshot({ path: `/tmp/look26e-${n}.png` });
}
await browser.close();
