// Who may use a bench: a fresh production install has no operator and enrols its first supervisor on the
// bench; after that only a supervisor enrols, disables and resets PINs, each change audited.
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../../contract/index.js';
import { createHarness, type Harness } from './harness.test-helper.js';

let h: Harness;
afterEach(() => h?.close());

const first = { badge: 'SUP-0001', name: '山田 太郎', pin: '908172', pinRepeat: '908172' };
const newStaff = { badge: 'ST-0042', name: '木村 葵', role: 'staff', pin: '5566', pinRepeat: '5566' };

function errorOf(r: ApiResponse): { code: string; messageKey: string; params: Record<string, unknown> } {
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r.value)}`);
  return r.error;
}

function audit(db: Harness['db']): Array<{ operator_id: string; action: string; entity: string; after_json: string | null }> {
  return db.prepare('SELECT operator_id, action, entity, after_json FROM audit_log ORDER BY seq').all() as never;
}

describe('first start of a production bench', () => {
  it('has no operator, asks for a supervisor, enrols one (signed in at once) and then refuses a second', async () => {
    h = await createHarness(() => {}, { operators: [] });
    expect(await h.ok('w1', 'setup.status', {})).toEqual({ needsFirstSupervisor: true });
    // Nobody can sign in yet, not even with a demo badge.
    expect(errorOf(await h.handle('w1', 'session.signIn', { badge: 'OP-3001', pin: '3456' })).code).toBe('UNAUTHENTICATED');

    const op = await h.ok<{ id: string; role: string; name: string }>('w1', 'setup.enrolSupervisor', first);
    expect(op).toMatchObject({ role: 'supervisor', name: first.name });
    expect(await h.ok('w1', 'session.current', {})).toMatchObject({ id: op.id, role: 'supervisor' });
    expect(await h.ok('w2', 'setup.status', {})).toEqual({ needsFirstSupervisor: false });

    const again = errorOf(await h.handle('w2', 'setup.enrolSupervisor', { ...first, badge: 'SUP-0002' }));
    expect(again).toMatchObject({ code: 'CONFLICT', messageKey: 'error.setupDone' });
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM operators').get()).toEqual({ n: 1 });
    // The PIN is stored hashed and never written to the audit log.
    const row = h.db.prepare('SELECT pin_hash FROM operators').get() as { pin_hash: string };
    expect(row.pin_hash).not.toContain(first.pin);
    expect(audit(h.db).filter((a) => a.action === 'setup.firstSupervisor')).toEqual([
      expect.objectContaining({ operator_id: op.id, entity: `operator:${op.id}` }),
    ]);
    expect(JSON.stringify(audit(h.db))).not.toContain(first.pin);
  });

  it('needs the PIN twice, the same both times', async () => {
    h = await createHarness(() => {}, { operators: [] });
    const r = errorOf(await h.handle('w1', 'setup.enrolSupervisor', { ...first, pinRepeat: '908173' }));
    expect(r).toMatchObject({ code: 'INVALID_INPUT', messageKey: 'error.invalidInput', params: { field: 'pinRepeat' } });
    expect(await h.ok('w1', 'setup.status', {})).toEqual({ needsFirstSupervisor: true });
  });
});

describe('operators.* (supervisor only)', () => {
  it('is refused to the signed-out, staff and leads by the dispatcher before any input is looked at', async () => {
    h = await createHarness(() => {});
    for (const name of ['operators.list', 'operators.enrol', 'operators.setDisabled', 'operators.resetPin']) {
      expect(errorOf(await h.handle('nobody', name, {})).code, name).toBe('UNAUTHENTICATED');
      for (const role of ['staff', 'lead'] as const) {
        await h.signIn(role, role);
        // Empty input: a role check after validation would answer INVALID_INPUT here.
        expect(errorOf(await h.handle(role, name, {})), `${role} ${name}`).toMatchObject({ code: 'FORBIDDEN', messageKey: 'error.forbidden' });
      }
    }
  });

  it('lets a supervisor enrol, disable and re-enable, and reset a PIN, each audited', async () => {
    h = await createHarness(() => {});
    await h.signIn('sup', 'supervisor');
    const enrolled = await h.ok<{ id: string; badge: string; role: string; disabled: boolean }>('sup', 'operators.enrol', newStaff);
    expect(enrolled).toMatchObject({ badge: newStaff.badge, role: 'staff', disabled: false, locked: false });
    expect(errorOf(await h.handle('sup', 'operators.enrol', { ...newStaff, name: 'Other' }))).toMatchObject({ code: 'CONFLICT', messageKey: 'error.badgeTaken' });

    // The new operator works, until disabled: their open session ends and their badge no longer signs in.
    expect(await h.ok('new', 'session.signIn', { badge: newStaff.badge, pin: newStaff.pin })).toMatchObject({ id: enrolled.id });
    expect(await h.ok('sup', 'operators.setDisabled', { operatorId: enrolled.id, disabled: true })).toMatchObject({ disabled: true });
    expect(await h.ok('new', 'session.current', {})).toBeNull();
    expect(errorOf(await h.handle('new', 'session.signIn', { badge: newStaff.badge, pin: newStaff.pin })).messageKey).toBe('error.signInFailed');
    await h.ok('sup', 'operators.setDisabled', { operatorId: enrolled.id, disabled: false });

    // Three wrong PINs lock the badge; a reset PIN lifts the lock and the old PIN stops working.
    for (let i = 0; i < 3; i++) await h.handle('new', 'session.signIn', { badge: newStaff.badge, pin: '0000' });
    const listed = await h.ok<{ operators: Array<{ id: string; locked: boolean }> }>('sup', 'operators.list', {});
    expect(listed.operators.find((o) => o.id === enrolled.id)).toMatchObject({ locked: true });
    expect(await h.ok('sup', 'operators.resetPin', { operatorId: enrolled.id, pin: '7788', pinRepeat: '7788' })).toMatchObject({ locked: false });
    expect(errorOf(await h.handle('new', 'session.signIn', { badge: newStaff.badge, pin: newStaff.pin })).code).toBe('UNAUTHENTICATED');
    expect(await h.ok('new', 'session.signIn', { badge: newStaff.badge, pin: '7788' })).toMatchObject({ id: enrolled.id });

    const supervisorId = 'OP-3001';
    const actions = audit(h.db).filter((a) => a.action.startsWith('operators.'));
    expect(actions.map((a) => [a.operator_id, a.action, a.entity])).toEqual([
      [supervisorId, 'operators.enrolled', `operator:${enrolled.id}`],
      [supervisorId, 'operators.disabled', `operator:${enrolled.id}`],
      [supervisorId, 'operators.enabled', `operator:${enrolled.id}`],
      [supervisorId, 'operators.pinReset', `operator:${enrolled.id}`],
    ]);
    expect(JSON.stringify(audit(h.db))).not.toMatch(/7788|5566/);
  });

  it('will not let a supervisor disable their own badge, nor touch an unknown operator', async () => {
    h = await createHarness(() => {});
    await h.signIn('sup', 'supervisor');
    expect(errorOf(await h.handle('sup', 'operators.setDisabled', { operatorId: 'OP-3001', disabled: true }))).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'error.cannotDisableSelf',
    });
    expect(errorOf(await h.handle('sup', 'operators.resetPin', { operatorId: 'nobody', pin: '1111', pinRepeat: '1111' })).messageKey).toBe(
      'error.operatorNotFound',
    );
  });
});

describe('badges as staff type or scan them', () => {
  it('sign in whatever the case or width: op-1001, ＯＰ－１００１ and a scanner trailing CR all sign in OP-1001', async () => {
    h = await createHarness(() => {});
    for (const badge of ['op-1001', 'ＯＰ－１００１', 'Op-1001\r']) {
      expect(await h.ok('s', 'session.signIn', { badge, pin: '1234' }), JSON.stringify(badge)).toMatchObject({ id: 'OP-1001' });
      await h.ok('s', 'session.signOut', {});
    }
  });

  it('are stored as one form on enrolment, so a second enrolment of the same badge in another case is refused', async () => {
    h = await createHarness(() => {});
    await h.signIn('sup', 'supervisor');
    const enrolled = await h.ok<{ id: string; badge: string }>('sup', 'operators.enrol', { ...newStaff, badge: 'st-0042' });
    expect(enrolled.badge).toBe('ST-0042');
    expect(h.db.prepare('SELECT badge FROM operators WHERE id = ?').get(enrolled.id)).toEqual({ badge: 'ST-0042' });
    expect(errorOf(await h.handle('sup', 'operators.enrol', { ...newStaff, badge: 'ＳＴ－００４２', name: 'Other' }))).toMatchObject({ messageKey: 'error.badgeTaken' });
    expect(await h.ok('new', 'session.signIn', { badge: 'ST-0042', pin: newStaff.pin })).toMatchObject({ id: enrolled.id });
    // A PIN reset and a disable reach the same operator, whichever form their badge was typed in.
    await h.ok('sup', 'operators.resetPin', { operatorId: enrolled.id, pin: '7788', pinRepeat: '7788' });
    expect(await h.ok('new', 'session.signIn', { badge: 'st-0042', pin: '7788' })).toMatchObject({ id: enrolled.id });
    await h.ok('sup', 'operators.setDisabled', { operatorId: enrolled.id, disabled: true });
    expect(errorOf(await h.handle('new2', 'session.signIn', { badge: 'st-0042', pin: '7788' })).messageKey).toBe('error.signInFailed');
  });

  it('the first supervisor of a fresh bench is stored upper-case too', async () => {
    h = await createHarness(() => {}, { operators: [] });
    await h.ok('w1', 'setup.enrolSupervisor', { ...first, badge: 'sup-0001' });
    expect(h.db.prepare('SELECT badge FROM operators').get()).toEqual({ badge: 'SUP-0001' });
  });
});
