import type { DrilldownResult, DrilldownTicket } from '@keepdesk/contract';
import { Anchor, Badge, Drawer, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconListSearch } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../components/EmptyState';
import { STATUS_COLOR } from '../tickets/format';
import { type DrillTarget, useDrilldown } from './data';
import { formatMinutes } from './format';

function valueText(
  item: DrilldownTicket,
  unit: DrilldownResult['valueUnit'],
  t: (key: string) => string,
  language: string,
) {
  if (unit === 'minutes') return formatMinutes(item.value, language);
  if (unit === 'boolean') return item.value >= 1 ? t('common.yes') : t('common.no');
  return new Intl.NumberFormat(language).format(item.value);
}

/** The tickets behind a number or a chart point, the slowest (worst) first, each a link to the ticket. */
export function DrilldownDrawer({ target, onClose }: { target: DrillTarget | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const result = useDrilldown(target);
  const language = i18n.language;
  const data = result.data;
  const date = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Drawer
      opened={target !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={target ? t('reports.drill.title', { metric: target.title }) : ''}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {result.isPending && target !== null ? (
        <Stack gap="xs" aria-busy="true" aria-label={t('common.loading')}>
          {['a', 'b', 'c', 'd', 'e', 'f'].map((row) => (
            <Skeleton key={row} h={28} />
          ))}
        </Stack>
      ) : !data || data.items.length === 0 ? (
        <EmptyState
          icon={<IconListSearch size={24} />}
          title={t('reports.drill.emptyTitle')}
          text={t('reports.drill.emptyText')}
        />
      ) : (
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {t('reports.drill.summary', {
              shown: data.items.length,
              total: data.total,
              from: date.format(new Date(data.from)),
              to: date.format(new Date(data.to)),
            })}
          </Text>
          <Table striped highlightOnHover data-testid="drilldown-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('reports.drill.subject')}</Table.Th>
                <Table.Th>{t('reports.drill.status')}</Table.Th>
                <Table.Th>{t('reports.drill.team')}</Table.Th>
                <Table.Th>{t('reports.drill.assignee')}</Table.Th>
                <Table.Th>{t('reports.drill.created')}</Table.Th>
                <Table.Th ta="right">{t(`reports.drill.value.${data.valueUnit}`)}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((item) => (
                <Table.Tr key={item.id} data-testid="drilldown-row" data-value={item.value}>
                  <Table.Td>
                    <Anchor component={Link} to={`/tickets/${item.id}`}>
                      #{item.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/tickets/${item.id}`} c="inherit">
                      {item.subject}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      color={STATUS_COLOR[item.statusCategory as keyof typeof STATUS_COLOR] ?? 'gray'}
                    >
                      {t(`status.${item.status}`, { defaultValue: item.status })}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{item.team?.name ?? '—'}</Table.Td>
                  <Table.Td>{item.assignee?.name ?? t('reports.drill.unassigned')}</Table.Td>
                  <Table.Td>{date.format(new Date(item.createdAt))}</Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {valueText(item, data.valueUnit, t, language)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Drawer>
  );
}
