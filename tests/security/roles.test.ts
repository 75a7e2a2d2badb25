// Every contract call, as nobody / staff / lead / supervisor, through both transports, against a real station.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames, type ApiResponse } from '../../contract/index.js';
import { FakeIpcMain, FakeWebContents } from '../../electron/fakeElectron.test-helper.js';
import { bindStationIpc, callChannel, type StationIpcBinding } from '../../electron/ipc.js';
import { startDemoApp, type RunningDemoApp } from '../../app/demo.js';
import { startPreview, type RunningPreview } from '../../preview/server.js';
import { CALL_TABLE } from './callTable.js';
import { runRoleMatrix, tableProblems, type MatrixClient } from './roleMatrix.js';

/**
 * Both transports hand everything but their own check (token, sender frame) to the dispatcher, so a signed-out
 * caller with garbage input gets the dispatcher's answer: the role first (nothing about the input leaks), and
 * for a public call the input error. Returns `${call} → code messageKey` lines to compare.
 */
async function signedOutGarbage(client: MatrixClient): Promise<string[]> {
  const lines: string[] = [];
  for (const name of callNames) {
    const res = await client.call(name, { unexpected: 'field', pin: 42 });
    lines.push(`${name} → ${res.ok ? 'ok' : `${res.error.code} ${res.error.messageKey}`}`);
  }
  return lines;
}

function expectedGarbageAnswers(): string[] {
  return callNames.map((name) =>
    CALL_TABLE[name]?.minRole === 'public' ? `${name} → INVALID_INPUT error.invalidInput` : `${name} → UNAUTHENTICATED error.signInFirst`,
  );
}

/** Four sign-ins and four calls per contract call; the contract keeps growing, and CI shares two cores. */
const MATRIX_TIMEOUT_MS = 180_000;

let root: string;
let scratch: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rs-roles-'));
  scratch = join(root, 'exports');
  mkdirSync(scratch);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the reviewed role table', () => {
  it('has an entry, a schema-valid input and the contract\'s own minimum role for every call', () => {
    expect(tableProblems(scratch)).toEqual([]);
  });

  it('keeps the calls that carry every item of a period out of the station supervisor-only', () => {
    // The calls that carry every item of a period out of the station are supervisor-only.
    expect(CALL_TABLE['reports.export']?.minRole).toBe('supervisor');
    expect(CALL_TABLE['reports.setExportFolder']?.minRole).toBe('supervisor');
  });
});

describe('role matrix over the preview HTTP API', () => {
  let preview: RunningPreview;
  beforeAll(async () => {
    preview = await startPreview({ dataDir: join(root, 'preview'), port: 0, env: { RS_EXPORTS_DIR: root }, demoRmas: 20, staticDir: join(root, 'no-renderer'), log: () => undefined });
  });
  afterAll(async () => {
    await preview?.close();
  });

  const post = (session: string, name: string, input: unknown, auth: Record<string, string>): Promise<Response> =>
    fetch(`${preview.baseUrl}api/call/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-station-session': session, ...auth },
      body: JSON.stringify(input),
    });

  it('answers every call by the role rules, with the bearer token', async () => {
    const newClient = (): MatrixClient => {
      const session = randomUUID();
      return {
        async call(name, input) {
          const res = await post(session, name, input, { authorization: `Bearer ${preview.token}` });
          expect(res.status).toBe(200);
          return (await res.json()) as ApiResponse;
        },
      };
    };
    const { violations, cells } = await runRoleMatrix(newClient, scratch);
    expect(violations).toEqual([]);
    expect(cells).toBe(callNames.length * 4);
  }, MATRIX_TIMEOUT_MS);

  it('checks the role before the input, like the IPC binding', async () => {
    const session = randomUUID();
    const client: MatrixClient = {
      async call(name, input) {
        return (await (await post(session, name, input, { authorization: `Bearer ${preview.token}` })).json()) as ApiResponse;
      },
    };
    expect(await signedOutGarbage(client)).toEqual(expectedGarbageAnswers());
  });

  it('the cookie works like the bearer token, and nothing runs without either', async () => {
    const session = randomUUID();
    const withCookie = await post(session, 'session.signIn', { badge: 'OP-1001', pin: '1234' }, { cookie: `rs_token=${preview.token}` });
    expect(((await withCookie.json()) as ApiResponse).ok).toBe(true);
    for (const name of callNames) {
      const res = await post(session, name, {}, {});
      expect(res.status, name).toBe(401);
      const wrong = await post(session, name, {}, { authorization: `Bearer ${preview.token}x` });
      expect(wrong.status, name).toBe(401);
    }
  });
});

describe('role matrix over the Electron IPC binding', () => {
  let app: RunningDemoApp;
  let ipcMain: FakeIpcMain;
  let binding: StationIpcBinding;
  beforeAll(async () => {
    app = await startDemoApp({ dataDir: join(root, 'electron'), env: { RS_EXPORTS_DIR: root }, demoRmas: 20, log: () => undefined });
    ipcMain = new FakeIpcMain();
    // The fake records handlers like ipcMain; its event objects carry only what the binding reads.
    binding = bindStationIpc(ipcMain as unknown as Parameters<typeof bindStationIpc>[0], app.station);
  });
  afterAll(async () => {
    binding?.dispose();
    await app?.close();
  });

  it('answers every call by the role rules, one webContents per client', async () => {
    const contents: FakeWebContents[] = [];
    const newClient = (): MatrixClient => {
      const sender = new FakeWebContents();
      contents.push(sender);
      return {
        call: (name, input) => ipcMain.invoke(callChannel(name as (typeof callNames)[number]), sender, sender.mainFrame, input) as Promise<ApiResponse>,
      };
    };
    const { violations, cells } = await runRoleMatrix(newClient, scratch);
    expect(violations).toEqual([]);
    expect(cells).toBe(callNames.length * 4);
    for (const c of contents) c.destroy();
  }, MATRIX_TIMEOUT_MS);

  it('checks the role before the input, like the preview', async () => {
    const sender = new FakeWebContents();
    const client: MatrixClient = {
      call: (name, input) => ipcMain.invoke(callChannel(name as (typeof callNames)[number]), sender, sender.mainFrame, input) as Promise<ApiResponse>,
    };
    expect(await signedOutGarbage(client)).toEqual(expectedGarbageAnswers());
    sender.destroy();
  });

  it('a signed-in supervisor window does not lend its role to a subframe of the same window', async () => {
    const sender = new FakeWebContents();
    const signIn = (await ipcMain.invoke(callChannel('session.signIn'), sender, sender.mainFrame, { badge: 'OP-3001', pin: '3456' })) as ApiResponse;
    expect(signIn.ok).toBe(true);
    const iframe = { url: 'app://station/', parent: sender.mainFrame };
    for (const name of callNames) {
      const res = (await ipcMain.invoke(callChannel(name), sender, iframe, {})) as ApiResponse;
      expect(res.ok ? 'ok' : res.error.code, name).toBe('FORBIDDEN');
    }
    sender.destroy();
  });
});
