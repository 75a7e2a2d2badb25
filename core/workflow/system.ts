import type { StationInfo } from '../../contract/index.js';
import type { systemCalls } from '../../contract/calls/system.js';
import type { CallsOf, HandlersFor } from './dispatch.js';

/** What this station is: answered before sign-in (the sign-in screen shows the station and its WMS). */
export function systemHandlers(info: StationInfo): HandlersFor<CallsOf<typeof systemCalls>> {
  return { 'system.info': () => info };
}
