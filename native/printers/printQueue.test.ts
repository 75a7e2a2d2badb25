import { describe, expect, it } from 'vitest';
import { PrinterError } from './errors.js';
import { MemoryPrintJobStore } from './printJobStore.js';
import { PrintQueue } from './printQueue.js';

/** A fake printer whose next answers are scripted; records what it accepted. */
function scriptedPrinter(script: Array<'ok' | 'refused' | 'reset'>) {
  const accepted: string[] = [];
  let calls = 0;
  const send = async (payload: Buffer): Promise<void> => {
    const step = script[calls++] ?? 'ok';
    if (step === 'refused') throw new PrinterError('refused', 'ECONNREFUSED', false);
    if (step === 'reset') {
      accepted.push(payload.toString());
      throw new PrinterError('reset', 'ECONNRESET', true);
    }
    accepted.push(payload.toString());
  };
  return { send, accepted, calls: () => calls };
}

const noDelay = { initialDelayMs: 0, maxDelayMs: 0 };

describe('PrintQueue', () => {
  it('prints and reports printed', async () => {
    const p = scriptedPrinter(['ok']);
    const q = new PrintQueue({ printer: 'test', send: p.send });
    await expect(q.enqueue({ payload: 'A' })).resolves.toEqual({ status: 'printed', printer: 'test' });
    expect(p.accepted).toEqual(['A']);
    expect(q.status().pending).toBe(0);
    await q.close();
  });

  it('keeps a refused job queued, retries it, and prints it once', async () => {
    const p = scriptedPrinter(['refused', 'refused', 'ok']);
    const q = new PrintQueue({ printer: 'test', send: p.send, retry: { initialDelayMs: 5, maxDelayMs: 5 } });
    const printed = new Promise<void>((resolve) => q.onChange((s) => s.pending === 0 && resolve()));
    const first = await q.enqueue({ id: 'j1', payload: 'A' });
    expect(first.status).toBe('queued');
    expect(first.message).toContain('ECONNREFUSED');
    expect(q.status().pending).toBe(1);
    await printed;
    expect(p.accepted).toEqual(['A']);
    expect(q.job('j1')?.state).toBe('printed');
    await q.close();
  });

  it('never resends by itself a job the printer may already have', async () => {
    const p = scriptedPrinter(['reset', 'ok']);
    const q = new PrintQueue({ printer: 'test', send: p.send, retry: noDelay });
    const outcome = await q.enqueue({ id: 'j1', payload: 'A' });
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toMatch(/may have received/);
    await q.idle();
    expect(p.calls()).toBe(1);
    expect(q.status().uncertain).toBe(1);
    // The operator saw no label come out and asks for a reprint.
    await expect(q.reprint('j1')).resolves.toMatchObject({ status: 'printed' });
    expect(p.accepted).toEqual(['A', 'A']);
    await q.close();
  });

  it('enqueuing the same job id twice prints once', async () => {
    const p = scriptedPrinter(['ok', 'ok']);
    const q = new PrintQueue({ printer: 'test', send: p.send });
    await q.enqueue({ id: 'label:LPN-1', payload: 'A' });
    await expect(q.enqueue({ id: 'label:LPN-1', payload: 'A' })).resolves.toMatchObject({ status: 'printed' });
    expect(p.accepted).toEqual(['A']);
    await q.close();
  });

  it('keeps the order of jobs queued while the printer was down', async () => {
    const p = scriptedPrinter(['refused', 'refused', 'refused', 'ok', 'ok', 'ok']);
    const q = new PrintQueue({ printer: 'test', send: p.send, retry: { initialDelayMs: 5, maxDelayMs: 5 } });
    const done = new Promise<void>((resolve) => q.onChange((s) => s.pending === 0 && resolve()));
    const outcomes = await Promise.all([q.enqueue({ payload: '1' }), q.enqueue({ payload: '2' }), q.enqueue({ payload: '3' })]);
    expect(outcomes.map((o) => o.status)).toEqual(['queued', 'queued', 'queued']);
    await done;
    expect(p.accepted).toEqual(['1', '2', '3']);
    await q.close();
  });

  it('holds a job that was being sent when the station stopped, instead of resending it', async () => {
    const store = new MemoryPrintJobStore();
    store.add({ id: 'j1', printer: 't', payload: Buffer.from('A'), description: 'A', state: 'sending', attempts: 1, nextAttemptAt: 0, lastError: null, lastErrorKey: null, lastErrorParams: null, createdAt: 0, printedAt: null });
    store.add({ id: 'j2', printer: 't', payload: Buffer.from('B'), description: 'B', state: 'pending', attempts: 0, nextAttemptAt: 0, lastError: null, lastErrorKey: null, lastErrorParams: null, createdAt: 1, printedAt: null });
    const p = scriptedPrinter(['ok']);
    const q = new PrintQueue({ printer: 't', send: p.send, store });
    await q.idle();
    expect(p.accepted).toEqual(['B']);
    expect(q.job('j1')).toMatchObject({ state: 'uncertain', lastErrorKey: 'printer.job.interrupted', lastErrorParams: {} });
    await q.close();
  });

  it('does not send while preflight reports a fault', async () => {
    const p = scriptedPrinter([]);
    let paperOut = true;
    const q = new PrintQueue({
      printer: 't',
      send: p.send,
      retry: { initialDelayMs: 5, maxDelayMs: 5 },
      preflight: async () => {
        if (paperOut) throw new PrinterError('paper_out', 'paper out');
      },
    });
    const done = new Promise<void>((resolve) => q.onChange((s) => s.pending === 0 && resolve()));
    await expect(q.enqueue({ payload: 'A' })).resolves.toMatchObject({ status: 'queued', message: 'paper out' });
    expect(p.calls()).toBe(0);
    paperOut = false;
    await done;
    expect(p.accepted).toEqual(['A']);
    await q.close();
  });

  it('retries at once when asked, even right after a restart found the job waiting', async () => {
    const store = new MemoryPrintJobStore();
    store.add({ id: 'j1', printer: 't', payload: Buffer.from('A'), description: 'A', state: 'pending', attempts: 3, nextAttemptAt: Date.now() + 3_600_000, lastError: 'ECONNREFUSED', lastErrorKey: null, lastErrorParams: null, createdAt: 0, printedAt: null });
    const p = scriptedPrinter(['ok']);
    const q = new PrintQueue({ printer: 't', send: p.send, store });
    q.retryNow();
    await expect.poll(() => p.accepted).toEqual(['A']);
    await q.close();
  });

  it('keeps the reason of a job the printer may have as its key, and says "may have received" only in English', async () => {
    const p = { send: async (): Promise<void> => Promise.reject(new PrinterError('reset', 'ECONNRESET', true, { said: { key: 'printer.error.closedMidJob', params: { where: 'h:1' } } })) };
    const q = new PrintQueue({ printer: 't', send: p.send, retry: noDelay });
    const outcome = await q.enqueue({ id: 'j1', payload: 'A' });
    expect(outcome).toMatchObject({ status: 'failed', messageKey: 'printer.error.closedMidJob', messageParams: { where: 'h:1' } });
    expect(outcome.message).toMatch(/^ECONNRESET — the printer may have received/);
    expect(q.job('j1')).toMatchObject({ state: 'uncertain', lastErrorKey: 'printer.error.closedMidJob', lastErrorParams: { where: 'h:1' } });
    expect(q.status()).toMatchObject({ lastError: 'ECONNRESET', lastErrorKey: 'printer.error.closedMidJob' });
    await q.close();
  });

  it('clears the key with the error once the job prints', async () => {
    const p = scriptedPrinter(['refused', 'ok']);
    const q = new PrintQueue({ printer: 't', send: p.send, retry: { initialDelayMs: 5, maxDelayMs: 5 } });
    const first = await q.enqueue({ id: 'j1', payload: 'A' });
    // A PrinterError without a sentence of its own: its words travel as the detail.
    expect(first).toMatchObject({ status: 'queued', messageKey: 'printer.error.other', messageParams: { detail: 'ECONNREFUSED' } });
    await expect.poll(() => q.job('j1')?.state).toBe('printed');
    expect(q.job('j1')).toMatchObject({ lastError: null, lastErrorKey: null, lastErrorParams: null });
    expect(q.status()).toMatchObject({ lastError: null, lastErrorKey: null, lastErrorParams: null });
    await q.close();
  });

  it('answers for a job kept before keys were with its English words', async () => {
    const store = new MemoryPrintJobStore();
    store.add({ id: 'j1', printer: 't', payload: Buffer.from('A'), description: 'A', state: 'uncertain', attempts: 1, nextAttemptAt: 0, lastError: 'EPIPE — the printer may have received this label', lastErrorKey: null, lastErrorParams: null, createdAt: 0, printedAt: null });
    const q = new PrintQueue({ printer: 't', send: async () => undefined, store });
    expect(q.job('j1')).toMatchObject({ lastError: 'EPIPE — the printer may have received this label', lastErrorKey: null });
    await expect(q.enqueue({ id: 'j1', payload: 'A' })).resolves.toMatchObject({
      status: 'failed',
      messageKey: 'printer.error.other',
      messageParams: { detail: 'EPIPE — the printer may have received this label' },
    });
    await q.close();
  });
});
