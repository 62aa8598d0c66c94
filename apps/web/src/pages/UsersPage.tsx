import type { CreateUserBody, RoleList, UpdateUserBody, User, UserPage } from '@keepdesk/contract';
import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch, IconUsers } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { EmptyState } from '../components/EmptyState';
import { fieldErrors, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { can, useMe } from '../session';
import { timeZones } from '../timezones';

const LANGUAGES = [
  { value: 'de', label: 'Deutsch' },
  { value: 'en', label: 'English' },
];

function useRoles() {
  return useQuery({ queryKey: ['roles'], queryFn: () => api.get<RoleList>('/roles') });
}

export function UsersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const mayManage = can(me, 'users:manage');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const users = useInfiniteQuery({
    queryKey: ['users', q],
    queryFn: ({ pageParam }) => api.get<UserPage>(`/users${query({ q, cursor: pageParam, limit: 50 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = users.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title={t('users.title')}
        text={t('users.text')}
        action={
          mayManage && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              {t('users.add')}
            </Button>
          )
        }
      />
      <TextInput
        mb="md"
        maw={360}
        leftSection={<IconSearch size={16} />}
        placeholder={t('users.search')}
        aria-label={t('users.search')}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
      />
      <Card withBorder padding={0}>
        {rows.length === 0 && !users.isPending ? (
          <EmptyState icon={<IconUsers />} title={t('users.emptyTitle')} text={t('users.emptyText')} />
        ) : (
          <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.name')}</Table.Th>
                <Table.Th>{t('fields.email')}</Table.Th>
                <Table.Th>{t('fields.role')}</Table.Th>
                <Table.Th>{t('fields.language')}</Table.Th>
                <Table.Th>{t('fields.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((user) => (
                <Table.Tr
                  key={user.id}
                  style={{ cursor: mayManage ? 'pointer' : undefined }}
                  onClick={() => mayManage && setEditing(user)}
                >
                  <Table.Td fw={500}>{user.name}</Table.Td>
                  <Table.Td>{user.email}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">
                      {t(`roles.builtIn.${user.role}`, { defaultValue: user.role })}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{user.language === 'de' ? 'Deutsch' : 'English'}</Table.Td>
                  <Table.Td>
                    <Badge color={user.isActive ? 'teal' : 'gray'} variant="dot">
                      {user.isActive ? t('users.active') : t('users.inactive')}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {users.hasNextPage && (
        <Button
          variant="subtle"
          mt="sm"
          loading={users.isFetchingNextPage}
          onClick={() => users.fetchNextPage()}
        >
          {t('common.loadMore')}
        </Button>
      )}
      {editing && <UserModal user={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function UserModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const roles = useRoles();
  const [email, setEmail] = useState(user?.email ?? '');
  const [name, setName] = useState(user?.name ?? '');
  const [role, setRole] = useState(user?.role ?? 'agent');
  const [language, setLanguage] = useState<string>(user?.language ?? 'de');
  const [timeZone, setTimeZone] = useState(user?.timeZone ?? 'Europe/Berlin');
  const [password, setPassword] = useState('');
  const [isActive, setIsActive] = useState(user?.isActive ?? true);
  const save = useMutation({
    mutationFn: () => {
      if (user) {
        const body: UpdateUserBody = {
          name,
          role,
          language: language === 'de' ? 'de' : 'en',
          timeZone,
          isActive,
        };
        return api.patch<User>(`/users/${user.id}`, body);
      }
      const body: CreateUserBody = {
        email,
        name,
        role,
        language: language === 'de' ? 'de' : 'en',
        timeZone,
        password: password || undefined,
      };
      return api.post<User>('/users', body);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      notifySaved(t, user ? t('users.saved') : password ? t('users.created') : t('users.invited'));
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
    <Modal opened onClose={onClose} title={user ? t('users.edit') : t('users.add')} size="md">
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label={t('fields.email')}
            type="email"
            required
            disabled={Boolean(user)}
            value={email}
            error={errors.email}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
          <TextInput
            label={t('fields.name')}
            required
            value={name}
            error={errors.name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <Select
            label={t('fields.role')}
            value={role}
            error={errors.role}
            allowDeselect={false}
            onChange={(value) => setRole(value ?? 'agent')}
            data={(roles.data?.items ?? []).map((r) => ({
              value: r.key,
              label: t(`roles.builtIn.${r.key}`, { defaultValue: r.name }),
            }))}
          />
          <Group grow>
            <Select
              label={t('fields.language')}
              value={language}
              allowDeselect={false}
              onChange={(value) => setLanguage(value ?? 'en')}
              data={LANGUAGES}
            />
            <Select
              label={t('fields.timeZone')}
              searchable
              value={timeZone}
              error={errors.timeZone}
              allowDeselect={false}
              onChange={(value) => setTimeZone(value ?? 'Europe/Berlin')}
              data={timeZones()}
            />
          </Group>
          {user ? (
            <Switch
              label={t('users.activeLabel')}
              checked={isActive}
              onChange={(event) => setIsActive(event.currentTarget.checked)}
            />
          ) : (
            <PasswordInput
              label={t('fields.password')}
              description={t('users.passwordHint')}
              autoComplete="new-password"
              value={password}
              error={errors.password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
          {user && (
            <Text size="xs" c="dimmed">
              {t('users.lastLogin', {
                when: user.lastLoginAt ? new Date(user.lastLoginAt).toLocaleString() : t('users.never'),
              })}
            </Text>
          )}
        </Stack>
      </form>
    </Modal>
  );
}
