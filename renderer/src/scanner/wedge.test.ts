import { describe, expect, it } from 'vitest';
import { GS, idleCheckMustWait, LATE_TIMER_MS, WedgeDetector, type WedgeKey, type WedgeOptions, type WedgeStep } from './wedge.js';

// What a US keyboard (or Playwright) reports for a character: the key position and Shift.
const US_SHIFTED: Record<string, string> = {
  '!': 'Digit1', '@': 'Digit2', '#': 'Digit3', $: 'Digit4', '%': 'Digit5', '^': 'Digit6', '&': 'Digit7',
  '*': 'Digit8', '(': 'Digit9', ')': 'Digit0', _: 'Minus', '+': 'Equal', '{': 'BracketLeft', '}': 'BracketRight',
  '|': 'Backslash', ':': 'Semicolon', '"': 'Quote', '~': 'Backquote', '<': 'Comma', '>': 'Period', '?': 'Slash',
};
const US_PLAIN: Record<string, string> = {
  '-': 'Minus', '=': 'Equal', '[': 'BracketLeft', ']': 'BracketRight', '\\': 'Backslash', ';': 'Semicolon',
  "'": 'Quote', '`': 'Backquote', ',': 'Comma', '.': 'Period', '/': 'Slash', ' ': 'Space',
};
function usKey(ch: string): { code: string; shift: boolean } {
  if (/[a-z]/.test(ch)) return { code: `Key${ch.toUpperCase()}`, shift: false };
  if (/[A-Z]/.test(ch)) return { code: `Key${ch}`, shift: true };
  if (/[0-9]/.test(ch)) return { code: `Digit${ch}`, shift: false };
  const shifted = US_SHIFTED[ch];
  if (shifted) return { code: shifted, shift: true };
  return { code: US_PLAIN[ch] ?? 'Unidentified', shift: false };
}

// What a JIS-layout OS types for key positions a US-set scanner sends (only the keys that differ matter here).
const JIS_FROM_US_KEYS: Record<string, string> = { ':': '+', '"': '*', '@': '"', '[': '@', '(': ')', "'": ':' };

interface Typed {
  steps: WedgeStep[];
  end: number;
}

/** Feeds characters as keydowns `gap` ms apart, like a scanner or a person would. */
function type(d: WedgeDetector, text: string, opts: { start?: number; gap?: number; osJis?: boolean; withCode?: boolean } = {}): Typed {
  let t = opts.start ?? 1000;
  const gap = opts.gap ?? 10;
  const steps: WedgeStep[] = [];
  for (const ch of text) {
    const { code, shift } = usKey(ch);
    const key = opts.osJis ? (JIS_FROM_US_KEYS[ch] ?? ch) : ch;
    const k: WedgeKey = opts.withCode === false ? { key, time: t } : { key, code, shift, time: t };
    steps.push(d.key(k));
    t += gap;
  }
  return { steps, end: t - gap };
}

function press(d: WedgeDetector, key: string, time: number, extra: Partial<WedgeKey> = {}): WedgeStep {
  return d.key({ key, time, ...extra });
}

function outcomes(steps: readonly WedgeStep[]) {
  return steps.flatMap((s) => (s.outcome ? [s.outcome] : []));
}

function detector(o: Partial<WedgeOptions> = {}) {
  return new WedgeDetector(o);
}

