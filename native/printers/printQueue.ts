// A print queue in front of one printer. Rules:
// - a job that fails before the printer could have it stays queued and is retried with backoff;
// - a job the printer may already have (failure after bytes went out, or a crash mid-send) is
//   never resent automatically: it waits as 'uncertain' until an operator asks for a reprint;
// - jobs go out in the order they were queued.
import { randomUUID } from 'node:crypto';
import type { PrintOutcome } from '../../contract/entities.js';
import type { ItemLabel } from '../../contract/label.js';
import { printerMessage, type PrinterMessage, type PrinterMessageKey, type PrinterMessageParams } from '../../contract/printerMessages.js';
import { isPrinterError, PrinterError, printerMessageOf } from './errors.js';
import type { PrintJobRecord, PrintJobStore } from '../../contract/printJob.js';
import { MemoryPrintJobStore } from './printJobStore.js';

export interface RetryPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialDelayMs: 1000, maxDelayMs: 30_000, factor: 2 };

export interface PrintQueueOptions {
  /** Printer name shown in outcomes (e.g. "tcp://10.0.0.5:9100"). */
  printer: string;
  /** Delivers bytes; rejects with PrinterError (maybeDelivered says whether a resend is safe). */
  send: (payload: Buffer) => Promise<void>;
  /**
   * Renders a label in this printer's language. Given, the jobs waiting at start (another printer's, when a lead
   * replaced it, or this one's before a restart) and each reprint are rendered anew from the label they keep.
   */
  render?: (label: ItemLabel) => Buffer;
  /** Runs before each attempt; throwing (e.g. paper out) keeps the job queued, nothing sent. */
  preflight?: () => Promise<void>;
  store?: PrintJobStore;
  retry?: Partial<RetryPolicy>;
  now?: () => number;
  newId?: () => string;
}

export interface PrintJobInput {
  /** Give a stable id (e.g. the item's LPN + purpose) so enqueuing twice prints once. */
  id?: string;
  payload: Buffer | string;
  description?: string;
  /** The label the payload was rendered from, kept so another printer's language can be rendered from it (relabel). */
  label?: ItemLabel;
}

export interface PrintJobView {
  id: string;
  description: string;
  state: PrintJobRecord['state'];
  attempts: number;
  lastError: string | null;
  lastErrorKey: PrinterMessageKey | null;
  lastErrorParams: PrinterMessageParams | null;
  nextAttemptAt: string | null;
  createdAt: string;
}

export interface PrintQueueStatus {
  printer: string;
  /** Waiting to be sent (includes the one being sent). */
  pending: number;
  /** May or may not have printed; need an operator's decision. */
  uncertain: number;
  lastError: string | null;
  lastErrorKey: PrinterMessageKey | null;
  lastErrorParams: PrinterMessageParams | null;
  nextAttemptAt: string | null;
}

type Listener = (status: PrintQueueStatus) => void;

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** An English sentence and the same said as a key, as the queue keeps and reports them. */
interface Said {
  text: string;
  said: PrinterMessage;
}

const INTERRUPTED: Said = { text: 'interrupted while sending; check whether the label came out', said: printerMessage('printer.job.interrupted') };
const QUEUE_CLOSED: Said = { text: 'print queue is closed', said: printerMessage('printer.job.queueClosed') };
const CANCELLED: Said = { text: 'cancelled', said: printerMessage('printer.job.cancelled') };
const STATION_CLOSING: Said = { text: 'station closing; the job stays queued', said: printerMessage('printer.job.stationClosing') };
const PRINTER_REPLACED: Said = { text: 'the bench printer was changed; the job prints on the new one', said: printerMessage('printer.job.printerReplaced') };
const WAITING: Said = { text: 'waiting for the printer', said: printerMessage('printer.job.waiting') };

/** The record's fields for a last error (or none). */
const lastErrorFields = (e: Said | null): Pick<PrintJobRecord, 'lastError' | 'lastErrorKey' | 'lastErrorParams'> =>
  e ? { lastError: e.text, lastErrorKey: e.said.key, lastErrorParams: e.said.params } : { lastError: null, lastErrorKey: null, lastErrorParams: null };

/** A job's recorded last error; one kept before keys were, has its English text alone. */
const recordedError = (job: PrintJobRecord): Said | null => {
  if (job.lastError === null) return null;
  return { text: job.lastError, said: job.lastErrorKey ? { key: job.lastErrorKey, params: job.lastErrorParams ?? {} } : printerMessage('printer.error.other', { detail: job.lastError }) };
};

