import { events, isEventName, type EventName, type EventPayload } from './eventNames.js';

type AnyListener = (payload: unknown) => void;

/** Typed fan-out of pushed events; payloads that do not fit the contract are dropped, not delivered. */
export class EventHub {
  private readonly listeners = new Map<EventName, Set<AnyListener>>();

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const l = listener as AnyListener;
    set.add(l);
    return () => set.delete(l);
  }

  /** Delivers a raw event from the wire. Returns false when it was unknown or malformed. */
  deliver(event: unknown, payload: unknown): boolean {
    if (!isEventName(event)) return false;
    const parsed = events[event].safeParse(payload);
    if (!parsed.success) return false;
    for (const l of this.listeners.get(event) ?? []) l(parsed.data);
    return true;
  }
}
