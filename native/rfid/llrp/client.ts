// An LLRP client for one fixed reader (dock door, tunnel). Per connection: wait for the reader's
// READER_EVENT_NOTIFICATION (ConnectionAttemptEvent = Success), ask for periodic KEEPALIVEs,
// clear old ROSpecs, add ours, enable and start it, then turn RO_ACCESS_REPORTs into TagReads
// and answer every KEEPALIVE. Silence longer than a few keepalive periods, a socket close or a
// corrupt stream ends the connection; we reconnect with backoff until close().
import net from 'node:net';
import type { TransportStatus } from '../../transports/serial.js';
import { RfidError } from '../errors.js';
import { Listeners } from '../listeners.js';
import { ReaderHealth } from '../readerHealth.js';
import { makeTagRead, type RfidReader, type RfidReaderStatus, type TagRead } from '../tagReads.js';
import { LlrpFramer, type LlrpMessage } from './codec.js';
import { ConnectionAttemptStatus, LLRP_PORT, MessageType, messageTypeName } from './constants.js';
import {
  buildAddRoSpec,
  buildCloseConnection,
  buildDeleteRoSpec,
  buildEnableRoSpec,
  buildGetReaderCapabilities,
  buildKeepaliveAck,
  buildSetKeepalive,
  buildStartRoSpec,
  describeStatus,
  isSuccess,
  parseCapabilitiesResponse,
  parseReaderEventNotification,
  parseResponseStatus,
  parseRoAccessReport,
  type LlrpStatus,
  type ReaderCapabilities,
} from './messages.js';

export interface LlrpReaderOptions {
  host: string;
  /** Default 5084 (IANA "llrp"). */
  port?: number;
  /** Our ROSpec's ID (default 1). */
  roSpecId?: number;
  /** Antenna IDs; default [0] = all antennas. */
  antennas?: number[];
  /** Period the reader is asked to send KEEPALIVE at (default 5000 ms). */
  keepaliveMs?: number;
  /** Keepalive periods of silence before the link counts as dead (default 3). */
  missedKeepalives?: number;
  /** Limit for connecting, for the reader's first notification, and for each setup response (default 5000 ms). */
  responseTimeoutMs?: number;
  /** Reconnect backoff (default 250 ms doubling to 5000 ms). */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Largest message accepted before the stream is treated as corrupt (default 1 MiB). */
  maxMessageBytes?: number;
  /** Send GET_READER_CAPABILITIES during setup (default false). */
  fetchCapabilities?: boolean;
  now?: () => number;
}

/** Response type the reader answers each request with. */
const RESPONSE_OF: Record<number, number> = {
  [MessageType.GET_READER_CAPABILITIES]: MessageType.GET_READER_CAPABILITIES_RESPONSE,
  [MessageType.SET_READER_CONFIG]: MessageType.SET_READER_CONFIG_RESPONSE,
  [MessageType.DELETE_ROSPEC]: MessageType.DELETE_ROSPEC_RESPONSE,
  [MessageType.ADD_ROSPEC]: MessageType.ADD_ROSPEC_RESPONSE,
  [MessageType.ENABLE_ROSPEC]: MessageType.ENABLE_ROSPEC_RESPONSE,
  [MessageType.START_ROSPEC]: MessageType.START_ROSPEC_RESPONSE,
  [MessageType.STOP_ROSPEC]: MessageType.STOP_ROSPEC_RESPONSE,
  [MessageType.CLOSE_CONNECTION]: MessageType.CLOSE_CONNECTION_RESPONSE,
};
const RESPONSE_TYPES = new Set(Object.values(RESPONSE_OF));

interface Pending {
  expect: number;
  resolve: (msg: LlrpMessage) => void;
  reject: (e: RfidError) => void;
  timer: NodeJS.Timeout;
}

interface Connection {
  gen: number;
  socket: net.Socket;
  framer: LlrpFramer;
  pending: Map<number, Pending>;
  greeted: (attempt: number) => void;
  greeting: Promise<number>;
  ready: boolean;
  watchdog: NodeJS.Timeout | null;
  closing: boolean;
}

