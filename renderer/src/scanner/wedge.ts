// Keyboard-wedge scanner detection: pure logic, no DOM. The hook in useWedgeScanner.ts feeds it
// keydown events and does what each step says (preventDefault, remove leaked characters).
//
// A wedge scanner is a keyboard. We tell it apart from a person by (1) a prefix/suffix the
// scanner was programmed with, and failing that (2) timing: a burst of keys with tiny gaps.
// Until a timing burst is recognised the first few keys reach the focused field ("leak"); the
// step that recognises the burst says how many characters to remove again.

import { charFor, layoutEvidence, type KeyboardLayout } from './layouts.js';

export const GS = '\x1d';

/** One keydown, as the hook sees it. `time` is in milliseconds (event.timeStamp). */
export interface WedgeKey {
  readonly key: string;
  readonly code?: string;
  readonly time: number;
  readonly shift?: boolean;
  readonly ctrl?: boolean;
  readonly alt?: boolean;
  readonly meta?: boolean;
  /** isComposing, or keyCode 229: an IME is eating the keys. */
  readonly composing?: boolean;
}

export interface WedgeOptions {
  /** Keys the scanner sends before each code (tokens: a character, a key name like 'F12', or '^X' for Ctrl+X). */
  readonly prefix: readonly string[];
  /** Keys the scanner sends after each code (same tokens); Enter/Tab still end a scan too. */
  readonly suffix: readonly string[];
  /** Longest gap between two keys of one scan. Real scanners range from a few ms to ~80 ms a key. */
  readonly maxGapMs: number;
  /** Shortest code accepted as a scan. */
  readonly minLength: number;
  /** After this many fast keys a burst counts as a scan and the rest of it is swallowed. */
  readonly recogniseAfter: number;
  /** A recognised burst that stops without Enter/Tab ends after this much quiet. */
  readonly idleEndMs: number;
  /** With a prefix, how long the scan may take before it is given up. */
  readonly prefixTimeoutMs: number;
  /** End a recognised burst on quiet even without a terminator (scanners set to send no suffix). */
  readonly endWithoutTerminator: boolean;
  /** Token the scanner types for the GS1 separator a keyboard cannot type, e.g. '^]' (Ctrl+]) or '~'. */
  readonly gsStandIn: string | null;
  /** The layout the scanner is set to; 'auto' guesses from what structured codes should look like. */
  readonly scannerLayout: KeyboardLayout | 'auto';
}

export const defaultWedgeOptions: WedgeOptions = {
  prefix: [],
  suffix: [],
  maxGapMs: 50,
  minLength: 4,
  recogniseAfter: 4,
  idleEndMs: 150,
  prefixTimeoutMs: 1000,
  endWithoutTerminator: true,
  gsStandIn: '^]',
  scannerLayout: 'auto',
};

export type WedgeProblem =
  | { readonly kind: 'ime-composing' }
  | { readonly kind: 'ime-kana' }
  | { readonly kind: 'ime-fullwidth' }
  | { readonly kind: 'dead-key' }
  | {
      readonly kind: 'layout-mismatch';
      readonly scannerLayout: KeyboardLayout;
      readonly osLayout: KeyboardLayout;
      readonly got: string;
      readonly meant: string;
    };

export type WedgeOutcome =
  | { readonly kind: 'scan'; readonly text: string; readonly via: 'prefix' | 'timing' }
  | { readonly kind: 'problem'; readonly problems: readonly WedgeProblem[]; readonly raw: string };

export interface WedgeStep {
  /** preventDefault + stopPropagation this key. */
  readonly consume: boolean;
  /** Characters that already reached the focused field and must be removed before the caret. */
  readonly removeLeaked: number;
  readonly outcome?: WedgeOutcome;
  /** Keys that turned out to be a person typing (for single-key shortcuts like grade keys). */
  readonly typed?: readonly string[];
}

interface Entry {
  readonly token: string;
  /** What this key contributes to the code ('' for IME/dead keys). */
  readonly char: string;
  readonly key: string;
  readonly code: string | undefined;
  readonly shift: boolean;
  readonly time: number;
  /** Passed through to the page as a character, so it may sit in a text field now. */
  readonly leaked: boolean;
  readonly ime: boolean;
  readonly dead: boolean;
}

type Tok =
  | { kind: 'modifier' }
  | { kind: 'terminator'; token: string }
  | { kind: 'burst'; token: string; printable: boolean; ime: boolean; dead: boolean }
  | { kind: 'other'; token: string };

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock', 'NumLock', 'OS', 'Hyper', 'Super']);
const TERMINATORS = new Set(['Enter', 'Tab']);
const PASS: WedgeStep = { consume: false, removeLeaked: 0 };

