import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import apiErrorsEn from './api-errors.en.json';
import apiErrorsEs from './api-errors.es.json';
import en from './en.json';
import es from './es.json';

export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'petroflow.lang';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    // apiErrors (api-errors.*.json) stays out of the key types: its ~130 keys
    // would push i18next's types past TypeScript's depth; api/error-text.ts reads it.
    resources: { translation: typeof en };
  }
}

export function isLanguage(value: unknown): value is Language {
  return LANGUAGES.some((language) => language === value);
}

function detectLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (isLanguage(stored)) return stored;
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export async function setLanguage(language: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, language);
  await i18n.changeLanguage(language);
}

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

// Resources are bundled, so initialising synchronously lets the first render
// already use the right language instead of flashing translation keys.
void i18n.use(initReactI18next).init({
  initAsync: false,
  // Each catalogue must satisfy the other's shape, so a key missing from
  // either language fails the type check instead of showing a raw key.
  resources: {
    en: { translation: en satisfies typeof es, apiErrors: apiErrorsEn satisfies typeof apiErrorsEs },
    es: { translation: es satisfies typeof en, apiErrors: apiErrorsEs satisfies typeof apiErrorsEn },
  },
  lng: detectLanguage(),
  fallbackLng: 'en',
  supportedLngs: LANGUAGES,
  // React already escapes rendered text.
  interpolation: { escapeValue: false },
});
