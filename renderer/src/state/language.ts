import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { isLanguage, type Language } from '../i18n/index.js';

interface LanguageState {
  language: Language;
  /** Each operator's own choice on this bench, by operator id. */
  byOperator: Record<string, Language>;
  languageChosen(language: Language, operatorId?: string): void;
  operatorSignedIn(operatorId: string): void;
}

/** Japanese on a Japanese OS (and when the OS says nothing), English otherwise. */
export function defaultLanguage(navigatorLanguages: readonly string[] | undefined): Language {
  const first = navigatorLanguages?.[0];
  if (!first) return 'ja';
  return first.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

function systemLanguages(): readonly string[] | undefined {
  if (typeof navigator === 'undefined') return undefined;
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/** The UI language: the bench default until an operator signs in, then that operator's remembered choice. */
export const useLanguageStore = create<LanguageState>()(
  persist(
    (set) => ({
      language: defaultLanguage(systemLanguages()),
      byOperator: {},
      languageChosen: (language, operatorId) =>
        set((s) => ({ language, byOperator: operatorId ? { ...s.byOperator, [operatorId]: language } : s.byOperator })),
      operatorSignedIn: (operatorId) =>
        set((s) => {
          const mine = s.byOperator[operatorId];
          return mine && mine !== s.language ? { language: mine } : {};
        }),
    }),
    {
      name: 'rs.language',
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ language: s.language, byOperator: s.byOperator }),
      merge: (persisted, current) => {
        const p = (persisted ?? {}) as { language?: unknown; byOperator?: unknown };
        const byOperator: Record<string, Language> = {};
        if (p.byOperator && typeof p.byOperator === 'object') {
          for (const [id, l] of Object.entries(p.byOperator as Record<string, unknown>)) if (isLanguage(l)) byOperator[id] = l;
        }
        return { ...current, byOperator, ...(isLanguage(p.language) ? { language: p.language } : {}) };
      },
    },
  ),
);
