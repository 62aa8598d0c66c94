import type {
  Attachment,
  AttachmentList,
  Contact,
  Delivery,
  DeliveryList,
  FollowerList,
  Message,
  MessageList,
  TagList,
  TeamPage,
  Ticket,
  TicketEventList,
  TicketField,
  TicketPage as TicketPageData,
  TicketStatusList,
} from '@keepdesk/contract';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  FileButton,
  Group,
  Kbd,
  Modal,
  Paper,
  Pill,
  SegmentedControl,
  Select,
  Stack,
  Tabs,
  TagsInput,
  Text,
  Textarea,
  Timeline,
  Title,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import {
  IconArrowsSplit,
  IconBell,
  IconBellOff,
  IconFileDownload,
  IconLock,
  IconMessage,
  IconPaperclip,
  IconSend,
  IconUserCheck,
} from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, query } from '../api';
import { notifyError, notifySaved } from '../components/feedback';
import { ComplaintCard } from '../feedback/ComplaintsPage';
import { TicketFeedbackCard } from '../feedback/FeedbackItemsPage';
import { SatisfactionCard } from '../feedback/SatisfactionCard';
import { currentLanguage } from '../i18n';
import { CreateArticleFromAnswer, SuggestionsCard } from '../knowledge/SuggestionsCard';
import { usePresence } from '../live';
import { PhoneCard } from '../phone/PhoneCard';
import { RetentionGlanceCard } from '../retention/GlanceCard';
import { can, useMe } from '../session';
import { CustomFieldInputs, fieldLabel, formatFieldValue, useTicketFields } from './CustomFields';
import { useColleagues } from './colleagues';
import { formatBytes, PRIORITY_COLOR, relativeTime, STATUS_COLOR } from './format';
import { MacroPicker } from './MacroPicker';
import { DeliveryStatus, MessageBody } from './MessageExtras';
import { type Mentionable, mentionAt, textToHtml } from './mentions';
import { SlaBadge } from './SlaBadge';
import { SlaCard } from './SlaCard';
import { LinksCard, TicketMenu, useSplit } from './TicketLinks';
import { useWorkTimer } from './useWorkTimer';

const route = getRouteApi('/app/tickets/$ticketId');
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
const TYPES = ['question', 'incident', 'problem', 'task', 'complaint'] as const;