describe('timing detection', () => {
  it('recognises a fast burst ended by Enter and keeps every character', () => {
    const d = detector();
    const code = 'https://id.gs1.org/01/04912345678904/10/AB-1:2.3';
    const { steps, end } = type(d, code, { gap: 8 });
    const enter = press(d, 'Enter', end + 8);
    expect(enter.consume).toBe(true);
    expect(outcomes([...steps, enter])).toEqual([{ kind: 'scan', text: code, via: 'timing' }]);
  });

  it('lets the first keys through, then swallows the rest and says how many leaked', () => {
    const d = detector({ recogniseAfter: 4 });
    const { steps } = type(d, '4901234567894', { gap: 5 });
    expect(steps.slice(0, 3).map((s) => s.consume)).toEqual([false, false, false]);
    expect(steps[3]).toMatchObject({ consume: true, removeLeaked: 3 });
    expect(steps.slice(4).every((s) => s.consume && s.removeLeaked === 0)).toBe(true);
  });

  it('accepts slow scanners when the gap is configured wider', () => {
    const narrow = detector({ maxGapMs: 50 });
    const a = type(narrow, '123456789', { gap: 70 });
    expect(outcomes([...a.steps, press(narrow, 'Enter', a.end + 70)])).toEqual([]);

    const wide = detector({ maxGapMs: 90 });
    const b = type(wide, '123456789', { gap: 70 });
    expect(outcomes([...b.steps, press(wide, 'Enter', b.end + 70)])).toEqual([{ kind: 'scan', text: '123456789', via: 'timing' }]);
  });

  it('treats slow typing as typing: nothing swallowed, Enter passes, keys reported as typed', () => {
    const d = detector();
    const { steps, end } = type(d, 'abcdef', { gap: 180 });
    expect(steps.every((s) => !s.consume)).toBe(true);
    const enter = press(d, 'Enter', end + 200);
    expect(enter.consume).toBe(false);
    expect(outcomes([...steps, enter])).toEqual([]);
    // Each key ended up alone: a single-key shortcut may act on it.
    expect(steps.slice(1).map((s) => s.typed)).toEqual([['a'], ['b'], ['c'], ['d'], ['e']]);
  });

  it('reports a lone key as typed once the gap has passed (grade keys)', () => {
    const d = detector();
    expect(press(d, 'B', 1000).typed).toBeUndefined();
    expect(d.nextCheckAt()).toBeGreaterThan(1000);
    expect(d.idle(1020).typed).toBeUndefined();
    expect(d.idle(1100).typed).toEqual(['B']);
  });

  it('does not mistake the first letters of a scan for a key press', () => {
    const d = detector();
    const { steps, end } = type(d, 'B12345', { gap: 5 });
    const all = [...steps, press(d, 'Enter', end + 5), d.idle(end + 500)];
    expect(all.flatMap((s) => s.typed ?? [])).toEqual([]);
    expect(outcomes(all)).toEqual([{ kind: 'scan', text: 'B12345', via: 'timing' }]);
  });

  it('separates a person typing from a scan that follows', () => {
    const d = detector();
    const person = type(d, 'xy', { gap: 300 });
    const scan = type(d, 'RMA-0001', { start: person.end + 400, gap: 6 });
    const enter = press(d, 'Enter', scan.end + 6);
    expect(outcomes([...person.steps, ...scan.steps, enter])).toEqual([{ kind: 'scan', text: 'RMA-0001', via: 'timing' }]);
    expect(scan.steps[3]?.removeLeaked).toBe(3);
  });

  it('accepts a short code ended by a fast Enter even before the burst was recognised', () => {
    const d = detector({ minLength: 3, recogniseAfter: 6 });
    const { steps, end } = type(d, 'A12', { gap: 5 });
    const enter = press(d, 'Enter', end + 5);
    expect(enter).toMatchObject({ consume: true, removeLeaked: 3, outcome: { kind: 'scan', text: 'A12' } });
    expect(steps.every((s) => !s.consume)).toBe(true);
  });

  it('ends a burst on quiet when the scanner sends no terminator', () => {
    const d = detector({ idleEndMs: 100 });
    const { end } = type(d, '4901234567894', { gap: 5 });
    expect(d.idle(end + 50).outcome).toBeUndefined();
    expect(d.idle(end + 150).outcome).toEqual({ kind: 'scan', text: '4901234567894', via: 'timing' });
  });

  it('drops an unterminated burst when configured to require a terminator', () => {
    const d = detector({ idleEndMs: 100, endWithoutTerminator: false });
    const { end } = type(d, '4901234567894', { gap: 5 });
    expect(d.idle(end + 150).outcome).toBeUndefined();
    expect(d.scanning).toBe(false);
  });

  it('ends with Tab as well as Enter', () => {
    const d = detector();
    const { end } = type(d, '12345678', { gap: 5 });
    expect(press(d, 'Tab', end + 5)).toMatchObject({ consume: true, outcome: { kind: 'scan', text: '12345678' } });
  });

  it('ignores Shift keydowns between characters', () => {
    const d = detector();
    let t = 0;
    for (const ch of 'AB-12') {
      press(d, 'Shift', t);
      d.key({ key: ch, time: t + 1, shift: true });
      t += 10;
    }
    expect(press(d, 'Enter', t).outcome).toEqual({ kind: 'scan', text: 'AB-12', via: 'timing' });
  });
});

describe('GS separator stand-in', () => {
  it('maps Ctrl+] to ASCII 29', () => {
    const d = detector({ gsStandIn: '^]' });
    let t = 0;
    const steps: WedgeStep[] = [];
    for (const ch of '0104912345678904') steps.push(d.key({ key: ch, time: (t += 5) }));
    steps.push(d.key({ key: ']', ctrl: true, time: (t += 5) }));
    for (const ch of '10LOT-7') steps.push(d.key({ key: ch, time: (t += 5) }));
    steps.push(press(d, 'Enter', t + 5));
    expect(outcomes(steps)).toEqual([{ kind: 'scan', text: `0104912345678904${GS}10LOT-7`, via: 'timing' }]);
  });

  it('maps a printable stand-in such as ~', () => {
    const d = detector({ gsStandIn: '~' });
    const { end } = type(d, '0104912345678904~10LOT', { gap: 5 });
    expect(press(d, 'Enter', end + 5).outcome).toEqual({ kind: 'scan', text: `0104912345678904${GS}10LOT`, via: 'timing' });
  });
});

