import { create } from 'zustand';
import type { ApiError, Category, ItemLookup } from '../../../contract/index.js';
import type { ScanProblem } from '../scanner/scanInput.js';

export type IntakeStep = 'scanParcel' | 'search' | 'scanItem' | 'grade' | 'result';

/** Why a scan was not acted on: the operator is told, never left guessing. */
export type IgnoredBecause = 'grading' | 'busy' | 'confirmClose' | 'closeWhileGrading';

/** Something the operator must read: a refusal from the station, a scan the wedge could not read, or a scan set aside. */
export type Notice =
  | { readonly kind: 'error'; readonly error: ApiError; readonly during: 'parcel' | 'item' | 'grade' | 'signIn' | 'other' }
  | { readonly kind: 'scanner'; readonly problems: readonly ScanProblem[]; readonly raw: string }
  | {
      readonly kind: 'ignored';
      readonly because: IgnoredBecause;
      readonly code: string;
      /** Kept past the success of the call that made the station busy (once; the next success takes it away). */
      readonly outlived?: true;
    };

/** A return whose parcel was already closed, scanned again: when, where, by whom, and what came. */
export interface AlreadyReceived {
  readonly code: string;
  readonly parcelId: string;
  readonly receivedAt: string;
  readonly bench: string;
  readonly operator: string;
}

/** An item scanned into a parcel that does not expect it: graded as wrong (instead of a line) or extra. */
/** A product's names, when the catalogue knows it. */
export interface ProductNames {
  readonly en: string;
  readonly ja: string;
}

export interface UnknownItem {
  readonly code: string;
  readonly gtin: string;
  readonly sku: string | null;
  readonly names?: ProductNames;
  /** On the return, but its line already has every unit it expects. */
  readonly overReceipt?: boolean;
}
/**
 * `sku` null: the catalogue does not know the product. The operator then gives its SKU and `category`
 * (unknownProductDescribed), which the station needs to grade it.
 */
export type Unexpected =
  | { readonly kind: 'extra'; readonly gtin: string; readonly sku: string | null; readonly names?: ProductNames; readonly category?: Category }
  | { readonly kind: 'wrong'; readonly gtin: string; readonly sku: string | null; readonly names?: ProductNames; readonly category?: Category; readonly insteadOfLineId: string };

interface IntakeState {
  step: IntakeStep;
  /** Ids only: the parcel, line and graded item themselves live in the query cache. */
  parcelId: string | null;
  lineId: string | null;
  itemId: string | null;
  /** The station's handle on the item scan (it keeps serial, lot, EPC itself), sent with item.grade. */
  matchToken: string | null;
  /** The item the station said is not on the return, while the operator decides what it is. */
  unknownItem: UnknownItem | null;
  /** Grading an item that is not on its line. */
  unexpected: Unexpected | null;
  /** The code that matched no return, while the operator searches for it. */
  unmatchedCode: string | null;
  /** The parcel closed last, to show what closing found. */
  closedParcelId: string | null;
  /** Closing waits for a second, different key: lines are still unreceived. */
  confirmingClose: boolean;
  alreadyReceived: AlreadyReceived | null;
  /**
   * A graded item's LPN scanned: what the station knows about it. Where a parcel was expected, or with a parcel in
   * hand (which stays open: the item is one of it, or of another parcel).
   */
  itemFound: ItemLookup | null;
  notice: Notice | null;
  parcelOpened(parcelId: string): void;
  parcelNotFound(code: string, notice: Notice): void;
  searchStarted(): void;
  searchCancelled(): void;
  itemMatched(lineId: string, matchToken: string): void;
  /** The station no longer knows the scan (expired, spent, another item's): back to scanning the item. */
  rescanNeeded(notice: Notice): void;
  itemNotOnReturn(item: UnknownItem, notice: Notice): void;
  unexpectedChosen(unexpected: Unexpected): void;
  unknownProductDescribed(sku: string, category: Category): void;
  gradingCancelled(): void;
  itemGraded(itemId: string): void;
  parcelClosed(closedParcelId?: string): void;
  closeRequested(): void;
  closeCancelled(): void;
  returnAlreadyReceived(info: AlreadyReceived): void;
  itemLookedUp(item: ItemLookup): void;
  scanIgnored(because: IgnoredBecause, code: string): void;
  scanRejected(notice: Notice): void;
  noticeDismissed(): void;
  signedOut(): void;
}