/** One ticket: the conversation, a reply box, its properties and the customer beside it. */
export function TicketPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { ticketId } = route.useParams();
  const queryClient = useQueryClient();
  const mayWrite = can(me, 'tickets:write');
  const [helpOpen, setHelpOpen] = useState(false);
  const [macroOpen, setMacroOpen] = useState(false);
  const [inserted, setInserted] = useState<{ text: string; at: number } | null>(null);
  const [typing, setTyping] = useState(false);
  const present = usePresence(ticketId, me.user.id, typing);
  // Where the work time on this ticket went when it was merged away (kept per ticket: the page is reused).
  const [workMoved, setWorkMoved] = useState<{ from: string; to: { id: string; number: number } } | null>(
    null,
  );
  useWorkTimer(ticketId, mayWrite, (to) => setWorkMoved({ from: ticketId, to }));
  const workMovedTo = workMoved?.from === ticketId ? workMoved.to : null;
  const ticket = useQuery({
    queryKey: ['tickets', ticketId],
    queryFn: () => api.get<Ticket>(`/tickets/${ticketId}`),
  });
  const messages = useQuery({
    queryKey: ['tickets', ticketId, 'messages'],
    queryFn: () => api.get<MessageList>(`/tickets/${ticketId}/messages`),
  });
  const deliveries = useQuery({
    queryKey: ['tickets', ticketId, 'deliveries'],
    queryFn: () => api.get<DeliveryList>(`/tickets/${ticketId}/deliveries`),
  });
  const events = useQuery({
    queryKey: ['tickets', ticketId, 'events'],
    queryFn: () => api.get<TicketEventList>(`/tickets/${ticketId}/events`),
  });
  const fields = useTicketFields();
  const people = useColleagues();
  const split = useSplit(ticketId);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['tickets', ticketId] });
  const update = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.patch<Ticket>(`/tickets/${ticketId}`, body),
    onSuccess: async (next) => {
      queryClient.setQueryData(['tickets', ticketId], next);
      await refresh();
      await queryClient.invalidateQueries({ queryKey: ['views'] });
      notifySaved(t, t('tickets.saved'));
    },
    onError: (error) => notifyError(t, error),
  });
  const composer = useRef<HTMLTextAreaElement>(null);
  const [visibility, setVisibility] = useState<'public' | 'internal'>('public');
  const focusComposer = (kind: 'public' | 'internal') => {
    setVisibility(kind);
    setTimeout(() => composer.current?.focus(), 0);
  };
  useHotkeys([
    ['r', () => focusComposer('public')],
    ['m', () => mayWrite && setMacroOpen(true)],
    [
      'a',
      () => {
        if (mayWrite && ticket.data && !ticket.data.assignee && ticket.data.statusCategory !== 'closed')
          update.mutate({ assigneeId: me.user.id });
      },
    ],
    ['s', () => document.querySelector<HTMLInputElement>('[data-shortcut="status"]')?.click()],
    ['n', () => focusComposer('internal')],
    ['shift+/', () => setHelpOpen(true)],
  ]);

  const data = ticket.data;
  if (!data) return <Text c="dimmed">{t('common.loading')}</Text>;
  const closed = data.statusCategory === 'closed';

  return (
    <Group align="flex-start" gap="lg" wrap="nowrap">
      <Stack style={{ flex: 1, minWidth: 0 }} gap="md">
        {workMovedTo && (
          <Alert color="blue" data-testid="work-moved">
            {t('tickets.workMerged', { number: workMovedTo.number })}{' '}
            <Anchor component={Link} to={`/tickets/${workMovedTo.id}`}>
              {t('tickets.openSurvivor', { number: workMovedTo.number })}
            </Anchor>
          </Alert>
        )}
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Anchor component={Link} to="/tickets" size="sm">
              ← {t('nav.tickets')}
            </Anchor>
            <Title order={1} size="h3">
              <Text span c="dimmed" inherit>
                #{data.number}
              </Text>{' '}
              {data.subject}
            </Title>
            {present.length > 0 && (
              <Group gap={6} data-testid="presence">
                {present.map((person) => (
                  <Badge
                    key={person.userId}
                    variant="outline"
                    color={person.state === 'typing' ? 'orange' : 'gray'}
                  >
                    {t(person.state === 'typing' ? 'presence.typing' : 'presence.viewing', {
                      name: person.name,
                    })}
                  </Badge>
                ))}
              </Group>
            )}
            <Group gap="xs">
              <Badge color={STATUS_COLOR[data.statusCategory]}>
                {t(`status.${data.status}`, { defaultValue: data.status })}
              </Badge>
              <Badge color={PRIORITY_COLOR[data.priority]} variant="dot">
                {t(`priority.${data.priority}`)}
              </Badge>
              <SlaBadge sla={data.sla} />
              <Text size="sm" c="dimmed">
                {t(`channel.${data.channel}`)} · {relativeTime(data.createdAt, i18n.language)}
              </Text>
            </Group>
          </Stack>
          <Group gap="xs">
            {mayWrite && !data.assignee && !closed && (
              <Button
                leftSection={<IconUserCheck size={16} />}
                onClick={() => update.mutate({ assigneeId: me.user.id })}
                loading={update.isPending}
              >
                {t('tickets.take')}
              </Button>
            )}
            {mayWrite && !closed && <TicketMenu ticket={data} />}
          </Group>
        </Group>
        <Tabs defaultValue="conversation">
          <Tabs.List>
            <Tabs.Tab value="conversation">{t('tickets.conversation')}</Tabs.Tab>
            <Tabs.Tab value="history">{t('tickets.history')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="conversation" pt="md">
            <Stack gap="sm">
              {messages.data?.items.map((message, index) => (
                <MessageCard
                  key={message.id}
                  message={message}
                  delivery={deliveries.data?.items.find((d) => d.messageId === message.id)}
                  language={i18n.language}
                  onSplit={mayWrite && !closed && index > 0 ? () => split.mutate(message.id) : undefined}
                  action={
                    can(me, 'kb:write') &&
                    message.authorKind === 'agent' &&
                    message.visibility === 'public' ? (
                      <CreateArticleFromAnswer ticket={data} message={message} />
                    ) : undefined
                  }
                />
              ))}
              {mayWrite && !closed && (
                <Group justify="flex-end">
                  <Button size="compact-xs" variant="subtle" onClick={() => setMacroOpen(true)}>
                    {t('macros.open')}
                  </Button>
                </Group>
              )}
              {mayWrite && !closed && (
                <Composer
                  inserted={inserted}
                  ticketId={ticketId}
                  visibility={visibility}
                  onVisibility={setVisibility}
                  textarea={composer}
                  latestMessageId={messages.data?.items.at(-1)?.id}
                  onTyping={setTyping}
                  onSent={async () => {
                    await refresh();
                    await queryClient.invalidateQueries({ queryKey: ['views'] });
                  }}
                />
              )}
              {closed && (
                <Text c="dimmed" size="sm">
                  {t('tickets.closedHint')}
                </Text>
              )}
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="history" pt="md">
            <Timeline bulletSize={12} lineWidth={2}>
              {events.data?.items.map((event) => (
                <Timeline.Item
                  key={event.id}
                  title={describeEvent(t, event, fields.data?.items ?? [], people)}
                >
                  <Text size="xs" c="dimmed">
                    {event.actor.kind === 'rule'
                      ? t('tickets.byRule', { name: event.actor.name })
                      : (event.actor.name ?? t('tickets.system'))}{' '}
                    · {new Date(event.createdAt).toLocaleString(i18n.language)}
                  </Text>
                </Timeline.Item>
              ))}
            </Timeline>
          </Tabs.Panel>
        </Tabs>
      </Stack>
      <Stack w={300} style={{ flexShrink: 0 }} gap="md">
        <Properties ticket={data} disabled={!mayWrite || closed} onChange={(body) => update.mutate(body)} />
        {can(me, 'kb:read') && (
          <SuggestionsCard
            ticketId={ticketId}
            disabled={!mayWrite || closed}
            onInsert={(text) => {
              setVisibility('public');
              setInserted({ text, at: Date.now() });
            }}
          />
        )}
        <FollowersCard ticketId={ticketId} myId={me.user.id} />
        <LinksCard ticket={data} disabled={!mayWrite || closed} />
        <SlaCard ticket={data} disabled={!mayWrite || closed} />
        <PhoneCard ticket={data} disabled={!mayWrite || closed} />
        <ComplaintCard ticket={data} disabled={!mayWrite || closed} />
        <SatisfactionCard ticketId={ticketId} />
        {mayWrite && <TicketFeedbackCard ticketId={ticketId} />}
        <RequesterCard ticket={data} />
        {can(me, 'customers:read') && <RetentionGlanceCard contactId={data.requester.id} />}
      </Stack>
      {macroOpen && (
        <MacroPicker
          ticketId={ticketId}
          onClose={() => setMacroOpen(false)}
          onApplied={(text, kind) => {
            setVisibility(kind);
            setInserted({ text, at: Date.now() });
          }}
        />
      )}
      <Modal opened={helpOpen} onClose={() => setHelpOpen(false)} title={t('shortcuts.title')}>
        <Stack gap="xs">
          {(['r', 'n', 'm', 'a', 's', 'ctrlEnter', 'jk', 'enter', 'c', 'search', 'help'] as const).map(
            (key) => (
              <Group key={key} justify="space-between">
                <Text size="sm">{t(`shortcuts.${key}.label`)}</Text>
                <Kbd>{t(`shortcuts.${key}.keys`)}</Kbd>
              </Group>
            ),
          )}
        </Stack>
      </Modal>
    </Group>
  );
}

