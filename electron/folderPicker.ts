// The OS's own folder dialog for a supervisor choosing where exports go: a desktop user expects to click
// through folders, not type a full path. The dialog only hands back a path; the renderer then sets it with
// the ordinary `reports.setExportFolder` call, so the role check, the allowed roots and the audit stay the
// dispatcher's, exactly as for a typed path.
import type { BrowserWindow, Dialog, IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { isAppMainFrame, type TrustedSenderCheck } from './ipc.js';

export const CHOOSE_FOLDER_CHANNEL = 'shell:chooseFolder';

export interface FolderPickerDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  dialog: Pick<Dialog, 'showOpenDialog'>;
  /** The window the dialog belongs to (modal to it), or null. */
  windowOf: (contents: WebContents) => BrowserWindow | null;
  isTrustedSender?: TrustedSenderCheck;
}

/** Answers `shell:chooseFolder` with the folder picked, or null (cancelled, or asked by a foreign frame). */
export function bindFolderPicker(deps: FolderPickerDeps): () => void {
  const trusted = deps.isTrustedSender ?? isAppMainFrame;
  deps.ipcMain.handle(CHOOSE_FOLDER_CHANNEL, async (event: IpcMainInvokeEvent): Promise<string | null> => {
    if (!trusted(event.senderFrame, event.sender)) return null;
    const options = { properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'> };
    const window = deps.windowOf(event.sender);
    const picked = window ? await deps.dialog.showOpenDialog(window, options) : await deps.dialog.showOpenDialog(options);
    return picked.canceled ? null : (picked.filePaths[0] ?? null);
  });
  return () => deps.ipcMain.removeHandler(CHOOSE_FOLDER_CHANNEL);
}
