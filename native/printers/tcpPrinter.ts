// A label printer reached over raw TCP 9100: the transport the print queue sends through.
import { exchangeTcp, sendTcp, type TcpTarget } from '../transports/tcp.js';

/** What the print queue and status polling need from any printer connection. */
export interface PrinterTransport {
  /** e.g. "tcp://127.0.0.1:9100" */
  readonly name: string;
  /** Resolves when the printer took every byte; rejects with PrinterError. */
  send(payload: Buffer): Promise<void>;
  /** Two-way links only: send a query, collect the reply until `isComplete`. */
  exchange?(request: Buffer, isComplete: (reply: Buffer) => boolean, timeoutMs: number): Promise<Buffer>;
  /** Releases a held connection (serial port); TCP and device files hold nothing. */
  close?(): Promise<void>;
}

export function createTcpPrinterTransport(target: TcpTarget): PrinterTransport {
  const t = { ...target };
  return {
    name: `tcp://${t.host}:${t.port}`,
    send: (payload) => sendTcp(t, payload),
    exchange: (request, isComplete, timeoutMs) => exchangeTcp(t, request, isComplete, timeoutMs),
  };
}
