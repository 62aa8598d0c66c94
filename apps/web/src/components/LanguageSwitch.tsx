import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { currentLanguage, type UiLanguage } from '../i18n';

/** Deutsch / English; `onChange` lets a signed-in user's choice be saved. */
export function LanguageSwitch({ onChange }: { onChange?: (language: UiLanguage) => void }) {
  const { i18n, t } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('language.label')}
      value={currentLanguage()}
      onChange={(value) => {
        const language = value === 'de' ? 'de' : 'en';
        void i18n.changeLanguage(language);
        onChange?.(language);
      }}
      data={[
        { value: 'de', label: 'Deutsch' },
        { value: 'en', label: 'English' },
      ]}
    />
  );
}
