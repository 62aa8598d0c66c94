import type { ReportFormat } from '@keepdesk/contract';
import { ActionIcon, Button, Menu } from '@mantine/core';
import { IconDownload, IconFileSpreadsheet, IconFileText, IconFileTypePdf } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifyError } from '../components/feedback';
import { currentLanguage } from '../i18n';
import { useMe } from '../session';
import { downloadExport, type Query } from './data';

/** "Export" → PDF / CSV / Excel: the server renders the file from these queries, the browser saves it. */
export function ExportMenu({
  title,
  queries,
  compact = false,
}: {
  title: string;
  queries: Query[];
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const [busy, setBusy] = useState(false);
  const save = async (format: ReportFormat) => {
    setBusy(true);
    try {
      await downloadExport(
        { format, title, queries: queries.map((q) => ({ grain: 'day', ...q })), language: currentLanguage() },
        me.csrfToken,
      );
    } catch (error) {
      notifyError(t, error);
    } finally {
      setBusy(false);
    }
  };
  const label = t('reports.export.label', { title });
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        {compact ? (
          <ActionIcon variant="subtle" color="gray" aria-label={label} loading={busy}>
            <IconDownload size={16} />
          </ActionIcon>
        ) : (
          <Button
            variant="default"
            leftSection={<IconDownload size={16} />}
            loading={busy}
            aria-label={label}
          >
            {t('reports.export.button')}
          </Button>
        )}
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconFileTypePdf size={16} />} onClick={() => void save('pdf')}>
          {t('reports.export.pdf')}
        </Menu.Item>
        <Menu.Item leftSection={<IconFileText size={16} />} onClick={() => void save('csv')}>
          {t('reports.export.csv')}
        </Menu.Item>
        <Menu.Item leftSection={<IconFileSpreadsheet size={16} />} onClick={() => void save('xlsx')}>
          {t('reports.export.xlsx')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
