import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startLongLivedWorker } from './longLivedWorker.js';

const Reply = z.object({ id: z.number().int(), doubled: z.number() });

/** A worker from inline CommonJS: `onMessage` is the body of its message handler, with `m` and `port`. */
const inline = (onMessage: string) => () => ({
  source: `const port = require('node:worker_threads').parentPort; port.on('message', (m) => { ${onMessage} });`,
  eval: true,
});

describe('startLongLivedWorker', () => {
  it('matches replies to their requests by id, whatever order they come back in', async () => {
    // Answers every second request at once and holds the first until the second came.
    const w = startLongLivedWorker({
      name: 'the test worker',
      entry: inline("if (m.n === 1) { globalThis.held = m; return; } port.postMessage({ id: m.id, doubled: m.n * 2 }); if (globalThis.held) port.postMessage({ id: globalThis.held.id, doubled: globalThis.held.n * 2 });"),
      workerData: null,
      reply: Reply,
    });
    try {
      const [one, two] = await Promise.all([w.request({ n: 1 }), w.request({ n: 2 })]);
      expect(one.doubled).toBe(2);
      expect(two.doubled).toBe(4);
    } finally {
      await w.close();
    }
  });

  it('refuses the open requests when the worker sends a message its schema does not read, and goes on', async () => {
    const w = startLongLivedWorker({
      name: 'the test worker',
      entry: inline("port.postMessage(m.n === 0 ? { id: m.id, doubled: 'zero' } : { id: m.id, doubled: m.n * 2 });"),
      workerData: null,
      reply: Reply,
    });
    try {
      await expect(w.request({ n: 0 })).rejects.toThrow(/the test worker sent an unreadable message/);
      expect((await w.request({ n: 5 })).doubled).toBe(10);
    } finally {
      await w.close();
    }
  });

  it('starts a new worker after one died, unless it never answered and giveUpIfNeverAnswered is set', async () => {
    let starts = 0;
    const dying = () => {
      starts++;
      return inline('process.exit(3);')();
    };
    const retrying = startLongLivedWorker({ name: 'the test worker', entry: dying, workerData: null, reply: Reply });
    await expect(retrying.request({ n: 1 })).rejects.toThrow(/the test worker stopped \(exit code 3\)/);
    await expect(retrying.request({ n: 1 })).rejects.toThrow(/exit code 3/);
    expect(starts).toBe(2);

    starts = 0;
    const givingUp = startLongLivedWorker({ name: 'the test worker', entry: dying, workerData: null, reply: Reply, giveUpIfNeverAnswered: true });
    await expect(givingUp.request({ n: 1 })).rejects.toThrow(/exit code 3/);
    await expect(givingUp.request({ n: 1 })).rejects.toThrow(/exit code 3/);
    expect(starts).toBe(1);
  });

  it('refuses requests still open at close, and every request after it', async () => {
    const w = startLongLivedWorker({ name: 'the test worker', entry: inline('/* never answers */'), workerData: null, reply: Reply });
    const open = expect(w.request({ n: 1 })).rejects.toThrow(/the test worker is closed/);
    await w.close();
    await open;
    await expect(w.request({ n: 2 })).rejects.toThrow(/the test worker is closed/);
  });
});
