import type { KbCategory } from '@keepdesk/contract';
import { ActionIcon, Button, Card, Group, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { IconFolders, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { EmptyState } from '../components/EmptyState';
import { fieldErrors, notifyError, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { categoriesQuery, nameIn } from './parts';

type Editing =
  | { kind: 'category'; id?: string; categoryId?: undefined; de: string; en: string; position: number }
  | { kind: 'section'; id?: string; categoryId: string; de: string; en: string; position: number };

/** Categories and their sections, in German and English: how the help center and the list are organised. */
export function CategoriesPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const categories = useQuery(categoriesQuery);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const invalidate = () => queryClient.invalidateQueries({ queryKey: ['kb', 'categories'] });
  const save = useMutation({
    mutationFn: (e: Editing) => {
      const names = { ...(e.de ? { de: e.de } : {}), ...(e.en ? { en: e.en } : {}) };
      const path = e.kind === 'category' ? '/kb/categories' : '/kb/sections';
      if (e.id) return api.patch(`${path}/${e.id}`, { names, position: e.position });
      return api.post(path, {
        names,
        position: e.position,
        ...(e.categoryId ? { categoryId: e.categoryId } : {}),
      });
    },
    onSuccess: () => {
      setEditing(null);
      setErrors({});
      void invalidate();
    },
    onError: (error) => {
      setErrors(fieldErrors(error));
      notifyUnlessFieldErrors(t, error);
    },
  });
  const remove = useMutation({
    mutationFn: (target: { kind: 'category' | 'section'; id: string }) =>
      api.delete(`/kb/${target.kind === 'category' ? 'categories' : 'sections'}/${target.id}`),
    onSuccess: () => void invalidate(),
    onError: (error) => notifyError(t, error),
  });
  const items = categories.data?.items ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (editing) save.mutate(editing);
  };
  const editCategory = (c: KbCategory) =>
    setEditing({
      kind: 'category',
      id: c.id,
      de: c.names.de ?? '',
      en: c.names.en ?? '',
      position: c.position,
    });
  return (
    <>
      <PageHeader
        title={t('knowledge.categories.title')}
        text={t('knowledge.categories.text')}
        action={
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => setEditing({ kind: 'category', de: '', en: '', position: items.length })}
          >
            {t('knowledge.categories.add')}
          </Button>
        }
      />
      {categories.isSuccess && items.length === 0 && (
        <EmptyState
          icon={<IconFolders size={24} />}
          title={t('knowledge.categories.emptyTitle')}
          text={t('knowledge.categories.emptyText')}
        />
      )}
      <Stack>
        {items.map((category) => (
          <Card key={category.id} withBorder data-testid="kb-category">
            <Group justify="space-between">
              <Text fw={600}>{nameIn(category.names, i18n.language)}</Text>
              <Group gap={4}>
                <ActionIcon
                  variant="subtle"
                  aria-label={t('common.edit')}
                  onClick={() => editCategory(category)}
                >
                  <IconPencil size={16} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('common.delete')}
                  onClick={() => {
                    if (window.confirm(t('knowledge.categories.confirmDelete'))) {
                      remove.mutate({ kind: 'category', id: category.id });
                    }
                  }}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            </Group>
            <Stack gap={2} mt="xs" ml="md">
              {category.sections.map((section) => (
                <Group key={section.id} justify="space-between">
                  <Text size="sm">{nameIn(section.names, i18n.language)}</Text>
                  <Group gap={4}>
                    <ActionIcon
                      size="sm"
                      variant="subtle"
                      aria-label={t('common.edit')}
                      onClick={() =>
                        setEditing({
                          kind: 'section',
                          id: section.id,
                          categoryId: category.id,
                          de: section.names.de ?? '',
                          en: section.names.en ?? '',
                          position: section.position,
                        })
                      }
                    >
                      <IconPencil size={14} />
                    </ActionIcon>
                    <ActionIcon
                      size="sm"
                      variant="subtle"
                      color="red"
                      aria-label={t('common.delete')}
                      onClick={() => remove.mutate({ kind: 'section', id: section.id })}
                    >
                      <IconTrash size={14} />
                    </ActionIcon>
                  </Group>
                </Group>
              ))}
              <Button
                size="compact-sm"
                variant="subtle"
                w="fit-content"
                leftSection={<IconPlus size={14} />}
                onClick={() =>
                  setEditing({
                    kind: 'section',
                    categoryId: category.id,
                    de: '',
                    en: '',
                    position: category.sections.length,
                  })
                }
              >
                {t('knowledge.categories.addSection')}
              </Button>
            </Stack>
          </Card>
        ))}
      </Stack>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={t(
          editing?.kind === 'section' ? 'knowledge.categories.section' : 'knowledge.categories.category',
        )}
      >
        {editing && (
          <form onSubmit={submit}>
            <Stack>
              <TextInput
                label={t('knowledge.categories.nameEn')}
                value={editing.en}
                error={errors.names}
                onChange={(event) => setEditing({ ...editing, en: event.currentTarget.value })}
              />
              <TextInput
                label={t('knowledge.categories.nameDe')}
                value={editing.de}
                onChange={(event) => setEditing({ ...editing, de: event.currentTarget.value })}
              />
              <NumberInput
                label={t('knowledge.categories.position')}
                min={0}
                value={editing.position}
                onChange={(value) => setEditing({ ...editing, position: Number(value) || 0 })}
              />
              {errors.slug && (
                <Text c="red" size="sm">
                  {errors.slug}
                </Text>
              )}
              <Group justify="flex-end">
                <Button type="submit" loading={save.isPending}>
                  {t('common.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
}
