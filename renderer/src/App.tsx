import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguageStore } from './state/language.js';
import { useSession } from './station/StationContext.js';
import { Header } from './screens/Header.js';
import { Intake } from './screens/Intake.js';
import { SignIn } from './screens/SignIn.js';
import { NoticePanel } from './ui/NoticePanel.js';
import { toApiError } from './ui/describe.js';

export function App() {
  const { i18n, t } = useTranslation();
  const language = useLanguageStore((s) => s.language);
  const session = useSession();

  // Only when the choice differs: changeLanguage always emits, which would re-render and re-run this forever.
  useEffect(() => {
    if (i18n.language !== language) void i18n.changeLanguage(language);
    document.documentElement.lang = language;
  }, [i18n, language]);
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  const operator = session.data ?? null;
  return (
    <div className="app" data-testid="app" data-language={language}>
      <Header operator={operator} />
      {session.isPending ? null : session.isError ? (
        <main className="screen">
          <NoticePanel notice={{ kind: 'error', error: toApiError(session.error), during: 'other' }} onDismiss={() => void session.refetch()} />
        </main>
      ) : operator ? (
        <Intake />
      ) : (
        <SignIn />
      )}
    </div>
  );
}
