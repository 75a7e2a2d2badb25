import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { OperatorView } from '../../contract/index.js';
import { screensFor, type ScreenId } from './navigation/screens.js';
import { useScan } from './scanner/ScannerProvider.js';
import { useLanguageStore } from './state/language.js';
import { useNavigationStore } from './state/navigation.js';
import { useSession, useSetupStatus, useSystemInfo } from './station/StationContext.js';
import { RelabelList } from './screens/RelabelList.js';
import { Benches } from './screens/Benches.js';
import { Dashboard } from './screens/Dashboard.js';
import { FirstRun } from './screens/FirstRun.js';
import { Devices } from './screens/Devices.js';
import { Header } from './screens/Header.js';
import { Intake } from './screens/Intake.js';
import { Operators } from './screens/Operators.js';
import { Reports } from './screens/Reports.js';
import { Review } from './screens/Review.js';
import { Rules } from './screens/Rules.js';
import { SignIn } from './screens/SignIn.js';
import { SyncScreen } from './screens/SyncScreen.js';
import { NoticePanel } from './ui/NoticePanel.js';
import { toApiError } from './ui/describe.js';

const SCREEN_COMPONENTS: Record<ScreenId, () => React.JSX.Element> = {
  intake: Intake,
  devices: Devices,
  review: Review,
  sync: SyncScreen,
  reports: Reports,
  dashboard: Dashboard,
  benches: Benches,
  rules: Rules,
  operators: Operators,
};

/**
 * Mounted before the screen, so a screen that listens to the scanner itself wins (the newest
 * listener hears scans); on the others a scan means "a parcel is on the bench": go to intake with it.
 */
function ScanToIntake() {
  const scannedElsewhere = useNavigationStore((s) => s.scannedElsewhere);
  useScan((scan) => {
    // A scan that could not be read is nothing to take to intake: the input hub answers it over this screen.
    if (scan.kind !== 'scan') return 'pass';
    scannedElsewhere(scan.text);
  });
  return null;
}

function SignedIn({ operator }: { operator: OperatorView }) {
  const chosen = useNavigationStore((s) => s.screen);
  const operatorSignedIn = useLanguageStore((s) => s.operatorSignedIn);
  useEffect(() => operatorSignedIn(operator.id), [operator.id, operatorSignedIn]);
  // Issue 15: served by the site hub, only the site's screens; their first is the fallback there.
  const info = useSystemInfo();
  const site = info.data?.site === true;
  const mine = screensFor(operator.role, site);
  // A screen the role does not have (e.g. after a role change) falls back to intake.
  const screen = mine.includes(chosen) ? chosen : (mine[0] ?? 'intake');
  const Screen = SCREEN_COMPONENTS[screen];
  // Until the station says whether it is a bench or the site hub, no screen: a bench screen at the hub would only fail.
  if (info.isPending) return null;
  return (
    <>
      <ScanToIntake />
      {!site && <RelabelList />}
      <Screen key={screen} />
    </>
  );
}

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
  const setup = useSetupStatus(session.isSuccess && operator === null);
  return (
    <div className="app" data-testid="app" data-language={language}>
      <Header operator={operator} />
      {session.isPending ? null : session.isError ? (
        <main className="screen">
          <NoticePanel notice={{ kind: 'error', error: toApiError(session.error), during: 'other' }} onDismiss={() => void session.refetch()} />
        </main>
      ) : operator ? (
        <SignedIn operator={operator} />
      ) : setup.isPending ? null : setup.data?.needsFirstSupervisor ? (
        <FirstRun />
      ) : (
        <SignIn />
      )}
    </div>
  );
}