function isSingleChar(key: string): boolean {
  return [...key].length === 1;
}

/** A keydown as a token: the character, '^X' for Ctrl+X, or the key's name. */
export function tokenOf(k: WedgeKey): string {
  if (k.composing || k.key === 'Process') return 'Process';
  if (k.ctrl && !k.alt && !k.meta && isSingleChar(k.key)) return `^${k.key.toUpperCase()}`;
  if ((k.alt || k.meta) && isSingleChar(k.key)) return `${k.meta ? 'Meta' : 'Alt'}+${k.key}`;
  return k.key;
}

/** How late a timer may fire before the page counts as having been busy (a render, a long list). */
export const LATE_TIMER_MS = 10;

/**
 * Whether the check for a quiet burst should wait one turn of the event loop. It compares the clock with the
 * last key's time; but when the page was busy past that moment (the timer fired late) the scanner's next key may
 * be waiting to be dispatched, stamped in time, and a decision now would end the burst after its first keys:
 * they stay typed in the focused field and the scan loses them (a badge OP-1001 read as P-1001). Input runs
 * before timers, so one deferral lets such a key be seen first.
 */
export function idleCheckMustWait(t: { due: number; firedAt: number; inputPending: boolean }): boolean {
  return t.inputPending || t.firedAt - t.due > LATE_TIMER_MS;
}

export class WedgeDetector {
  readonly options: WedgeOptions;
  private candidate: Entry[] = [];
  private mode: 'idle' | 'timing' | 'prefix' = 'idle';
  private prefixProgress = 0;
  private prefixLastTime = 0;
  private swallowTerminatorUntil = Number.NEGATIVE_INFINITY;

  constructor(options: Partial<WedgeOptions> = {}) {
    this.options = { ...defaultWedgeOptions, ...options };
  }

  /** Whether a burst is being swallowed right now (screens use it to hold their own shortcuts). */
  get scanning(): boolean {
    return this.mode !== 'idle';
  }

  /** When idle() next has something to decide, or null. */
  nextCheckAt(): number | null {
    const last = this.candidate.at(-1)?.time;
    if (this.mode === 'prefix') return (last ?? this.prefixLastTime) + this.options.prefixTimeoutMs + 1;
    if (last === undefined) return null;
    if (this.mode === 'timing') return last + this.options.idleEndMs + 1;
    return last + this.options.maxGapMs + 1;
  }

  /** Call when time passes without keys (a timer set from nextCheckAt()). */
  idle(now: number): WedgeStep {
    const o = this.options;
    const last = this.candidate.at(-1)?.time ?? this.prefixLastTime;
    if (this.mode === 'prefix') {
      if (now - last <= o.prefixTimeoutMs) return PASS;
      return { ...PASS, ...this.finishUnterminated('prefix') };
    }
    if (this.mode === 'timing') {
      if (now - last <= o.idleEndMs) return PASS;
      return { ...PASS, ...this.finishUnterminated('timing') };
    }
    if (this.candidate.length > 0 && now - last > o.maxGapMs) {
      return { ...PASS, typed: this.flushTyped() };
    }
    if (this.prefixProgress > 0 && now - this.prefixLastTime > o.maxGapMs) this.prefixProgress = 0;
    return PASS;
  }

  key(k: WedgeKey): WedgeStep {
    const tok = this.classify(k);
    if (tok.kind === 'modifier') return PASS;

    if (tok.kind === 'terminator' && k.time <= this.swallowTerminatorUntil) {
      this.swallowTerminatorUntil = Number.NEGATIVE_INFINITY;
      return { consume: true, removeLeaked: 0 };
    }

    // A burst that went quiet ends before this key is looked at.
    const expired = this.idle(k.time);
    const step = this.mode === 'idle' ? this.keyWhileIdle(k, tok) : this.keyWhileScanning(k, tok);
    if (!expired.outcome && !expired.typed) return step;
    const typed = [...(expired.typed ?? []), ...(step.typed ?? [])];
    return { ...step, outcome: step.outcome ?? expired.outcome, ...(typed.length > 0 ? { typed } : {}) };
  }

  private keyWhileScanning(k: WedgeKey, tok: Tok): WedgeStep {
    if (tok.kind === 'terminator') {
      const outcome = this.finish(this.mode === 'prefix' ? 'prefix' : 'timing');
      return { consume: true, removeLeaked: 0, ...(outcome ? { outcome } : {}) };
    }
    if (tok.kind === 'other') {
      // A scanner does not press Escape or arrows: the burst is over, the key is a person's.
      const ended = this.finishUnterminated(this.mode === 'prefix' ? 'prefix' : 'timing');
      return { consume: false, removeLeaked: 0, ...ended };
    }
    if (tok.kind !== 'burst') return PASS;
    this.candidate.push(this.entry(k, tok, false));
    const outcome = this.trySuffix(k.time);
    return { consume: true, removeLeaked: 0, ...(outcome ? { outcome } : {}) };
  }

