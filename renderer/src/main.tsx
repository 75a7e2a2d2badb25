import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './App.js';
import { createI18n } from './i18n/index.js';
import { ScannerProvider } from './scanner/ScannerProvider.js';
import { loadScannerSettings } from './scanner/settings.js';
import { useLanguageStore } from './state/language.js';
import { connectStation } from './station/index.js';
import { queryKeys, StationProvider } from './station/StationContext.js';
import { toApiError } from './ui/describe.js';
import './styles.css';

const connection = connectStation();
const i18n = createI18n(useLanguageStore.getState().language);
// Issue 15: a session that ended on the other side (idle at the site hub, an operator disabled in the roster)
// shows up as a refused call: ask again who is signed in, so the screen goes back to sign-in.
const sessionEnded = (err: unknown): void => {
  if (toApiError(err).code === 'UNAUTHENTICATED') void queryClient.invalidateQueries({ queryKey: queryKeys.session });
};
const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: sessionEnded }),
  mutationCache: new MutationCache({ onError: sessionEnded }),
  defaultOptions: {
    // A refused call is an answer, not a glitch: show it instead of silently asking again.
    queries: { retry: 1, refetchOnWindowFocus: false },
    mutations: { retry: false },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nextProvider i18n={i18n}>
        <StationProvider connection={connection}>
          <ScannerProvider options={loadScannerSettings(localStorage)}>
            <App />
          </ScannerProvider>
        </StationProvider>
      </I18nextProvider>
    </QueryClientProvider>
  </StrictMode>,
);
