// The printer the workflow talks to: renders the label in the printer's language and hands it
// to the print queue, which owns retries. Built from the station's PrinterConfig.
import type { PrintOutcome } from '../../contract/entities.js';
import type { PrinterConfig } from '../../contract/config.js';
import { ItemLabel, labelJobId } from '../../contract/label.js';
import { renderSbpl } from '../labels/sbpl.js';
import { renderZpl, type ZplOptions } from '../labels/zpl.js';
import { printerMessage } from '../../contract/printerMessages.js';
import { PrinterError } from './errors.js';
import { saidOf, saying, unknownStatus, type PrinterStatus } from './printerStatus.js';
import type { PrintJobStore } from '../../contract/printJob.js';
import { querySatoStatus } from './sbplStatus.js';
import { queryZplStatus } from './zplStatus.js';
import { PrintQueue, type PrintJobView, type PrintQueueStatus, type RetryPolicy } from './printQueue.js';
import { createSerialTransport } from '../transports/serial.js';
import { createDeviceFilePrinterTransport, createSerialPrinterTransport } from './otherTransports.js';
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
  /** Asks the printer (ZPL ~HS / SATO ENQ). A printer that does not answer is a fault. */
  status(): Promise<PrinterStatus>;
  /** The last status seen (by status() or the check before each print); null before any. */
  lastStatus(): PrinterStatus | null;
  queueStatus(): PrintQueueStatus;
  jobs(): PrintJobView[];
  onChange(listener: (status: PrintQueueStatus) => void): () => void;
  /** 'replaced': another printer takes over the queue, and whoever waits for a first attempt is told so. */
  close(reason?: 'replaced'): Promise<void>;
}

export interface LabelPrinterOptions {
  store?: PrintJobStore;
  retry?: Partial<RetryPolicy>;
  zpl?: ZplOptions;
  /** Replaces the transport built from config (tests, device-file or serial printers). */
  transport?: PrinterTransport;
  /**
   * Ask the printer's status before each job and hold the job while it reports a fault or does
   * not answer. Default: on for ZPL on a two-way link (a Zebra answers ~HS on 9100 and serial),
   * off for SBPL (SATO answers ENQ only when its protocol is set to status 4). Device files
   * are one-way and never checked.
   */
  statusCheck?: boolean;
  /** How long a status reply may take (default: config.timeoutMs, else 2000 ms). */
  statusTimeoutMs?: number;
}

const SILENT_PRINTER = 'This printer does not answer status requests, so paper and head faults cannot be shown (a SATO printer answers when its protocol is set to Status4)';

export function createLabelPrinter(config: PrinterConfig, options: LabelPrinterOptions = {}): LabelPrinter {
  const language = config.transport === 'none' ? 'zpl' : config.language;
  const transport = options.transport ?? transportFor(config);
  if (!transport) return noPrinter();
  const statusTimeoutMs = options.statusTimeoutMs ?? (config.transport === 'none' ? 2000 : Math.min(config.timeoutMs, 5000));
  const statusCheck = (options.statusCheck ?? language === 'zpl') && transport.exchange !== undefined;
  let last: PrinterStatus | null = null;
  const status = async (): Promise<PrinterStatus> => {
    if (!transport.exchange) return (last = unknownStatus());
    const s = language === 'sbpl' ? await querySatoStatus(transport, statusTimeoutMs) : await queryZplStatus(transport, statusTimeoutMs);
    // A printer whose jobs do not wait for status may print without ever answering (a SATO outside Status4
    // ignores ENQ): its silence is no fault, only no news. Unreachable is still unreachable.
    last = !statusCheck && s.reason === 'no_status_reply' ? { ...unknownStatus(), ...saying(SILENT_PRINTER, printerMessage('printer.status.silent')) } : s;
    return last;
  };
  const render = (label: ItemLabel): Buffer =>
    language === 'sbpl' ? renderSbpl(label) : Buffer.from(renderZpl(label, options.zpl), 'utf8');
  const queue = new PrintQueue({
    printer: transport.name,
    render,
    send: (payload) => transport.send(payload),
    ...(statusCheck
      ? {
          preflight: async () => {
            const s = await status();
            if (s.state === 'fault') {
              const message = s.message ?? 'printer fault';
              throw new PrinterError('io', message, false, { said: saidOf(s) ?? printerMessage('printer.error.other', { detail: message }) });
            }
          },
        }
      : {}),
    ...(options.store ? { store: options.store } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const printerName = config.transport === 'none' ? undefined : config.name;
  const named = (o: PrintOutcome): PrintOutcome => (printerName ? { ...o, printerName } : o);
  return {
    name: transport.name,
    language,
    async print(input) {
      const label = ItemLabel.parse(input);
      return named(await queue.enqueue({ id: labelJobId(label.lpn, label.revision), payload: render(label), description: `LPN ${label.lpn}`, label }));
    },
    reprint: async (jobId) => named(await queue.reprint(jobId)),
    cancel: (jobId) => queue.cancel(jobId),
    retryNow: () => queue.retryNow(),
    status,
    lastStatus: () => last,
    queueStatus: () => queue.status(),
    jobs: () => queue.jobs(),
    onChange: (l) => queue.onChange(l),
    close: async (reason) => {
      await queue.close(reason);
      await transport.close?.();
    },
  };
}

function transportFor(config: PrinterConfig): PrinterTransport | null {
  switch (config.transport) {
    case 'tcp':
      return createTcpPrinterTransport({ host: config.host, port: config.port, connectTimeoutMs: config.timeoutMs, writeTimeoutMs: config.timeoutMs * 3 });
    case 'serial':
      return createSerialPrinterTransport(createSerialTransport({ path: config.path, baudRate: config.baudRate }));
    case 'device':
      return createDeviceFilePrinterTransport(config.path, config.timeoutMs);
    case 'none':
      return null;
  }
}

function noPrinter(): LabelPrinter {
  const failed: PrintOutcome = {
    status: 'failed',
    printer: 'none',
    message: 'No printer is configured for this station',
    messageKey: 'printer.error.notConfigured',
    messageParams: {},
  };
  return {
    name: 'none',
    language: null,
    print: async () => failed,
    reprint: async () => failed,
    cancel: () => false,
    retryNow: () => undefined,
    status: async () => unknownStatus(),
    lastStatus: () => null,
    queueStatus: () => ({ printer: 'none', pending: 0, uncertain: 0, lastError: null, lastErrorKey: null, lastErrorParams: null, nextAttemptAt: null }),
    jobs: () => [],
    onChange: () => () => undefined,
    close: async () => undefined,
  };
}
