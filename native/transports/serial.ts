// A serial port that survives being unplugged. USB-serial scanners, scales and RFID readers
// disappear when a cable is pulled; the driver above must not care, so this transport keeps
// trying to reopen the same path and reports what it is doing in words an operator can act on.
import { readdir, realpath } from 'node:fs/promises';
import { SerialPortStream, type OpenOptions } from '@serialport/stream';
import { SerialPort } from 'serialport';
import { z } from 'zod';
import type { DeviceReasonCode, DeviceReasonParams } from '../../contract/index.js';
import type { DetectWarning } from '../../contract/calls/devices.js';

/** The serialport binding type (platform binding, or MockBinding in tests). */
export type SerialBinding = OpenOptions['binding'];

export const SerialSettings = z
  .object({
    /** Device path, e.g. /dev/ttyUSB0, /dev/serial/by-id/usb-…, COM3. */
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(9600),
    dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).default(8),
    parity: z.enum(['none', 'even', 'odd', 'mark', 'space']).default('none'),
    stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]).default(1),
    rtscts: z.boolean().default(false),
  })
  .strict();
export type SerialSettings = z.infer<typeof SerialSettings>;
export type SerialSettingsInput = z.input<typeof SerialSettings>;

/**
 * connecting: first attempt in progress; connected: open; reconnecting: the device is gone and
 * we poll for it; error: it is there but cannot be used (permissions, in use) — still retried,
 * since the fix happens outside the app; stopped: closed on purpose.
 */
export type TransportState = 'connecting' | 'connected' | 'reconnecting' | 'error' | 'stopped';

export interface TransportStatus {
  state: TransportState;
  /** Plain-words reason for reconnecting / error. */
  reason?: string;
  /** The kind of reason, for the screen to say it in the operator's language. */
  code?: DeviceReasonCode;
  params?: DeviceReasonParams;
  /** Epoch ms of the last state change. */
  since: number;
}

/** What every byte-stream driver (scanner, scale, RFID reader) needs from its transport. */
export interface ByteTransport {
  /** Human label for messages, e.g. the port path. */
  readonly label: string;
  /** Starts connecting (and reconnecting forever until close()). Never throws. */
  start(): void;
  /** Resolves when connected; rejects after `timeoutMs` (default: never times out). */
  whenConnected(timeoutMs?: number): Promise<void>;
  /** Rejects when the port is not connected or the write fails. */
  write(data: Buffer | string): Promise<void>;
  /** Stops reconnecting and closes the port. */
  close(): Promise<void>;
  status(): TransportStatus;
  /** Returns an unsubscribe function. */
  onData(listener: (chunk: Buffer) => void): () => void;
  onStatus(listener: (status: TransportStatus) => void): () => void;
}

export interface ReconnectPolicy {
  /** First retry delay (default 100 ms). */
  initialDelayMs: number;
  /** Backoff cap. Kept at or below 1 s so a returning device is back within ~2 s (default 1000). */
  maxDelayMs: number;
}

export interface SerialTransportOptions {
  /** Injected in tests (@serialport/binding-mock); defaults to the platform binding. */
  binding?: SerialBinding;
  reconnect?: Partial<ReconnectPolicy>;
}

const errnoOf = (e: unknown): string | undefined => {
  if (typeof e !== 'object' || e === null) return undefined;
  if ('code' in e && typeof e.code === 'string') return e.code;
  // bindings-cpp reports open failures as "Error: EACCES: permission denied, open '/dev/…'".
  const m = 'message' in e && typeof e.message === 'string' ? /\b(E[A-Z]{2,})\b/.exec(e.message) : null;
  return m?.[1];
};

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Turns an open/read failure into state + words a bench lead can act on. */
export function describeSerialError(
  path: string,
  e: unknown,
): { state: 'reconnecting' | 'error'; reason: string; code?: DeviceReasonCode; params?: DeviceReasonParams } {
  const code = errnoOf(e);
  const msg = messageOf(e);
  const params = { port: path };
  if (code === 'ENOENT' || code === 'ENODEV' || code === 'ENXIO' || /no such (file|device)/i.test(msg)) {
    return { state: 'reconnecting', reason: `${path} is not there (unplugged or switched off?); waiting for it to come back`, code: 'portAbsent', params };
  }
  if (code === 'EACCES' || code === 'EPERM' || /permission denied/i.test(msg)) {
    return {
      state: 'error',
      reason: `no permission to open ${path}: add this user to the "dialout" group (sudo usermod -aG dialout $USER, then log in again)`,
      code: 'portPermission',
      params,
    };
  }
  if (code === 'EBUSY' || /lock|busy/i.test(msg)) {
    return { state: 'error', reason: `${path} is in use by another program; close it and the station will connect`, code: 'portBusy', params };
  }
  if (code === 'ENOTTY' || /inappropriate ioctl/i.test(msg)) {
    return { state: 'error', reason: `${path} is not a serial port (check the device's path in the device file)`, code: 'portNotSerial', params };
  }
  // Said in the operator's language around the system's own words, which stay as they are.
  return { state: 'error', reason: `${path}: ${msg}`, code: 'portFailed', params: { port: path, detail: msg } };
}

