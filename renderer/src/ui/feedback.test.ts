import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const gains: number[] = [];
class FakeAudioContext {
  currentTime = 0;
  destination = {};
  createOscillator() {
    return { frequency: { value: 0 }, type: 'sine', connect: (g: unknown) => g, start: () => undefined, stop: () => undefined };
  }
  createGain() {
    const gain = { gain: { value: 0 }, connect: () => undefined };
    // Read the value once the tone is set up (after feedback() assigned it).
    queueMicrotask(() => gains.push(gain.gain.value));
    return gain;
  }
}

beforeEach(() => {
  const store = new Map<string, string>();
  vi.stubGlobal('localStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v) });
  vi.stubGlobal('AudioContext', FakeAudioContext);
  gains.length = 0;
  vi.resetModules();
});
afterEach(() => vi.unstubAllGlobals());

describe('tone volume', () => {
  it('defaults to the old level, follows the stored setting, and is silent at zero', async () => {
    const { feedback, setSoundVolume, soundVolume } = await import('./feedback.js');
    expect(soundVolume()).toBe(0.5);
    feedback('success');
    await Promise.resolve();
    expect(gains.at(-1)).toBeCloseTo(0.08);

    setSoundVolume(1);
    expect(localStorage.getItem('rs.soundVolume')).toBe('1');
    feedback('success');
    await Promise.resolve();
    expect(gains.at(-1)).toBeCloseTo(0.16);

    setSoundVolume(0);
    const before = gains.length;
    feedback('error');
    await Promise.resolve();
    expect(gains.length).toBe(before);
  });

  it('ignores a stored value that is not a volume', async () => {
    localStorage.setItem('rs.soundVolume', 'loud');
    const { soundVolume } = await import('./feedback.js');
    expect(soundVolume()).toBe(0.5);
  });
});
