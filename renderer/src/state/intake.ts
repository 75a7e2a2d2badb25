import { create } from 'zustand';
import type { ApiError } from '../../../core/contract/index.js';
import type { WedgeProblem } from '../scanner/wedge.js';

export type IntakeStep = 'scanParcel' | 'scanItem' | 'grade' | 'result';

/** Something the operator must read: a refusal from the station or a scan the wedge could not read. */
export type Notice =
  | { readonly kind: 'error'; readonly error: ApiError; readonly during: 'parcel' | 'item' | 'grade' | 'signIn' | 'other' }
  | { readonly kind: 'scanner'; readonly problems: readonly WedgeProblem[]; readonly raw: string };

interface IntakeState {
  step: IntakeStep;
  /** Ids only: the parcel, line and graded item themselves live in the query cache. */
  parcelId: string | null;
  lineId: string | null;
  itemId: string | null;
  notice: Notice | null;
  parcelOpened(parcelId: string): void;
  itemMatched(lineId: string): void;
  gradingCancelled(): void;
  itemGraded(itemId: string): void;
  parcelClosed(): void;
  scanRejected(notice: Notice): void;
  noticeDismissed(): void;
  signedOut(): void;
}

const start = { step: 'scanParcel' as const, parcelId: null, lineId: null, itemId: null, notice: null };

/** The current step of one return at the bench. Actions are named for what happened. */
export const useIntakeStore = create<IntakeState>()((set) => ({
  ...start,
  parcelOpened: (parcelId) => set({ step: 'scanItem', parcelId, lineId: null, itemId: null, notice: null }),
  itemMatched: (lineId) => set({ step: 'grade', lineId, notice: null }),
  gradingCancelled: () => set({ step: 'scanItem', lineId: null, notice: null }),
  itemGraded: (itemId) => set({ step: 'result', itemId, notice: null }),
  parcelClosed: () => set(start),
  // A refused scan keeps the step the operator was in: only the notice changes.
  scanRejected: (notice) => set({ notice }),
  noticeDismissed: () => set({ notice: null }),
  signedOut: () => set(start),
}));
