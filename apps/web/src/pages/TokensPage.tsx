import type { ApiToken, CreatedApiToken } from '@keepdesk/contract';
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle, IconKey, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { EmptyState } from '../components/EmptyState';
import { fieldErrors, notifyError, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';

function formatDate(value: string | null, never: string): string {
  return value ? new Date(value).toLocaleString() : never;
}

/** API tokens for scripts and integrations: sent as `Authorization: Bearer`, shown once, stored hashed. */
export function TokensPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const tokens = useQuery({
    queryKey: ['tokens'],
    queryFn: () => api.get<{ items: ApiToken[] }>('/tokens'),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete(`/tokens/${id}`),
    onSuccess: async () => {
      setRevoking(null);
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
      notifySaved(t, t('tokens.revoked'));
    },
    onError: (error) => notifyError(t, error),
  });
  const rows = tokens.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('tokens.title')}
        text={t('tokens.text')}
        action={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            {t('tokens.add')}
          </Button>
        }
      />
      <Card withBorder padding={0}>
        {rows.length === 0 && !tokens.isPending ? (
          <EmptyState icon={<IconKey />} title={t('tokens.emptyTitle')} text={t('tokens.emptyText')} />
        ) : (
          <Table verticalSpacing="sm" horizontalSpacing="md">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.name')}</Table.Th>
                <Table.Th>{t('tokens.prefix')}</Table.Th>
                <Table.Th>{t('tokens.owner')}</Table.Th>
                <Table.Th>{t('tokens.lastUsed')}</Table.Th>
                <Table.Th>{t('fields.status')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((token) => (
                <Table.Tr key={token.id}>
                  <Table.Td fw={500}>{token.name}</Table.Td>
                  <Table.Td>
                    <Code>{token.prefix}…</Code>
                  </Table.Td>
                  <Table.Td>{token.userEmail}</Table.Td>
                  <Table.Td>{formatDate(token.lastUsedAt, t('tokens.never'))}</Table.Td>
                  <Table.Td>
                    {token.revokedAt ? (
                      <Badge color="gray" variant="dot">
                        {t('tokens.statusRevoked')}
                      </Badge>
                    ) : (
                      <Badge color="teal" variant="dot">
                        {t('tokens.statusActive')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">
                    {!token.revokedAt && (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        aria-label={t('tokens.revokeNamed', { name: token.name })}
                        onClick={() => setRevoking(token)}
                      >
                        {t('tokens.revoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {creating && (
        <CreateTokenModal
          onClose={() => setCreating(false)}
          onCreated={(token) => {
            setCreating(false);
            setCreated(token);
          }}
        />
      )}
      {created && (
        <Modal opened onClose={() => setCreated(null)} title={t('tokens.createdTitle')} size="lg">
          <Stack>
            <Alert color="yellow" icon={<IconAlertTriangle size={18} />}>
              {t('tokens.onlyOnce')}
            </Alert>
            <Code block data-testid="new-token">
              {created.token}
            </Code>
            <Text size="sm" c="dimmed">
              {t('tokens.usage')}
            </Text>
            <Group justify="flex-end">
              <CopyButton value={created.token}>
                {({ copied, copy }) => (
                  <Button variant="light" onClick={copy}>
                    {copied ? t('tokens.copied') : t('tokens.copy')}
                  </Button>
                )}
              </CopyButton>
              <Button onClick={() => setCreated(null)}>{t('common.done')}</Button>
            </Group>
          </Stack>
        </Modal>
      )}
      {revoking && (
        <Modal opened onClose={() => setRevoking(null)} title={t('tokens.revokeTitle')}>
          <Stack>
            <Text>{t('tokens.revokeConfirm', { name: revoking.name })}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRevoking(null)}>
                {t('common.cancel')}
              </Button>
              <Button color="red" loading={revoke.isPending} onClick={() => revoke.mutate(revoking.id)}>
                {t('tokens.revoke')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </>
  );
}

function CreateTokenModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (token: CreatedApiToken) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => api.post<CreatedApiToken>('/tokens', { name }),
    onSuccess: async (token) => {
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
      onCreated(token);
    },
    onError: (error) => notifyUnlessFieldErrors(t, error),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={t('tokens.add')}>
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label={t('tokens.nameLabel')}
            description={t('tokens.nameHint')}
            required
            data-autofocus
            value={name}
            error={fieldErrors(create.error).name}
            onChange={(event) => setName(event.currentTarget.value)}
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
