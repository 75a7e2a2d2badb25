// JSON-lines log with masking and size-based rotation, kept under the station's data dir.
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { maskText, maskValue } from './mask.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  /** Folder of the log files (created if missing), e.g. `<dataDir>/logs`. */
  dir: string;
  /** Base file name; rotated files get `.1` … `.N-1` appended. */
  fileName?: string;
  /** Rotate before a line would take the current file past this size. Default 5 MB. */
  maxBytes?: number;
  /** Files kept in all, the current one included. Default 5. */
  maxFiles?: number;
  /** Lines below this level are dropped. Default 'info'. */
  level?: LogLevel;
  /** Also write each (masked) line to stderr. */
  echo?: boolean;
  now?: () => Date;
}

export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly file: string;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  log(level: LogLevel, msg: string, fields?: LogFields): void;
}

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_FILES = 5;

/** One line: `{"t":ISO,"level":…,"msg":…, …masked fields}`. Lines longer than maxBytes are cut so one line never defeats rotation. */
export function formatLine(level: LogLevel, msg: string, fields: LogFields | undefined, at: Date, maxBytes: number): string {
  const masked = fields ? (maskValue(fields) as Record<string, unknown>) : {};
  let line = JSON.stringify({ t: at.toISOString(), level, msg: maskText(msg.slice(0, maxBytes)), ...masked }) + '\n';
  if (Buffer.byteLength(line) > maxBytes) {
    const room = Math.max(0, Math.floor(maxBytes / 4) - 200);
    line = JSON.stringify({ t: at.toISOString(), level, msg: maskText(msg).slice(0, room), truncated: true }) + '\n';
  }
  return line;
}

export function createLogger(options: LoggerOptions): Logger {
  const fileName = options.fileName ?? 'station.log';
  const maxBytes = Math.max(1024, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const maxFiles = Math.max(1, options.maxFiles ?? DEFAULT_MAX_FILES);
  const minLevel = LOG_LEVELS.indexOf(options.level ?? 'info');
  const now = options.now ?? (() => new Date());
  const file = join(options.dir, fileName);
  mkdirSync(options.dir, { recursive: true });
  let size = existsSync(file) ? statSync(file).size : 0;

  const rotate = (): void => {
    rmSync(`${file}.${maxFiles - 1}`, { force: true });
    for (let i = maxFiles - 2; i >= 1; i--) {
      if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    }
    if (maxFiles > 1 && existsSync(file)) renameSync(file, `${file}.1`);
    else rmSync(file, { force: true });
    size = 0;
  };

  const log = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (LOG_LEVELS.indexOf(level) < minLevel) return;
    const line = formatLine(level, msg, fields, now(), maxBytes);
    const bytes = Buffer.byteLength(line);
    try {
      if (size > 0 && size + bytes > maxBytes) rotate();
      appendFileSync(file, line, { mode: 0o600 });
      size += bytes;
    } catch (err) {
      // A full disk or a removed folder must not take the station down with it: say so on stderr once per line.
      process.stderr.write(`[log] could not write ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    if (options.echo) process.stderr.write(line);
  };

  return {
    file,
    log,
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}

/** The station's `(msg, err?) => void` log hook on top of a file logger: errors go in as a masked `err` field. */
export function stationLogHook(logger: Logger): (msg: string, err?: unknown) => void {
  return (msg, err) => (err === undefined ? logger.info(msg) : logger.error(msg, { err }));
}
