// One worker thread kept for many requests (the report summaries' and the checkpoints'): started at the first
// request, matched to its replies by id, each reply read through the worker's zod schema. The runners keep only
// what is their own: what a request holds and what a reply means.
import { Worker } from 'node:worker_threads';
import type { ZodType } from 'zod';
import type { WorkerEntry } from './workerEntry.js';

export interface LongLivedWorker<Reply extends { id: number }> {
  /** Posts `body` with a fresh id to the worker (started if none runs) and resolves with the reply of that id. */
  request(body: object): Promise<Reply>;
  /** Stops the worker; requests still open are refused, later ones too. */
  close(): Promise<void>;
}

export interface LongLivedWorkerOptions<Reply extends { id: number }> {
  /** How messages name it: "the summary worker". */
  name: string;
  entry: () => WorkerEntry;
  workerData: unknown;
  reply: ZodType<Reply>;
  /**
   * A worker that stops before it ever answered is not started again: its code cannot run here (a missing
   * bundle), so every later request is refused at once with that first failure. Without it, the next request
   * starts a new worker.
   */
  giveUpIfNeverAnswered?: boolean;
}

export function startLongLivedWorker<Reply extends { id: number }>(options: LongLivedWorkerOptions<Reply>): LongLivedWorker<Reply> {
  let worker: Worker | null = null;
  let nextId = 0;
  let closed = false;
  let answered = false;
  let cannotStart: Error | null = null;
  const pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

  const failAll = (err: Error): void => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  const ensure = (): Worker => {
    if (worker) return worker;
    const entry = options.entry();
    const w = new Worker(entry.source, { workerData: options.workerData, eval: entry.eval });
    // An idle worker must not keep the process alive; one with requests open does (ref in request).
    w.unref();
    w.on('message', (raw: unknown) => {
      const parsed = options.reply.safeParse(raw);
      if (!parsed.success) return failAll(new Error(`${options.name} sent an unreadable message: ${parsed.error.message}`));
      const p = pending.get(parsed.data.id);
      if (!p) return;
      answered = true;
      pending.delete(parsed.data.id);
      if (pending.size === 0) w.unref();
      p.resolve(parsed.data);
    });
    const gone = (err: Error): void => {
      if (worker === w) worker = null;
      if (options.giveUpIfNeverAnswered && !answered && !closed) cannotStart ??= err;
      failAll(err);
    };
    w.on('error', (err) => gone(err));
    w.on('exit', (code) => gone(new Error(`${options.name} stopped (exit code ${code})`)));
    worker = w;
    return w;
  };

  return {
    request(body) {
      if (closed) return Promise.reject(new Error(`${options.name} is closed`));
      if (cannotStart) return Promise.reject(cannotStart);
      const w = ensure();
      const id = ++nextId;
      return new Promise<Reply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.ref();
        w.postMessage({ ...body, id });
      });
    },
    async close() {
      closed = true;
      const w = worker;
      worker = null;
      failAll(new Error(`${options.name} is closed`));
      if (w) await w.terminate();
    },
  };
}
