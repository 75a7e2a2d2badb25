import type { ScanInput, ScanProblem } from './scanInput.js';

/** `'pass'`: not for this handler (a scan problem it has no place to show, a code it does not take); the one below hears it. */
export type ScanHandler = (scan: ScanInput) => 'pass' | void;
/** `'pass'`: not this handler's key; the one registered before it (the screen under a panel) hears it. */
export type KeyHandler = (key: string) => 'pass' | void;

/**
 * Where the keyboard wedge and the scanners hand their input to the screens. Only the newest handler hears input, so
 * a screen opened on top takes the scanner over (a key it passes goes on down).
 *
 * Keys pressed together (faster than the scanner gap, too few for a scan) are answered here rather than by a screen:
 * a screen that takes no scans (Review, Reports) would otherwise drop them without a word, and one that does had to
 * say it itself. None of them reaches a key handler; the hub keeps a notice that the next key or scan takes away.
 *
 * A scan that could not be read (IME in kana mode, garbled text, a serial scanner's noise) goes to the screens first:
 * one that takes scans shows it in its own place. When every handler passes it, the hub answers it with the same
 * notice, so no screen leaves a bad scan unanswered.
 */
export class InputHub {
  private scans: ScanHandler[] = [];
  private keys: KeyHandler[] = [];
  private problem: { readonly problems: readonly ScanProblem[]; readonly raw: string } | null = null;
  private readonly watchers = new Set<() => void>();

  /** `alarm`: the error tone, sounded once for each press of keys together. */
  constructor(private readonly alarm: () => void = () => undefined) {}

  onScan(h: ScanHandler): () => void {
    this.scans.push(h);
    return () => void (this.scans = this.scans.filter((x) => x !== h));
  }

  onKey(h: KeyHandler): () => void {
    this.keys.push(h);
    return () => void (this.keys = this.keys.filter((x) => x !== h));
  }

  scan(s: ScanInput): void {
    this.dismissKeysTogether();
    for (let i = this.scans.length - 1; i >= 0; i--) if (this.scans[i]?.(s) !== 'pass') return;
    if (s.kind !== 'problem') return;
    this.problem = { problems: s.problems, raw: s.raw };
    this.alarm();
    this.changed();
  }

  key(k: string): void {
    // Esc answers the notice itself: it would otherwise also cancel or close whatever the screen has open.
    if (k === 'Escape' && this.problem !== null) return this.dismissKeysTogether();
    // Any other key alone is what the operator meant after the notice: it acts, and the notice has done its work.
    this.dismissKeysTogether();
    for (let i = this.keys.length - 1; i >= 0; i--) if (this.keys[i]?.(k) !== 'pass') return;
  }

  /** Keys typed outside a text field, as the wedge released them once it knew they were no scan. */
  typed(keys: readonly string[]): void {
    const [only, ...rest] = keys;
    if (only === undefined) return;
    if (rest.length === 0) return this.key(only);
    // Each could answer a question the operator never saw: none is acted on, and the screen says so.
    this.problem = { problems: [{ kind: 'keys-too-fast', keys: [...keys] }], raw: '' };
    this.alarm();
    this.changed();
  }

  /** The keys last pressed together, while their notice stands. */
  keysTogether(): readonly string[] | null {
    const first = this.problem?.problems[0];
    return first?.kind === 'keys-too-fast' ? first.keys : null;
  }

  /** What the hub is answering (keys together, or a scan no screen showed), while its notice stands. */
  notice(): { readonly problems: readonly ScanProblem[]; readonly raw: string } | null {
    return this.problem;
  }

  /** Takes the hub's notice away, whichever problem it shows. */
  dismissKeysTogether(): void {
    if (this.problem === null) return;
    this.problem = null;
    this.changed();
  }

  /** For useSyncExternalStore: called when the hub's notice comes or goes. */
  subscribe(watcher: () => void): () => void {
    this.watchers.add(watcher);
    return () => void this.watchers.delete(watcher);
  }

  private changed(): void {
    for (const w of [...this.watchers]) w();
  }
}
