// Sandboxed preload (bundled to CJS): the page gets two functions, never ipcRenderer itself.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { StationBridge } from '../contract/client.js';

// Duplicated from electron/ipc.ts on purpose: importing it would pull zod and the whole contract into the preload.
const CALL_CHANNEL_PREFIX = 'station:';
const EVENT_CHANNEL = 'station:event';
const CALL_NAME = /^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/;
const CHOOSE_FOLDER_CHANNEL = 'shell:chooseFolder';

const bridge: StationBridge = {
  invoke(name, input) {
    if (typeof name !== 'string' || !CALL_NAME.test(name)) return Promise.reject(new Error('unknown station call'));
    return ipcRenderer.invoke(CALL_CHANNEL_PREFIX + name, input);
  },
  chooseFolder() {
    return ipcRenderer.invoke(CHOOSE_FOLDER_CHANNEL);
  },
  subscribe(listener) {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (typeof name === 'string') listener(name, payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('stationBridge', bridge);
