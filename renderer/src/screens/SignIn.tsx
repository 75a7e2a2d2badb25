import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useScan } from '../scanner/ScannerProvider.js';
import type { Notice } from '../state/intake.js';
import { queryKeys, useStation } from '../station/StationContext.js';
import { toApiError } from '../ui/describe.js';
import { NoticePanel } from '../ui/NoticePanel.js';
import { feedback } from '../ui/feedback.js';

/** Badge (scanned or typed), then PIN. Drafts stay in this component: nothing here outlives the screen. */
export function SignIn() {
  const { t } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<'badge' | 'pin'>('badge');
  const [badge, setBadge] = useState('');
  const [pin, setPin] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  const badgeRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);

  const signIn = useMutation({
    mutationFn: (input: { badge: string; pin: string }) => station.call('session.signIn', input),
    onSuccess: (operator) => {
      feedback('success');
      queryClient.setQueryData(queryKeys.session, operator);
      void queryClient.invalidateQueries({ queryKey: queryKeys.sync });
    },
    onError: (e) => {
      feedback('error');
      setPin('');
      setNotice({ kind: 'error', error: toApiError(e), during: 'signIn' });
      pinRef.current?.focus();
    },
  });

  useEffect(() => {
    (step === 'badge' ? badgeRef : pinRef).current?.focus();
  }, [step]);

  // Back to the badge step with an empty field: the next scan replaces the old badge, not appends to it.
  const reReadBadge = (): void => {
    setBadge('');
    setPin('');
    setNotice(null);
    setStep('badge');
  };

  const badgeEntered = (text: string): void => {
    const value = text.trim();
    if (!value) return;
    setBadge(value);
    setPin('');
    setNotice(null);
    setStep('pin');
  };

  useScan((scan) => {
    if (scan.kind === 'problem') {
      feedback('error');
      setNotice({ kind: 'scanner', problems: scan.problems, raw: scan.raw });
      return;
    }
    badgeEntered(scan.text);
  });

  const submitBadge = (e: FormEvent) => {
    e.preventDefault();
    badgeEntered(badge);
  };
  const submitPin = (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{4,8}$/.test(pin) || signIn.isPending) return;
    signIn.mutate({ badge, pin });
  };

  return (
    <main className="screen signin" data-testid="screen-signin">
      <h2 className="prompt" data-testid="prompt">
        {step === 'badge' ? t('signIn.scanBadge') : t('signIn.pinTitle')}
      </h2>
      {step === 'badge' ? (
        <form className="card form" onSubmit={submitBadge}>
          <label htmlFor="badge">{t('signIn.badgeLabel')}</label>
          <input
            id="badge"
            ref={badgeRef}
            className="input input-big"
            value={badge}
            onChange={(e) => setBadge(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            data-testid="signin-badge"
          />
          <p className="hint">{t('signIn.badgeHint')}</p>
        </form>
      ) : (
        <form className="card form" onSubmit={submitPin}>
          <p className="badge-read" data-testid="signin-badge-read">
            {t('signIn.badgeRead', { badge })}
          </p>
          <label htmlFor="pin">{t('signIn.pinLabel')}</label>
          <input
            id="pin"
            ref={pinRef}
            className="input input-big input-pin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            maxLength={8}
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
            data-testid="signin-pin"
          />
          <div className="form-actions">
            <button type="button" className="btn btn-secondary" onClick={reReadBadge} data-testid="signin-back">
              {t('signIn.back')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={!/^\d{4,8}$/.test(pin) || signIn.isPending} data-testid="signin-submit">
              {signIn.isPending ? t('signIn.signingIn') : t('signIn.submit')}
            </button>
          </div>
        </form>
      )}
      {notice && <NoticePanel notice={notice} onDismiss={() => setNotice(null)} />}
    </main>
  );
}
