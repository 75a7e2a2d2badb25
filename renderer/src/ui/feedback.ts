import { z } from 'zod';

// Distinct tones for success, error and needs-review, so the operator hears the outcome without looking.
export type Tone = 'success' | 'error' | 'review';

const TONES: Record<Tone, readonly { freq: number; ms: number }[]> = {
  success: [{ freq: 1320, ms: 90 }],
  error: [
    { freq: 220, ms: 160 },
    { freq: 180, ms: 220 },
  ],
  review: [
    { freq: 660, ms: 110 },
    { freq: 880, ms: 110 },
  ],
};

let ctx: AudioContext | null = null;

const VOLUME_KEY = 'rs.soundVolume';
/** The gain at full volume; the old fixed level (0.08) is the default half-way setting. */
const FULL_GAIN = 0.16;
export const DEFAULT_VOLUME = 0.5;
const StoredVolume = z.coerce.number().min(0).max(1);

/** The bench's sound volume, 0–1, kept in this browser profile (benches differ in how loud the floor is). */
export function soundVolume(): number {
  try {
    const raw = globalThis.localStorage?.getItem(VOLUME_KEY);
    const parsed = raw === null || raw === undefined ? null : StoredVolume.safeParse(raw);
    return parsed?.success ? parsed.data : DEFAULT_VOLUME;
  } catch {
    return DEFAULT_VOLUME;
  }
}

export function setSoundVolume(volume: number): void {
  const v = Math.min(1, Math.max(0, volume));
  try {
    globalThis.localStorage?.setItem(VOLUME_KEY, String(v));
  } catch {
    // Storage refused (private mode): the setting lasts until the page reloads only.
  }
}

export function feedback(tone: Tone): void {
  const volume = soundVolume();
  if (volume === 0) return;
  try {
    ctx ??= new AudioContext();
    let at = ctx.currentTime;
    for (const { freq, ms } of TONES[tone]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      osc.type = tone === 'error' ? 'square' : 'sine';
      gain.gain.value = FULL_GAIN * volume;
      osc.connect(gain).connect(ctx.destination);
      osc.start(at);
      osc.stop(at + ms / 1000);
      at += ms / 1000 + 0.03;
    }
  } catch {
    // No audio device: the colours still say it.
  }
}
