import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OperatorView } from '../../../contract/index.js';
import { languages } from '../i18n/index.js';
import { useIntakeStore } from '../state/intake.js';
import { useDeviceFormStore } from '../state/deviceForm.js';
import { useReportsStore } from '../state/reports.js';
import { useToteStore } from '../state/tote.js';
import { useLanguageStore } from '../state/language.js';
import { useNavigationStore } from '../state/navigation.js';
import { queryKeys, useStation, useSystemInfo } from '../station/StationContext.js';
import { feedback, setSoundVolume, soundVolume } from '../ui/feedback.js';
import { NavBar } from './NavBar.js';
import { SyncBar } from './SyncBar.js';

export function LanguageSwitch({ operatorId }: { operatorId?: string }) {
  const { t } = useTranslation();
  const language = useLanguageStore((s) => s.language);
  const languageChosen = useLanguageStore((s) => s.languageChosen);
  return (
    <div className="lang-switch" role="group" aria-label={t('header.language')}>
      {languages.map((l) => (
        <button
          key={l}
          type="button"
          className={`btn btn-small ${l === language ? 'btn-active' : 'btn-secondary'}`}
          aria-pressed={l === language}
          onClick={() => languageChosen(l, operatorId)}
          data-testid={`lang-${l}`}
        >
          {t(`language.${l}`)}
        </button>
      ))}
    </div>
  );
}

/** Sound volume for the bench's tones, kept per browser profile; a change plays a tone at the new level. */
export function VolumeControl() {
  const { t } = useTranslation();
  const [volume, setVolume] = useState(() => Math.round(soundVolume() * 100));
  return (
    <label className="volume" title={t('header.volume')}>
      <span className="volume-label">{t('header.volume')}</span>
      <input
        type="range"
        min={0}
        max={100}
        step={10}
        value={volume}
        onChange={(e) => {
          const v = Number(e.target.value);
          setVolume(v);
          setSoundVolume(v / 100);
          feedback('success');
        }}
        aria-valuetext={`${volume}%`}
        data-testid="sound-volume"
      />
    </label>
  );
}

export function Header({ operator }: { operator: OperatorView | null }) {
  const { t } = useTranslation();
  const station = useStation();
  const queryClient = useQueryClient();
  const info = useSystemInfo().data;
  // Issue 15: the hub UI says it is the site's, not a bench's.
  const site = info?.site ? info.stationId : null;
  const signedOut = useIntakeStore((s) => s.signedOut);
  const navSignedOut = useNavigationStore((s) => s.signedOut);
  const signOut = useMutation({
    mutationFn: () => station.call('session.signOut', {}),
    onSettled: () => {
      signedOut();
      useToteStore.getState().signedOut();
      useReportsStore.getState().signedOut();
      useDeviceFormStore.getState().signedOut();
      navSignedOut();
      queryClient.setQueryData(queryKeys.session, null);
      queryClient.removeQueries({ queryKey: ['parcel'] });
      queryClient.removeQueries({ queryKey: ['graded'] });
      queryClient.removeQueries({ queryKey: queryKeys.sync });
      // Whatever a lead or supervisor looked at must not stay in memory for the next operator.
      for (const key of ['review', 'deadLetters', 'reports', 'dashboard', 'rules', 'devices', 'tote', 'toteFlags']) queryClient.removeQueries({ queryKey: [key] });
      // The last export (its file's path and rows) is kept past the Reports screen: not past the supervisor.
      const mutations = queryClient.getMutationCache();
      for (const m of mutations.findAll({ mutationKey: ['reports'] })) mutations.remove(m);
    },
  });
  return (
    <header className="app-header">
      <div className="header-row">
        <h1 className="app-title">
          {t('app.title')}
          {site && (
            <span className="site-badge" data-testid="site-badge">
              {t('site.hub', { site: site })}
            </span>
          )}
        </h1>
        <div className="header-right">
          {operator && (
            <div className="operator" data-testid="header-operator">
              <span className="operator-name">{operator.name}</span>
              <span className="operator-role" data-testid="header-role">
                {t(`header.role.${operator.role}`)}
              </span>
            </div>
          )}
          <VolumeControl />
          <LanguageSwitch operatorId={operator?.id} />
          {operator && (
            <button type="button" className="btn btn-secondary btn-small" onClick={() => signOut.mutate()} data-testid="sign-out">
              {t('header.signOut')}
            </button>
          )}
        </div>
      </div>
      {operator && <NavBar role={operator.role} />}
      <SyncBar signedIn={operator !== null} />
    </header>
  );
}
