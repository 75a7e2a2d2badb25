// Raw TCP (port 9100, "JetDirect") to a label printer. A send counts as done only when every
// byte was written and the printer closed the connection after our FIN: a printer that
// accepted the job closes cleanly; one that resets or hangs has not confirmed anything.
import net from 'node:net';
import { printerMessage } from '../../contract/printerMessages.js';
import { PrinterError, reasonForErrno, saidForReason } from '../printers/errors.js';
import { ReplyCollector } from './replyCollector.js';

export interface TcpTarget {
  host: string;
  port: number;
  /** Connect timeout (default 3000 ms). */
  connectTimeoutMs?: number;
  /** Time allowed, after connecting, to write everything and see the printer close (default 10000 ms). */
  writeTimeoutMs?: number;
  /**
   * How long a new print connection is watched before the job goes out (default 30 ms). A printer that accepts and
   * closes at once (busy with another host, its buffer full, a print server refusing) has read nothing, yet a job
   * written into the socket in that instant is taken by the kernel and the clean close reads as "printed": the label
   * was lost. A close seen in this window sends nothing and says so (nothing delivered: the queue retries).
   */
  acceptSettleMs?: number;
}

const errnoOf = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;

interface Session {
  socket: net.Socket;
  /** Rejects with a PrinterError; resolves when the socket closed without error. */
  closed: Promise<void>;
  connected: Promise<void>;
  /** Ends the connection with this error (the first failure wins). */
  fail(err: PrinterError): void;
}

function open(target: TcpTarget, label: string): Session {
  const connectTimeoutMs = target.connectTimeoutMs ?? 3000;
  const where = `${target.host}:${target.port}`;
  const socket = net.createConnection({ host: target.host, port: target.port });
  let isConnected = false;
  let failure: PrinterError | null = null;
  const fail = (err: PrinterError): void => {
    if (!failure) failure = err;
    socket.destroy();
  };
  const connectTimer = setTimeout(
    () =>
      fail(
        new PrinterError('timeout', `${label}: no connection to ${where} within ${connectTimeoutMs} ms`, false, {
          said: printerMessage('printer.error.connectTimeout', { where, ms: connectTimeoutMs }),
        }),
      ),
    connectTimeoutMs,
  );
  const connected = new Promise<void>((resolve) => {
    socket.once('connect', () => {
      isConnected = true;
      clearTimeout(connectTimer);
      resolve();
    });
  });
  socket.on('error', (e) => {
    const code = errnoOf(e);
    const reason = reasonForErrno(code);
    fail(new PrinterError(reason, `${label}: ${where}: ${code ?? e.message}`, isConnected, { cause: e, said: saidForReason(reason, where, code ?? e.message) }));
  });
  const closed = new Promise<void>((resolve, reject) => {
    socket.once('close', () => {
      clearTimeout(connectTimer);
      if (failure) reject(failure);
      else resolve();
    });
  });
  // Keep `connected` from dangling when the connection never happens.
  closed.catch(() => undefined);
  return {
    socket,
    closed,
    connected: Promise.race([
      connected,
      closed.then(() => Promise.reject(new PrinterError('reset', `${label}: ${where} closed before connecting`, false, { said: printerMessage('printer.error.reset', { where }) }))),
    ]),
    fail,
  };
}

/** Sends one job and resolves after the printer closed the connection cleanly. */
export async function sendTcp(target: TcpTarget, data: Buffer | string): Promise<void> {
  const writeTimeoutMs = target.writeTimeoutMs ?? 10_000;
  const where = `${target.host}:${target.port}`;
  const session = open(target, 'print');
  const { socket } = session;
  socket.resume(); // whatever the printer says on a print connection is not needed, but its close must be seen
  // Seen from the first moment, so a close that comes with the connection is not missed.
  let peerEnded = false;
  socket.once('end', () => {
    peerEnded = true;
  });
  await session.connected;
  await new Promise<void>((resolve) => {
    const settle = setTimeout(resolve, target.acceptSettleMs ?? 30);
    // Nothing to wait for once the printer has closed (or failed).
    void session.closed.then(resolve, resolve).finally(() => clearTimeout(settle));
    socket.once('end', () => {
      clearTimeout(settle);
      resolve();
    });
  });
  if (peerEnded || socket.destroyed) {
    socket.destroy();
    // The session's own failure (a reset, an error) says more when there is one.
    await session.closed;
    throw new PrinterError('reset', `print: ${where} closed the connection before taking the job`, false, { said: printerMessage('printer.error.reset', { where }) });
  }
  const timer = setTimeout(
    () =>
      session.fail(
        new PrinterError('timeout', `print: ${where} did not take the job within ${writeTimeoutMs} ms`, true, {
          said: printerMessage('printer.error.writeTimeout', { where, ms: writeTimeoutMs }),
        }),
      ),
    writeTimeoutMs,
  );
  try {
    let flushed = false;
    socket.once('finish', () => {
      flushed = true;
    });
    socket.end(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    await session.closed;
    if (!flushed) {
      throw new PrinterError('reset', `print: ${where} closed before the whole job was written`, true, { said: printerMessage('printer.error.closedMidJob', { where }) });
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Two-way exchange (status queries such as ZPL ~HS): sends `request`, collects the reply until
 * `isComplete(reply)` holds, then closes. No complete reply within `timeoutMs` is a
 * PrinterError('no_status_reply').
 */
export async function exchangeTcp(
  target: TcpTarget,
  request: Buffer | string,
  isComplete: (reply: Buffer) => boolean,
  timeoutMs = 2000,
): Promise<Buffer> {
  const where = `${target.host}:${target.port}`;
  const session = open(target, 'status');
  const { socket } = session;
  await session.connected;
  const collected = new ReplyCollector();
  return await new Promise<Buffer>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new PrinterError('no_status_reply', `status: ${where} sent no complete reply within ${timeoutMs} ms`, false, {
          said: printerMessage('printer.error.noStatusReply', { where, ms: timeoutMs }),
        }),
      );
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      const reply = collected.add(chunk);
      if (reply === null) {
        clearTimeout(timer);
        socket.destroy();
        reject(
          new PrinterError('no_status_reply', `status: ${where} sent more than ${collected.limitWords} without a complete reply`, false, {
            said: printerMessage('printer.error.replyTooLarge', { where, limit: collected.limitWords }),
          }),
        );
        return;
      }
      if (isComplete(reply)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(reply);
      }
    });
    session.closed.then(
      () => {
        clearTimeout(timer);
        const reply = collected.reply();
        if (isComplete(reply)) resolve(reply);
        else {
          reject(
            new PrinterError('no_status_reply', `status: ${where} closed without a complete reply`, false, {
              said: printerMessage('printer.error.statusClosed', { where }),
            }),
          );
        }
      },
      (e: unknown) => {
        clearTimeout(timer);
        // The connection was made, so the printer is there: a reset now is its answer to the query (a 9100
        // port that takes jobs but not ~HS/ENQ), not a printer that cannot be reached.
        if (e instanceof PrinterError && e.reason === 'reset') {
          reject(
            new PrinterError('no_status_reply', `status: ${where} reset the connection at the status query (${e.message})`, false, {
              cause: e,
              said: printerMessage('printer.error.statusReset', { where }),
            }),
          );
        } else reject(e);
      },
    );
    socket.write(typeof request === 'string' ? Buffer.from(request, 'latin1') : request);
  });
}
