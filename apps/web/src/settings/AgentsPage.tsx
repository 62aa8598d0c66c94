import type { AgentRouting, AgentRoutingList } from '@keepdesk/contract';
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Progress,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTrash, IconUserCog } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ChangeLogCard } from '../components/ChangeLogCard';
import { EmptyState } from '../components/EmptyState';
import { fieldErrors, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { can, useMe } from '../session';

const PRESENCE_COLOR = { online: 'green', away: 'yellow', offline: 'gray' } as const;

/** Agents as routing sees them: presence, load against capacity, skills with levels, languages. */
export function AgentsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const mayManage = can(me, 'teams:manage');
  const [editing, setEditing] = useState<AgentRouting | null>(null);
  const agents = useQuery({
    queryKey: ['routing-agents'],
    queryFn: () => api.get<AgentRoutingList>('/routing/agents'),
    refetchInterval: 15_000,
  });
  const items = agents.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('agentAdmin.title')} text={t('agentAdmin.text')} />
      <Tabs defaultValue="agents">
        <Tabs.List mb="sm">
          <Tabs.Tab value="agents">{t('agentAdmin.title')}</Tabs.Tab>
          {can(me, 'tickets:admin') && <Tabs.Tab value="log">{t('rules.changeLog')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="agents">
          <Card withBorder padding={0}>
            {agents.isSuccess && items.length === 0 ? (
              <EmptyState
                icon={<IconUserCog size={24} />}
                title={t('agentAdmin.emptyTitle')}
                text={t('agentAdmin.emptyText')}
              />
            ) : (
              <Table verticalSpacing="sm" highlightOnHover aria-label={t('agentAdmin.title')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('agentAdmin.agent')}</Table.Th>
                    <Table.Th>{t('agentAdmin.load')}</Table.Th>
                    <Table.Th>{t('agentAdmin.skills')}</Table.Th>
                    <Table.Th>{t('agentAdmin.languages')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((agent) => (
                    <Table.Tr key={agent.user.id} data-testid="agent-routing">
                      <Table.Td>
                        <Group gap={6}>
                          <Text fw={600}>{agent.user.name}</Text>
                          <Badge size="sm" variant="light" color={PRESENCE_COLOR[agent.presence]}>
                            {t(`availability.${agent.presence}`)}
                          </Badge>
                        </Group>
                      </Table.Td>
                      <Table.Td w={180}>
                        <Text size="xs">
                          {t('agentAdmin.loadOf', { load: agent.load, capacity: agent.capacity })}
                        </Text>
                        <Progress
                          size="sm"
                          value={
                            agent.capacity > 0 ? Math.min(100, (agent.load / agent.capacity) * 100) : 100
                          }
                          color={agent.load >= agent.capacity ? 'red' : 'blue'}
                          aria-label={t('agentAdmin.load')}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {Object.entries(agent.skills).map(([skill, level]) => (
                            <Badge key={skill} size="sm" variant="outline">
                              {skill} {level}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                      <Table.Td w={110}>{agent.languages.join(', ').toUpperCase()}</Table.Td>
                      <Table.Td w={90}>
                        {mayManage && (
                          <Button size="xs" variant="light" onClick={() => setEditing(agent)}>
                            {t('common.edit')}
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
        </Tabs.Panel>
        <Tabs.Panel value="log">
          <ChangeLogCard
            entityType="user"
            nameOf={(id) => items.find((a) => a.user.id === id)?.user.name}
            filter={(action) => action === 'user.routing_changed'}
            withTitle={false}
          />
        </Tabs.Panel>
      </Tabs>
      {editing && <AgentModal agent={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function AgentModal({ agent, onClose }: { agent: AgentRouting; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [capacity, setCapacity] = useState<number>(agent.capacity);
  const [skills, setSkills] = useState<{ name: string; level: number }[]>(
    Object.entries(agent.skills).map(([name, level]) => ({ name, level })),
  );
  const [languages, setLanguages] = useState<string[]>(agent.languages);
  const save = useMutation({
    mutationFn: () =>
      api.put<AgentRouting>(`/routing/agents/${agent.user.id}`, {
        capacity,
        skills: Object.fromEntries(skills.filter((s) => s.name.trim()).map((s) => [s.name.trim(), s.level])),
        languages,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['routing-agents'] });
      await queryClient.invalidateQueries({ queryKey: ['change-log', 'user'] });
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
    <Modal opened onClose={onClose} title={t('agentAdmin.edit', { name: agent.user.name })}>
      <form onSubmit={submit}>
        <Stack>
          <NumberInput
            label={t('agentAdmin.capacity')}
            description={t('agentAdmin.capacityHint')}
            min={0}
            max={500}
            value={capacity}
            error={errors.capacity}
            onChange={(value) => setCapacity(Number(value) || 0)}
          />
          <MultiSelect
            label={t('agentAdmin.languages')}
            data={[
              { value: 'de', label: 'Deutsch' },
              { value: 'en', label: 'English' },
            ]}
            value={languages}
            error={errors.languages}
            onChange={setLanguages}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('agentAdmin.skills')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('agentAdmin.skillsHint')}
            </Text>
            {skills.map((skill, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place
              <Group key={index} gap="xs" data-testid="skill">
                <TextInput
                  aria-label={t('agentAdmin.skill')}
                  placeholder="billing"
                  style={{ flex: 1 }}
                  value={skill.name}
                  error={errors[`skills.${skill.name}`]}
                  onChange={(e) =>
                    setSkills(skills.map((s, i) => (i === index ? { ...s, name: e.currentTarget.value } : s)))
                  }
                />
                <Select
                  aria-label={t('agentAdmin.level')}
                  w={90}
                  data={['1', '2', '3', '4', '5']}
                  value={String(skill.level)}
                  allowDeselect={false}
                  onChange={(value) =>
                    setSkills(skills.map((s, i) => (i === index ? { ...s, level: Number(value ?? 1) } : s)))
                  }
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('common.delete')}
                  onClick={() => setSkills(skills.filter((_, i) => i !== index))}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
            <Button
              size="xs"
              variant="subtle"
              w="fit-content"
              leftSection={<IconPlus size={14} />}
              onClick={() => setSkills([...skills, { name: '', level: 3 }])}
            >
              {t('agentAdmin.addSkill')}
            </Button>
          </Stack>
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
