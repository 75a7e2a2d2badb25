import { create } from 'zustand';
import type { DeviceDraft } from '../ui/deviceDrafts.js';
import type { PrinterDraft } from '../ui/printerDraft.js';

interface DeviceFormState {
  /** The device list as the lead is editing it; null until the form first loads the saved list in this session. */
  drafts: DeviceDraft[] | null;
  /** The printer section as the lead is editing it; null until it first loads the running printer. */
  printer: PrinterDraft | null;
  /** Whose edits they are: another operator signed in after an idle sign-out does not find them. */
  owner: string | null;
  /** The next entry's React key: keys stay unique across visits to the screen. */
  nextKey: number;
  draftsSet(drafts: DeviceDraft[]): void;
  printerSet(printer: PrinterDraft | null): void;
  /** Drops the edits when they are not this operator's. */
  ownedBy(operatorId: string): void;
  keyTaken(): number;
  signedOut(): void;
}

/**
 * The Devices form's unsaved edits (the device list and the printer section) for the signed-in lead's session: a look at another screen (a scan at Intake to
 * try the scanner) and back finds them as typed; they went with the screen before. Sign-out drops them.
 */
export const useDeviceFormStore = create<DeviceFormState>()((set, get) => ({
  drafts: null,
  printer: null,
  owner: null,
  nextKey: 0,
  draftsSet: (drafts) => set({ drafts }),
  printerSet: (printer) => set({ printer }),
  ownedBy: (operatorId) => {
    if (get().owner !== operatorId) set({ drafts: null, printer: null, owner: operatorId });
  },
  keyTaken: () => {
    const key = get().nextKey;
    set({ nextKey: key + 1 });
    return key;
  },
  signedOut: () => set({ drafts: null, printer: null, owner: null }),
}));