export class LlrpReader implements RfidReader {
  readonly source: string;
  private readonly host: string;
  private readonly port: number;
  private readonly roSpecId: number;
  private readonly antennas: number[];
  private readonly keepaliveMs: number;
  private readonly deadAfterMs: number;
  private readonly responseTimeoutMs: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxMessageBytes: number;
  private readonly fetchCapabilities: boolean;
  private readonly now: () => number;
  private readonly health: ReaderHealth;
  private readonly reads = new Listeners<TagRead>();
  private readonly errors = new Listeners<RfidError>();
  private running = false;
  private conn: Connection | null = null;
  private generation = 0;
  private nextId = 1;
  private delayMs: number;
  private retryTimer: NodeJS.Timeout | null = null;
  private caps: ReaderCapabilities | undefined;

  constructor(options: LlrpReaderOptions) {
    this.host = options.host;
    this.port = options.port ?? LLRP_PORT;
    this.roSpecId = options.roSpecId ?? 1;
    this.antennas = options.antennas ?? [0];
    this.keepaliveMs = options.keepaliveMs ?? 5000;
    this.deadAfterMs = this.keepaliveMs * (options.missedKeepalives ?? 3);
    this.responseTimeoutMs = options.responseTimeoutMs ?? 5000;
    this.initialDelayMs = options.reconnect?.initialDelayMs ?? 250;
    this.maxDelayMs = options.reconnect?.maxDelayMs ?? 5000;
    this.maxMessageBytes = options.maxMessageBytes ?? 1024 * 1024;
    this.fetchCapabilities = options.fetchCapabilities ?? false;
    this.now = options.now ?? Date.now;
    this.delayMs = this.initialDelayMs;
    this.source = `llrp:${this.host}:${this.port}`;
    this.health = new ReaderHealth({ state: 'stopped', since: this.now() }, { now: this.now });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.setLink('connecting');
    this.connect();
  }

