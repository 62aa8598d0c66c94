import type { Team, TeamDetail, TeamPage, TeamRouting, UserPage } from '@keepdesk/contract';
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Checkbox,
  Drawer,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPlus, IconTrash, IconUsersGroup } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { EmptyState } from '../components/EmptyState';
import { fieldErrors, notifyError, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { can, useMe } from '../session';

export function TeamsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const mayManage = can(me, 'teams:manage');
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: () => api.get<TeamPage>(`/teams${query({ limit: 200 })}`),
  });
  const rows = teams.data?.items ?? [];

  return (
    <>
      <PageHeader
        title={t('teams.title')}
        text={t('teams.text')}
        action={
          mayManage && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              {t('teams.add')}
            </Button>
          )
        }
      />
      <Card withBorder padding={0}>
        {rows.length === 0 && !teams.isPending ? (
          <EmptyState icon={<IconUsersGroup />} title={t('teams.emptyTitle')} text={t('teams.emptyText')} />
        ) : (
          <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.name')}</Table.Th>
                <Table.Th>{t('fields.description')}</Table.Th>
                <Table.Th>{t('teams.members')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((team) => (
                <Table.Tr key={team.id} style={{ cursor: 'pointer' }} onClick={() => setOpenId(team.id)}>
                  <Table.Td fw={500}>{team.name}</Table.Td>
                  <Table.Td c="dimmed">{team.description}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">{team.memberCount}</Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {creating && <CreateTeamModal onClose={() => setCreating(false)} onCreated={(id) => setOpenId(id)} />}
      {openId && <TeamDrawer id={openId} mayManage={mayManage} onClose={() => setOpenId(null)} />}
    </>
  );
}

function CreateTeamModal({ onClose, onCreated }: { onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () => api.post<Team>('/teams', { name, description }),
    onSuccess: async (team) => {
      await queryClient.invalidateQueries({ queryKey: ['teams'] });
      notifySaved(t, t('teams.created'));
      onClose();
      onCreated(team.id);
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const errors = fieldErrors(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={t('teams.add')}>
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label={t('fields.name')}
            required
            data-autofocus
            value={name}
            error={errors.name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <Textarea
            label={t('fields.description')}
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function TeamDrawer({ id, mayManage, onClose }: { id: string; mayManage: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const team = useQuery({ queryKey: ['teams', id], queryFn: () => api.get<TeamDetail>(`/teams/${id}`) });
  const [userSearch, setUserSearch] = useState('');
  const [newMember, setNewMember] = useState<string | null>(null);
  const [asLead, setAsLead] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const candidates = useQuery({
    queryKey: ['users', 'pick', userSearch],
    queryFn: () => api.get<UserPage>(`/users${query({ q: userSearch, limit: 20 })}`),
    enabled: mayManage,
  });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['teams'] });
  };
  const rename = useMutation({
    mutationFn: (body: { name?: string; description?: string }) => api.patch<Team>(`/teams/${id}`, body),
    onSuccess: async () => {
      await refresh();
      notifySaved(t);
    },
    onError: (error) => notifyError(t, error),
  });
  const addMember = useMutation({
    mutationFn: (userId: string) => api.put(`/teams/${id}/members/${userId}`, { isLead: asLead }),
    onSuccess: async () => {
      setNewMember(null);
      setAsLead(false);
      await refresh();
    },
    onError: (error) => notifyError(t, error),
  });
  const removeMember = useMutation({
    mutationFn: (userId: string) => api.delete(`/teams/${id}/members/${userId}`),
    onSuccess: refresh,
    onError: (error) => notifyError(t, error),
  });
  const remove = useMutation({
    mutationFn: () => api.delete(`/teams/${id}`),
    onSuccess: async () => {
      onClose();
      await refresh();
      notifySaved(t, t('teams.deleted'));
    },
    onError: (error) => notifyError(t, error),
  });
  const detail = team.data;
  const memberIds = new Set(detail?.members.map((m) => m.userId));

  return (
    <Drawer opened onClose={onClose} position="right" size="md" title={detail?.name ?? t('common.loading')}>
      {detail && (
        <Stack>
          {mayManage && (
            <TeamNameForm
              key={detail.id + detail.name + detail.description}
              team={detail}
              saving={rename.isPending}
              onSave={(body) => rename.mutate(body)}
            />
          )}
          <TeamRoutingSelect teamId={detail.id} disabled={!mayManage} />
          <Title order={3} size="h5">
            {t('teams.members')} ({detail.members.length})
          </Title>
          {detail.members.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('teams.noMembers')}
            </Text>
          ) : (
            <Table>
              <Table.Tbody>
                {detail.members.map((member) => (
                  <Table.Tr key={member.userId}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {member.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {member.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>{member.isLead && <Badge variant="light">{t('teams.lead')}</Badge>}</Table.Td>
                    <Table.Td w={40}>
                      {mayManage && (
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('teams.removeMember', { name: member.name })}
                          onClick={() => removeMember.mutate(member.userId)}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {mayManage && (
            <Card withBorder>
              <Stack gap="xs">
                <Select
                  label={t('teams.addMember')}
                  placeholder={t('teams.pickUser')}
                  searchable
                  searchValue={userSearch}
                  onSearchChange={setUserSearch}
                  value={newMember}
                  onChange={setNewMember}
                  filter={({ options }) => options}
                  data={(candidates.data?.items ?? [])
                    .filter((user) => !memberIds.has(user.id))
                    .map((user) => ({ value: user.id, label: `${user.name} <${user.email}>` }))}
                />
                <Checkbox
                  label={t('teams.asLead')}
                  checked={asLead}
                  onChange={(event) => setAsLead(event.currentTarget.checked)}
                />
                <Button
                  w="fit-content"
                  disabled={!newMember}
                  loading={addMember.isPending}
                  onClick={() => newMember && addMember.mutate(newMember)}
                >
                  {t('teams.addMemberButton')}
                </Button>
              </Stack>
            </Card>
          )}
          {mayManage &&
            (confirmDelete ? (
              <Group>
                <Text size="sm">{t('teams.deleteConfirm')}</Text>
                <Button color="red" size="xs" loading={remove.isPending} onClick={() => remove.mutate()}>
                  {t('common.delete')}
                </Button>
                <Button variant="default" size="xs" onClick={() => setConfirmDelete(false)}>
                  {t('common.cancel')}
                </Button>
              </Group>
            ) : (
              <Button
                variant="subtle"
                color="red"
                w="fit-content"
                leftSection={<IconTrash size={16} />}
                onClick={() => setConfirmDelete(true)}
              >
                {t('teams.delete')}
              </Button>
            ))}
        </Stack>
      )}
    </Drawer>
  );
}

function TeamNameForm({
  team,
  saving,
  onSave,
}: {
  team: TeamDetail;
  saving: boolean;
  onSave: (body: { name: string; description: string }) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(team.name);
  const [description, setDescription] = useState(team.description);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave({ name, description });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <TextInput
          label={t('fields.name')}
          required
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
        />
        <Textarea
          label={t('fields.description')}
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
        />
        <Button type="submit" variant="light" w="fit-content" loading={saving}>
          {t('common.save')}
        </Button>
      </Stack>
    </form>
  );
}

/** How the team's new tickets find an agent. */
function TeamRoutingSelect({ teamId, disabled }: { teamId: string; disabled: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const routing = useQuery({
    queryKey: ['teams', teamId, 'routing'],
    queryFn: () => api.get<TeamRouting>(`/teams/${teamId}/routing`),
  });
  const save = useMutation({
    mutationFn: (method: string) => api.put<TeamRouting>(`/teams/${teamId}/routing`, { method }),
    onSuccess: (next) => {
      queryClient.setQueryData(['teams', teamId, 'routing'], next);
      notifySaved(t);
    },
    onError: (error) => notifyError(t, error),
  });
  return (
    <Select
      label={t('routing.label')}
      description={t('routing.hint')}
      disabled={disabled}
      allowDeselect={false}
      data={(['manual', 'round_robin', 'least_loaded', 'skills'] as const).map((method) => ({
        value: method,
        label: t(`routing.method.${method}`),
      }))}
      value={routing.data?.method ?? null}
      onChange={(value) => value && save.mutate(value)}
    />
  );
}
