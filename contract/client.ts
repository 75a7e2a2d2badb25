import type { ApiError, CallInput, CallName, CallOutput } from './api.js';
import type { EventName, EventPayload } from './events.js';

/** The one API the renderer sees, whatever carries it (Electron IPC or the preview's HTTP + WebSocket). */
export interface StationClient {
  call<C extends CallName>(name: C, input: CallInput<C>): Promise<CallOutput<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Thrown by clients when the main side answers with an error. */
export class StationCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'StationCallError';
  }
}

/** What the preload exposes on window.stationBridge: untyped wire, typed by the client wrapper. */
export interface StationBridge {
  invoke(name: string, input: unknown): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  /** The OS's folder dialog (Electron only): the folder picked, or null when cancelled. */
  chooseFolder?(): Promise<unknown>;
}
