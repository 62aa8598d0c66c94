import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import de from './de.json';
import en from './en.json';

export const LANGUAGES = ['en', 'de'] as const;
export type UiLanguage = (typeof LANGUAGES)[number];

/** German and English; the browser decides first, the signed-in user's saved language wins. */
export function setUpI18n() {
  i18n.on('languageChanged', (language) => {
    document.documentElement.lang = language;
  });
  void i18n
    .use(LanguageDetector)
    .use(initReactI18next)
    .init({
      resources: { en: { translation: en }, de: { translation: de } },
      supportedLngs: LANGUAGES,
      nonExplicitSupportedLngs: true,
      fallbackLng: 'en',
      interpolation: { escapeValue: false },
      nsSeparator: false,
      detection: { order: ['localStorage', 'navigator'], caches: ['localStorage'] },
    });
  return i18n;
}

export function currentLanguage(): UiLanguage {
  return i18n.resolvedLanguage === 'de' ? 'de' : 'en';
}
