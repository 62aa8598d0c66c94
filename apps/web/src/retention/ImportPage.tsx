import {
  CUSTOMER_IMPORT_KINDS,
  CUSTOMER_IMPORT_MAX_CHARS,
  type CustomerImportFields,
  type CustomerImportKind,
  type CustomerImportReport,
} from '@keepdesk/contract';
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  FileInput,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconFileTypeCsv } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, query } from '../api';
import { notifyError } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { ImportReportView } from './ImportReport';
import { type ColumnChoice, csvHeader, importBody, missingRequired, suggestColumns } from './import';
import { RetentionTabs } from './RetentionTabs';

interface LoadedFile {
  name: string;
  text: string;
  header: string[];
}

function readFile(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file, 'utf-8');
  });
}

/** A CSV file of customer data, checked in a dry run with a preview and its bad rows by line, then imported. */
export function ImportPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<CustomerImportKind>('accounts');
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [choice, setChoice] = useState<ColumnChoice>({});
  const [dateFormat, setDateFormat] = useState('');
  const fields = useQuery({
    queryKey: ['customer-import-fields', kind],
    queryFn: () => api.get<CustomerImportFields>(`/customer-accounts/import/fields${query({ kind })}`),
  });
  const fieldList = fields.data?.kind === kind ? fields.data.fields : [];
  const suggested = file ? suggestColumns(fieldList, file.header) : {};
  const chosen: ColumnChoice = { ...suggested, ...choice };
  const run = useMutation({
    mutationFn: (dryRun: boolean) =>
      api.post<CustomerImportReport>(
        '/customer-accounts/import',
        importBody(kind, file?.text ?? '', chosen, dateFormat, dryRun),
      ),
    onSuccess: (report) => {
      if (!report.dryRun) void queryClient.invalidateQueries({ queryKey: ['retention'] });
    },
    onError: (error) => {
      if (!(error instanceof ApiError && error.status === 400)) notifyError(t, error);
    },
  });
  // Any change to what would be sent makes an earlier check or result stale.
  const changed = () => run.reset();
  const report = run.data;
  const checked = report?.dryRun === true;
  const problem = run.error instanceof ApiError && run.error.status === 400 ? run.error : null;
  const problemField = problem?.problem.errors?.[0]?.field;
  const knownField = fieldList.some((field) => field.name === problemField);
  const missing = file ? missingRequired(fieldList, chosen) : [];

  const choose = async (picked: File | null) => {
    changed();
    setChoice({});
    setFile(null);
    setFileProblem(null);
    if (!picked) return;
    if (picked.size > CUSTOMER_IMPORT_MAX_CHARS) {
      setFileProblem(t('customerImport.tooLarge'));
      return;
    }
    try {
      const text = await readFile(picked);
      setFile({ name: picked.name, text, header: csvHeader(text) });
    } catch {
      setFileProblem(t('customerImport.unreadable'));
    }
  };

  return (
    <>
      <PageHeader title={t('retention.title')} text={t('customerImport.text')} />
      <RetentionTabs active="import" />
      <Title order={2} size="h3" mb="sm">
        {t('customerImport.title')}
      </Title>
      <Stack>
        <Card withBorder>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('customerImport.kind')}
              allowDeselect={false}
              data={CUSTOMER_IMPORT_KINDS.map((k) => ({ value: k, label: t(`customerImport.kinds.${k}`) }))}
              value={kind}
              onChange={(value) => {
                if (!value) return;
                changed();
                setChoice({});
                setKind(value as CustomerImportKind);
              }}
            />
            <FileInput
              label={t('customerImport.file')}
              placeholder={t('customerImport.filePlaceholder')}
              accept=".csv,text/csv,text/plain"
              clearable
              leftSection={<IconFileTypeCsv size={16} />}
              error={fileProblem}
              onChange={(picked) => void choose(picked)}
            />
          </SimpleGrid>
          {file && (
            <Group gap={6} mt="sm" data-testid="csv-header">
              <Text size="sm" c="dimmed">
                {t('customerImport.header')}:
              </Text>
              {file.header.map((column, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a header may repeat a name
                <Code key={index}>{column}</Code>
              ))}
            </Group>
          )}
        </Card>

        {file && fieldList.length > 0 && (
          <Card withBorder>
            <Title order={3} size="h4">
              {t('customerImport.mappingTitle')}
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {t('customerImport.mappingText')}
              {kind === 'accounts' && ` ${t('customerImport.attributesNote')}`}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
              {fieldList.map((field) => (
                <Select
                  key={field.name}
                  label={
                    <Group gap={6} component="span">
                      {field.name}
                      <Badge size="xs" variant="light" color="gray">
                        {t(`customerImport.types.${field.type}`)}
                      </Badge>
                    </Group>
                  }
                  aria-label={field.name}
                  withAsterisk={field.required}
                  description={
                    field.aliases.length > 0
                      ? t('customerImport.alsoReads', { names: field.aliases.join(', ') })
                      : undefined
                  }
                  placeholder={t('customerImport.notInFile')}
                  // A column the server finds by its name is read anyway: only the others may be left out.
                  clearable={!suggested[field.name]}
                  data={[...new Set(file.header.filter((column) => column !== ''))]}
                  value={chosen[field.name] ?? null}
                  error={problem && problemField === field.name ? problem.message : undefined}
                  onChange={(value) => {
                    changed();
                    setChoice({ ...choice, [field.name]: value });
                  }}
                />
              ))}
            </SimpleGrid>
            <TextInput
              mt="md"
              maw={360}
              label={t('customerImport.dateFormat')}
              description={t('customerImport.dateFormatHelp')}
              placeholder="dd.MM.yyyy"
              value={dateFormat}
              onChange={(event) => {
                changed();
                setDateFormat(event.currentTarget.value);
              }}
            />
          </Card>
        )}

        {file && !problem && missing.length > 0 && (
          <Text size="sm" c="orange" data-testid="missing-required">
            {missing.map((name) => t('customerImport.missingColumn', { field: name })).join(' · ')}
          </Text>
        )}
        {problem && (
          <Alert
            color="red"
            data-testid="import-problem"
            title={
              knownField
                ? t('customerImport.missingColumn', { field: problemField })
                : t('customerImport.fileError')
            }
          >
            {problem.problem.errors?.map((e) => `${e.field}: ${e.message}`).join('; ') || problem.message}
          </Alert>
        )}

        {file && (
          <Group>
            <Button
              variant={checked ? 'default' : 'filled'}
              loading={run.isPending && run.variables === true}
              onClick={() => run.mutate(true)}
            >
              {t('customerImport.check')}
            </Button>
            <Button
              disabled={!checked}
              loading={run.isPending && run.variables === false}
              onClick={() => run.mutate(false)}
            >
              {t('customerImport.import')}
            </Button>
          </Group>
        )}

        {report && <ImportReportView report={report} />}
        {report && !report.dryRun && (
          <Group>
            <Button component={Link} to="/retention" variant="light">
              {t('customerImport.toList')}
            </Button>
          </Group>
        )}
      </Stack>
    </>
  );
}
