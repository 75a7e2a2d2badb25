import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useScan } from '../scanner/ScannerProvider.js';
import type { Notice } from '../state/intake.js';
import { queryKeys, useStation } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { NoticePanel } from '../ui/NoticePanel.js';
import { feedback } from '../ui/feedback.js';

const PIN = /^\d{4,8}$/;

/**
 * A production station starts with no operator, so nobody could sign in: the first person enrols themself as
 * the supervisor on the bench (badge, name, PIN twice) and is signed in. The station refuses this once any
 * operator exists, so the screen cannot be used to add a second supervisor.
 */
export function FirstRun() {
  const { t } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const [badge, setBadge] = useState('');
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [pinRepeat, setPinRepeat] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  const badgeRef = useRef<HTMLInputElement>(null);

  useEffect(() => badgeRef.current?.focus(), []);

  const enrol = useMutation({
    mutationFn: () => station.call('setup.enrolSupervisor', { badge: badge.trim(), name: name.trim(), pin, pinRepeat }),
    onSuccess: (operator) => {
      feedback('success');
      queryClient.setQueryData(queryKeys.setup, { needsFirstSupervisor: false });
      queryClient.setQueryData(queryKeys.session, operator);
    },
    onError: (e) => {
      feedback('error');
      setNotice({ kind: 'error', error: toApiError(e), during: 'signIn' });
      // Someone else finished the set-up first: the sign-in screen is what is left to show.
      void queryClient.invalidateQueries({ queryKey: queryKeys.setup });
    },
  });

  // A badge scan fills the badge, wherever the focus is.
  useScan((scan) => {
    if (scan.kind !== 'scan') return 'pass';
    setBadge(scan.text.trim());
  });

  const pinsDiffer = pinRepeat.length > 0 && pin !== pinRepeat;
  const ready = badge.trim() !== '' && name.trim() !== '' && PIN.test(pin) && pin === pinRepeat && !enrol.isPending;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) enrol.mutate();
  };

  return (
    <main className="screen signin" data-testid="screen-first-run">
      <h2 className="prompt" data-testid="prompt">
        {t('firstRun.title')}
      </h2>
      <p className="hint">{t('firstRun.intro')}</p>
      <form className="card form" onSubmit={submit}>
        <label htmlFor="first-badge">{t('firstRun.badge')}</label>
        <input
          id="first-badge"
          ref={badgeRef}
          className="input input-big"
          value={badge}
          onChange={(e) => setBadge(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          data-testid="first-run-badge"
        />
        <label htmlFor="first-name">{t('firstRun.name')}</label>
        <input
          id="first-name"
          className="input input-big"
          value={name}
          maxLength={60}
          onChange={(e) => setName(e.target.value)}
          autoComplete="off"
          data-testid="first-run-name"
        />
        <label htmlFor="first-pin">{t('firstRun.pin')}</label>
        <input
          id="first-pin"
          className="input input-big input-pin"
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          maxLength={8}
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          data-testid="first-run-pin"
        />
        <label htmlFor="first-pin-repeat">{t('firstRun.pinRepeat')}</label>
        <input
          id="first-pin-repeat"
          className="input input-big input-pin"
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          maxLength={8}
          value={pinRepeat}
          onChange={(e) => setPinRepeat(e.target.value.replace(/\D/g, ''))}
          aria-invalid={pinsDiffer}
          data-testid="first-run-pin-repeat"
        />
        {pinsDiffer && (
          <p className="hint" role="alert" data-testid="first-run-pins-differ">
            {t('firstRun.pinsDiffer')}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={!ready} data-testid="first-run-submit">
            {enrol.isPending ? t('firstRun.enrolling') : t('firstRun.submit')}
          </button>
        </div>
      </form>
      {notice && <NoticePanel notice={notice} onDismiss={() => setNotice(null)} />}
    </main>
  );
}
