import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { callNames, type ApiError, type ApiResponse, type CallName } from '../contract/index.js';
import type { Station } from '../app/startApp.js';
import { isAppUrl } from './appOrigin.js';

/** Each contract call has its own channel, so an unknown name never reaches a handler at all. */
export const CALL_CHANNEL_PREFIX = 'station:';
export const EVENT_CHANNEL = 'station:event';

export const callChannel = (name: CallName): string => `${CALL_CHANNEL_PREFIX}${name}`;

export type TrustedSenderCheck = (frame: WebFrameMain | null, sender: WebContents) => boolean;

/** Our page is the top frame of a window showing app://station/; iframes and anything navigated elsewhere are foreign. */
export const isAppMainFrame: TrustedSenderCheck = (frame) => frame !== null && frame.parent === null && isAppUrl(frame.url);

export interface StationIpcOptions {
  isTrustedSender?: TrustedSenderCheck;
}

export interface StationIpcBinding {
  /** Forward station events to this renderer and end its session when it is destroyed. */
  attach(contents: WebContents): void;
  /** Remove every handler and stop forwarding events. */
  dispose(): void;
}

type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;

/** The part of the station a transport uses. */
export type StationEndpoint = Pick<Station, 'handle' | 'subscribe' | 'endSession'>;

function failure(error: ApiError): ApiResponse {
  return { ok: false, error };
}

// The same `error.*` key space as the station's own errors, so the renderer has a text for each.
const forbiddenSender = (): ApiResponse =>
  failure({ code: 'FORBIDDEN', messageKey: 'error.forbiddenSender', params: {}, message: 'calls are accepted only from the Returns Station page' });

const internal = (): ApiResponse =>
  failure({ code: 'INTERNAL', messageKey: 'error.internal', params: {}, message: 'the station could not complete the call' });

/**
 * Binds every contract call to `ipcMain.handle('station:<name>')`.
 * Only the sender frame is checked here; everything else is the dispatcher's, exactly as over the preview's HTTP:
 * the role first, then the input, so both transports give the same answer to the same call.
 */
export function bindStationIpc(ipcMain: IpcMainLike, station: StationEndpoint, options: StationIpcOptions = {}): StationIpcBinding {
  const isTrustedSender = options.isTrustedSender ?? isAppMainFrame;
  const renderers = new Map<number, WebContents>();

  const attach = (contents: WebContents): void => {
    if (renderers.has(contents.id)) return;
    const id = contents.id;
    renderers.set(id, contents);
    contents.once('destroyed', () => {
      renderers.delete(id);
      station.endSession(String(id));
    });
  };

  for (const name of callNames) {
    ipcMain.handle(callChannel(name), async (event: IpcMainInvokeEvent, rawInput: unknown): Promise<ApiResponse> => {
      if (!isTrustedSender(event.senderFrame, event.sender)) return forbiddenSender();
      attach(event.sender);
      try {
        return await station.handle(String(event.sender.id), name, rawInput);
      } catch {
        // Station.handle promises never to throw; if it does, the renderer still gets a typed answer, not a rejected invoke.
        return internal();
      }
    });
  }

  const unsubscribe = station.subscribe((eventName, payload) => {
    for (const contents of renderers.values()) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, eventName, payload);
    }
  });

  return {
    attach,
    dispose() {
      unsubscribe();
      for (const name of callNames) ipcMain.removeHandler(callChannel(name));
      renderers.clear();
    },
  };
}
