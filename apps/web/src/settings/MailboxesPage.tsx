import type { Mailbox, MailboxList, TeamPage } from '@keepdesk/contract';
import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconMail, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { EmptyState } from '../components/EmptyState';
import { fieldErrors, notifySaved, notifyUnlessFieldErrors } from '../components/feedback';
import { PageHeader } from '../components/PageHeader';
import { relativeTime } from '../tickets/format';

/** Support addresses: where their mail goes, how it is acknowledged, and whether mail is arriving. */
export function MailboxesPage() {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState<Mailbox | 'new' | null>(null);
  const mailboxes = useQuery({ queryKey: ['mailboxes'], queryFn: () => api.get<MailboxList>('/mailboxes') });
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: () => api.get<TeamPage>(`/teams${query({ limit: 200 })}`),
  });
  const teamName = (id: string | null) => teams.data?.items.find((team) => team.id === id)?.name ?? '—';
  const items = mailboxes.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('mailboxes.title')}
        text={t('mailboxes.text')}
        action={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            {t('mailboxes.add')}
          </Button>
        }
      />
      <Card withBorder padding={0}>
        {mailboxes.isSuccess && items.length === 0 ? (
          <EmptyState
            icon={<IconMail size={24} />}
            title={t('mailboxes.emptyTitle')}
            text={t('mailboxes.emptyText')}
          />
        ) : (
          <Table verticalSpacing="sm" highlightOnHover aria-label={t('mailboxes.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('mailboxes.address')}</Table.Th>
                <Table.Th>{t('tickets.team')}</Table.Th>
                <Table.Th>{t('mailboxes.health')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((mailbox) => (
                <Table.Tr key={mailbox.id}>
                  <Table.Td>
                    <Text fw={600}>{mailbox.address}</Text>
                    <Text size="xs" c="dimmed">
                      {mailbox.senderName}
                    </Text>
                  </Table.Td>
                  <Table.Td>{teamName(mailbox.teamId)}</Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      {!mailbox.active && <Badge color="gray">{t('mailboxes.inactive')}</Badge>}
                      {mailbox.lastError && <Badge color="red">{t('mailboxes.error')}</Badge>}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {mailbox.lastReceivedAt
                        ? t('mailboxes.lastReceived', {
                            when: relativeTime(mailbox.lastReceivedAt, i18n.language),
                          })
                        : t('mailboxes.nothingYet')}
                    </Text>
                    {mailbox.imapUrl && (
                      <Text size="xs" c="dimmed">
                        {mailbox.lastPolledAt
                          ? t('mailboxes.lastPolled', {
                              folder: mailbox.imapFolder,
                              when: relativeTime(mailbox.lastPolledAt, i18n.language),
                            })
                          : t('mailboxes.notPolledYet', { folder: mailbox.imapFolder })}
                      </Text>
                    )}
                    {mailbox.lastError && (
                      <Text size="xs" c="red">
                        {mailbox.lastError}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="light" onClick={() => setEditing(mailbox)}>
                      {t('common.edit')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {editing && (
        <MailboxModal
          mailbox={editing === 'new' ? null : editing}
          teams={(teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name }))}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}

function MailboxModal({
  mailbox,
  teams,
  onClose,
}: {
  mailbox: Mailbox | null;
  teams: { value: string; label: string }[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    address: mailbox?.address ?? '',
    senderName: mailbox?.senderName ?? '',
    teamId: mailbox?.teamId ?? null,
    signature: mailbox?.signature ?? '',
    autoAcknowledge: mailbox?.autoAcknowledge ?? true,
    reopenSolved: mailbox?.reopenSolved ?? true,
    ackSubjectEn: mailbox?.ackSubjectEn,
    ackBodyEn: mailbox?.ackBodyEn,
    ackSubjectDe: mailbox?.ackSubjectDe,
    ackBodyDe: mailbox?.ackBodyDe,
    smtpUrl: '',
    imapUrl: '',
    imapFolder: mailbox?.imapFolder ?? 'INBOX',
    active: mailbox?.active ?? true,
  });
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) =>
    setForm({ ...form, [key]: value });
  const save = useMutation({
    mutationFn: () => {
      const { address, smtpUrl, imapUrl, ...rest } = form;
      // An empty SMTP or IMAP field keeps the saved one (it is never shown); new mailboxes use the global
      // transport and take mail by SMTP or API only.
      const smtp = {
        ...(smtpUrl.trim() ? { smtpUrl: smtpUrl.trim() } : {}),
        ...(imapUrl.trim() ? { imapUrl: imapUrl.trim() } : {}),
      };
      return mailbox
        ? api.patch<Mailbox>(`/mailboxes/${mailbox.id}`, { ...rest, ...smtp })
        : api.post<Mailbox>('/mailboxes', { address, ...rest, ...smtp });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['mailboxes'] });
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
    <Modal opened onClose={onClose} title={mailbox ? t('mailboxes.edit') : t('mailboxes.add')} size="lg">
      <form onSubmit={submit}>
        <Stack>
          <Group grow align="flex-start">
            <TextInput
              label={t('mailboxes.address')}
              required
              disabled={Boolean(mailbox)}
              value={form.address}
              error={errors.address}
              onChange={(e) => set('address', e.currentTarget.value)}
            />
            <TextInput
              label={t('mailboxes.senderName')}
              required
              value={form.senderName}
              error={errors.senderName}
              onChange={(e) => set('senderName', e.currentTarget.value)}
            />
          </Group>
          <Select
            label={t('tickets.team')}
            clearable
            data={teams}
            value={form.teamId}
            error={errors.teamId}
            onChange={(value) => set('teamId', value)}
          />
          <Textarea
            label={t('mailboxes.signature')}
            description={t('mailboxes.signatureHint', { portal: '{{portal_url}}' })}
            autosize
            minRows={2}
            value={form.signature}
            onChange={(e) => set('signature', e.currentTarget.value)}
          />
          <Checkbox
            label={t('mailboxes.autoAcknowledge')}
            description={t('mailboxes.autoAcknowledgeHint')}
            checked={form.autoAcknowledge}
            onChange={(e) => set('autoAcknowledge', e.currentTarget.checked)}
          />
          <Checkbox
            label={t('mailboxes.reopenSolved')}
            description={t('mailboxes.reopenSolvedHint')}
            checked={form.reopenSolved}
            onChange={(e) => set('reopenSolved', e.currentTarget.checked)}
          />
          {mailbox && (
            <Tabs defaultValue="en">
              <Tabs.List>
                <Tabs.Tab value="en">English</Tabs.Tab>
                <Tabs.Tab value="de">Deutsch</Tabs.Tab>
              </Tabs.List>
              {(['En', 'De'] as const).map((language) => (
                <Tabs.Panel key={language} value={language.toLowerCase()} pt="xs">
                  <Stack gap="xs">
                    <TextInput
                      label={t('mailboxes.ackSubject')}
                      value={form[`ackSubject${language}`] ?? ''}
                      onChange={(e) => set(`ackSubject${language}`, e.currentTarget.value)}
                    />
                    <Textarea
                      label={t('mailboxes.ackBody')}
                      description={t('mailboxes.ackHint', {
                        number: '{{number}}',
                        subject: '{{subject}}',
                        portal: '{{portal_url}}',
                      })}
                      autosize
                      minRows={3}
                      value={form[`ackBody${language}`] ?? ''}
                      onChange={(e) => set(`ackBody${language}`, e.currentTarget.value)}
                    />
                  </Stack>
                </Tabs.Panel>
              ))}
            </Tabs>
          )}
          <TextInput
            label={t('mailboxes.smtpUrl')}
            description={
              mailbox?.smtpUrl ? t('mailboxes.smtpSaved', { url: mailbox.smtpUrl }) : t('mailboxes.smtpHint')
            }
            placeholder="smtp://user:password@mail.example.com:587"
            value={form.smtpUrl}
            error={errors.smtpUrl}
            onChange={(e) => set('smtpUrl', e.currentTarget.value)}
          />
          <Group grow align="flex-start">
            <TextInput
              label={t('mailboxes.imapUrl')}
              description={
                mailbox?.imapUrl
                  ? t('mailboxes.smtpSaved', { url: mailbox.imapUrl })
                  : t('mailboxes.imapHint')
              }
              placeholder="imaps://user:password@imap.example.com"
              value={form.imapUrl}
              error={errors.imapUrl}
              onChange={(e) => set('imapUrl', e.currentTarget.value)}
            />
            <TextInput
              label={t('mailboxes.imapFolder')}
              value={form.imapFolder}
              error={errors.imapFolder}
              onChange={(e) => set('imapFolder', e.currentTarget.value)}
            />
          </Group>
          {mailbox && (
            <Checkbox
              label={t('mailboxes.active')}
              checked={form.active}
              onChange={(e) => set('active', e.currentTarget.checked)}
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
        </Stack>
      </form>
    </Modal>
  );
}
