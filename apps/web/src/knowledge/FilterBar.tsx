import type { KbCategory } from '@keepdesk/contract';
import { Button, Group, Select, Stack, Switch, TextInput } from '@mantine/core';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../components/EmptyState';
import { useColleagues } from '../tickets/colleagues';
import { type Filters, MINE } from './list-filters';
import { nameIn } from './parts';

/** The list's filters: text, status, type, visibility, language, owner, category and its sections, and more. */
export function FilterBar({
  filters,
  onChange,
  categories,
  myUserId,
}: {
  filters: Filters;
  onChange: (patch: Partial<Filters>) => void;
  categories: KbCategory[];
  myUserId: string;
}) {
  const { t, i18n } = useTranslation();
  const colleagues = useColleagues();
  const option = (value: string, key: string) => ({ value, label: t(key) });
  const sections = categories.find((c) => c.id === filters.categoryId)?.sections ?? [];
  return (
    <Group gap="xs" mb="md" align="flex-end" wrap="wrap">
      <TextInput
        leftSection={<IconSearch size={16} />}
        placeholder={t('knowledge.filters.search')}
        aria-label={t('knowledge.filters.search')}
        value={filters.q}
        onChange={(event) => onChange({ q: event.currentTarget.value })}
        w={220}
      />
      <Select
        aria-label={t('knowledge.filters.status')}
        placeholder={t('knowledge.filters.status')}
        clearable
        w={150}
        value={filters.status ?? null}
        onChange={(value) => onChange({ status: value ?? undefined })}
        data={['draft', 'in_review', 'published', 'archived'].map((s) => option(s, `knowledge.status.${s}`))}
      />
      <Select
        aria-label={t('knowledge.filters.kind')}
        placeholder={t('knowledge.filters.kind')}
        clearable
        w={130}
        value={filters.kind ?? null}
        onChange={(value) => onChange({ kind: value ?? undefined })}
        data={[option('article', 'knowledge.kind.article'), option('policy', 'knowledge.kind.policy')]}
      />
      <Select
        aria-label={t('knowledge.filters.visibility')}
        placeholder={t('knowledge.filters.visibility')}
        clearable
        w={140}
        value={filters.visibility ?? null}
        onChange={(value) => onChange({ visibility: value ?? undefined })}
        data={[
          option('internal', 'knowledge.visibility.internal'),
          option('public', 'knowledge.visibility.public'),
        ]}
      />
      <Select
        aria-label={t('knowledge.filters.language')}
        placeholder={t('knowledge.filters.language')}
        clearable
        w={120}
        value={filters.language ?? null}
        onChange={(value) => onChange({ language: value ?? undefined })}
        data={[
          { value: 'de', label: 'Deutsch' },
          { value: 'en', label: 'English' },
        ]}
      />
      <Select
        aria-label={t('knowledge.filters.owner')}
        placeholder={t('knowledge.filters.owner')}
        clearable
        searchable
        w={180}
        value={filters.owner ?? null}
        onChange={(value) => onChange({ owner: value ?? undefined })}
        data={[
          option(MINE, 'knowledge.filters.mine'),
          ...colleagues.filter((u) => u.id !== myUserId).map((u) => ({ value: u.id, label: u.name })),
        ]}
      />
      <Select
        aria-label={t('knowledge.filters.category')}
        placeholder={t('knowledge.filters.category')}
        clearable
        w={170}
        value={filters.categoryId ?? null}
        // A section belongs to one category: choosing another category drops it.
        onChange={(value) => onChange({ categoryId: value ?? undefined, sectionId: undefined })}
        data={categories.map((c) => ({ value: c.id, label: nameIn(c.names, i18n.language) }))}
      />
      <Select
        aria-label={t('knowledge.filters.section')}
        placeholder={t('knowledge.filters.section')}
        title={filters.categoryId ? undefined : t('knowledge.filters.sectionHint')}
        clearable
        w={170}
        disabled={sections.length === 0}
        value={filters.sectionId ?? null}
        onChange={(value) => onChange({ sectionId: value ?? undefined })}
        data={sections.map((s) => ({ value: s.id, label: nameIn(s.names, i18n.language) }))}
      />
      <Select
        aria-label={t('knowledge.filters.missing')}
        placeholder={t('knowledge.filters.missing')}
        clearable
        w={170}
        value={filters.missingTranslation ?? null}
        onChange={(value) => onChange({ missingTranslation: value ?? undefined })}
        data={[
          { value: 'de', label: t('knowledge.missingLanguage', { language: 'DE' }) },
          { value: 'en', label: t('knowledge.missingLanguage', { language: 'EN' }) },
        ]}
      />
      <Switch
        label={t('knowledge.needsReview')}
        checked={filters.needsReview}
        onChange={(event) => onChange({ needsReview: event.currentTarget.checked })}
      />
      <Switch
        label={t('knowledge.filters.pendingRevision')}
        checked={filters.pendingRevision}
        onChange={(event) => onChange({ pendingRevision: event.currentTarget.checked })}
      />
    </Group>
  );
}

/** The empty list under filters: say that nothing matches, and offer to clear them. */
export function NoMatch({ onClear }: { onClear: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack align="center" gap={0} pb="xl" data-testid="kb-no-match">
      <EmptyState
        icon={<IconFilterOff size={24} />}
        title={t('knowledge.noMatchTitle')}
        text={t('knowledge.noMatchText')}
      />
      <Button variant="light" onClick={onClear}>
        {t('knowledge.filters.clear')}
      </Button>
    </Stack>
  );
}
