// The printer the workflow talks to: renders the label in the printer's language and hands it
// to the print queue, which owns retries. Built from the station's PrinterConfig.
import type { PrintOutcome } from '../../core/contract/entities.js';
import type { PrinterConfig } from '../../core/contract/config.js';
import { ItemLabel } from '../labels/model.js';
import { renderSbpl } from '../labels/sbpl.js';
import { renderZpl, type ZplOptions } from '../labels/zpl.js';
import type { PrintJobStore } from './printJobStore.js';
import { PrintQueue, type PrintJobView, type PrintQueueStatus, type RetryPolicy } from './printQueue.js';
import { createTcpPrinterTransport, type PrinterTransport } from './tcpPrinter.js';

export interface LabelPrinter {
  /** e.g. "tcp://127.0.0.1:9100", or "none". */
  readonly name: string;
  readonly language: 'zpl' | 'sbpl' | null;
  /**
   * Prints the item's label once. Calling again for the same LPN does not print again (use
   * reprint). Resolves after the first attempt: printed, queued (retried automatically) or failed.
   */
  print(label: ItemLabel): Promise<PrintOutcome>;
  /** An operator's explicit reprint of a job (see labelJobId). */
  reprint(jobId: string): Promise<PrintOutcome>;
  cancel(jobId: string): boolean;
  retryNow(): void;
  queueStatus(): PrintQueueStatus;
  jobs(): PrintJobView[];
  onChange(listener: (status: PrintQueueStatus) => void): () => void;
  close(): Promise<void>;
}

export interface LabelPrinterOptions {
  store?: PrintJobStore;
  retry?: Partial<RetryPolicy>;
  zpl?: ZplOptions;
  /** Replaces the transport built from config (tests, device-file or serial printers). */
  transport?: PrinterTransport;
}

/** The print job id of an item's label: one label per LPN unless an operator reprints. */
export function labelJobId(lpn: string): string {
  return `label:${lpn}`;
}

export function createLabelPrinter(config: PrinterConfig, options: LabelPrinterOptions = {}): LabelPrinter {
  if (config.transport === 'none' && !options.transport) return noPrinter();
  const language = config.transport === 'tcp' ? config.language : 'zpl';
  const transport =
    options.transport ??
    (config.transport === 'tcp'
      ? createTcpPrinterTransport({ host: config.host, port: config.port, connectTimeoutMs: config.timeoutMs, writeTimeoutMs: config.timeoutMs * 3 })
      : null);
  if (!transport) return noPrinter();
  const queue = new PrintQueue({
    printer: transport.name,
    send: (payload) => transport.send(payload),
    ...(options.store ? { store: options.store } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const render = (label: ItemLabel): Buffer =>
    language === 'sbpl' ? renderSbpl(label) : Buffer.from(renderZpl(label, options.zpl), 'utf8');
  return {
    name: transport.name,
    language,
    print(input) {
      const label = ItemLabel.parse(input);
      return queue.enqueue({ id: labelJobId(label.lpn), payload: render(label), description: `LPN ${label.lpn}` });
    },
    reprint: (jobId) => queue.reprint(jobId),
    cancel: (jobId) => queue.cancel(jobId),
    retryNow: () => queue.retryNow(),
    queueStatus: () => queue.status(),
    jobs: () => queue.jobs(),
    onChange: (l) => queue.onChange(l),
    close: () => queue.close(),
  };
}

function noPrinter(): LabelPrinter {
  const failed: PrintOutcome = { status: 'failed', printer: 'none', message: 'No printer is configured for this station' };
  return {
    name: 'none',
    language: null,
    print: async () => failed,
    reprint: async () => failed,
    cancel: () => false,
    retryNow: () => undefined,
    queueStatus: () => ({ printer: 'none', pending: 0, uncertain: 0, lastError: null, nextAttemptAt: null }),
    jobs: () => [],
    onChange: () => () => undefined,
    close: async () => undefined,
  };
}