export class PrintQueue {
  private readonly store: PrintJobStore;
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly waiters = new Map<string, Array<(o: PrintOutcome) => void>>();
  private readonly listeners = new Set<Listener>();
  private pumping: Promise<void> | null = null;
  private kickAgain = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private lastError: Said | null = null;

  constructor(private readonly options: PrintQueueOptions) {
    this.store = options.store ?? new MemoryPrintJobStore();
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
    // A job caught mid-send by a crash may have printed: hold it for the operator.
    for (const job of this.store.list(['sending'])) {
      this.store.update(job.id, { state: 'uncertain', ...lastErrorFields(INTERRUPTED) });
    }
    if (options.render) this.relabel(options.render);
    if (this.store.list(['pending']).length > 0) this.kick();
  }

  get printer(): string {
    return this.options.printer;
  }

  /**
   * Queues a job and resolves after its first attempt: 'printed', 'queued' (will be retried
   * automatically), or 'failed' (uncertain; an operator must decide whether to reprint).
   */
  enqueue(input: PrintJobInput): Promise<PrintOutcome> {
    if (this.closed) return Promise.resolve(this.outcome('failed', QUEUE_CLOSED));
    const id = input.id ?? this.newId();
    const existing = this.store.get(id);
    if (existing) return Promise.resolve(this.outcomeOf(existing));
    this.store.add({
      id,
      printer: this.options.printer,
      payload: typeof input.payload === 'string' ? Buffer.from(input.payload, 'utf8') : input.payload,
      description: input.description ?? id,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: this.now(),
      ...lastErrorFields(null),
      createdAt: this.now(),
      printedAt: null,
      label: input.label ?? null,
    });
    const result = this.waitFor(id);
    this.changed();
    this.kick();
    return result;
  }

  /** The operator asks to print a job again (an uncertain one, or a printed label that got lost). */
  reprint(id: string): Promise<PrintOutcome> {
    const job = this.store.get(id);
    if (!job) return Promise.resolve(this.outcome('failed', { text: `no print job ${id}`, said: printerMessage('printer.job.notFound', { id }) }));
    if (job.state === 'pending' || job.state === 'sending') return Promise.resolve(this.outcomeOf(job));
    // In this printer's language, which may not be the one the label first printed in.
    if (this.options.render) this.relabel(this.options.render, [job]);
    this.store.update(id, { state: 'pending', nextAttemptAt: this.now() });
    const result = this.waitFor(id);
    this.changed();
    this.kick();
    return result;
  }

  /** Drops a job that is waiting (pending) or uncertain. */
  cancel(id: string): boolean {
    const job = this.store.get(id);
    if (!job || (job.state !== 'pending' && job.state !== 'uncertain')) return false;
    this.store.update(id, { state: 'cancelled' });
    this.settle(id, this.outcome('failed', CANCELLED));
    this.changed();
    return true;
  }

  /** Retry now instead of waiting out the backoff (e.g. the operator fixed the printer). */
  retryNow(): void {
    for (const job of this.store.list(['pending'])) this.store.update(job.id, { nextAttemptAt: this.now() });
    this.kick();
  }

  job(id: string): PrintJobView | undefined {
    const job = this.store.get(id);
    return job ? this.view(job) : undefined;
  }

  /** Unfinished jobs (pending, sending, uncertain), oldest first. */
  jobs(): PrintJobView[] {
    return this.store.list(['pending', 'sending', 'uncertain']).map((j) => this.view(j));
  }

  status(): PrintQueueStatus {
    const pending = this.store.list(['pending', 'sending']);
    const head = pending.find((j) => j.state === 'pending');
    const last = lastErrorFields(this.lastError);
    return {
      printer: this.options.printer,
      pending: pending.length,
      uncertain: this.store.list(['uncertain']).length,
      lastError: last.lastError,
      lastErrorKey: last.lastErrorKey,
      lastErrorParams: last.lastErrorParams,
      nextAttemptAt: head && head.attempts > 0 ? new Date(head.nextAttemptAt).toISOString() : null,
    };
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when no attempt is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  /** Stops the queue; its waiting jobs stay in the store for the next queue (after a restart, or a new printer). */
  async close(reason: 'closing' | 'replaced' = 'closing'): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.idle();
    for (const id of [...this.waiters.keys()]) this.settle(id, this.outcome('queued', reason === 'replaced' ? PRINTER_REPLACED : STATION_CLOSING));
  }

  /** Jobs rendered anew from their labels (every waiting job, or those given); a job without its label keeps its bytes. */
  private relabel(render: (label: ItemLabel) => Buffer, jobs: readonly PrintJobRecord[] = this.store.list(['pending'])): void {
    for (const job of jobs) if (job.label) this.store.update(job.id, { payload: render(job.label) });
  }

