// Composition root: builds the services from config. (Implementation in progress; the interface is the contract for transports.)
import type { ApiResponse, EventName, EventPayload, StationInfo } from './contract/index.js';

export type StationListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** What a transport (Electron IPC, preview HTTP/WS) needs from the station. */
export interface Station {
  readonly info: StationInfo;
  /** Validates `rawInput` against the contract, checks the session's role, runs the call. Never throws. */
  handle(sessionKey: string, name: string, rawInput: unknown): Promise<ApiResponse>;
  /** Events for every session; transports forward them to their renderers. */
  subscribe(listener: StationListener): () => void;
  /** A transport's client went away (window closed, socket dropped). */
  endSession(sessionKey: string): void;
  close(): Promise<void>;
}

export interface StationRuntimeOptions {
  /** Path to a better-sqlite3 binary built for this runtime (Electron passes its own). */
  nativeBinding?: string;
  /** Where the numbered SQL migrations live (Electron passes the packaged path). */
  migrationsDir?: string;
}
