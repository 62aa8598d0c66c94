import type { Role, RoleList } from '@keepdesk/contract';
import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconLock, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { fieldErrors, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';

/** Roles are data: each maps to a set of permissions; built-in roles can be adjusted, admin stays whole. */
export function RolesPage() {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const roles = useQuery({ queryKey: ['roles'], queryFn: () => api.get<RoleList>('/roles') });
  const all = roles.data?.permissions ?? [];
  return (
    <>
      <PageHeader
        title={t('roles.title')}
        text={t('roles.text')}
        action={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            {t('roles.add')}
          </Button>
        }
      />
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
        {(roles.data?.items ?? []).map((role) => {
          const locked = role.key === 'admin';
          return (
            <Card key={role.key} withBorder padding="lg">
              <Group justify="space-between" mb="xs">
                <Group gap={6}>
                  <Text fw={600}>{t(`roles.builtIn.${role.key}`, { defaultValue: role.name })}</Text>
                  {role.isBuiltIn && (
                    <Badge size="xs" variant="light" color="gray">
                      {t('roles.builtInBadge')}
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  {t('roles.userCount', { count: role.userCount })}
                </Text>
              </Group>
              <Group gap={4} mb="md">
                {role.permissions.length === 0 && (
                  <Text size="sm" c="dimmed">
                    {t('roles.none')}
                  </Text>
                )}
                {role.permissions.map((permission) => (
                  <Tooltip key={permission} label={permission}>
                    <Badge size="sm" variant="outline">
                      {t(`permissions.${permission}`, { defaultValue: permission })}
                    </Badge>
                  </Tooltip>
                ))}
              </Group>
              {locked ? (
                <Group gap={4}>
                  <IconLock size={14} />
                  <Text size="xs" c="dimmed">
                    {t('roles.adminLocked')}
                  </Text>
                </Group>
              ) : (
                <Button
                  size="xs"
                  variant="light"
                  w="fit-content"
                  aria-label={t('roles.editNamed', { name: role.name })}
                  onClick={() => setEditing(role)}
                >
                  {t('roles.edit')}
                </Button>
              )}
            </Card>
          );
        })}
      </SimpleGrid>
      {editing && (
        <RoleModal role={editing === 'new' ? null : editing} all={all} onClose={() => setEditing(null)} />
      )}
    </>
  );
}

function RoleModal({ role, all, onClose }: { role: Role | null; all: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [key, setKey] = useState(role?.key ?? '');
  const [name, setName] = useState(role?.name ?? '');
  const [permissions, setPermissions] = useState<string[]>(role?.permissions ?? []);
  const save = useMutation({
    mutationFn: () =>
      role
        ? api.patch<Role>(`/roles/${role.key}`, { name, permissions })
        : api.post<Role>('/roles', { key, name, permissions }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['roles'] });
      notifySaved(t);
      onClose();
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={role ? t('roles.edit') : t('roles.add')} size="lg">
      <form onSubmit={submit}>
        <Stack>
          <Group grow>
            <TextInput
              label={t('roles.key')}
              description={t('roles.keyHint')}
              required
              disabled={Boolean(role)}
              value={key}
              error={errors.key}
              onChange={(event) => setKey(event.currentTarget.value)}
            />
            <TextInput
              label={t('fields.name')}
              required
              value={name}
              error={errors.name}
              onChange={(event) => setName(event.currentTarget.value)}
            />
          </Group>
          <Checkbox.Group label={t('roles.permissions')} value={permissions} onChange={setPermissions}>
            <SimpleGrid cols={2} mt="xs">
              {all.map((permission) => (
                <Checkbox
                  key={permission}
                  value={permission}
                  label={t(`permissions.${permission}`, { defaultValue: permission })}
                />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
