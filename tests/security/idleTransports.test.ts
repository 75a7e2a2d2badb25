// Idle sign-out through both transports with a fake clock: the preview (HTTP calls + the events WebSocket)
// and the Electron IPC binding. Polls the renderer makes on a timer did refresh the session, so a window
// left open never signed out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ApiResponse } from '../../contract/index.js';
import { startStation, type Station } from '../../app/station.js';
import { FakeIpcMain, FakeWebContents } from '../../electron/fakeElectron.test-helper.js';
import { bindStationIpc, callChannel, type StationIpcBinding } from '../../electron/ipc.js';
import { DEMO_OPERATORS } from '../../fixtures/demo-data/generate.js';
import { startPreviewServer, type PreviewServer } from '../../preview/http.js';

const TOKEN = 'idle-token-abcdefghijklmnop';
const START = Date.parse('2026-11-10T01:00:00.000Z');
let clock = START;
const at = (minutes: number): void => {
  clock = START + minutes * 60_000;
};

let dir: string;
let station: Station;
let server: PreviewServer;
let ipcMain: FakeIpcMain;
let binding: StationIpcBinding;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rs-idle-'));
  station = await startStation({ stationId: 'IDLE-01', dataDir: dir, session: { idleMinutes: 30 } }, { operators: DEMO_OPERATORS, log: () => undefined, now: () => new Date(clock) });
  server = await startPreviewServer({ station, staticDir: dir, token: TOKEN });
  ipcMain = new FakeIpcMain();
  binding = bindStationIpc(ipcMain as unknown as Parameters<typeof bindStationIpc>[0], station);
}, 60_000);
afterAll(async () => {
  binding?.dispose();
  await server?.close();
  await station?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Call = (name: string, input?: unknown) => Promise<ApiResponse>;

const overHttp =
  (session: string): Call =>
  async (name, input = {}) => {
    const res = await fetch(`${server.url}api/call/${name}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'x-station-session': session, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    return (await res.json()) as ApiResponse;
  };

const overIpc = (): Call => {
  const sender = new FakeWebContents();
  return async (name, input = {}) => (await ipcMain.invoke(callChannel(name as Parameters<typeof callChannel>[0]), sender, sender.mainFrame, input)) as ApiResponse;
};

/** What an open, untouched window does for 29.5 minutes: sync.status every 15 s, the other timed reads less often. */
async function pollFor29Minutes(call: Call, role: 'staff' | 'lead'): Promise<void> {
  for (let s = 15; s < 30 * 60; s += 15) {
    clock = START + s * 1000;
    expect((await call('sync.status')).ok).toBe(true);
    if (s % 60 === 0) {
      await call('system.info');
      await call('session.current');
      await call('devices.status');
      await call('printer.jobs');
      await call('devices.recentScans');
      if (role === 'lead') await call('dashboard.shift');
    }
  }
}

describe.each([
  ['preview HTTP', () => overHttp('idle-http-session-1'), 'OP-1001', '1234', 'staff'],
  ['Electron IPC', overIpc, 'OP-2001', '2345', 'lead'],
] as const)('idle sign-out over %s', (_name, client, badge, pin, role) => {
  it('ends 30 minutes after the operator’s last action, whatever the window polls meanwhile', async () => {
    const call = client();
    at(0);
    expect((await call('session.signIn', { badge, pin })).ok).toBe(true);
    // An open events socket (preview) is no activity either.
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}api/events?session=idle-ws-session-1`, { headers: { authorization: `Bearer ${TOKEN}` } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    try {
      await pollFor29Minutes(call, role);
      at(30.5);
      expect(await call('session.current')).toEqual({ ok: true, value: null });
      expect(await call('sync.status')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    } finally {
      ws.close();
    }
  }, 120_000);

  it('an action (a search) keeps it alive for another 30 minutes', async () => {
    const call = client();
    at(100);
    expect((await call('session.signIn', { badge, pin })).ok).toBe(true);
    at(125);
    expect((await call('parcel.search', { q: 'RMA-0000' })).ok).toBe(true);
    at(150);
    expect(await call('session.current')).toMatchObject({ ok: true, value: { id: badge } });
    at(155.5);
    expect(await call('session.current')).toEqual({ ok: true, value: null });
  }, 60_000);
});