  private kick(): void {
    if (this.closed) return;
    if (this.pumping) {
      // The running pump may already be past the point where it would see this change.
      this.kickAgain = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      if (this.kickAgain) {
        this.kickAgain = false;
        this.kick();
      }
    });
  }

  private async pump(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (;;) {
      if (this.closed) return;
      const head = this.store.list(['pending'])[0];
      if (!head) return;
      const wait = head.nextAttemptAt - this.now();
      if (wait > 0) {
        this.settleAllPending();
        this.timer = setTimeout(() => this.kick(), wait);
        this.timer.unref?.();
        return;
      }
      await this.attempt(head);
    }
  }

  private async attempt(job: PrintJobRecord): Promise<void> {
    const attempts = job.attempts + 1;
    try {
      await this.options.preflight?.();
    } catch (e) {
      this.backOff(job.id, attempts, e);
      return;
    }
    this.store.update(job.id, { state: 'sending', attempts });
    try {
      // The record keeps a Uint8Array (the contract has no Buffer); the bytes are the same, not copied.
      await this.options.send(Buffer.from(job.payload.buffer, job.payload.byteOffset, job.payload.byteLength));
    } catch (e) {
      if (isPrinterError(e) && !e.maybeDelivered) {
        this.backOff(job.id, attempts, e);
      } else {
        // The key says what went wrong; that the label may be out is what 'uncertain' itself says on the screen.
        const said = printerMessageOf(e);
        const uncertain: Said = { text: `${messageOf(e)} — the printer may have received this label; reprint only if it did not come out`, said };
        this.lastError = { text: messageOf(e), said };
        this.store.update(job.id, { state: 'uncertain', ...lastErrorFields(uncertain) });
        this.settle(job.id, this.outcome('failed', uncertain));
        this.changed();
      }
      return;
    }
    this.lastError = null;
    this.store.update(job.id, { state: 'printed', printedAt: this.now(), ...lastErrorFields(null) });
    this.settle(job.id, this.outcome('printed'));
    this.changed();
  }

  private backOff(id: string, attempts: number, e: unknown): void {
    const delay = Math.min(this.retry.maxDelayMs, this.retry.initialDelayMs * this.retry.factor ** (attempts - 1));
    const error: Said = { text: messageOf(e), said: printerMessageOf(e) };
    this.lastError = error;
    this.store.update(id, { state: 'pending', attempts, nextAttemptAt: this.now() + delay, ...lastErrorFields(error) });
    this.changed();
  }

  /** The printer is down: everyone waiting for a first answer hears "queued" now. */
  private settleAllPending(): void {
    for (const job of this.store.list(['pending'])) {
      this.settle(job.id, this.outcome('queued', recordedError(job) ?? this.lastError ?? WAITING));
    }
  }

  private waitFor(id: string): Promise<PrintOutcome> {
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
    });
  }

  private settle(id: string, outcome: PrintOutcome): void {
    const list = this.waiters.get(id);
    if (!list) return;
    this.waiters.delete(id);
    for (const resolve of list) resolve(outcome);
  }

  private outcome(status: PrintOutcome['status'], message?: Said | null): PrintOutcome {
    if (!message) return { status, printer: this.options.printer };
    return { status, printer: this.options.printer, message: message.text, messageKey: message.said.key, messageParams: message.said.params };
  }

  private outcomeOf(job: PrintJobRecord): PrintOutcome {
    switch (job.state) {
      case 'printed':
        return this.outcome('printed');
      case 'pending':
      case 'sending':
        return this.outcome('queued', recordedError(job));
      case 'uncertain':
        return this.outcome('failed', recordedError(job) ?? { text: job.state, said: printerMessage('printer.job.interrupted') });
      case 'cancelled':
        return this.outcome('failed', recordedError(job) ?? CANCELLED);
    }
  }

  private view(job: PrintJobRecord): PrintJobView {
    return {
      id: job.id,
      description: job.description,
      state: job.state,
      attempts: job.attempts,
      lastError: job.lastError,
      lastErrorKey: job.lastErrorKey,
      lastErrorParams: job.lastErrorParams,
      nextAttemptAt: job.state === 'pending' && job.attempts > 0 ? new Date(job.nextAttemptAt).toISOString() : null,
      createdAt: new Date(job.createdAt).toISOString(),
    };
  }

  private changed(): void {
    const status = this.status();
    for (const l of this.listeners) l(status);
  }
}

export { PrinterError };
