import { describe, expect, it } from 'vitest';
import { runAfterCurrent } from './runAfterCurrent.js';

describe('runAfterCurrent', () => {
  it('answers a call made during a run with one run after it, shared by every call made meanwhile', async () => {
    let source = 1;
    let runs = 0;
    const release: (() => void)[] = [];
    const job = runAfterCurrent(async () => {
      runs++;
      const seen = source;
      await new Promise<void>((r) => release.push(r));
      return seen;
    });
    const first = job.now();
    expect(job.running()).toBe(first);
    source = 2;
    const second = job.now();
    expect(second).not.toBe(first);
    expect(job.now()).toBe(second);
    release.shift()!();
    expect(await first).toBe(1);
    await new Promise((r) => setImmediate(r));
    release.shift()!();
    expect(await second).toBe(2);
    expect(runs).toBe(2);
    expect(job.running()).toBeNull();
  });

  it('runs the next one after a run that failed', async () => {
    let fail = true;
    const job = runAfterCurrent(async () => {
      const failing = fail;
      await new Promise((r) => setImmediate(r));
      if (failing) throw new Error('down');
      return 'ok';
    });
    const first = job.now();
    fail = false;
    const second = job.now();
    await expect(first).rejects.toThrow('down');
    expect(await second).toBe('ok');
  });
});