  private keyWhileIdle(k: WedgeKey, tok: Tok): WedgeStep {
    const o = this.options;
    if (tok.kind === 'terminator') {
      const last = this.candidate.at(-1);
      if (last && this.candidate.length >= o.minLength && k.time - last.time <= o.maxGapMs) {
        const removeLeaked = this.leakedCount(this.candidate);
        const outcome = this.finish('timing');
        return { consume: true, removeLeaked, ...(outcome ? { outcome } : {}) };
      }
      const typed = this.flushTyped();
      return { ...PASS, ...(typed.length > 0 ? { typed } : {}) };
    }

    const prefixDone = tok.kind !== 'modifier' && this.advancePrefix(tok.token, k.time);
    if (prefixDone) {
      // The prefix keys before this one reached the page; take them back out.
      const held = o.prefix.length - 1;
      const removeLeaked = held > 0 ? this.leakedCount(this.candidate.slice(-held)) : 0;
      const earlier = this.candidate.slice(0, this.candidate.length - held);
      this.candidate = [];
      this.mode = 'prefix';
      this.prefixLastTime = k.time;
      const typed = earlier.filter((e) => e.leaked).map((e) => e.token);
      return { consume: true, removeLeaked, ...(typed.length > 0 ? { typed } : {}) };
    }

    if (tok.kind === 'other') {
      const typed = this.flushTyped();
      return { ...PASS, ...(typed.length > 0 ? { typed } : {}) };
    }
    if (tok.kind !== 'burst') return PASS;

    const recognising = this.candidate.length + 1 >= o.recogniseAfter;
    this.candidate.push(this.entry(k, tok, !recognising && tok.printable));
    if (!recognising) return PASS;
    this.mode = 'timing';
    const removeLeaked = this.leakedCount(this.candidate);
    const outcome = this.trySuffix(k.time);
    return { consume: true, removeLeaked, ...(outcome ? { outcome } : {}) };
  }

  private advancePrefix(token: string, time: number): boolean {
    const prefix = this.options.prefix;
    if (prefix.length === 0) return false;
    const continues = this.prefixProgress > 0 && time - this.prefixLastTime <= this.options.maxGapMs;
    if (continues && prefix[this.prefixProgress] === token) {
      this.prefixProgress += 1;
    } else {
      this.prefixProgress = prefix[0] === token ? 1 : 0;
    }
    this.prefixLastTime = time;
    if (this.prefixProgress === prefix.length) {
      this.prefixProgress = 0;
      return true;
    }
    return false;
  }

  private trySuffix(time: number): WedgeOutcome | undefined {
    const suffix = this.options.suffix;
    if (suffix.length === 0 || this.candidate.length < suffix.length) return undefined;
    const tail = this.candidate.slice(-suffix.length);
    if (!tail.every((e, i) => e.token === suffix[i])) return undefined;
    this.candidate = this.candidate.slice(0, -suffix.length);
    // Scanners often send Enter after the programmed suffix; that Enter belongs to the scan too.
    this.swallowTerminatorUntil = time + this.options.maxGapMs;
    return this.finish(this.mode === 'prefix' ? 'prefix' : 'timing');
  }

  private finishUnterminated(via: 'prefix' | 'timing'): { outcome?: WedgeOutcome } {
    if (!this.options.endWithoutTerminator) {
      this.reset();
      return {};
    }
    const outcome = this.finish(via);
    return outcome ? { outcome } : {};
  }

  /**
   * Ends the current burst; a timed burst too short to be a code is dropped (it was swallowed as noise). After the
   * prefix it is the scanner's own: a short code (a torn label read as "ABC") was swallowed key by key, and dropping
   * it left the operator with a beep and no answer at all; it goes on, and the screen says it matches nothing.
   */
  private finish(via: 'prefix' | 'timing'): WedgeOutcome | undefined {
    const entries = this.candidate;
    this.reset();
    if (entries.length < (via === 'prefix' ? 1 : this.options.minLength)) return undefined;
    return buildOutcome(entries, via, this.options);
  }

  private flushTyped(): string[] {
    const typed = this.candidate.map((e) => e.token);
    this.reset();
    return typed;
  }

  private reset(): void {
    this.candidate = [];
    this.mode = 'idle';
  }

  private leakedCount(entries: readonly Entry[]): number {
    return entries.filter((e) => e.leaked).length;
  }