describe('prefix and suffix', () => {
  it('recognises a scan by a non-printing prefix at any speed and swallows it from the first key', () => {
    const d = detector({ prefix: ['F12'] });
    const first = press(d, 'F12', 0);
    expect(first).toMatchObject({ consume: true, removeLeaked: 0 });
    const { steps, end } = type(d, 'SLOW-123', { start: 100, gap: 120 });
    expect(steps.every((s) => s.consume)).toBe(true);
    expect(press(d, 'Enter', end + 100).outcome).toEqual({ kind: 'scan', text: 'SLOW-123', via: 'prefix' });
  });

  it('passes on a code shorter than minLength after the prefix: its keys were swallowed, so it must get an answer', () => {
    const d = detector({ prefix: ['F9'], minLength: 4 });
    press(d, 'F9', 0);
    const { steps, end } = type(d, 'ABC', { start: 10 });
    expect(steps.every((s) => s.consume)).toBe(true);
    expect(press(d, 'Enter', end + 10).outcome).toEqual({ kind: 'scan', text: 'ABC', via: 'prefix' });
    // Without a prefix, three fast keys are still not a scan: they reach the page as typed.
    const timed = detector({ minLength: 4 });
    expect(outcomes(type(timed, 'ABC').steps)).toEqual([]);
    expect(press(timed, 'Enter', 2000).outcome).toBeUndefined();
  });

  it('removes a printable multi-key prefix that leaked before it was complete', () => {
    const d = detector({ prefix: ['$', '$'], maxGapMs: 30 });
    expect(press(d, '$', 0).consume).toBe(false);
    expect(press(d, '$', 10)).toMatchObject({ consume: true, removeLeaked: 1 });
    const { end } = type(d, 'ABC1', { start: 200, gap: 200 });
    expect(press(d, 'Enter', end + 10).outcome).toMatchObject({ text: 'ABC1', via: 'prefix' });
  });

  it('ends on a programmed suffix and swallows an Enter that follows it', () => {
    const d = detector({ suffix: ['^C'] });
    const { end } = type(d, '4901234567894', { gap: 5 });
    const suffix = d.key({ key: 'c', ctrl: true, time: end + 5 });
    expect(suffix).toMatchObject({ consume: true, outcome: { kind: 'scan', text: '4901234567894' } });
    expect(press(d, 'Enter', end + 10)).toMatchObject({ consume: true });
    expect(press(d, 'Enter', end + 500)).toMatchObject({ consume: false });
  });
});

