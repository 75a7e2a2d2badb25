import { create } from 'zustand';
import type { ToteBagNotice } from '../../../contract/index.js';

/** What the last bag scan said beyond opening its return (a stray, a bag scanned again, …). */
export interface BagNotices {
  readonly notices: readonly ToteBagNotice[];
  readonly params: Readonly<Record<string, string>>;
}

interface ToteState {
  /** The tote in hand at this bench (its view lives in the query cache), or null. */
  toteId: string | null;
  /** Closing waits for Y: bags are missing. */
  confirmingClose: boolean;
  lastBag: BagNotices | null;
  toteOpened(toteId: string): void;
  bagScanned(toteId: string, notices: BagNotices): void;
  closeRequested(): void;
  closeCancelled(): void;
  /** The tote stays shown, closed, with what closing found, until the next tote. */
  toteClosed(): void;
  noticeDismissed(): void;
  signedOut(): void;
}

/** The consolidated tote being received at the bench. Actions are named for what happened. */
export const useToteStore = create<ToteState>()((set) => ({
  toteId: null,
  confirmingClose: false,
  lastBag: null,
  toteOpened: (toteId) => set({ toteId, confirmingClose: false, lastBag: null }),
  bagScanned: (toteId, lastBag) => set({ toteId, lastBag, confirmingClose: false }),
  closeRequested: () => set({ confirmingClose: true }),
  closeCancelled: () => set({ confirmingClose: false }),
  toteClosed: () => set({ confirmingClose: false, lastBag: null }),
  noticeDismissed: () => set({ lastBag: null }),
  signedOut: () => set({ toteId: null, confirmingClose: false, lastBag: null }),
}));
