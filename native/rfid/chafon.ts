// Driver for a Chafon-style UHF desktop reader on USB-serial (frame protocol in chafonFrames.ts).
// These readers only speak when asked, so the driver polls: send an inventory command, collect
// the response frames of that round (status 0x03 means more frames follow), emit the tags, wait,
// repeat. Garbage, bad CRCs and silent readers become typed errors and a status, never a throw.
import type { ByteTransport } from '../transports/serial.js';
import {
  CHAFON_CMD_GET_READER_INFO,
  CHAFON_CMD_INVENTORY,
  CHAFON_CMD_REALTIME,
  CHAFON_CMD_UNKNOWN,
  ChafonFrameDecoder,
  buildInventoryCommand,
  parseInventoryResponse,
  type ChafonDialect,
  type ChafonFrame,
  type ChafonTag,
} from './chafonFrames.js';
import { RfidError } from './errors.js';
import { Listeners } from './listeners.js';
import { ReaderHealth } from './readerHealth.js';
import { makeTagRead, type RfidReader, type RfidReaderStatus, type TagRead } from './tagReads.js';

export interface ChafonReaderOptions {
  /** Usually a SerialTransport (57600 8N1 is the factory default of most of these readers). */
  transport: ByteTransport;
  /** Response layout: 'uhfreader288' (Ant + RSSI per tag, the current generation; default) or 'uhfreader18'. */
  dialect?: ChafonDialect;
  /** Reader address (default 0x00; 0xFF broadcasts to whatever is on the line). */
  adr?: number;
  /** Pause between inventory rounds (default 100 ms). */
  pollIntervalMs?: number;
  /** How long one round may take before it counts as unanswered (default 3000 ms). */
  responseTimeoutMs?: number;
  /** Unanswered rounds in a row before the status says the reader is not responding (default 3). */
  maxMissedRounds?: number;
  /** Inventory parameters (UHFReader288 dialect). */
  q?: number;
  session?: number;
  antenna?: number;
  scanTime?: number;
  now?: () => number;
}

const RESPONSE_CMDS = new Set([CHAFON_CMD_INVENTORY, CHAFON_CMD_GET_READER_INFO, CHAFON_CMD_UNKNOWN, CHAFON_CMD_REALTIME]);

interface Round {
  tags: ChafonTag[];
  done: (result: { ok: true; tags: ChafonTag[] } | { ok: false; error: RfidError }) => void;
}

export class ChafonReader implements RfidReader {
  readonly source: string;
  private readonly transport: ByteTransport;
  private readonly dialect: ChafonDialect;
  private readonly adr: number;
  private readonly pollIntervalMs: number;
  private readonly responseTimeoutMs: number;
  private readonly maxMissedRounds: number;
  private readonly command: Buffer;
  private readonly now: () => number;
  private readonly decoder: ChafonFrameDecoder;
  private readonly health: ReaderHealth;
  private readonly reads = new Listeners<TagRead>();
  private readonly errors = new Listeners<RfidError>();
  private readonly unsubscribe: Array<() => void> = [];
  private running = false;
  private polling = false;
  private round: Round | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private missed = 0;
  private pollTimer: NodeJS.Timeout | null = null;

  constructor(options: ChafonReaderOptions) {
    this.transport = options.transport;
    this.dialect = options.dialect ?? 'uhfreader288';
    this.adr = options.adr ?? 0x00;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.responseTimeoutMs = options.responseTimeoutMs ?? 3000;
    this.maxMissedRounds = options.maxMissedRounds ?? 3;
    this.now = options.now ?? Date.now;
    this.source = `chafon:${this.transport.label}`;
    const inv: Parameters<typeof buildInventoryCommand>[0] = { adr: this.adr, dialect: this.dialect };
    if (options.q !== undefined) inv.q = options.q;
    if (options.session !== undefined) inv.session = options.session;
    if (options.antenna !== undefined) inv.antenna = options.antenna;
    if (options.scanTime !== undefined) inv.scanTime = options.scanTime;
    this.command = buildInventoryCommand(inv);
    this.decoder = new ChafonFrameDecoder({ kind: 'response', cmds: RESPONSE_CMDS, ...(this.adr === 0xff ? {} : { adr: this.adr }) });
    this.health = new ReaderHealth(this.transport.status(), { now: this.now });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.polling = true;
    this.unsubscribe.push(
      this.transport.onData((chunk) => this.onBytes(chunk)),
      this.transport.onStatus((s) => this.onLink(s)),
    );
    this.transport.start();
    this.onLink(this.transport.status());
  }

  async close(): Promise<void> {
    this.running = false;
    this.polling = false;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    this.finishRound({ ok: false, error: new RfidError('io', `${this.source}: reader closed`) });
    for (const off of this.unsubscribe.splice(0)) off();
    await this.transport.close();
    this.health.setLink(this.transport.status());
  }

