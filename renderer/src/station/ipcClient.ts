import type { StationBridge, StationClient } from '../../../contract/index.js';
import { EventHub } from './emitter.js';
import { clientError, parseResponse } from './parse.js';

/** The client inside Electron: calls and events go through the preload's bridge. */
export function createIpcClient(bridge: StationBridge): StationClient {
  const hub = new EventHub();
  bridge.subscribe((event, payload) => {
    hub.deliver(event, payload);
  });
  return {
    async call(name, input) {
      let raw: unknown;
      try {
        raw = await bridge.invoke(name, input);
      } catch (e) {
        throw clientError('error.network', e instanceof Error ? e.message : String(e));
      }
      return parseResponse(name, raw);
    },
    on: (event, listener) => hub.on(event, listener),
  };
}
