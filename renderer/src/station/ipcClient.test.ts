import { describe, expect, it } from 'vitest';
import { StationCallError, type StationBridge } from '../../../contract/index.js';
import { createIpcClient } from './ipcClient.js';

function fakeBridge(answer: (name: string, input: unknown) => unknown) {
  let listener: ((event: string, payload: unknown) => void) | null = null;
  const calls: [string, unknown][] = [];
  const bridge: StationBridge = {
    invoke: async (name, input) => {
      calls.push([name, input]);
      return answer(name, input);
    },
    subscribe: (l) => {
      listener = l;
      return () => (listener = null);
    },
  };
  return { bridge, calls, push: (event: string, payload: unknown) => listener?.(event, payload) };
}

const status = { online: true, wmsUrl: 'http://127.0.0.1:1', wmsIsDemo: true, pending: 2, deadLetters: 0, oldestPendingAgeSec: 3, lastError: null, lastSyncAt: null };

describe('IPC station client', () => {
  it('invokes through the bridge and validates the answer', async () => {
    const f = fakeBridge(() => ({ ok: true, value: status }));
    const client = createIpcClient(f.bridge);
    await expect(client.call('sync.status', {})).resolves.toEqual(status);
    expect(f.calls).toEqual([['sync.status', {}]]);
  });

  it('rejects with the station error, and with error.network when the bridge itself fails', async () => {
    const error = { code: 'LOCKED', messageKey: 'error.locked', params: {}, message: 'locked' };
    const refused = createIpcClient(fakeBridge(() => ({ ok: false, error })).bridge);
    await expect(refused.call('session.signIn', { badge: 'OP-1', pin: '1234' })).rejects.toMatchObject({ error });

    const broken = createIpcClient(
      fakeBridge(() => {
        throw new Error('channel closed');
      }).bridge,
    );
    const e = await broken.call('system.info', {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StationCallError);
    expect((e as StationCallError).error.messageKey).toBe('error.network');
  });

  it('passes on pushed events that fit the contract and drops the rest', () => {
    const f = fakeBridge(() => null);
    const client = createIpcClient(f.bridge);
    const seen: unknown[] = [];
    client.on('sync.status', (s) => seen.push(s.pending));
    f.push('sync.status', status);
    f.push('sync.status', { ...status, pending: 'many' });
    f.push('no.such.event', status);
    expect(seen).toEqual([2]);
  });
});
