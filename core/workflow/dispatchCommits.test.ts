import { describe, expect, it } from 'vitest';
import type { ParcelView } from '../../contract/index.js';
import { createDispatcher, type CommitGate, type Handlers } from './dispatch.js';
import { StationError } from './errors.js';
import { heldCalls, settledSoon as settled } from '../../shared-node/heldCalls.test-helper.js';

/** A commit gate whose sync waits to be let go: the test sees whether a call answered before its changes were on disk. */
function gate(): CommitGate & { commit(): void; readonly syncs: number; release(err?: Error): void } {
  let changes = 0;
  const held = heldCalls();
  return {
    commit: () => void changes++,
    changes: () => changes,
    durable: held.call,
    get syncs() {
      return held.started.length;
    },
    release: held.release,
  };
}

const OPENED: ParcelView = {
  parcelId: '4a1f0f57-5a53-4f43-9d0c-3c8f0f3c2b11',
  scannedCode: 'TRACK-1',
  carrier: null,
  rmaNumber: 'RMA-1',
  orderNumber: 'ORD-1',
  customerName: 'Customer',
  status: 'open',
  lines: [],
};

function dispatcher(commits: ReturnType<typeof gate>, signOut: () => void) {
  const handlers = {
    // A call that writes (a sign-out records itself) and one that only reads.
    'session.signOut': () => {
      signOut();
      return { signedOut: true };
    },
    'setup.status': () => ({ needsFirstSupervisor: false }),
    // Opening a parcel records it, but only moves the operator's screen on: it answers before the sync.
    'parcel.open': () => {
      signOut();
      return OPENED;
    },
  } as Partial<Handlers> as Handlers;
  const logged: string[] = [];
  // A signed-in staff member, so the operators' calls pass the roles check.
  const d = createDispatcher(handlers, { current: () => ({ id: 'OP-1', name: 'Staff', role: 'staff' }) }, (m) => void logged.push(m), commits);
  return { d, logged };
}

describe('the dispatcher and commits synced off the event loop', () => {
  it('answers a call that changed something only once its changes are on disk', async () => {
    const commits = gate();
    const { d } = dispatcher(commits, () => commits.commit());
    const call = d.handle('s', 'session.signOut', {});
    expect(await settled(call)).toBe(false);
    expect(commits.syncs).toBe(1);
    commits.release();
    expect(await call).toEqual({ ok: true, value: { signedOut: true } });
  });

  it('answers a call marked answersBeforeSync at once, and the next call that waits syncs its changes too', async () => {
    const commits = gate();
    const { d } = dispatcher(commits, () => commits.commit());
    expect(await d.handle('s', 'parcel.open', { code: 'TRACK-1' })).toEqual({ ok: true, value: OPENED });
    expect(commits.syncs).toBe(0);
    // A call that waits covers whatever committed before it: the parcel's record goes to disk with the sign-out.
    const call = d.handle('s', 'session.signOut', {});
    expect(await settled(call)).toBe(false);
    expect(commits.syncs).toBe(1);
    commits.release();
    expect(await call).toMatchObject({ ok: true });
  });

  it('answers a call that changed nothing at once', async () => {
    const commits = gate();
    const { d } = dispatcher(commits, () => commits.commit());
    expect(await d.handle('s', 'setup.status', {})).toEqual({ ok: true, value: { needsFirstSupervisor: false } });
    expect(commits.syncs).toBe(0);
  });

  it('waits too when the call failed after a commit, and answers with its own error', async () => {
    const commits = gate();
    const { d } = dispatcher(commits, () => {
      commits.commit();
      throw new StationError('CONFLICT', 'error.conflict', 'committed, then refused');
    });
    const call = d.handle('s', 'session.signOut', {});
    expect(await settled(call)).toBe(false);
    commits.release();
    expect(await call).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('tells the operator when the disk would not take the changes', async () => {
    const commits = gate();
    const { d, logged } = dispatcher(commits, () => commits.commit());
    const call = d.handle('s', 'session.signOut', {});
    await settled(call);
    commits.release(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    expect(await call).toMatchObject({ ok: false, error: { code: 'READ_ONLY', messageKey: 'error.databaseReadOnly' } });
    expect(logged).toEqual(['call session.signOut: its changes could not be synced to disk']);
  });
});
