import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../contract/index.js';
import { screenForShortcut, screensFor } from '../navigation/screens.js';
import { useNavigationStore } from '../state/navigation.js';
import { useSystemInfo } from '../station/StationContext.js';

/** The screens this operator's role may use, with Alt+digit shortcuts. */
export function NavBar({ role }: { role: Role }) {
  const { t } = useTranslation();
  const screen = useNavigationStore((s) => s.screen);
  const screenChosen = useNavigationStore((s) => s.screenChosen);
  const site = useSystemInfo().data?.site === true;
  const screens = screensFor(role, site);

  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      if (!ev.altKey || ev.ctrlKey || ev.metaKey) return;
      // ev.code, so a JIS layout or IME mode does not change which digit was meant.
      const m = /^(?:Digit|Numpad)(\d)$/.exec(ev.code);
      const target = m?.[1] ? screenForShortcut(role, m[1], site) : undefined;
      if (!target) return;
      ev.preventDefault();
      screenChosen(target);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [role, site, screenChosen]);

  return (
    <nav className="nav" aria-label={t('nav.label')} data-testid="nav">
      {screens.map((s, i) => (
        <button
          key={s}
          type="button"
          className={`nav-tab ${s === screen ? 'nav-active' : ''}`}
          aria-current={s === screen ? 'page' : undefined}
          onClick={() => screenChosen(s)}
          data-testid={`nav-${s}`}
        >
          {t(`nav.${s}`)}
          <kbd className="nav-key">Alt+{i + 1}</kbd>
        </button>
      ))}
    </nav>
  );
}
