import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { isLanguage, type Language } from '../i18n/index.js';

interface LanguageState {
  language: Language;
  languageChosen(language: Language): void;
}

/** The operator's UI language, remembered on this bench. */
export const useLanguageStore = create<LanguageState>()(
  persist(
    (set) => ({
      language: 'ja',
      languageChosen: (language) => set({ language }),
    }),
    {
      name: 'rs.language',
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ language: s.language }),
      merge: (persisted, current) => {
        const language = (persisted as { language?: unknown } | undefined)?.language;
        return isLanguage(language) ? { ...current, language } : current;
      },
    },
  ),
);
