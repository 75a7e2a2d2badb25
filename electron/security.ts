import type { Session, WebContents, WebPreferences } from 'electron';
import { APP_ORIGIN, isAppUrl } from './appOrigin.js';

/** Every switch spelled out, so a changed Electron default cannot silently weaken the window. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // Middle-click (auxclick) is a second way to open links in new windows; the page has no use for it.
    disableBlinkFeatures: 'Auxclick',
  };
}

export interface PermissionRequestInfo {
  permission: string;
  requestingUrl: string | undefined;
  isMainFrame: boolean;
  mediaTypes?: ReadonlyArray<'video' | 'audio'> | undefined;
}

/** Only our own top-level page may use the camera (photos of damage); microphone, screen, geolocation and everything else are refused. */
export function isPermissionRequestAllowed(info: PermissionRequestInfo): boolean {
  if (info.permission !== 'media') return false;
  if (!info.isMainFrame || !isAppUrl(info.requestingUrl)) return false;
  const types = info.mediaTypes ?? [];
  return types.length > 0 && types.every((t) => t === 'video');
}

export interface PermissionCheckInfo {
  permission: string;
  requestingOrigin: string;
  mediaType?: 'video' | 'audio' | 'unknown' | undefined;
}

/** Synchronous checks (e.g. enumerateDevices): same rule as requests, and WebHID/WebSerial/WebUSB answer "no" because devices live in main. */
export function isPermissionCheckAllowed(info: PermissionCheckInfo): boolean {
  return info.permission === 'media' && info.requestingOrigin === APP_ORIGIN && info.mediaType !== 'audio';
}

/** Session-wide guards: permissions and device pickers. Scanners, printers and scales are reached only from main (native/), never from web APIs. */
export function installSessionGuards(ses: Session): void {
  ses.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(
      isPermissionRequestAllowed({ permission, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame, mediaTypes }),
    );
  });
  ses.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) =>
    isPermissionCheckAllowed({ permission, requestingOrigin, mediaType: details.mediaType }),
  );
  ses.setDevicePermissionHandler(() => false);
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback(null);
  });
  ses.on('select-serial-port', (event, _ports, _webContents, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
}

/** Applied to every webContents Electron creates: it never leaves our origin, opens no windows and attaches no webviews. */
export function hardenWebContents(contents: WebContents): void {
  const stayInApp = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => stayInApp(event, event.url));
  contents.on('will-frame-navigate', (event) => stayInApp(event, event.url));
  contents.on('will-redirect', (event) => stayInApp(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    callback('');
  });
}
