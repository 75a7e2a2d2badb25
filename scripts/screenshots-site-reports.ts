// `npm run screenshots:site-reports`: issue 15's site reports, live dashboard and benches-at-a-glance screens
// of the hub UI in Japanese and English, saved to docs/screenshots/ as <lang>-4x-… (a supervisor's view).
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { SITE_REPORT_PATHS, type BenchStatusReport } from '../contract/index.js';
import { enrolBenchAtHub, signInAtHub, startSite } from '../tests/e2e/siteHarness.js';

const OUT = resolve('docs/screenshots');

async function shot(page: Page, lang: string, name: string): Promise<void> {
  await page.evaluate(`(async () => { await document.fonts.ready; })()`);
  // Charts draw after their data arrives; give them their frame.
  await page.waitForTimeout(500);
  const file = join(OUT, `${lang}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`saved ${file}`);
}

const site = await startSite({ benches: ['BENCH-A', 'BENCH-B'] });
try {
  let n = 0;
  for (const bench of [0, 1, 0, 1, 0]) await site.gradeFlagged(bench, n++);
  // A third bench that stopped talking to the hub 25 minutes ago: offline, with what it last reported.
  const cred = await enrolBenchAtHub(site, 'BENCH-C');
  const report: BenchStatusReport = {
    stationId: 'BENCH-C',
    outboxPending: 42,
    oldestPendingAt: new Date(Date.now() - 27 * 60_000).toISOString(),
    deadLetters: 2,
    deviceFaults: [{ kind: 'printer', label: 'Zebra ZD421', state: 'error' }],
    operator: { id: 'op-x', name: 'Offline Operator' },
    ruleSetVersion: 1,
    appVersion: '0.1.0',
  };
  await fetch(site.hub.url + SITE_REPORT_PATHS.benchStatus, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${cred.token}` }, body: JSON.stringify(report) });
  await site.hub.pool.query("UPDATE benches SET last_contact_at = now() - interval '25 minutes' WHERE site_id = $1 AND station_id = 'BENCH-C'", [site.hub.siteId]);
  // Someone at bench A: the bench reports who on its next site sync.
  const staff = site.sample.operators.staff;
  await site.benches[0]!.app.station.handle('screenshot', 'session.signIn', { badge: staff.badge, pin: staff.pin });
  await site.benches[0]!.app.station.syncNow();
  for (const lang of ['ja', 'en'] as const) {
    const hub = await site.hubPage(lang);
    const sup = site.sample.operators.supervisor;
    await signInAtHub(hub, sup.badge, sup.pin);

    await hub.getByTestId('nav-reports').click();
    await hub.getByTestId('report-benches').waitFor();
    await shot(hub, lang, '40-site-reports');

    await hub.getByTestId('nav-dashboard').click();
    await hub.getByTestId('chart-bench-hourly').waitFor();
    await shot(hub, lang, '41-site-dashboard');

    await hub.getByTestId('nav-benches').click();
    await hub.getByTestId('bench-row-BENCH-A').waitFor();
    await shot(hub, lang, '42-site-benches');
    await hub.context().close();
  }
} finally {
  await site.close();
}
