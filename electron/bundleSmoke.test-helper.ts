// Child process for bundle.test.ts: runs the real dist-electron/main.cjs under Node with a fake `electron`,
// the real app/ start-up and station, and the Node build of better-sqlite3 standing in for the Electron-ABI one.
import Module from 'node:module';
import { createFakeElectron } from './fakeElectron.test-helper.js';

const [mainCjs, appPath, electronVersion] = process.argv.slice(2);
if (!mainCjs || !appPath || !electronVersion) throw new Error('usage: bundleSmoke.test-helper.ts <main.cjs> <appPath> <electronVersion>');
(process.versions as Record<string, string>).electron = electronVersion;

const fake = createFakeElectron({ appPath, userDataPath: `${appPath}/userData` });
type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleWithLoad = Module as unknown as { _load: Load };
const originalLoad = moduleWithLoad._load;
moduleWithLoad._load = function load(request, parent, isMain) {
  return request === 'electron' ? fake.module : originalLoad.call(this, request, parent, isMain);
};

const main = Module.createRequire(import.meta.url)(mainCjs) as { shellReady: Promise<unknown> };
const shell = await main.shellReady;
const window = fake.windows[0];
const report: Record<string, unknown> = { shell: shell !== null, errors: fake.calls.errorBoxes };
if (window) {
  report.info = await fake.ipcMain.invoke('station:system.info', window.webContents, { url: 'app://station/', parent: null }, {});
  report.badInput = await fake.ipcMain.invoke('station:session.signIn', window.webContents, { url: 'app://station/', parent: null }, { badge: 'x' });
  report.setup = await fake.ipcMain.invoke('station:setup.status', window.webContents, { url: 'app://station/', parent: null }, {});
}
fake.app.quit();
// A start that failed has no station to close, so nothing quits a second time.
if (shell !== null) await new Promise<void>((resolve) => {
  const check = (): void => (fake.calls.quit >= 2 ? resolve() : void setTimeout(check, 50));
  check();
});
process.stdout.write(`SMOKE ${JSON.stringify(report)}\n`);
process.exit(0);