function describeEvent(
  t: (key: string, options?: Record<string, unknown>) => string,
  event: TicketEventList['items'][number],
  fields: TicketField[],
  people: Mentionable[],
) {
  const nameOf = (id: unknown) => people.find((p) => p.id === id)?.name ?? String(id ?? '');
  if (event.kind === 'follower_added' || event.kind === 'follower_removed') {
    return t(`tickets.event.${event.kind}`, { name: nameOf(event.to ?? event.from) });
  }
  if (event.kind === 'merged' || event.kind === 'split' || event.kind === 'linked') {
    const detail = (event.to ?? event.from) as { number?: number } | null;
    return t(`tickets.event.${event.kind}`, { number: detail?.number ?? '' });
  }
  if (event.kind === 'changed' && event.field?.startsWith('customFields.')) {
    const field = fields.find((f) => `customFields.${f.key}` === event.field);
    const format = (value: unknown) => formatFieldValue(field, value, t('common.yes'), t('common.no'));
    return t('tickets.event.changed', {
      field: field ? fieldLabel(field) : event.field.slice('customFields.'.length),
      from: format(event.from),
      to: format(event.to),
    });
  }
  if (event.kind === 'changed' && event.field) {
    return t('tickets.event.changed', {
      field: t(`tickets.field.${event.field}`, { defaultValue: event.field }),
      from: formatValue(event.from),
      to: formatValue(event.to),
    });
  }
  if (event.kind === 'activity') {
    return t('tickets.event.activity', { name: (event.to as { name?: string } | null)?.name ?? '' });
  }
  if (event.kind === 'rule_failed') {
    return t('tickets.event.rule_failed', { error: (event.to as { error?: string } | null)?.error ?? '' });
  }
  return t(`tickets.event.${event.kind}`, { defaultValue: event.kind });
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.join(', ') || '—';
  return String(value);
}

