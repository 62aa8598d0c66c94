import { Button, Menu } from '@mantine/core';
import { IconChevronDown, IconDownload } from '@tabler/icons-react';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { query } from '../../api';
import type { MetricsSearch } from './data';

const REPORTS = [
  { key: 'retention', path: '/api/v1/reports/retention' },
  { key: 'churnAnalysis', path: '/api/v1/reports/churn-analysis' },
] as const;

/**
 * The retention report of the range shown and the churn analysis (by default the last complete quarter), as PDF
 * or XLSX in the interface language.
 */
export function ReportDownloads({ search }: { search: MetricsSearch }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language.startsWith('de') ? 'de' : 'en';
  const href = (report: (typeof REPORTS)[number], format: 'pdf' | 'xlsx') =>
    `${report.path}${query({
      ...(report.key === 'retention' ? { from: search.from, to: search.to, period: search.period } : {}),
      currency: search.currency,
      format,
      language,
    })}`;
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          rightSection={<IconChevronDown size={14} />}
        >
          {t('retentionMetrics.reports.button')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {REPORTS.map((report) => (
          <Fragment key={report.key}>
            <Menu.Label>{t(`retentionMetrics.reports.${report.key}`)}</Menu.Label>
            {(['pdf', 'xlsx'] as const).map((format) => (
              <Menu.Item key={format} component="a" href={href(report, format)} download>
                {t(`retentionMetrics.reports.${format}`)}
              </Menu.Item>
            ))}
          </Fragment>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