  private classify(k: WedgeKey): Tok {
    if (MODIFIERS.has(k.key)) return { kind: 'modifier' };
    const token = tokenOf(k);
    const o = this.options;
    if (token === 'Process') return { kind: 'burst', token, printable: false, ime: true, dead: false };
    if (token === 'Dead') return { kind: 'burst', token, printable: false, ime: false, dead: true };
    if (TERMINATORS.has(token) && !o.suffix.includes(token) && !o.prefix.includes(token)) {
      return { kind: 'terminator', token };
    }
    if (token === o.gsStandIn || o.prefix.includes(token) || o.suffix.includes(token)) {
      return { kind: 'burst', token, printable: isSingleChar(token), ime: false, dead: false };
    }
    if (isSingleChar(token)) return { kind: 'burst', token, printable: true, ime: false, dead: false };
    return { kind: 'other', token };
  }

  private entry(k: WedgeKey, tok: Extract<Tok, { kind: 'burst' }>, leaked: boolean): Entry {
    const char = tok.token === this.options.gsStandIn ? GS : tok.printable ? tok.token : '';
    return {
      token: tok.token,
      char,
      key: k.key,
      code: k.code,
      shift: k.shift ?? false,
      time: k.time,
      leaked,
      ime: tok.ime,
      dead: tok.dead,
    };
  }
}

const KANA = /[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]/u;
const FULLWIDTH = /[\u3000\uff01-\uff5e]/u;

/** Codes that have a fixed shape, so a garbled one can be told from a good one. */
const STRUCTURED: readonly RegExp[] = [/^https?:\/\/\S+$/iu, /^(\(\d{2,4}\)[^()]+)+$/u];

function buildOutcome(entries: readonly Entry[], via: 'prefix' | 'timing', o: WedgeOptions): WedgeOutcome {
  const text = entries.map((e) => e.char).join('');
  const raw = entries.map((e) => (e.char === '' ? '?' : e.char)).join('');
  const problems = diagnose(entries, text, o);
  if (problems.length > 0) return { kind: 'problem', problems, raw };
  return { kind: 'scan', text, via };
}

function diagnose(entries: readonly Entry[], text: string, o: WedgeOptions): WedgeProblem[] {
  const problems: WedgeProblem[] = [];
  if (entries.some((e) => e.ime)) problems.push({ kind: 'ime-composing' });
  if (KANA.test(text)) problems.push({ kind: 'ime-kana' });
  if (FULLWIDTH.test(text)) problems.push({ kind: 'ime-fullwidth' });
  if (entries.some((e) => e.dead)) problems.push({ kind: 'dead-key' });
  if (problems.length > 0) return problems;
  const layout = diagnoseLayout(entries, text, o.scannerLayout);
  return layout ? [layout] : [];
}

const OTHER: Record<KeyboardLayout, KeyboardLayout> = { us: 'jis', jis: 'us' };

function diagnoseLayout(
  entries: readonly Entry[],
  text: string,
  scannerLayout: WedgeOptions['scannerLayout'],
): WedgeProblem | undefined {
  if (scannerLayout !== 'auto') {
    // The scanner's layout is known: any key the OS typed the other way round is garbled.
    for (const e of entries) {
      if (!e.code || e.char === GS) continue;
      const os = layoutEvidence(e.code, e.shift, e.key);
      if (os && os !== scannerLayout) {
        const meant = charFor(scannerLayout, e.code, e.shift) ?? '';
        return { kind: 'layout-mismatch', scannerLayout, osLayout: os, got: e.key, meant };
      }
    }
    return undefined;
  }
  if (STRUCTURED.some((re) => re.test(text))) return undefined;
  // Read the keys as the other layout would have meant them; if that gives a well-formed code, the layouts disagree.
  for (const scanner of ['us', 'jis'] as const) {
    const reread = entries.map((e) => (e.code && e.char !== GS ? charFor(scanner, e.code, e.shift) ?? e.char : e.char)).join('');
    if (reread !== text && STRUCTURED.some((re) => re.test(reread))) {
      const i = [...text].findIndex((c, n) => c !== [...reread][n]);
      return {
        kind: 'layout-mismatch',
        scannerLayout: scanner,
        osLayout: OTHER[scanner],
        got: [...text][i] ?? '',
        meant: [...reread][i] ?? '',
      };
    }
  }
  // Without key positions, the URL scheme's ':' is the tell: US→JIS types '+', JIS→US types "'".
  if (/^https?\+\/\//iu.test(text)) return { kind: 'layout-mismatch', scannerLayout: 'us', osLayout: 'jis', got: '+', meant: ':' };
  if (/^https?'\/\//iu.test(text)) return { kind: 'layout-mismatch', scannerLayout: 'jis', osLayout: 'us', got: "'", meant: ':' };
  return undefined;
}
