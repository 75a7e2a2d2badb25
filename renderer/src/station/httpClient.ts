import type { StationClient } from '../../../contract/index.js';
import { EventHub } from './emitter.js';
import { clientError, parseResponse } from './parse.js';

interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}

export interface HttpClientOptions {
  /** Origin of the preview server, e.g. 'http://127.0.0.1:5173'. */
  origin: string;
  /** Per-tab session id, sent with every call. */
  sessionId: string;
  fetch?: typeof fetch;
  openSocket?: (url: string) => SocketLike;
  /** Called when the event socket connects or drops (the sync bar shows it). */
  onConnection?: (connected: boolean) => void;
  /** Reconnect backoff, doubled per failure up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface HttpStationClient extends StationClient {
  close(): void;
}

/** The client in the browser preview: POST /api/call/<name> and a WebSocket for pushed events. */
export function createHttpClient(options: HttpClientOptions): HttpStationClient {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const openSocket = options.openSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const minBackoff = options.minBackoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 10_000;
  const hub = new EventHub();
  let closed = false;
  let socket: SocketLike | null = null;
  let backoff = minBackoff;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const wsUrl = `${options.origin.replace(/^http/, 'ws')}/api/events?session=${encodeURIComponent(options.sessionId)}`;

  const connect = (): void => {
    if (closed) return;
    const ws = openSocket(wsUrl);
    socket = ws;
    ws.onopen = () => {
      backoff = minBackoff;
      options.onConnection?.(true);
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      try {
        const msg = JSON.parse(ev.data) as { event?: unknown; payload?: unknown };
        hub.deliver(msg.event, msg.payload);
      } catch {
        // A garbled frame is dropped; the next status event brings the screen up to date.
      }
    };
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (socket === ws) socket = null;
      options.onConnection?.(false);
      if (closed) return;
      timer = setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, maxBackoff);
    };
  };
  connect();

  return {
    async call(name, input) {
      let res: Response;
      try {
        res = await doFetch(`${options.origin}/api/call/${name}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', 'x-station-session': options.sessionId },
          body: JSON.stringify(input ?? {}),
        });
      } catch (e) {
        throw clientError('error.network', e instanceof Error ? e.message : String(e));
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        throw clientError(res.status === 401 ? 'error.network' : 'error.badResponse', `${name}: HTTP ${res.status}`);
      }
      return parseResponse(name, body);
    },
    on: (event, listener) => hub.on(event, listener),
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      socket?.close();
    },
  };
}
