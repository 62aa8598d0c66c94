import { Anchor, Group, Tabs } from '@mantine/core';
import { IconAdjustments } from '@tabler/icons-react';
import { Link, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { can, useMe } from '../session';

const TABS = {
  atRisk: '/retention',
  metrics: '/retention/metrics',
  value: '/retention/value',
  model: '/retention/model',
  import: '/retention/import',
} as const;
type Tab = keyof typeof TABS;
/** Tabs only some may use: importing writes customer data. */
const TAB_PERMISSION: Partial<Record<Tab, string>> = { import: 'customers:write' };

/**
 * The retention specialist's views: the accounts at risk, churn and retention metrics, lifetime value, the churn model behind the
 * list and the import of
 * customer data; with a link to the health score settings for those who may change them.
 */
export function RetentionTabs({ active }: { active: Tab }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const tabs = (Object.keys(TABS) as Tab[]).filter((tab) => {
    const permission = TAB_PERMISSION[tab];
    return !permission || can(me, permission);
  });
  return (
    <Tabs value={active} onChange={(value) => value && void navigate({ to: TABS[value as Tab] })} mb="md">
      <Tabs.List>
        {tabs.map((tab) => (
          <Tabs.Tab key={tab} value={tab}>
            {tab === 'import' ? t('customerImport.tab') : t(`retention.tabs.${tab}`)}
          </Tabs.Tab>
        ))}
        {can(me, 'retention:manage') && (
          <Group ml="auto" pr="xs">
            <Anchor component={Link} to="/settings/retention" size="sm">
              <Group gap={4} component="span">
                <IconAdjustments size={16} />
                {t('retentionSettings.link')}
              </Group>
            </Anchor>
          </Group>
        )}
      </Tabs.List>
    </Tabs>
  );
}
