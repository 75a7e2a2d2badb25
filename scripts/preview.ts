export {};
// `npm run preview`: the app in a browser on 127.0.0.1, in demo mode unless RS_DEMO=0 (then it needs RS_WMS_URL).
// RS_PREVIEW_PORT: the port to listen on, or 0 for any free one; without it 5178, or any free port when 5178 is taken.
const DEFAULT_PORT = 5178;
const portSetting = process.env.RS_PREVIEW_PORT;
const port = portSetting === undefined || portSetting === '' ? DEFAULT_PORT : Number(portSetting);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Returns Station could not start: RS_PREVIEW_PORT must be a port number from 0 to 65535, not "${portSetting}".`);
  process.exit(1);
}
// RS_DATA_DIR: where the station keeps its files (tests point it at a temp dir; Electron honours it too).
const dataDir = process.env.RS_DATA_DIR;
try {
  // A fresh clone has no dist/renderer: build it rather than serve a page that says it is missing.
  const { ensureRenderer } = await import('./ensure-renderer.mjs');
  if (!(await ensureRenderer())) process.exit(1);
  // Imported here so that a start-up failure of any module is reported in one sentence, not a stack trace.
  const { startPreview } = await import('../preview/server.js');
  const preview = await startPreview({ port, anyPortIfTaken: port === DEFAULT_PORT && !portSetting, ...(dataDir ? { dataDir } : {}), demo: process.env.RS_DEMO !== '0' });
  console.log(`Returns Station preview: ${preview.url}`);
  const stop = () => void preview.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  console.error(`Returns Station could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