function MessageCard({
  message,
  delivery,
  language,
  onSplit,
  action,
}: {
  message: Message;
  delivery?: Delivery;
  language: string;
  onSplit?: () => void;
  /** A link under the message (e.g. "create article from this answer"). */
  action?: ReactNode;
}) {
  const { t } = useTranslation();
  const internal = message.visibility === 'internal';
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      bg={internal ? 'var(--mantine-color-yellow-light)' : undefined}
      data-testid={internal ? 'internal-note' : 'public-message'}
    >
      <Group justify="space-between" mb={6}>
        <Group gap={6}>
          {internal ? <IconLock size={14} /> : <IconMessage size={14} />}
          <Text size="sm" fw={600}>
            {message.author.name || t('tickets.customer')}
          </Text>
          {internal && (
            <Badge size="xs" color="yellow" variant="filled">
              {t('tickets.internalNote')}
            </Badge>
          )}
        </Group>
        <Group gap={4}>
          {delivery && <DeliveryStatus ticketId={message.ticketId} delivery={delivery} />}
          {message.originalUrl && (
            <Tooltip label={t('tickets.original')}>
              <ActionIcon
                size="sm"
                variant="subtle"
                color="gray"
                component="a"
                href={message.originalUrl}
                download
                aria-label={t('tickets.original')}
              >
                <IconFileDownload size={14} />
              </ActionIcon>
            </Tooltip>
          )}
          <Text size="xs" c="dimmed">
            {relativeTime(message.createdAt, language)}
          </Text>
          {onSplit && (
            <Tooltip label={t('split.action')}>
              <ActionIcon
                size="sm"
                variant="subtle"
                color="gray"
                aria-label={t('split.action')}
                onClick={onSplit}
              >
                <IconArrowsSplit size={14} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      </Group>
      <MessageBody html={message.bodyHtml} />
      {action && (
        <Group justify="flex-end" mt={4}>
          {action}
        </Group>
      )}
      {message.attachments.length > 0 && (
        <Group gap="xs" mt="xs" data-testid="attachments">
          {message.attachments.map((file) => (
            <Anchor key={file.id} href={file.url} size="sm" download={file.fileName}>
              <Group gap={4} wrap="nowrap">
                <IconPaperclip size={14} />
                {file.fileName}
                <Text span size="xs" c="dimmed">
                  {formatBytes(file.size)}
                </Text>
              </Group>
            </Anchor>
          ))}
        </Group>
      )}
    </Paper>
  );
}

function Composer({
  ticketId,
  visibility,
  onVisibility,
  textarea,
  latestMessageId,
  onTyping,
  onSent,
  inserted,
}: {
  inserted: { text: string; at: number } | null;
  ticketId: string;
  visibility: 'public' | 'internal';
  onVisibility: (value: 'public' | 'internal') => void;
  textarea: React.RefObject<HTMLTextAreaElement | null>;
  latestMessageId: string | undefined;
  onTyping: (typing: boolean) => void;
  onSent: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const draftKey = `keepdesk:draft:${ticketId}`;
  const [body, setBody] = useState(() => localStorage.getItem(draftKey) ?? '');
  // A macro's text arrives here: after what is written already, never instead of it.
  useEffect(() => {
    if (!inserted) return;
    setBody((current) => (current.trim() ? `${current.trimEnd()}\n\n${inserted.text}` : inserted.text));
    setTimeout(() => textarea.current?.focus(), 0);
  }, [inserted, textarea]);
  // The newest message when this draft was started: a colleague's reply after it means answering twice.
  const [draftBase, setDraftBase] = useState<string | undefined>(undefined);
  const [collision, setCollision] = useState<string | null>(null);
  const [files, setFiles] = useState<Attachment[]>([]);
  const people = useColleagues();
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null);
  const [picked, setPicked] = useState(0);
  const candidates = mention
    ? people.filter((p) => p.name.toLowerCase().includes(mention.query.toLowerCase())).slice(0, 6)
    : [];
  const choose = (person: Mentionable) => {
    if (!mention || !textarea.current) return;
    const caret = textarea.current.selectionStart;
    const next = `${body.slice(0, mention.start)}@${person.name} ${body.slice(caret)}`;
    change(next);
    setMention(null);
    const at = mention.start + person.name.length + 2;
    setTimeout(() => textarea.current?.setSelectionRange(at, at), 0);
  };
  const upload = useMutation({
    mutationFn: (chosen: File[]) => api.upload<AttachmentList>(`/tickets/${ticketId}/attachments`, chosen),
    onSuccess: (result) => setFiles((current) => [...current, ...result.items]),
    onError: (error) => notifyError(t, error),
  });
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const send = useMutation({
    mutationFn: (force: boolean) =>
      api.post<Message>(`/tickets/${ticketId}/messages`, {
        body: visibility === 'internal' ? textToHtml(body, people) : body,
        visibility,
        lastSeenMessageId: draftBase ?? latestMessageId,
        force,
        attachmentIds: files.map((file) => file.id),
      }),
    onSuccess: async () => {
      setBody('');
      setFiles([]);
      setDraftBase(undefined);
      setCollision(null);
      onTyping(false);
      localStorage.removeItem(draftKey);
      notifySaved(t, visibility === 'public' ? t('tickets.replySent') : t('tickets.noteAdded'));
      await onSent();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.problem.code === 'REPLY_COLLISION') setCollision(error.message);
      else notifyError(t, error);
    },
  });
  const change = (value: string) => {
    if (!body && value) setDraftBase(latestMessageId);
    setBody(value);
    if (value) localStorage.setItem(draftKey, value);
    else localStorage.removeItem(draftKey);
    onTyping(value.length > 0);
    clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(() => onTyping(false), 5_000);
  };
  const internal = visibility === 'internal';
  return (
    <Card withBorder padding="sm" bg={internal ? 'var(--mantine-color-yellow-light)' : undefined}>
      <Stack gap="xs">
        <SegmentedControl
          size="xs"
          w="fit-content"
          value={visibility}
          onChange={(value) => onVisibility(value === 'internal' ? 'internal' : 'public')}
          data={[
            { value: 'public', label: t('tickets.publicReply') },
            { value: 'internal', label: t('tickets.internalNote') },
          ]}
        />
        <Textarea
          ref={textarea}
          aria-label={internal ? t('tickets.noteLabel') : t('tickets.replyLabel')}
          placeholder={internal ? t('tickets.notePlaceholder') : t('tickets.replyPlaceholder')}
          autosize
          minRows={3}
          value={body}
          onChange={(event) => {
            change(event.currentTarget.value);
            const found = internal
              ? mentionAt(event.currentTarget.value, event.currentTarget.selectionStart)
              : null;
            setMention(found);
            setPicked(0);
          }}
          onKeyDown={(event) => {
            if (candidates.length > 0) {
              if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
                event.preventDefault();
                const step = event.key === 'ArrowDown' ? 1 : -1;
                setPicked((picked + step + candidates.length) % candidates.length);
                return;
              }
              if (event.key === 'Enter' || event.key === 'Tab') {
                event.preventDefault();
                choose(candidates[picked] ?? candidates[0]!);
                return;
              }
              if (event.key === 'Escape') {
                setMention(null);
                return;
              }
            }
            if (
              event.key === 'Enter' &&
              (event.ctrlKey || event.metaKey) &&
              (body.trim() || files.length > 0)
            )
              send.mutate(false);
          }}
        />
        {candidates.length > 0 && (
          <Paper withBorder shadow="sm" p={4} role="listbox" aria-label={t('tickets.mentionList')}>
            {candidates.map((person, index) => (
              <UnstyledButton
                key={person.id}
                role="option"
                aria-selected={index === picked}
                display="block"
                w="100%"
                px="xs"
                py={4}
                bg={index === picked ? 'var(--mantine-color-blue-light)' : undefined}
                style={{ borderRadius: 4 }}
                onMouseDown={(event) => {
                  event.preventDefault();
                  choose(person);
                }}
              >
                <Text size="sm">@{person.name}</Text>
              </UnstyledButton>
            ))}
          </Paper>
        )}
        {internal && !body && (
          <Text size="xs" c="dimmed">
            {t('tickets.mentionHint')}
          </Text>
        )}
        {files.length > 0 && (
          <Group gap={6} data-testid="pending-attachments">
            {files.map((file) => (
              <Pill
                key={file.id}
                withRemoveButton
                removeButtonProps={{ 'aria-label': t('tickets.removeFile', { name: file.fileName }) }}
                onRemove={() => {
                  setFiles((current) => current.filter((f) => f.id !== file.id));
                  void api.delete(`/attachments/${file.id}`).catch(() => undefined);
                }}
              >
                {file.fileName} · {formatBytes(file.size)}
              </Pill>
            ))}
          </Group>
        )}
        <Group justify="space-between">
          <Group gap="xs">
            <FileButton multiple onChange={(chosen) => chosen.length > 0 && upload.mutate(chosen)}>
              {(props) => (
                <Button
                  {...props}
                  variant="subtle"
                  size="xs"
                  loading={upload.isPending}
                  leftSection={<IconPaperclip size={14} />}
                >
                  {t('tickets.attach')}
                </Button>
              )}
            </FileButton>
            <Text size="xs" c="dimmed">
              {body ? t('tickets.draftSaved') : ''}
            </Text>
          </Group>
          <Button
            leftSection={<IconSend size={16} />}
            color={internal ? 'yellow' : undefined}
            disabled={!body.trim() && files.length === 0}
            loading={send.isPending}
            onClick={() => send.mutate(false)}
          >
            {internal ? t('tickets.addNote') : t('tickets.sendReply')}
          </Button>
        </Group>
      </Stack>
      <Modal
        opened={collision !== null}
        onClose={() => setCollision(null)}
        title={t('tickets.collisionTitle')}
      >
        <Stack>
          <Text size="sm">{collision}</Text>
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() => {
                setDraftBase(latestMessageId);
                setCollision(null);
              }}
            >
              {t('tickets.collisionRead')}
            </Button>
            <Button color="orange" loading={send.isPending} onClick={() => send.mutate(true)}>
              {t('tickets.collisionSend')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

function Properties({
  ticket,
  disabled,
  onChange,
}: {
  ticket: Ticket;
  disabled: boolean;
  onChange: (body: Record<string, unknown>) => void;
}) {
  const { t } = useTranslation();
  const statuses = useQuery({
    queryKey: ['ticket-statuses'],
    queryFn: () => api.get<TicketStatusList>('/ticket-statuses'),
  });
  const colleagues = useColleagues();
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: () => api.get<TeamPage>(`/teams${query({ limit: 200 })}`),
  });
  const knownTags = useQuery({
    queryKey: ['tags'],
    queryFn: () => api.get<TagList>('/tags?limit=500'),
    staleTime: 60_000,
  });
  const german = currentLanguage() === 'de';
  return (
    <Card withBorder padding="md">
      <Stack gap="sm">
        <Select
          label={t('fields.status')}
          data-shortcut="status"
          disabled={disabled}
          value={ticket.status}
          allowDeselect={false}
          onChange={(value) => value && value !== ticket.status && onChange({ status: value })}
          data={(statuses.data?.items ?? []).map((s) => ({
            value: s.key,
            label: german ? s.nameDe : s.nameEn,
          }))}
        />
        <Select
          label={t('tickets.priority')}
          disabled={disabled}
          value={ticket.priority}
          allowDeselect={false}
          onChange={(value) => value && value !== ticket.priority && onChange({ priority: value })}
          data={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
        />
        <Select
          label={t('tickets.type')}
          disabled={disabled}
          value={ticket.type}
          allowDeselect={false}
          onChange={(value) => value && value !== ticket.type && onChange({ type: value })}
          data={TYPES.map((type) => ({ value: type, label: t(`ticketType.${type}`) }))}
        />
        <Select
          label={t('tickets.team')}
          disabled={disabled}
          clearable
          value={ticket.team?.id ?? null}
          onChange={(value) => onChange({ teamId: value })}
          data={(teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name }))}
        />
        <Select
          label={t('tickets.assignee')}
          disabled={disabled}
          clearable
          searchable
          value={ticket.assignee?.id ?? null}
          onChange={(value) => onChange({ assigneeId: value })}
          data={colleagues.map((user) => ({ value: user.id, label: user.name }))}
        />
        <TagsInput
          label={t('tickets.tags')}
          disabled={disabled}
          data={(knownTags.data?.items ?? []).map((tag) => tag.name)}
          value={ticket.tags}
          onChange={(tags) => onChange({ tags })}
          clearable
        />
        <CustomFieldInputs
          ticket={ticket}
          disabled={disabled}
          onChange={(customFields) => onChange({ customFields })}
        />
      </Stack>
    </Card>
  );
}

