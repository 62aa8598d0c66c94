import type { ChangeLog, ChangeLogQuery } from '@keepdesk/contract';
import { Card, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { currentLanguage } from '../i18n';
import { relativeTime } from '../tickets/format';

/**
 * Who changed which rule of a kind, and what: the newest 50 entries of the audit log. `nameOf` names an
 * entity that still exists; deleted ones are named by the entry itself.
 */
export function ChangeLogCard({
  entityType,
  nameOf,
  filter,
  withTitle = true,
}: {
  entityType: ChangeLogQuery['entityType'];
  nameOf: (id: string) => string | undefined;
  filter?: (action: string) => boolean;
  withTitle?: boolean;
}) {
  const { t } = useTranslation();
  const log = useQuery({
    queryKey: ['change-log', entityType],
    queryFn: () => api.get<ChangeLog>(`/change-log${query({ entityType, limit: 50 })}`),
  });
  const items = (log.data?.items ?? []).filter((entry) => !filter || filter(entry.action));
  return (
    <Card withBorder padding={0} mt="md">
      {withTitle && (
        <Title order={4} p="sm" pb={0}>
          {t('rules.changeLog')}
        </Title>
      )}
      {log.isSuccess && items.length === 0 ? (
        <Text size="sm" c="dimmed" p="sm">
          {t('changeLog.empty')}
        </Text>
      ) : (
        <Table verticalSpacing="xs" aria-label={t('rules.changeLog')}>
          <Table.Tbody>
            {items.map((entry) => (
              <Table.Tr key={entry.id} data-testid="change-log-entry">
                <Table.Td>
                  <Text size="sm">
                    {t(`rules.log.${entry.action.split('.')[1] ?? 'updated'}`, {
                      defaultValue: entry.action,
                      name: String(entry.data.name ?? nameOf(entry.entityId) ?? ''),
                    })}
                  </Text>
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {Object.keys(entry.data)
                      .filter((key) => key !== 'name' || entry.action.endsWith('updated'))
                      .join(', ')}
                  </Text>
                </Table.Td>
                <Table.Td w={180}>
                  <Text size="xs">{entry.actor.name ?? t(`rules.actor.${entry.actor.kind}`)}</Text>
                  <Text size="xs" c="dimmed">
                    {relativeTime(entry.createdAt, currentLanguage())}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
