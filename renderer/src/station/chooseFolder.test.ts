import { afterEach, describe, expect, it } from 'vitest';
import type { StationBridge } from '../../../contract/index.js';
import { connectStation } from './index.js';

const bridge = (answer: unknown, withDialog = true): StationBridge => ({
  invoke: () => Promise.resolve({ ok: true, value: {} }),
  subscribe: () => () => undefined,
  ...(withDialog ? { chooseFolder: () => Promise.resolve(answer) } : {}),
});

function connectWith(b: StationBridge) {
  (globalThis as { window?: unknown }).window = { stationBridge: b };
  return connectStation();
}

afterEach(() => {
  delete (globalThis as { window?: unknown }).window;
});

describe('the shell folder dialog through the connection', () => {
  it('hands back the folder the shell picked', async () => {
    expect(await connectWith(bridge('/home/sato/Documents/返品')).chooseFolder?.()).toBe('/home/sato/Documents/返品');
  });

  it('reads a cancel, or anything that is not a path, as no choice', async () => {
    for (const answer of [null, undefined, '', 42, { path: '/x' }]) expect(await connectWith(bridge(answer)).chooseFolder?.()).toBeNull();
  });

  it('reads a dialog that failed as no choice, never as an unheard rejection', async () => {
    const failing: StationBridge = { ...bridge(null), chooseFolder: () => Promise.reject(new Error('no window')) };
    expect(await connectWith(failing).chooseFolder?.()).toBeNull();
  });

  it('offers no dialog where the shell has none', () => {
    expect(connectWith(bridge(null, false)).chooseFolder).toBeUndefined();
  });
});
