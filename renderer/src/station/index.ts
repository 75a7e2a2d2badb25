import { z } from 'zod';
import type { StationBridge, StationClient } from '../../../contract/index.js';
import { createHttpClient } from './httpClient.js';
import { createIpcClient } from './ipcClient.js';

declare global {
  interface Window {
    stationBridge?: StationBridge;
  }
}

const SESSION_KEY = 'rs.sessionId';

/** One id per tab, kept across reloads so a reload keeps the operator signed in. */
function tabSessionId(): string {
  const existing = sessionStorage.getItem(SESSION_KEY);
  if (existing && /^[A-Za-z0-9-]{8,64}$/.test(existing)) return existing;
  const id = crypto.randomUUID();
  sessionStorage.setItem(SESSION_KEY, id);
  return id;
}

export interface StationConnection {
  client: StationClient;
  transport: 'ipc' | 'http';
  /** Whether the pushed-event channel is up (always true over IPC). */
  isConnected(): boolean;
  onConnection(listener: (connected: boolean) => void): () => void;
  /** The OS's folder dialog (the Electron shell only): the folder picked, or null when cancelled. */
  chooseFolder?: () => Promise<string | null>;
}

/** What the shell's folder dialog answered, read defensively: anything but a path is no choice. */
const PickedFolder = z.string().min(1).max(1024).nullable().catch(null);

/** Picks the transport: Electron's preload bridge when present, the preview's HTTP + WebSocket otherwise. */
export function connectStation(): StationConnection {
  const bridge = window.stationBridge;
  if (bridge) {
    const pick = bridge.chooseFolder?.bind(bridge);
    return {
      client: createIpcClient(bridge),
      transport: 'ipc',
      isConnected: () => true,
      onConnection: () => () => undefined,
      ...(pick ? { chooseFolder: () => pick().then((v) => PickedFolder.parse(v), () => null) } : {}),
    };
  }
  const listeners = new Set<(connected: boolean) => void>();
  // Optimistic until the first drop, so the bar does not flash "disconnected" while the socket opens.
  let connected = true;
  const client = createHttpClient({
    origin: window.location.origin,
    sessionId: tabSessionId(),
    onConnection: (c) => {
      connected = c;
      for (const l of listeners) l(c);
    },
  });
  return {
    client,
    transport: 'http',
    isConnected: () => connected,
    onConnection(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
