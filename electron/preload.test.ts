import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StationBridge } from '../contract/client.js';

async function loadPreload() {
  vi.resetModules();
  const exposed = new Map<string, unknown>();
  const ipcRenderer = Object.assign(new EventEmitter(), {
    invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } })),
  });
  vi.doMock('electron', () => ({
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer,
  }));
  await import('./preload.js');
  return { exposed, ipcRenderer };
}

afterEach(() => {
  vi.doUnmock('electron');
});

describe('preload', () => {
  it('exposes only window.stationBridge with invoke, subscribe and the folder dialog, never ipcRenderer', async () => {
    const { exposed } = await loadPreload();
    expect([...exposed.keys()]).toEqual(['stationBridge']);
    expect(Object.keys(exposed.get('stationBridge') as object).sort()).toEqual(['chooseFolder', 'invoke', 'subscribe']);
  });

  it('invokes only station:<call> channels', async () => {
    const { exposed, ipcRenderer } = await loadPreload();
    const bridge = exposed.get('stationBridge') as StationBridge;
    await expect(bridge.invoke('parcel.open', { code: 'X' })).resolves.toEqual({ ok: true, value: { channel: 'station:parcel.open', input: { code: 'X' } } });
    for (const bad of ['', 'station:event', '../x', 'parcel.open:extra', 42 as unknown as string]) {
      await expect(bridge.invoke(bad, {})).rejects.toThrow('unknown station call');
    }
    expect(ipcRenderer.invoke).toHaveBeenCalledTimes(1);
  });

  it('asks the main process for the folder dialog on its one channel', async () => {
    const { exposed, ipcRenderer } = await loadPreload();
    const bridge = exposed.get('stationBridge') as StationBridge;
    await bridge.chooseFolder?.();
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('shell:chooseFolder');
  });

  it('delivers station events until unsubscribed, without leaking the IPC event object', async () => {
    const { exposed, ipcRenderer } = await loadPreload();
    const bridge = exposed.get('stationBridge') as StationBridge;
    const seen: unknown[][] = [];
    const off = bridge.subscribe((...args) => seen.push(args));
    ipcRenderer.emit('station:event', { sender: 'ipc internals' }, 'sync.status', { pending: 1 });
    ipcRenderer.emit('some-other-channel', {}, 'sync.status', { pending: 2 });
    off();
    ipcRenderer.emit('station:event', {}, 'sync.status', { pending: 3 });
    expect(seen).toEqual([['sync.status', { pending: 1 }]]);
  });
});