export class SerialTransport implements ByteTransport {
  readonly label: string;
  private readonly settings: SerialSettings;
  private readonly binding: SerialBinding;
  private readonly policy: ReconnectPolicy;
  private port: SerialPortStream | null = null;
  private current: TransportStatus = { state: 'stopped', since: Date.now() };
  private running = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private delayMs: number;
  /** Bumped on every attempt so events from a stale port are ignored. */
  private generation = 0;
  private readonly dataListeners = new Set<(chunk: Buffer) => void>();
  private readonly statusListeners = new Set<(status: TransportStatus) => void>();

  constructor(settings: SerialSettingsInput, options: SerialTransportOptions = {}) {
    this.settings = SerialSettings.parse(settings);
    this.label = this.settings.path;
    this.binding = options.binding ?? SerialPort.binding;
    this.policy = { initialDelayMs: 100, maxDelayMs: 1000, ...options.reconnect };
    this.delayMs = this.policy.initialDelayMs;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.setStatus('connecting');
    this.attempt();
  }

  status(): TransportStatus {
    return { ...this.current };
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onStatus(listener: (status: TransportStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  whenConnected(timeoutMs?: number): Promise<void> {
    if (this.current.state === 'connected') return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const off = this.onStatus((s) => {
        if (s.state === 'connected') {
          off();
          if (timer) clearTimeout(timer);
          resolve();
        } else if (s.state === 'stopped') {
          off();
          if (timer) clearTimeout(timer);
          reject(new Error(`${this.label}: closed before it connected`));
        }
      });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          off();
          reject(new Error(`${this.label}: not connected within ${timeoutMs} ms (${this.current.reason ?? this.current.state})`));
        }, timeoutMs);
      }
    });
  }

  write(data: Buffer | string): Promise<void> {
    const port = this.port;
    if (!port || this.current.state !== 'connected') {
      return Promise.reject(new Error(`${this.label} is not connected${this.current.reason ? `: ${this.current.reason}` : ''}`));
    }
    return new Promise<void>((resolve, reject) => {
      port.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data, (err) => {
        if (err) return reject(new Error(`${this.label}: write failed: ${err.message}`));
        port.drain((drainErr) => (drainErr ? reject(new Error(`${this.label}: write failed: ${drainErr.message}`)) : resolve()));
      });
    });
  }

  async close(): Promise<void> {
    this.running = false;
    this.generation++;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const port = this.port;
    this.port = null;
    if (port?.isOpen) {
      await new Promise<void>((resolve) => port.close(() => resolve()));
    }
    port?.removeAllListeners();
    // Swallow late errors from a port we no longer own.
    port?.on('error', () => undefined);
    this.setStatus('stopped');
  }

  private setStatus(state: TransportState, reason?: string, code?: DeviceReasonCode, params?: DeviceReasonParams): void {
    if (this.current.state === state && this.current.reason === reason) return;
    this.current = reason === undefined ? { state, since: Date.now() } : { state, reason, since: Date.now() };
    if (reason !== undefined && code !== undefined) this.current = { ...this.current, code, ...(params ? { params } : {}) };
    const snapshot = this.status();
    for (const l of this.statusListeners) l(snapshot);
  }

  private attempt(): void {
    if (!this.running) return;
    const gen = ++this.generation;
    const s = this.settings;
    let port: SerialPortStream;
    try {
      port = new SerialPortStream({
        binding: this.binding,
        path: s.path,
        baudRate: s.baudRate,
        dataBits: s.dataBits,
        parity: s.parity,
        stopBits: s.stopBits,
        rtscts: s.rtscts,
        autoOpen: false,
      });
    } catch (e) {
      this.failed(gen, e);
      return;
    }
    this.port = port;
    // Any error is reported through status; an unhandled 'error' would crash the process.
    port.on('error', (e: Error) => {
      if (gen !== this.generation) return;
      if (!port.isOpen) this.lost(gen, e);
    });
    port.on('data', (chunk: Buffer) => {
      if (gen !== this.generation) return;
      for (const l of this.dataListeners) l(chunk);
    });
    port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
      if (gen !== this.generation) return;
      this.lost(gen, err ?? new Error('port closed'));
    });
    // A zero-byte read (EOF on a pty) ends the readable side without a close.
    port.on('end', () => {
      if (gen !== this.generation) return;
      this.lost(gen, new Error('end of stream'));
    });
    port.open((err) => {
      if (gen !== this.generation) {
        // close() or a newer attempt overtook this open: do not leak the file descriptor.
        if (!err && port.isOpen) port.close(() => undefined);
        return;
      }
      if (err) {
        this.failed(gen, err);
        return;
      }
      this.delayMs = this.policy.initialDelayMs;
      this.setStatus('connected');
    });
  }

  /** An open attempt failed. */
  private failed(gen: number, e: unknown): void {
    if (gen !== this.generation || !this.running) return;
    const { state, reason, code, params } = describeSerialError(this.label, e);
    this.port?.removeAllListeners();
    this.port?.on('error', () => undefined);
    this.port = null;
    this.setStatus(state, reason, code, params);
    this.scheduleRetry();
  }

  /** An open port went away (unplug arrives as close with `disconnected: true`). */
  private lost(gen: number, e: Error & { disconnected?: boolean }): void {
    if (gen !== this.generation || !this.running) return;
    this.generation++;
    const port = this.port;
    this.port = null;
    if (port) {
      port.removeAllListeners();
      port.on('error', () => undefined);
      if (port.isOpen) port.close(() => undefined);
    }
    const reason = e.disconnected
      ? `${this.label} was disconnected (cable pulled or device off); waiting for it to come back`
      : `${this.label} closed unexpectedly (${e.message}); reopening`;
    this.setStatus('reconnecting', reason, e.disconnected ? 'portDisconnected' : 'portClosed', { port: this.label });
    this.delayMs = this.policy.initialDelayMs;
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (!this.running || this.retryTimer) return;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.policy.maxDelayMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.attempt();
    }, delay);
    this.retryTimer.unref?.();
  }
}

