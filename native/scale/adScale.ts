// A parcel scale speaking the A&D standard format, which many serial scales copy:
//   "ST,+00012.34  g" stable, "US,+00012.30  g" unstable (still settling), "OL,+9999999E+19" overload,
// one line per reading, CR LF. In stream mode the scale sends continuously; in command mode it
// answers "Q" (immediate) or "S" (next stable) followed by CR LF.
import { z } from 'zod';
import { WeightReading, type WeightUnit } from '../../contract/index.js';
import { Listeners, type DriverStatus, type ScaleDriver } from '../devices/driver.js';
import { FramedDriver } from '../devices/framedDriver.js';
import { Terminator, visibleBytes } from '../transports/framing.js';
import type { ByteTransport } from '../transports/serial.js';

export type AdLine =
  | { ok: true; stable: boolean; overload: boolean; value: number | null; unit: WeightUnit; grams: number | null }
  | { ok: false; problem: string };

const GRAMS_PER: Record<WeightUnit, number> = { g: 1, kg: 1000 };
const LINE_RE = /^(ST|US|OL|QT),([+-]?)\s*([0-9.]+)\s*([A-Za-z%]*)\s*$/;

/** Parses one A&D line (terminator already removed). Pure; never throws. */
export function parseAdLine(line: string, lastUnit: WeightUnit = 'g'): AdLine {
  // Overload is "OL," and a placeholder number; a line that merely starts with the letters OL is garbage.
  if (line.startsWith('OL,')) {
    // Overload carries no usable number; keep the unit we last saw so the UI can say "over … kg".
    return { ok: true, stable: false, overload: true, value: null, unit: lastUnit, grams: null };
  }
  const m = LINE_RE.exec(line);
  if (!m) return { ok: false, problem: `not an A&D weight line: "${visibleBytes(Buffer.from(line, 'latin1'))}"` };
  const [, head, sign = '', digits = '', unitRaw = ''] = m;
  if (head === 'QT') return { ok: false, problem: 'the scale is in counting mode (QT); switch it to weighing in g or kg' };
  const unit = unitRaw.toLowerCase();
  if (unit !== 'g' && unit !== 'kg') {
    return { ok: false, problem: `the scale reports in "${unitRaw || 'no unit'}"; set it to g or kg` };
  }
  if (!/^\d+(\.\d+)?$/.test(digits)) return { ok: false, problem: `not a number in weight line: "${line}"` };
  const value = Number(`${sign}${digits}`);
  // Rounded to 0.001 g so kg → g conversion does not show float noise (0.1 kg = 100 g, not 100.00000000000001).
  const grams = Math.round(value * GRAMS_PER[unit] * 1000) / 1000;
  return { ok: true, stable: head === 'ST', overload: false, value, unit, grams };
}

export const AdScaleSettings = z
  .object({
    terminator: Terminator.default('CR_OR_LF'),
    maxFrameBytes: z.number().int().min(16).max(1024).default(64),
    /** Sent by requestWeight(): "Q" immediate reading, "S" next stable one. */
    requestCommand: z.enum(['Q', 'S']).default('Q'),
    /** Ask every N ms for scales in command mode; 0 = the scale streams on its own. */
    pollMs: z.number().int().min(0).max(60_000).default(0),
  })
  .strict();
export type AdScaleSettings = z.infer<typeof AdScaleSettings>;

export class AdScale implements ScaleDriver {
  readonly kind = 'scale' as const;
  readonly label: string;
  private readonly weights = new Listeners<WeightReading>();
  private readonly framed: FramedDriver;
  private readonly settings: AdScaleSettings;
  private lastUnit: WeightUnit = 'g';
  private pollTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly id: string,
    private readonly transport: ByteTransport,
    settings: z.input<typeof AdScaleSettings> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.settings = AdScaleSettings.parse(settings);
    this.label = transport.label;
    const source = `serial:${transport.label}`;
    this.framed = new FramedDriver(transport, {
      id,
      kind: 'scale',
      terminator: this.settings.terminator,
      maxFrameBytes: this.settings.maxFrameBytes,
      now,
      onFrame: (bytes) => {
        const line = parseAdLine(bytes.toString('latin1'), this.lastUnit);
        if (!line.ok) return { ok: false, problem: `scale ${transport.label}: ${line.problem}` };
        this.lastUnit = line.unit;
        const reading = WeightReading.parse({
          stable: line.stable,
          overload: line.overload,
          value: line.value,
          unit: line.unit,
          grams: line.grams,
          source,
          at: this.now(),
        });
        this.weights.emit(reading);
        return { ok: true };
      },
    });
  }

  start(): void {
    this.framed.start();
    if (this.settings.pollMs > 0 && !this.pollTimer) {
      this.pollTimer = setInterval(() => {
        if (this.transport.status().state === 'connected') this.transport.write(`${this.settings.requestCommand}\r\n`).catch(() => undefined);
      }, this.settings.pollMs);
      this.pollTimer.unref?.();
    }
  }

  async stop(): Promise<void> {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    await this.framed.stop();
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
  onWeight(listener: (reading: WeightReading) => void): () => void {
    return this.weights.add(listener);
  }

  requestWeight(timeoutMs = 2000): Promise<WeightReading> {
    return new Promise<WeightReading>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`scale ${this.label} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.weights.add((r) => {
        clearTimeout(timer);
        off();
        resolve(r);
      });
      this.transport.write(`${this.settings.requestCommand}\r\n`).catch((e: unknown) => {
        clearTimeout(timer);
        off();
        reject(e instanceof Error ? e : new Error(String(e)));
      });
    });
  }
}