  status(): RfidReaderStatus {
    return this.health.status();
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

  /**
   * Runs one inventory round and resolves with its tags (they are also emitted as reads).
   * Rounds are serialised, so this is safe to call while the poll loop runs.
   */
  inventory(): Promise<{ ok: true; tags: ChafonTag[] } | { ok: false; error: RfidError }> {
    const run = this.queue.then(() => this.runRound());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private onLink(status: RfidReaderStatus): void {
    this.health.setLink(status);
    if (status.state === 'connected') {
      this.missed = 0;
      this.decoder.reset();
      this.schedulePoll(0);
    } else {
      this.decoder.reset();
      this.finishRound({ ok: false, error: new RfidError('io', `${this.source}: ${status.reason ?? status.state}`) });
    }
  }

  private schedulePoll(delayMs: number): void {
    if (!this.running || !this.polling || this.pollTimer) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      if (!this.running || this.transport.status().state !== 'connected') return;
      void this.inventory().then(() => this.schedulePoll(this.pollIntervalMs));
    }, delayMs);
  }

  private runRound(): Promise<{ ok: true; tags: ChafonTag[] } | { ok: false; error: RfidError }> {
    return new Promise((resolve) => {
      if (!this.running) {
        resolve({ ok: false, error: new RfidError('io', `${this.source}: reader is not started`) });
        return;
      }
      const timer = setTimeout(() => {
        this.missed++;
        const error = new RfidError('timeout', `${this.source}: no complete inventory answer within ${this.responseTimeoutMs} ms`);
        this.errors.emit(error);
        if (this.missed >= this.maxMissedRounds) {
          this.health.setSilent(`reader does not answer inventory commands (${this.missed} rounds in a row; check baud rate and reader address)`, this.missed);
        }
        this.decoder.reset();
        this.finishRound({ ok: false, error });
      }, this.responseTimeoutMs);
      this.round = {
        tags: [],
        done: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
      };
      this.transport.write(this.command).catch((e: unknown) => {
        this.finishRound({ ok: false, error: new RfidError('io', `${this.source}: ${e instanceof Error ? e.message : String(e)}`, { cause: e }) });
      });
    });
  }

  private finishRound(result: { ok: true; tags: ChafonTag[] } | { ok: false; error: RfidError }): void {
    const round = this.round;
    this.round = null;
    round?.done(result);
  }

  private onBytes(chunk: Buffer): void {
    const { frames, errors } = this.decoder.push(chunk);
    for (const e of errors) this.reportError(e);
    for (const f of frames) this.onFrame(f);
  }

  private reportError(e: RfidError): void {
    this.health.noteError();
    this.errors.emit(e);
  }

  private onFrame(frame: ChafonFrame): void {
    if (frame.cmd === CHAFON_CMD_REALTIME) {
      this.onRealtimeFrame(frame);
      return;
    }
    if (frame.cmd === CHAFON_CMD_UNKNOWN) {
      this.reportError(new RfidError('protocol', `${this.source}: reader did not recognise the command (wrong dialect?)`));
      this.finishRound({ ok: false, error: new RfidError('protocol', 'command not recognised') });
      return;
    }
    if (frame.cmd !== CHAFON_CMD_INVENTORY) return;
    const parsed = parseInventoryResponse(frame, this.dialect);
    if (!parsed.ok) {
      this.reportError(parsed.error);
      if (parsed.error.reason === 'bad_status') this.finishRound({ ok: false, error: parsed.error });
      return;
    }
    this.health.noteGood();
    this.missed = 0;
    this.health.setSilent(null);
    const at = this.now();
    for (const tag of parsed.value.tags) {
      this.emitTag(tag, at);
      this.round?.tags.push(tag);
    }
    if (!parsed.value.more) this.finishRound({ ok: true, tags: this.round?.tags ?? parsed.value.tags });
  }

  /** Real-time (answer-free) mode: Data = Ant, Len, EPC, RSSI (UR manual, work-mode output). */
  private onRealtimeFrame(frame: ChafonFrame): void {
    if (frame.status !== 0x00) return; // 0x28 is the heartbeat
    const d = frame.data;
    const len = d[1] ?? 0;
    if (d.length !== len + 3 || len === 0) {
      this.reportError(new RfidError('bad_length', `${this.source}: real-time frame length does not match its EPC length`));
      return;
    }
    let antenna: number | undefined;
    for (let i = 0; i < 8; i++) if ((d[0] ?? 0) & (1 << i)) { antenna = i + 1; break; }
    const tag: ChafonTag = { epcHex: Buffer.from(d.subarray(2, 2 + len)).toString('hex').toUpperCase(), rssi: d[2 + len] ?? 0 };
    if (antenna !== undefined) tag.antenna = antenna;
    this.health.noteGood();
    this.emitTag(tag, this.now());
  }

  private emitTag(tag: ChafonTag, at: number): void {
    const made = makeTagRead({ epcHex: tag.epcHex, antenna: tag.antenna, rssi: tag.rssi, at, source: this.source });
    if (made.ok) this.reads.emit(made.read);
    else this.reportError(made.error);
  }
}
