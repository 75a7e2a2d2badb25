import { create } from 'zustand';
import type { ScreenId } from '../navigation/screens.js';

interface NavigationState {
  screen: ScreenId;
  /** A code scanned on another screen, handed to intake when it opens. */
  pendingCode: string | null;
  screenChosen(screen: ScreenId): void;
  scannedElsewhere(code: string): void;
  pendingCodeTaken(): void;
  signedOut(): void;
}

export const useNavigationStore = create<NavigationState>()((set) => ({
  screen: 'intake',
  pendingCode: null,
  screenChosen: (screen) => set({ screen }),
  // A parcel scanned anywhere means the operator is at the bench again: go to intake with it.
  scannedElsewhere: (code) => set({ screen: 'intake', pendingCode: code }),
  pendingCodeTaken: () => set({ pendingCode: null }),
  signedOut: () => set({ screen: 'intake', pendingCode: null }),
}));