export function createSerialTransport(settings: SerialSettingsInput, options?: SerialTransportOptions): SerialTransport {
  return new SerialTransport(settings, options);
}

// ---------------------------------------------------------------------------------------------
// Port listing

export interface SerialPortEntry {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  /** Stable /dev/serial/by-id/… alias, when one points at this port. */
  byId?: string;
}

export interface SerialPortListing {
  ports: SerialPortEntry[];
  /** Set when the full listing failed and a fallback was used. */
  warning?: DetectWarning;
}

export interface ListSerialPortsOptions {
  /** Injected in tests; defaults to SerialPort.list (which spawns udevadm on Linux). */
  list?: () => Promise<Array<{ path: string; manufacturer?: string; serialNumber?: string; vendorId?: string; productId?: string }>>;
  /** Injected in tests; defaults to /dev. */
  devDir?: string;
  platform?: NodeJS.Platform;
}

const clean = (o: SerialPortEntry): SerialPortEntry =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as unknown as SerialPortEntry;

/**
 * Lists serial ports and never throws: SerialPort.list() spawns `udevadm` on Linux and fails
 * with `spawn udevadm ENOENT` on minimal systems, which must not take the station down.
 */
export async function listSerialPorts(options: ListSerialPortsOptions = {}): Promise<SerialPortListing> {
  const list = options.list ?? (() => SerialPort.list());
  const devDir = options.devDir ?? '/dev';
  const platform = options.platform ?? process.platform;
  try {
    const ports = await list();
    const byId = platform === 'linux' ? await byIdAliases(devDir) : new Map<string, string>();
    return {
      ports: ports.map((p) =>
        clean({ path: p.path, manufacturer: p.manufacturer, serialNumber: p.serialNumber, vendorId: p.vendorId, productId: p.productId, byId: byId.get(p.path) }),
      ),
    };
  } catch (e) {
    const why = messageOf(e);
    if (platform !== 'linux') {
      return { ports: [], warning: { text: `could not list serial ports (${why}); type the port name by hand`, key: 'devices.warning.serialListFailed', params: { why } } };
    }
    const ports = await scanDev(devDir);
    const noUdev = /udevadm/.test(why);
    const udev = noUdev ? 'udevadm is not installed' : why;
    return {
      ports,
      warning: {
        text: `full port listing unavailable (${udev}); showing ${devDir}/ttyUSB*, ttyACM* and serial/by-id without vendor names`,
        key: noUdev ? 'devices.warning.serialListNoUdev' : 'devices.warning.serialListPartial',
        params: noUdev ? { dir: devDir } : { why, dir: devDir },
      },
    };
  }
}

async function byIdAliases(devDir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const dir = `${devDir}/serial/by-id`;
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    try {
      out.set(await realpath(`${dir}/${name}`), `${dir}/${name}`);
    } catch {
      // dangling link: the device just went away
    }
  }
  return out;
}

async function scanDev(devDir: string): Promise<SerialPortEntry[]> {
  let names: string[] = [];
  try {
    names = await readdir(devDir);
  } catch {
    return [];
  }
  const byId = await byIdAliases(devDir);
  const ports = names
    .filter((n) => /^tty(USB|ACM)\d+$/.test(n))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((n) => clean({ path: `${devDir}/${n}`, byId: byId.get(`${devDir}/${n}`) }));
  // A by-id alias whose target is not a ttyUSB/ACM (rare adapters) still belongs on the list.
  for (const [target, alias] of byId) {
    if (!ports.some((p) => p.path === target)) ports.push({ path: target, byId: alias });
  }
  return ports;
}