describe('Japanese pitfalls', () => {
  it('reports an IME in kana mode instead of a code', () => {
    const d = detector();
    let t = 0;
    const steps: WedgeStep[] = [];
    for (const ch of 'ぬふあうえおやゆよ') steps.push(d.key({ key: ch, time: (t += 5) }));
    steps.push(press(d, 'Enter', t + 5));
    expect(outcomes(steps)).toEqual([
      { kind: 'problem', problems: [{ kind: 'ime-kana' }], raw: 'ぬふあうえおやゆよ' },
    ]);
  });

  it('reports keys swallowed by IME composition (Process)', () => {
    const d = detector();
    let t = 0;
    const steps: WedgeStep[] = [];
    for (let i = 0; i < 8; i += 1) steps.push(d.key({ key: 'Process', code: `Digit${i}`, time: (t += 5) }));
    steps.push(press(d, 'Enter', t + 5));
    const [out] = outcomes(steps);
    expect(out).toMatchObject({ kind: 'problem', problems: [{ kind: 'ime-composing' }] });
  });

  it('reports full-width input', () => {
    const d = detector();
    let t = 0;
    for (const ch of '４９０１２３４５') d.key({ key: ch, time: (t += 5) });
    expect(press(d, 'Enter', t + 5).outcome).toMatchObject({ kind: 'problem', problems: [{ kind: 'ime-fullwidth' }] });
  });

  it('reports a US-set scanner typing into a JIS OS (Digital Link colon becomes +)', () => {
    const d = detector();
    const { end } = type(d, 'https://id.gs1.org/01/04912345678904', { gap: 5, osJis: true });
    expect(press(d, 'Enter', end + 5).outcome).toEqual({
      kind: 'problem',
      problems: [{ kind: 'layout-mismatch', scannerLayout: 'us', osLayout: 'jis', got: '+', meant: ':' }],
      raw: 'https+//id.gs1.org/01/04912345678904',
    });
  });

  it('reports the same from the text alone when key positions are missing', () => {
    const d = detector();
    const { end } = type(d, 'https://example.jp/x', { gap: 5, osJis: true, withCode: false });
    expect(press(d, 'Enter', end + 5).outcome).toMatchObject({
      problems: [{ kind: 'layout-mismatch', scannerLayout: 'us', osLayout: 'jis' }],
    });
  });

  it('reports a JIS-set scanner typing into a US OS', () => {
    const d = detector();
    let t = 0;
    // A JIS scanner types ':' with the key right of ';' (US "'") and '@' with the key right of P (US '[').
    const keys: WedgeKey[] = [...'https'].map((ch) => ({ key: ch, code: `Key${ch.toUpperCase()}`, time: (t += 5) }));
    keys.push({ key: "'", code: 'Quote', time: (t += 5) });
    for (const ch of '//a.jp') keys.push({ key: ch, code: ch === '/' ? 'Slash' : ch === '.' ? 'Period' : `Key${ch.toUpperCase()}`, time: (t += 5) });
    for (const k of keys) d.key(k);
    expect(press(d, 'Enter', t + 5).outcome).toMatchObject({
      kind: 'problem',
      problems: [{ kind: 'layout-mismatch', scannerLayout: 'jis', osLayout: 'us', got: "'", meant: ':' }],
    });
  });

  it('with the scanner layout configured, flags any key the OS typed the other way (" arriving as *)', () => {
    const d = detector({ scannerLayout: 'us' });
    const { end } = type(d, 'AB"12', { gap: 5, osJis: true });
    expect(press(d, 'Enter', end + 5).outcome).toEqual({
      kind: 'problem',
      problems: [{ kind: 'layout-mismatch', scannerLayout: 'us', osLayout: 'jis', got: '*', meant: '"' }],
      raw: 'AB*12',
    });
  });

  it('with a JIS scanner configured, flags [ arriving where @ was meant', () => {
    const d = detector({ scannerLayout: 'jis' });
    let t = 0;
    for (const ch of 'AB12') d.key({ key: ch, code: usKey(ch).code, time: (t += 5) });
    d.key({ key: '[', code: 'BracketLeft', time: (t += 5) });
    expect(press(d, 'Enter', t + 5).outcome).toMatchObject({
      problems: [{ kind: 'layout-mismatch', scannerLayout: 'jis', osLayout: 'us', got: '[', meant: '@' }],
    });
  });

  it('does not flag ordinary codes on matching layouts', () => {
    for (const code of ['4901234567894', 'RMA-2025-000123', '1234-5678-9012', 'https://id.gs1.org/01/04912345678904']) {
      const d = detector();
      const { end } = type(d, code, { gap: 5 });
      expect(press(d, 'Enter', end + 5).outcome).toEqual({ kind: 'scan', text: code, via: 'timing' });
    }
  });
});

describe('idleCheckMustWait (the quiet-burst check when the page was busy)', () => {
  it('waits a turn when the timer fired late or input is pending, so a key stamped in time is seen first', () => {
    expect(idleCheckMustWait({ due: 1000, firedAt: 1002, inputPending: false })).toBe(false);
    expect(idleCheckMustWait({ due: 1000, firedAt: 1000 + LATE_TIMER_MS + 1, inputPending: false })).toBe(true);
    expect(idleCheckMustWait({ due: 1000, firedAt: 1001, inputPending: true })).toBe(true);
  });

  it('a key dispatched late but stamped within the gap still joins the burst (the first keys are not left behind)', () => {
    const d = new WedgeDetector();
    const first = d.key({ key: 'O', code: 'KeyO', shift: true, time: 1000 });
    expect(first.consume).toBe(false);
    // The page was busy: the timer's check is deferred (not called), and the next keys arrive stamped 5 ms apart.
    const steps = type(d, 'P-1001', { start: 1005, gap: 5 });
    const end = d.key({ key: 'Enter', code: 'Enter', time: steps.end + 5 });
    const outcome = [...steps.steps, end].find((s) => s.outcome)?.outcome;
    expect(outcome).toMatchObject({ kind: 'scan', text: 'OP-1001' });
    // Had the check run at 1080 with the clock, 'O' would have been left typed in the field.
    const d2 = new WedgeDetector();
    d2.key({ key: 'O', code: 'KeyO', shift: true, time: 1000 });
    expect(d2.idle(1080).typed).toEqual(['O']);
  });
});