/** Who follows the ticket, and a button to follow or stop following it. */
function FollowersCard({ ticketId, myId }: { ticketId: string; myId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const followers = useQuery({
    queryKey: ['tickets', ticketId, 'followers'],
    queryFn: () => api.get<FollowerList>(`/tickets/${ticketId}/followers`),
  });
  const following = (followers.data?.items ?? []).some((f) => f.id === myId);
  const toggle = useMutation({
    mutationFn: () =>
      following
        ? api.delete(`/tickets/${ticketId}/followers/${myId}`)
        : api.put(`/tickets/${ticketId}/followers/${myId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tickets', ticketId, 'followers'] }),
    onError: (error) => notifyError(t, error),
  });
  const names = (followers.data?.items ?? []).map((f) => f.name);
  return (
    <Card withBorder padding="md">
      <Group justify="space-between" mb={6}>
        <Text size="xs" fw={600} c="dimmed" tt="uppercase">
          {t('tickets.followers')}
        </Text>
        <Button
          size="compact-xs"
          variant={following ? 'default' : 'light'}
          leftSection={following ? <IconBellOff size={14} /> : <IconBell size={14} />}
          loading={toggle.isPending}
          onClick={() => toggle.mutate()}
        >
          {following ? t('tickets.unfollow') : t('tickets.follow')}
        </Button>
      </Group>
      <Text size="sm" c={names.length ? undefined : 'dimmed'} data-testid="followers">
        {names.length ? names.join(', ') : t('tickets.noFollowers')}
      </Text>
    </Card>
  );
}

function RequesterCard({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const others = useQuery({
    queryKey: ['tickets', 'requester', ticket.requester.id],
    queryFn: () =>
      api.get<TicketPageData>(`/tickets${query({ requesterId: ticket.requester.id, limit: 10 })}`),
  });
  const previous = (others.data?.items ?? []).filter((other) => other.id !== ticket.id);
  const contact = useQuery({
    queryKey: ['contacts', ticket.requester.id],
    queryFn: () => api.get<Contact>(`/contacts/${ticket.requester.id}`),
  });
  return (
    <Card withBorder padding="md">
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={6}>
        {t('tickets.requester')}
      </Text>
      <Anchor component={Link} to={`/contacts/${ticket.requester.id}`} fw={600}>
        {ticket.requester.name}
      </Anchor>
      {ticket.requester.email && (
        <Text size="sm" c="dimmed">
          {ticket.requester.email}
        </Text>
      )}
      {ticket.organization && (
        <Text size="sm" mt={4}>
          {ticket.organization.name}
        </Text>
      )}
      {contact.data && (
        <Stack gap={2} mt="xs" data-testid="requester-details">
          {contact.data.bouncingEmails.map((bounce) => (
            <Tooltip key={bounce.email} label={bounce.reason} multiline w={280}>
              <Badge color="red" variant="light" size="sm" data-testid="bouncing">
                {t('tickets.bouncing', { email: bounce.email })}
              </Badge>
            </Tooltip>
          ))}
          {contact.data.phones.map((phone) => (
            <Text key={phone} size="sm" c="dimmed">
              {phone}
            </Text>
          ))}
          <Text size="xs" c="dimmed">
            {contact.data.language === 'de' ? 'Deutsch' : 'English'}
            {contact.data.timeZone ? ` · ${contact.data.timeZone}` : ''}
          </Text>
          {Object.entries(contact.data.attributes).map(([key, value]) => (
            <Group key={key} gap={6} wrap="nowrap">
              <Text size="xs" c="dimmed">
                {key}
              </Text>
              <Text size="xs" truncate>
                {value === null ? '—' : String(value)}
              </Text>
            </Group>
          ))}
          {contact.data.notes && (
            <Text size="xs" c="dimmed" lineClamp={3}>
              {contact.data.notes}
            </Text>
          )}
        </Stack>
      )}
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" mt="md" mb={6}>
        {t('tickets.otherTickets')}
      </Text>
      {previous.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('tickets.noOtherTickets')}
        </Text>
      ) : (
        <Stack gap={6}>
          {previous.map((other) => (
            <Box key={other.id}>
              <Anchor component={Link} to={`/tickets/${other.id}`} size="sm">
                #{other.number} {other.subject}
              </Anchor>
              <Text size="xs" c="dimmed">
                {t(`status.${other.status}`, { defaultValue: other.status })} ·{' '}
                {relativeTime(other.updatedAt, i18n.language)}
              </Text>
            </Box>
          ))}
        </Stack>
      )}
    </Card>
  );
}
