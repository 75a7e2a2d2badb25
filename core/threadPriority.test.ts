import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

/** A worker (from the TypeScript source, through tsx) that lowers itself, says its thread id and waits to be stopped. */
function loweredWorker(): Worker {
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const target = new URL('./threadPriority.ts', import.meta.url).href;
  const source = `
    const { parentPort } = require('node:worker_threads');
    const { readlinkSync } = require('node:fs');
    import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(target)}); }).then((m) => {
      m.lowerThisThreadsPriority();
      parentPort.postMessage(Number(readlinkSync('/proc/thread-self').split('/').pop()));
    });
    parentPort.on('message', () => process.exit(0));`;
  return new Worker(source, { eval: true });
}

/** proc(5): a thread's stat, whose 19th field is its nice value (counted after the name in parentheses). */
const niceOf = (tid: number): number => Number(readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8').split(') ')[1]?.split(' ')[16]);
const ioClassOf = (tid: number): string => execFileSync('ionice', ['-p', String(tid)], { encoding: 'utf8' }).trim();

describe.runIf(process.platform === 'linux')("a background thread's priority", () => {
  it('is lowered for the CPU (nice 10) and for the disk (idle I/O class), for that thread alone', async () => {
    const stationBefore = { nice: niceOf(process.pid), io: ioClassOf(process.pid) };
    const worker = loweredWorker();
    try {
      const tid = await new Promise<number>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(niceOf(tid)).toBe(10);
      expect(ioClassOf(tid)).toBe('idle');
      // The station's own thread keeps what it had.
      expect({ nice: niceOf(process.pid), io: ioClassOf(process.pid) }).toEqual(stationBefore);
    } finally {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('stop');
      await exited;
    }
  });
});
