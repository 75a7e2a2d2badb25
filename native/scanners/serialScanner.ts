// A barcode scanner on a serial / virtual COM port: AIM prefix + data + terminator per scan.
import { z } from 'zod';
import type { ScanEvent } from '../../contract/index.js';
import { Listeners, type DriverStatus, type ScannerDriver } from '../devices/driver.js';
import { FramedDriver } from '../devices/framedDriver.js';
import { Terminator } from '../transports/framing.js';
import type { ByteTransport } from '../transports/serial.js';
import { ScanEncoding, scanFromBytes } from './scanText.js';

export const SerialScannerSettings = z
  .object({
    terminator: Terminator.default('CR_OR_LF'),
    /** A 2D code holds up to ~3 KB (QR); anything longer without a terminator is a flood. */
    maxFrameBytes: z.number().int().min(16).max(65536).default(4096),
    encoding: ScanEncoding.default('auto'),
  })
  .strict();
export type SerialScannerSettings = z.infer<typeof SerialScannerSettings>;

export class SerialScanner implements ScannerDriver {
  readonly kind = 'scanner' as const;
  readonly label: string;
  private readonly scans = new Listeners<ScanEvent>();
  private readonly framed: FramedDriver;

  constructor(
    readonly id: string,
    transport: ByteTransport,
    settings: z.input<typeof SerialScannerSettings> = {},
    now: () => number = Date.now,
  ) {
    const s = SerialScannerSettings.parse(settings);
    this.label = transport.label;
    const source = `serial:${transport.label}`;
    this.framed = new FramedDriver(transport, {
      id,
      kind: 'scanner',
      terminator: s.terminator,
      maxFrameBytes: s.maxFrameBytes,
      now,
      onFrame: (bytes) => {
        const r = scanFromBytes(bytes, { source, encoding: s.encoding, at: now() });
        if (!r.ok) return r;
        this.scans.emit(r.scan);
        return { ok: true };
      },
    });
  }

  start(): void {
    this.framed.start();
  }
  stop(): Promise<void> {
    return this.framed.stop();
  }
  status(): DriverStatus {
    return this.framed.status();
  }
  onStatus(listener: (status: DriverStatus) => void): () => void {
    return this.framed.statusListeners.add(listener);
  }
  onProblem(listener: (message: string) => void): () => void {
    return this.framed.problemListeners.add(listener);
  }
  onScan(listener: (scan: ScanEvent) => void): () => void {
    return this.scans.add(listener);
  }
}
