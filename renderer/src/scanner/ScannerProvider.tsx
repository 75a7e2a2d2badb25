import { createContext, useCallback, useContext, useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { useStation } from '../station/StationContext.js';
import { feedback } from '../ui/feedback.js';
import { NoticePanel } from '../ui/NoticePanel.js';
import { InputHub, type KeyHandler, type ScanHandler } from './inputHub.js';
import { spaceTogglesFocused } from './spaceToggle.js';
import { idleCheckMustWait, WedgeDetector, type WedgeOptions, type WedgeStep } from './wedge.js';

export type { ScanInput, ScanProblem } from './scanInput.js';

const HubContext = createContext<InputHub | null>(null);

function isEditable(el: Element | null): el is HTMLInputElement | HTMLTextAreaElement {
  return el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && !['button', 'submit', 'checkbox', 'radio'].includes(el.type));
}

/** Chromium's navigator.scheduling.isInputPending, where the browser has it. */
function inputPending(): boolean {
  const scheduling = (navigator as Navigator & { scheduling?: { isInputPending?: () => boolean } }).scheduling;
  return scheduling?.isInputPending?.() ?? false;
}

/** Takes back characters of a scan that reached a text field before the burst was recognised. */
function removeLeaked(target: EventTarget | null, count: number): void {
  if (!(target instanceof Element) || !isEditable(target)) return;
  const caret = target.selectionStart ?? target.value.length;
  const from = Math.max(0, caret - count);
  const next = target.value.slice(0, from) + target.value.slice(caret);
  // React tracks the value through the prototype's setter; set it there so onChange sees the change.
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(target) as object, 'value')?.set;
  setter?.call(target, next);
  target.setSelectionRange(from, from);
  target.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Keys that act at once; printable keys wait until the wedge knows they are not the start of a scan.
 * Escape and F8 work everywhere; Enter, arrows and Backspace (back one question) only outside text fields, where they
 * belong to the field.
 */
const IMMEDIATE_KEYS = new Set(['Escape', 'F8', 'Enter', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Backspace']);
/** Keys that reach the screens even from a text field (F8 closes a parcel; nothing types it). */
const ANYWHERE_KEYS = new Set(['Escape', 'F8']);

export function ScannerProvider({ options, children }: { options?: Partial<WedgeOptions>; children: ReactNode }) {
  const hub = useRef(new InputHub(() => feedback('error'))).current;
  const station = useStation();
  const optionsRef = useRef(options);

  useEffect(() => {
    const detector = new WedgeDetector(optionsRef.current ?? {});
    let timer: ReturnType<typeof setTimeout> | undefined;

    const apply = (step: WedgeStep, target: EventTarget | null): void => {
      if (step.removeLeaked > 0) removeLeaked(target, step.removeLeaked);
      if (step.outcome) {
        hub.scan(step.outcome.kind === 'scan' ? { kind: 'scan', text: step.outcome.text, source: 'wedge' } : step.outcome);
      }
      if (step.typed && !isEditable(document.activeElement)) {
        const focused = document.activeElement instanceof HTMLInputElement ? document.activeElement : null;
        if (!spaceTogglesFocused(step.typed, focused)) hub.typed(step.typed);
      }
    };
    const schedule = (deferred = false): void => {
      clearTimeout(timer);
      const due = detector.nextCheckAt();
      if (due === null) return;
      timer = setTimeout(() => {
        if (!deferred && idleCheckMustWait({ due, firedAt: performance.now(), inputPending: inputPending() })) return schedule(true);
        apply(detector.idle(performance.now()), document.activeElement);
        schedule();
      }, Math.max(0, due - performance.now()));
    };
    const onKeyDown = (ev: KeyboardEvent): void => {
      if (ev.repeat) return;
      const step = detector.key({
        key: ev.key,
        code: ev.code,
        time: ev.timeStamp,
        shift: ev.shiftKey,
        ctrl: ev.ctrlKey,
        alt: ev.altKey,
        meta: ev.metaKey,
        composing: ev.isComposing || ev.keyCode === 229,
      });
      if (step.consume) {
        ev.preventDefault();
        ev.stopPropagation();
      } else if (ev.key === ' ' && !isEditable(document.activeElement)) {
        // Space is a bench key (take a photo) and may be inside a scan: it must neither scroll the
        // page away from the result nor press whatever button happens to have the focus. A focused
        // checkbox is toggled once the wedge releases the Space as typed (spaceToggle.ts).
        ev.preventDefault();
      }
      apply(step, ev.target);
      if (!step.consume && !detector.scanning && IMMEDIATE_KEYS.has(ev.key) && (ANYWHERE_KEYS.has(ev.key) || !isEditable(document.activeElement))) {
        hub.key(ev.key);
      }
      schedule();
    };
    window.addEventListener('keydown', onKeyDown, true);
    // Lets a test driver (and a curious technician) see that scans are being listened for.
    document.documentElement.dataset.scanner = 'ready';
    // Scanners the main side drives (HID-POS, serial) arrive as events and go the same way.
    const offDevice = station.on('device.scan', (p) => hub.scan({ kind: 'scan', text: p.text, source: p.source }));
    // The screen that takes scans says so, as for a wedge scan it could not read: no scan goes unanswered.
    const offUnreadable = station.on('device.unreadable', (p) => hub.scan({ kind: 'problem', problems: [{ kind: 'device-unreadable', device: p.label }], raw: '' }));
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      delete document.documentElement.dataset.scanner;
      clearTimeout(timer);
      offDevice();
      offUnreadable();
    };
  }, [hub, station]);

  return (
    <HubContext.Provider value={hub}>
      {children}
      <KeysTogetherNotice hub={hub} />
    </HubContext.Provider>
  );
}

/** The hub's answer to keys pressed together or a scan no screen showed, over whichever screen is open. */
function KeysTogetherNotice({ hub }: { hub: InputHub }) {
  const notice = useSyncExternalStore(
    useCallback((watcher: () => void) => hub.subscribe(watcher), [hub]),
    () => hub.notice(),
  );
  if (!notice) return null;
  return (
    <div className="input-notice" data-testid="input-notice">
      <NoticePanel notice={{ kind: 'scanner', problems: notice.problems, raw: notice.raw }} onDismiss={() => hub.dismissKeysTogether()} />
    </div>
  );
}

function useHub(): InputHub {
  const hub = useContext(HubContext);
  if (!hub) throw new Error('ScannerProvider is missing');
  return hub;
}

/** Receive scans while mounted. The handler may change every render. */
export function useScan(handler: ScanHandler): void {
  const hub = useHub();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => hub.onScan((s) => ref.current(s)), [hub]);
}

/** Receive single key presses that are not part of a scan (grade keys, Escape) while no text field has focus. */
export function useSingleKeys(handler: KeyHandler): void {
  const hub = useHub();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => hub.onKey((k) => ref.current(k)), [hub]);
}

/** Feeds a code from another source (the camera, an image file) to whichever screen is listening, as a scanner would. */
export function useScanInjector(): (text: string, source: string) => void {
  const hub = useHub();
  return useCallback((text: string, source: string) => hub.scan({ kind: 'scan', text, source }), [hub]);
}