  async close(): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const c = this.conn;
    if (c && c.ready && !c.socket.destroyed) {
      c.closing = true;
      // Polite goodbye so the reader frees the connection at once; not waiting long for it.
      await this.request(c, MessageType.CLOSE_CONNECTION, (id) => buildCloseConnection(id), 1000).catch(() => undefined);
    }
    if (c) this.teardown(c);
    this.conn = null;
    this.setLink('stopped');
  }

  status(): RfidReaderStatus {
    return this.health.status();
  }

  /** What GET_READER_CAPABILITIES returned, when `fetchCapabilities` was on. */
  capabilities(): ReaderCapabilities | undefined {
    return this.caps;
  }

  onRead(listener: (read: TagRead) => void): () => void {
    return this.reads.add(listener);
  }

  onStatus(listener: (status: RfidReaderStatus) => void): () => void {
    return this.health.changes.add(listener);
  }

  onError(listener: (error: RfidError) => void): () => void {
    return this.errors.add(listener);
  }

  // -------------------------------------------------------------------------------------------

  private setLink(state: TransportStatus['state'], reason?: string): void {
    this.health.setLink(reason === undefined ? { state, since: this.now() } : { state, reason, since: this.now() });
  }

  private fail(e: RfidError): void {
    this.health.noteError();
    this.errors.emit(e);
  }

  private connect(): void {
    if (!this.running) return;
    const gen = ++this.generation;
    const socket = net.createConnection({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    let greeted: (attempt: number) => void = () => undefined;
    const greeting = new Promise<number>((resolve) => {
      greeted = resolve;
    });
    const c: Connection = { gen, socket, framer: new LlrpFramer({ maxMessageBytes: this.maxMessageBytes }), pending: new Map(), greeted, greeting, ready: false, watchdog: null, closing: false };
    this.conn = c;
    let lastError: string | undefined;
    socket.setTimeout(this.responseTimeoutMs, () => {
      // Only guards the connect phase; after that the keepalive watchdog takes over.
      if (!socket.connecting) return;
      this.drop(c, `no connection to ${this.host}:${this.port} within ${this.responseTimeoutMs} ms`);
    });
    socket.on('connect', () => {
      socket.setTimeout(0);
      void this.setup(c);
    });
    socket.on('data', (chunk: Buffer) => this.onBytes(c, chunk));
    socket.on('error', (e: Error & { code?: string }) => {
      lastError = e.code ?? e.message;
    });
    socket.on('close', () => {
      if (this.conn !== c) return;
      this.drop(c, lastError ? `connection to ${this.host}:${this.port} failed (${lastError})` : `reader ${this.host}:${this.port} closed the connection`);
    });
  }

  private async setup(c: Connection): Promise<void> {
    try {
      const attempt = await withTimeout(c.greeting, this.responseTimeoutMs, () => new RfidError('timeout', 'reader sent no READER_EVENT_NOTIFICATION after connecting'));
      if (attempt !== ConnectionAttemptStatus.Success) {
        const why =
          attempt === ConnectionAttemptStatus.FailedClientInitiatedConnectionExists || attempt === ConnectionAttemptStatus.FailedReaderInitiatedConnectionExists
            ? 'another client is already connected to the reader'
            : `connection attempt refused (status ${attempt})`;
        throw new RfidError('protocol', why);
      }
      if (this.fetchCapabilities) {
        const msg = await this.request(c, MessageType.GET_READER_CAPABILITIES, buildGetReaderCapabilities);
        const parsed = parseCapabilitiesResponse(msg.body);
        if (!parsed.ok) throw parsed.error;
        this.caps = parsed.value.capabilities;
      }
      await this.expectSuccess(c, MessageType.SET_READER_CONFIG, (id) => buildSetKeepalive(id, this.keepaliveMs), 'SET_READER_CONFIG (keepalive)');
      // Deleting "all" succeeds on a clean reader too; any answer is fine.
      await this.request(c, MessageType.DELETE_ROSPEC, (id) => buildDeleteRoSpec(id, 0));
      await this.expectSuccess(c, MessageType.ADD_ROSPEC, (id) => buildAddRoSpec(id, { roSpecId: this.roSpecId, antennas: this.antennas }), 'ADD_ROSPEC');
      await this.expectSuccess(c, MessageType.ENABLE_ROSPEC, (id) => buildEnableRoSpec(id, this.roSpecId), 'ENABLE_ROSPEC');
      await this.expectSuccess(c, MessageType.START_ROSPEC, (id) => buildStartRoSpec(id, this.roSpecId), 'START_ROSPEC');
      if (this.conn !== c) return;
      c.ready = true;
      this.delayMs = this.initialDelayMs;
      this.armWatchdog(c);
      this.setLink('connected');
    } catch (e) {
      if (this.conn !== c) return;
      const err = e instanceof RfidError ? e : new RfidError('io', e instanceof Error ? e.message : String(e));
      this.fail(err);
      this.drop(c, `setup failed: ${err.message}`, 'error');
    }
  }

  private async expectSuccess(c: Connection, type: number, build: (id: number) => Buffer, what: string): Promise<LlrpStatus> {
    const msg = await this.request(c, type, build);
    const status = parseResponseStatus(msg.body);
    if (!status.ok) throw status.error;
    if (!isSuccess(status.value)) throw new RfidError('bad_status', `${what} refused: ${describeStatus(status.value)}`);
    return status.value;
  }

  private request(c: Connection, type: number, build: (id: number) => Buffer, timeoutMs = this.responseTimeoutMs): Promise<LlrpMessage> {
    const id = this.nextId++ >>> 0;
    const expect = RESPONSE_OF[type] ?? -1;
    return new Promise<LlrpMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        c.pending.delete(id);
        reject(new RfidError('timeout', `no ${messageTypeName(expect)} within ${timeoutMs} ms`));
      }, timeoutMs);
      c.pending.set(id, { expect, resolve, reject, timer });
      c.socket.write(build(id), (err) => {
        if (!err) return;
        clearTimeout(timer);
        c.pending.delete(id);
        reject(new RfidError('io', `write failed: ${err.message}`));
      });
    });
  }

  private armWatchdog(c: Connection): void {
    if (c.watchdog) clearTimeout(c.watchdog);
    c.watchdog = setTimeout(() => this.drop(c, `no KEEPALIVE or report from the reader for ${this.deadAfterMs} ms (link dead?)`), this.deadAfterMs);
  }

  private onBytes(c: Connection, chunk: Buffer): void {
    if (this.conn !== c) return;
    const { messages, fatal } = c.framer.push(chunk);
    for (const m of messages) {
      if (this.conn !== c) return;
      this.onMessage(c, m);
    }
    if (fatal && this.conn === c) {
      this.fail(fatal);
      this.drop(c, `reader sent a corrupt message stream (${fatal.message}); reconnecting`);
    }
  }

  private onMessage(c: Connection, m: LlrpMessage): void {
    if (c.ready) this.armWatchdog(c);
    if (m.version !== 1 && m.version !== 2) {
      this.fail(new RfidError('protocol', `message with unsupported LLRP version ${m.version}`));
      return;
    }
    const pending = c.pending.get(m.id);
    if (pending && (m.type === pending.expect || m.type === MessageType.ERROR_MESSAGE)) {
      c.pending.delete(m.id);
      clearTimeout(pending.timer);
      if (m.type === MessageType.ERROR_MESSAGE) {
        const s = parseResponseStatus(m.body);
        pending.reject(new RfidError('bad_status', `reader answered with ERROR_MESSAGE: ${s.ok ? describeStatus(s.value) : s.error.message}`));
      } else {
        pending.resolve(m);
      }
      return;
    }
    switch (m.type) {
      case MessageType.KEEPALIVE:
        c.socket.write(buildKeepaliveAck(m.id));
        return;
      case MessageType.RO_ACCESS_REPORT:
        this.onReport(m);
        return;
      case MessageType.READER_EVENT_NOTIFICATION: {
        const ev = parseReaderEventNotification(m.body);
        if (!ev.ok) {
          this.fail(ev.error);
          return;
        }
        if (ev.value.connectionAttempt !== undefined) c.greeted(ev.value.connectionAttempt);
        if (ev.value.readerException) this.fail(new RfidError('protocol', `reader exception: ${ev.value.readerException}`));
        if (ev.value.connectionClose && !c.closing) this.drop(c, 'reader announced it is closing the connection');
        return;
      }
      case MessageType.ERROR_MESSAGE: {
        const s = parseResponseStatus(m.body);
        this.fail(new RfidError('bad_status', `reader reported an error: ${s.ok ? describeStatus(s.value) : s.error.message}`));
        return;
      }
      default:
        if (RESPONSE_TYPES.has(m.type)) return; // late answer to a request that already timed out
        this.fail(new RfidError('unknown_type', `unexpected LLRP message ${messageTypeName(m.type)} (id ${m.id})`));
    }
  }

  private onReport(m: LlrpMessage): void {
    const report = parseRoAccessReport(m.body);
    if (!report.ok) {
      this.fail(report.error);
      return;
    }
    for (const e of report.value.errors) this.fail(e);
    if (report.value.tags.length > 0) this.health.noteGood();
    const now = this.now();
    for (const t of report.value.tags) {
      const made = makeTagRead({ epcHex: t.epcHex, antenna: t.antenna, rssi: t.peakRssi, at: t.firstSeenAt ?? now, source: this.source });
      if (made.ok) this.reads.emit(made.read);
      else this.fail(made.error);
    }
  }

  private teardown(c: Connection): void {
    if (c.watchdog) clearTimeout(c.watchdog);
    c.watchdog = null;
    for (const p of c.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new RfidError('io', 'connection closed'));
    }
    c.pending.clear();
    c.greeted(-1);
    c.socket.removeAllListeners('data');
    c.socket.on('error', () => undefined);
    c.socket.destroy();
  }

  /** Ends this connection and, unless closed, schedules the next attempt. */
  private drop(c: Connection, reason: string, state: 'reconnecting' | 'error' = 'reconnecting'): void {
    if (this.conn !== c) return;
    this.conn = null;
    this.teardown(c);
    if (!this.running) return;
    this.setLink(state, reason);
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.maxDelayMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, error: () => RfidError): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(error()), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
