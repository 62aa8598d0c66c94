import { Tabs } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

const TABS = {
  surveys: '/feedback',
  themes: '/feedback/themes',
  items: '/feedback/items',
  mentions: '/feedback/mentions',
  complaints: '/feedback/complaints',
} as const;

/** The views of customer feedback: survey scores, themes, reviews and social posts, the complaints register. */
export function FeedbackTabs({ active }: { active: keyof typeof TABS }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Tabs
      value={active}
      onChange={(value) => value && void navigate({ to: TABS[value as keyof typeof TABS] })}
      mb="md"
    >
      <Tabs.List>
        {(Object.keys(TABS) as (keyof typeof TABS)[]).map((tab) => (
          <Tabs.Tab key={tab} value={tab}>
            {t(`feedbackTabs.${tab}`)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
