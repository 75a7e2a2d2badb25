// A preview server (stub station) in a process of its own, for tests/security/wsFrames.ts:
// prints "port <n>" once listening; an uncaught exception ends the process, which is what the tests look for.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Station } from '../../app/station.js';
import { startPreviewServer } from '../../preview/http.js';

const dir = mkdtempSync(join(tmpdir(), 'rs-preview-child-'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>RS</title>');
const station: Station = {
  info: { stationId: 'FUZZ', version: 't', wmsIsDemo: true, wmsUrl: 'x', printer: 'none' },
  handle: async () => ({ ok: true, value: null }),
  subscribe: () => () => undefined,
  endSession: () => undefined,
  syncNow: async () => undefined,
  close: async () => undefined,
};
const server = await startPreviewServer({ station, staticDir: dir, token: process.argv[2] ?? 'ws-fuzz-token-abcdefghijkl' });
process.stdout.write(`port ${server.port}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
