import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OperatorSummary, Role } from '../../../contract/index.js';
import { useSession, useStation } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { NoticePanel } from '../ui/NoticePanel.js';
import { feedback } from '../ui/feedback.js';
import { useOnceAtATime } from '../ui/once.js';
import type { Notice } from '../state/intake.js';

const ROLES: readonly Role[] = ['staff', 'lead', 'supervisor'];
const PIN = /^\d{4,8}$/;
const digits = (v: string): string => v.replace(/\D/g, '').slice(0, 8);

/** Supervisors: who may use this bench. Enrol, disable or re-enable, and reset a PIN (which also lifts a lock-out). */
export function Operators() {
  const { t } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const me = useSession().data;
  const list = useQuery({ queryKey: ['operators'], queryFn: () => station.call('operators.list', {}) });
  const [notice, setNotice] = useState<Notice | null>(null);
  const [confirmation, setConfirmation] = useState<string | null>(null);
  const [form, setForm] = useState({ badge: '', name: '', role: 'staff' as Role, pin: '', pinRepeat: '' });
  const [resetFor, setResetFor] = useState<OperatorSummary | null>(null);
  const [reset, setReset] = useState({ pin: '', pinRepeat: '' });

  const done = (message: string) => {
    feedback('success');
    setNotice(null);
    setConfirmation(message);
    void queryClient.invalidateQueries({ queryKey: ['operators'] });
  };
  const failed = (e: unknown) => {
    feedback('error');
    setConfirmation(null);
    setNotice({ kind: 'error', error: toApiError(e), during: 'other' });
  };
  const enrol = useMutation({
    mutationFn: () => station.call('operators.enrol', { ...form, badge: form.badge.trim(), name: form.name.trim() }),
    onSuccess: (op) => {
      setForm({ badge: '', name: '', role: 'staff', pin: '', pinRepeat: '' });
      done(t('operators.enrolled', { name: op.name }));
    },
    onError: failed,
  });
  const setDisabled = useMutation({
    mutationFn: (v: { operatorId: string; disabled: boolean }) => station.call('operators.setDisabled', v),
    onSuccess: (op) => done(t(op.disabled ? 'operators.disabledDone' : 'operators.enabledDone', { name: op.name })),
    onError: failed,
  });
  const resetPin = useMutation({
    mutationFn: (v: { operatorId: string; pin: string; pinRepeat: string }) => station.call('operators.resetPin', v),
    onSuccess: (op) => {
      setResetFor(null);
      setReset({ pin: '', pinRepeat: '' });
      done(t('operators.pinResetDone', { name: op.name }));
    },
    onError: failed,
  });

  const once = useOnceAtATime();
  const enrolReady = form.badge.trim() !== '' && form.name.trim() !== '' && PIN.test(form.pin) && form.pin === form.pinRepeat && !enrol.isPending;
  const submitEnrol = (e: FormEvent) => {
    e.preventDefault();
    if (enrolReady) once(() => enrol.mutateAsync());
  };
  const resetReady = resetFor !== null && PIN.test(reset.pin) && reset.pin === reset.pinRepeat && !resetPin.isPending;
  const submitReset = (e: FormEvent) => {
    e.preventDefault();
    if (resetReady && resetFor) once(() => resetPin.mutateAsync({ operatorId: resetFor.id, ...reset }));
  };

  // A bench of a site follows the hub's roster: shown, not changed, here.
  const atHub = list.data?.managedAtHub === true;

  return (
    <main className="screen" data-testid="screen-operators">
      <h2 className="prompt">{t('operators.title')}</h2>
      {atHub && (
        <p className="hint" role="note" data-testid="operators-at-hub">
          {t('error.site.rosterAtHub')}
        </p>
      )}
      {confirmation && (
        <p className="hint" role="status" data-testid="operators-done">
          {confirmation}
        </p>
      )}
      <section className="card">
        <table className="table" data-testid="operators-table">
          <thead>
            <tr>
              <th>{t('operators.badge')}</th>
              <th>{t('operators.name')}</th>
              <th>{t('operators.role')}</th>
              <th>{t('operators.state')}</th>
              {!atHub && <th />}
            </tr>
          </thead>
          <tbody>
            {(list.data?.operators ?? []).map((op) => (
              <tr key={op.id} data-testid={`operator-${op.badge}`}>
                <td>{op.badge}</td>
                <td>
                  <span className="person-name">{op.name}</span>
                </td>
                <td>{t(`header.role.${op.role}`)}</td>
                <td>{op.disabled ? t('operators.disabled') : op.locked ? t('operators.locked') : t('operators.active')}</td>
                {!atHub && (
                  // The buttons' flex row inside the cell: a flex cell is no table cell, and its row's line broke there.
                  <td>
                    <div className="form-actions operator-actions">
                      {op.id !== me?.id && (
                        <button
                          type="button"
                          className="btn btn-secondary btn-small"
                          onClick={() => once(() => setDisabled.mutateAsync({ operatorId: op.id, disabled: !op.disabled }))}
                          data-testid={`operator-toggle-${op.badge}`}
                        >
                          {op.disabled ? t('operators.enable') : t('operators.disable')}
                        </button>
                      )}
                      <button type="button" className="btn btn-secondary btn-small" onClick={() => setResetFor(op)} data-testid={`operator-reset-${op.badge}`}>
                        {t('operators.resetPin')}
                      </button>
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {resetFor && !atHub && (
        <form className="card form" onSubmit={submitReset} data-testid="operator-reset-form">
          <h3>{t('operators.resetPinFor', { name: resetFor.name })}</h3>
          <label htmlFor="reset-pin">{t('firstRun.pin')}</label>
          <input id="reset-pin" className="input input-pin" type="password" inputMode="numeric" autoComplete="new-password" value={reset.pin} onChange={(e) => setReset({ ...reset, pin: digits(e.target.value) })} />
          <label htmlFor="reset-pin-repeat">{t('firstRun.pinRepeat')}</label>
          <input id="reset-pin-repeat" className="input input-pin" type="password" inputMode="numeric" autoComplete="new-password" value={reset.pinRepeat} onChange={(e) => setReset({ ...reset, pinRepeat: digits(e.target.value) })} />
          {reset.pinRepeat !== '' && reset.pin !== reset.pinRepeat && <p className="hint" role="alert">{t('firstRun.pinsDiffer')}</p>}
          <div className="form-actions">
            <button type="button" className="btn btn-secondary" onClick={() => setResetFor(null)}>
              {t('operators.cancel')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={!resetReady}>
              {t('operators.resetPin')}
            </button>
          </div>
        </form>
      )}
      {!atHub && (
        <form className="card form" onSubmit={submitEnrol} data-testid="operator-enrol-form">
          <h3>{t('operators.enrolTitle')}</h3>
          <div className="form-grid">
            <label>
              {t('operators.badge')}
              <input className="input" value={form.badge} onChange={(e) => setForm({ ...form, badge: e.target.value })} autoComplete="off" data-testid="enrol-badge" />
            </label>
            <label>
              {t('operators.name')}
              <input className="input" value={form.name} maxLength={60} onChange={(e) => setForm({ ...form, name: e.target.value })} autoComplete="off" data-testid="enrol-name" />
            </label>
            <label>
              {t('operators.role')}
              <select className="input" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} data-testid="enrol-role">
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`header.role.${r}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('firstRun.pin')}
              <input className="input" type="password" inputMode="numeric" autoComplete="new-password" value={form.pin} onChange={(e) => setForm({ ...form, pin: digits(e.target.value) })} data-testid="enrol-pin" />
            </label>
            <label>
              {t('firstRun.pinRepeat')}
              <input className="input" type="password" inputMode="numeric" autoComplete="new-password" value={form.pinRepeat} onChange={(e) => setForm({ ...form, pinRepeat: digits(e.target.value) })} data-testid="enrol-pin-repeat" />
            </label>
          </div>
          {form.pinRepeat !== '' && form.pin !== form.pinRepeat && <p className="hint" role="alert">{t('firstRun.pinsDiffer')}</p>}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={!enrolReady} data-testid="enrol-submit">
              {t('operators.enrol')}
            </button>
          </div>
        </form>
      )}
      {notice && <NoticePanel notice={notice} onDismiss={() => setNotice(null)} />}
    </main>
  );
}
