import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultReportClock } from './clock.js';
import { CANCEL_GRACE_MS, exportWorkerEntry, startExportWorker } from './exportRunner.js';
import { defaultRecoveryFactors } from './recoveryFactors.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function spec(folder: string) {
  return {
    format: 'csv' as const,
    filters: {},
    language: 'ja' as const,
    target: { folder, path: join(folder, 'x.csv'), fileName: 'x.csv' },
    temp: join(folder, '.stuck.partial'),
    clock: defaultReportClock,
    factors: defaultRecoveryFactors,
    now: '2026-11-01T00:00:00.000Z',
  };
}

describe('export worker runner', () => {
  it('terminates a worker that never looks at the cancel flag, and removes its temporary file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rs-runner-'));
    const s = spec(dir);
    // A worker stuck in one long synchronous step: it has written part of its file and never polls.
    writeFileSync(s.temp, 'partial');
    const job = startExportWorker({ dbFile: join(dir, 'none.sqlite'), spec: s, entry: { source: 'for (;;) {}', eval: true } });
    job.cancel();
    await expect(job.result).rejects.toMatchObject({ messageKey: 'error.exportCancelled' });
    expect(existsSync(s.target.path)).toBe(false);
    await vi.waitFor(() => expect(existsSync(s.temp)).toBe(false), { timeout: 5_000, interval: 20 });
  });

  it('answers a cancel within its grace although the worker is inside one long native step, and removes the temporary file once the thread has gone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rs-runner-'));
    const s = spec(dir);
    writeFileSync(s.temp, 'partial');
    // A synchronous child process blocks the thread in native code, as one long SQLite query does: terminate()
    // takes effect only when it returns.
    const job = startExportWorker({ dbFile: join(dir, 'none.sqlite'), spec: s, entry: { source: "require('node:child_process').execSync('sleep 2')", eval: true } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const asked = performance.now();
    job.cancel();
    await expect(job.result).rejects.toMatchObject({ messageKey: 'error.exportCancelled' });
    expect(performance.now() - asked).toBeLessThan(CANCEL_GRACE_MS + 500);
    expect(existsSync(s.target.path)).toBe(false);
    await vi.waitFor(() => expect(existsSync(s.temp)).toBe(false), { timeout: 5_000, interval: 50 });
  });

  it('loads the TypeScript worker through tsx from sources, and the bundle beside main.cjs when bundled', () => {
    expect(exportWorkerEntry(new URL('./exportRunner.ts', import.meta.url).href)).toMatchObject({ eval: true, source: expect.stringContaining('exportWorker.ts') });
    expect(exportWorkerEntry('file:///app/dist-electron/main.cjs')).toEqual({ source: '/app/dist-electron/exportWorker.cjs', eval: false });
  });
});
