// Idle sign-out at the dispatcher: only the operator's own calls count as activity. The renderer's polls and
// start-up reads (calls marked `background` in the contract) answer but do not keep a session alive.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, callNames } from '../../contract/index.js';
import { createHarness, type Harness } from './harness.test-helper.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness(() => undefined, { idleMinutes: 30 });
  await h.signIn('staff', 'staff');
});
afterEach(() => h.close());

const at = (minutes: number): Date => new Date(Date.parse('2026-11-10T01:00:00.000Z') + minutes * 60_000);

describe('idle sign-out', () => {
  it('background polls do not refresh the session: 30 minutes after the last action it ends', async () => {
    // Every 15 s of fake time for 29.5 minutes, what an open window does on its own.
    for (let s = 15; s < 30 * 60; s += 15) {
      h.setNow(new Date(at(0).getTime() + s * 1000));
      expect((await h.handle('staff', 'sync.status', {})).ok).toBe(true);
      if (s % 60 === 0) {
        await h.handle('staff', 'system.info', {});
        expect(await h.handle('staff', 'session.current', {})).toMatchObject({ ok: true, value: { id: 'OP-1001' } });
      }
    }
    h.setNow(at(30.5));
    expect(await h.handle('staff', 'session.current', {})).toEqual({ ok: true, value: null });
    expect(await h.handle('staff', 'sync.status', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('an operator action refreshes it', async () => {
    h.setNow(at(20));
    await h.ok('staff', 'container.list', {});
    h.setNow(at(45));
    expect(await h.handle('staff', 'session.current', {})).toMatchObject({ ok: true, value: { id: 'OP-1001' } });
    h.setNow(at(50.5));
    expect(await h.handle('staff', 'sync.status', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('marks the renderer’s timed and start-up reads as background in the contract', () => {
    const background = callNames.filter((n) => (api[n] as { background?: true }).background === true).sort();
    expect(background).toEqual(['benches.list', 'dashboard.shift', 'devices.recentScans', 'devices.status', 'printer.jobs', 'review.relabelList', 'session.current', 'sync.status', 'system.info']);
  });
});
