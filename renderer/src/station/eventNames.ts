import { events, type EventName, type EventPayload } from '../../../contract/index.js';

export { events, type EventName, type EventPayload };

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
