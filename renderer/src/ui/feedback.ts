// Distinct tones for success, error and needs-review, so the operator hears the outcome without looking.
type Tone = 'success' | 'error' | 'review';

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

export function feedback(tone: Tone): void {
  try {
    ctx ??= new AudioContext();
    let at = ctx.currentTime;
    for (const { freq, ms } of TONES[tone]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      osc.type = tone === 'error' ? 'square' : 'sine';
      gain.gain.value = 0.08;
      osc.connect(gain).connect(ctx.destination);
      osc.start(at);
      osc.stop(at + ms / 1000);
      at += ms / 1000 + 0.03;
    }
  } catch {
    // No audio device: the colours still say it.
  }
}