/**
 * The notice a step's success leaves standing. A scan set aside because the station was busy came while that very call
 * was out (two codes in one serial read, a second parcel scanned at once): the call's success must not take its answer
 * away, or the operator is never told that the second code was not used. It stands through one success only.
 */
const outliving = (n: Notice | null): Notice | null => (n?.kind === 'ignored' && n.because === 'busy' && !n.outlived ? { ...n, outlived: true } : null);

const clear = { lineId: null, itemId: null, matchToken: null, unknownItem: null, unexpected: null, notice: null, itemFound: null };
const start = { step: 'scanParcel' as const, parcelId: null, unmatchedCode: null, closedParcelId: null, confirmingClose: false, alreadyReceived: null, ...clear };

/** The current step of one return at the bench. Actions are named for what happened. */
export const useIntakeStore = create<IntakeState>()((set) => ({
  ...start,
  parcelOpened: (parcelId) => set((s) => ({ ...start, step: 'scanItem', parcelId, notice: outliving(s.notice) })),
  parcelNotFound: (code, notice) => set({ unmatchedCode: code, notice }),
  searchStarted: () => set((s) => ({ step: 'search', notice: null, unmatchedCode: s.unmatchedCode })),
  searchCancelled: () => set({ ...start }),
  itemMatched: (lineId, matchToken) => set((s) => ({ step: 'grade', lineId, matchToken, unknownItem: null, unexpected: null, notice: outliving(s.notice), itemFound: null })),
  rescanNeeded: (notice) => set({ step: 'scanItem', ...clear, notice }),
  itemNotOnReturn: (unknownItem, notice) => set({ unknownItem, notice, itemFound: null }),
  unexpectedChosen: (unexpected) => set({ step: 'grade', lineId: null, unexpected, unknownItem: null, notice: null, itemFound: null }),
  unknownProductDescribed: (sku, category) => set((s) => (s.unexpected ? { unexpected: { ...s.unexpected, sku, category }, notice: null } : {})),
  gradingCancelled: () => set({ step: 'scanItem', ...clear }),
  itemGraded: (itemId) => set((s) => ({ step: 'result', itemId, notice: outliving(s.notice), unknownItem: null, itemFound: null })),
  parcelClosed: (closedParcelId) => set((s) => ({ ...start, closedParcelId: closedParcelId ?? null, notice: outliving(s.notice) })),
  closeRequested: () => set({ confirmingClose: true, notice: null, unknownItem: null, itemFound: null }),
  // "Answer the question first (Y or Esc)" about a scan during the question is spent once it is answered: left
  // standing, it asked for an answer to a question no longer on screen.
  closeCancelled: () => set((s) => ({ confirmingClose: false, notice: s.notice?.kind === 'ignored' && s.notice.because === 'confirmClose' ? null : s.notice })),
  returnAlreadyReceived: (alreadyReceived) => set((s) => ({ ...start, alreadyReceived, notice: outliving(s.notice) })),
  // With a parcel in hand it stays open (the result of the last grade gives way to the item asked about).
  itemLookedUp: (itemFound) =>
    set((s) => (s.parcelId && s.step !== 'scanParcel' ? { step: 'scanItem', ...clear, itemFound, notice: outliving(s.notice) } : { ...start, itemFound, notice: outliving(s.notice) })),
  // The step stays: the scan is answered, and the work in hand goes on.
  scanIgnored: (because, code) => set({ notice: { kind: 'ignored', because, code } }),
  // A refused scan keeps the current step: only the notice changes. A parcel label refused for another reason (or
  // unreadable) is a new parcel: the search offered for an earlier unknown label would carry that label's code.
  scanRejected: (notice) =>
    set({ notice, unknownItem: null, itemFound: null, ...((notice.kind === 'error' && notice.during === 'parcel') || notice.kind === 'scanner' ? { unmatchedCode: null } : {}) }),
  // Escape dismisses the notice and any offer with it, the blind-return search for an unknown label included.
  noticeDismissed: () => set((s) => ({ notice: null, unknownItem: null, alreadyReceived: null, itemFound: null, ...(s.step === 'scanParcel' ? { unmatchedCode: null } : {}) })),
  signedOut: () => set(start),
}));
