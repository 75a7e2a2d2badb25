// The bench printer as one object that a lead can point at another printer while the station runs. Every user
// (the label output, the Devices screen, the printer's status) holds this object, so none keeps the old printer.
import type { PrinterConfig } from '../../contract/printerConfig.js';
import type { PrintQueueStatus } from './printQueue.js';
import type { LabelPrinter } from './labelPrinter.js';

export interface ReplaceablePrinter extends LabelPrinter {
  /**
   * Puts a printer built from `config` in place of the current one. The job being sent finishes on the old printer
   * (so nothing is sent twice); the jobs still waiting are in the shared job store and go to the new one.
   */
  replace(config: PrinterConfig): Promise<void>;
}

/** `make` builds a printer on the one job store; the queue of the printer it builds takes over the waiting jobs. */
export function replaceablePrinter(config: PrinterConfig, make: (config: PrinterConfig) => LabelPrinter): ReplaceablePrinter {
  let current = make(config);
  let currentConfig = config;
  // Calls that come while the printer is being replaced wait for the new one: the old queue is closed by then.
  let ready: Promise<void> = Promise.resolve();
  const listeners = new Set<(status: PrintQueueStatus) => void>();
  const follow = (printer: LabelPrinter): (() => void) => printer.onChange((s) => listeners.forEach((l) => l(s)));
  let unfollow = follow(current);
  const after = async <T>(run: (printer: LabelPrinter) => Promise<T>): Promise<T> => {
    await ready;
    return run(current);
  };

  const replace = async (next: PrinterConfig): Promise<void> => {
    const old = current;
    unfollow();
    // Closing waits for the attempt in flight, so that job is settled on the old printer before the new queue
    // (whose start marks a job still "sending" as maybe printed) reads the store.
    await old.close('replaced');
    try {
      current = make(next);
      currentConfig = next;
    } catch (e) {
      current = make(currentConfig);
      throw e;
    } finally {
      unfollow = follow(current);
    }
    // Waiting jobs may be backing off for the old printer's sake: the new one gets them now (its queue has rendered
    // them in its own language as it started).
    current.retryNow();
    const status = current.queueStatus();
    listeners.forEach((l) => l(status));
  };

  return {
    get name() {
      return current.name;
    },
    get language() {
      return current.language;
    },
    print: (label) => after((p) => p.print(label)),
    reprint: (jobId) => after((p) => p.reprint(jobId)),
    cancel: (jobId) => current.cancel(jobId),
    retryNow: () => current.retryNow(),
    status: () => after((p) => p.status()),
    lastStatus: () => current.lastStatus(),
    queueStatus: () => current.queueStatus(),
    jobs: () => current.jobs(),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    replace(next) {
      const done = ready.then(() => replace(next));
      // A failed replacement leaves a working printer (the old settings): later calls need not fail with it.
      ready = done.catch(() => undefined);
      return done;
    },
    close: () => after((p) => p.close()),
  };
}
