import type { CustomerImportReport } from '@keepdesk/contract';
import { Card, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A cell of the preview: objects (attributes) and lists as JSON, nothing as a dash. */
function cellText(value: unknown): string {
  if (value === undefined || value === null || value === '') return '–';
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** What a dry run would do (counts, the first rows, the bad rows by line) or what an import did. */
export function ImportReportView({ report }: { report: CustomerImportReport }) {
  const { t, i18n } = useTranslation();
  const count = new Intl.NumberFormat(i18n.language);
  const preview = report.preview ?? [];
  const columns = [...new Set(preview.flatMap((row) => Object.keys(row)))];
  const figures = [
    { label: t('customerImport.rows'), value: report.rows, id: 'rows' },
    {
      label: t(report.dryRun ? 'customerImport.wouldCreate' : 'customerImport.created'),
      value: report.created,
      id: 'created',
    },
    {
      label: t(report.dryRun ? 'customerImport.wouldUpdate' : 'customerImport.updated'),
      value: report.updated,
      id: 'updated',
    },
    { label: t('customerImport.badRows'), value: report.errors.length, id: 'bad' },
  ];
  return (
    <Card withBorder data-testid={report.dryRun ? 'import-check' : 'import-result'}>
      <Stack>
        <Title order={3} size="h4">
          {t(report.dryRun ? 'customerImport.checkTitle' : 'customerImport.doneTitle')}
        </Title>
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          {figures.map((figure) => (
            <div key={figure.id}>
              <Text size="xs" c="dimmed">
                {figure.label}
              </Text>
              <Text fw={700} size="xl" data-testid={`import-${figure.id}`}>
                {count.format(figure.value)}
              </Text>
            </div>
          ))}
        </SimpleGrid>
        {report.unusedColumns.length > 0 && (
          <Text size="sm" c="dimmed">
            {t('customerImport.unused', { names: report.unusedColumns.join(', ') })}
          </Text>
        )}
        {preview.length > 0 && (
          <>
            <Title order={4} size="h5">
              {t('customerImport.previewTitle')}
            </Title>
            <Table.ScrollContainer minWidth={600}>
              <Table withTableBorder striped aria-label={t('customerImport.previewTitle')}>
                <Table.Thead>
                  <Table.Tr>
                    {columns.map((column) => (
                      <Table.Th key={column}>{column}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.map((row, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: preview rows have no id of their own
                    <Table.Tr key={index} data-testid="preview-row">
                      {columns.map((column) => (
                        <Table.Td key={column}>{cellText(row[column])}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
        <Title order={4} size="h5">
          {t('customerImport.errorsTitle')}
        </Title>
        {report.errors.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('customerImport.noErrors')}
          </Text>
        ) : (
          <Table withTableBorder aria-label={t('customerImport.errorsTitle')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={80}>{t('customerImport.line')}</Table.Th>
                <Table.Th w={180}>{t('customerImport.column')}</Table.Th>
                <Table.Th>{t('customerImport.problem')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.errors.map((error) => (
                <Table.Tr key={`${error.line}:${error.field}:${error.message}`} data-testid="import-error">
                  <Table.Td>{error.line}</Table.Td>
                  <Table.Td>{error.field}</Table.Td>
                  <Table.Td>{error.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
