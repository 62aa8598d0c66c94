import { Tabs } from '@mantine/core';
import { useNavigate, useRouterState } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { can, useMe } from '../session';

/** The dashboards this user may open: their own for everyone, live and overview with reports:read. */
export function ReportsNav() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  if (!can(me, 'reports:read')) return null;
  const tabs = [
    { to: '/reports', label: t('reports.nav.manager') },
    { to: '/reports/live', label: t('reports.nav.live') },
    { to: '/reports/me', label: t('reports.nav.me') },
  ];
  return (
    <Tabs value={pathname} onChange={(to) => to && void navigate({ to })} mb="md">
      <Tabs.List>
        {tabs.map((tab) => (
          <Tabs.Tab key={tab.to} value={tab.to}>
            {tab.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
