import { createHash, randomBytes } from 'node:crypto';
import type {
  CreateWidgetConversationBody,
  StatusCategory,
  WidgetConversation,
  WidgetConversationCreated,
} from '@keepdesk/contract';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import type { Executor } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { SYSTEM_ACTOR } from '../../platform/events';
import { escapeHtml } from '../../platform/html';
import { type RateLimit, RateLimiter } from '../../platform/rate-limit';
import { users } from '../auth';
import { brandWidget, submitContactRequest } from '../knowledge';
import { addCustomerMessage, ticketMessages, tickets } from '../tickets';
import { subjectOf, tokenFromHeader } from './widget.domain';
import { widgetConversations } from './widget.tables';

/** One visitor (by token) writes at most this many messages a minute, whatever address they come from. */
const MESSAGES_PER_TOKEN: RateLimit = { max: 20, timeWindow: 60_000 };
const limiters = new WeakMap<object, RateLimiter>();

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The visitor's text as message HTML: always text, so `<img onerror=…>` is shown as written, never parsed. */
function visitorHtml(text: string): string {
  return text
    .trim()
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\r?\n/g, '<br />')}</p>`)
    .join('');
}

/**
 * The widget's contact form: the help center's contact request (one spam policy and one daily cap per
 * address for both; beyond the cap the message joins the address's latest ticket), then a token that opens
 * this one request. Only the token's hash is stored. The token row is written after the request committed:
 * if that write fails the visitor sees an error while the request stands, and agents still answer by e-mail.
 */
export async function openConversation(
  deps: Deps,
  brandSlug: string,
  input: CreateWidgetConversationBody & { ip: string },
): Promise<WidgetConversationCreated> {
  const brand = await brandWidget(deps.database.db, brandSlug);
  if (!brand?.widget.enabled) throw notFound('widget of brand', brandSlug);
  const request = await submitContactRequest(deps, {
    brandSlug,
    language: input.language,
    name: input.name,
    email: input.email,
    subject: subjectOf(input.message),
    // Always text: `<img onerror=…>` typed by a visitor is shown as written, never parsed as markup.
    message: visitorHtml(input.message),
    files: [],
    ip: input.ip,
    source: 'widget',
  });
  const token = randomBytes(32).toString('base64url');
  const now = deps.now();
  await deps.database.db.insert(widgetConversations).values({
    tokenHash: hashToken(token),
    ticketId: request.ticketId,
    contactId: request.contactId,
    brandId: brand.id,
    createdAt: now,
    lastSeenAt: now,
  });
  return { token, conversation: await readTicket(deps.database.db, request.ticketId) };
}

/** The conversation of `Authorization: Widget <token>`; 401 for a missing, malformed or unknown token. */
export async function conversationOf(
  deps: Deps,
  header: string | undefined,
): Promise<{ tokenHash: string; ticketId: string }> {
  const token = tokenFromHeader(header);
  const unknown = new AppError('UNAUTHENTICATED', { message: 'send Authorization: Widget <token>' });
  if (!token) throw unknown;
  const tokenHash = hashToken(token);
  const [row] = await deps.database.db
    .select({ ticketId: widgetConversations.ticketId, mergedIntoId: tickets.mergedIntoId })
    .from(widgetConversations)
    .innerJoin(tickets, eq(tickets.id, widgetConversations.ticketId))
    .where(eq(widgetConversations.tokenHash, tokenHash));
  if (!row) throw unknown;
  // A merged request lives on in the ticket it was merged into.
  return { tokenHash, ticketId: row.mergedIntoId ?? row.ticketId };
}

/** The request's status and public messages; internal notes and system records are never read. */
export async function readConversation(deps: Deps, tokenHash: string, ticketId: string) {
  await deps.database.db
    .update(widgetConversations)
    .set({ lastSeenAt: deps.now() })
    .where(eq(widgetConversations.tokenHash, tokenHash));
  return readTicket(deps.database.db, ticketId);
}

async function readTicket(executor: Executor, ticketId: string): Promise<WidgetConversation> {
  const [ticket] = await executor
    .select({ number: tickets.number, subject: tickets.subject, status: tickets.statusCategory })
    .from(tickets)
    .where(eq(tickets.id, ticketId));
  if (!ticket) throw notFound('conversation', ticketId);
  const messages = await executor
    .select({
      id: ticketMessages.id,
      authorKind: ticketMessages.authorKind,
      agentName: users.name,
      text: ticketMessages.bodyText,
      createdAt: ticketMessages.createdAt,
    })
    .from(ticketMessages)
    .leftJoin(users, eq(users.id, ticketMessages.authorUserId))
    .where(
      and(
        eq(ticketMessages.ticketId, ticketId),
        eq(ticketMessages.visibility, 'public'),
        sql`${ticketMessages.authorKind} in ('agent', 'contact')`,
      ),
    )
    .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id))
    .limit(500);
  return {
    ticketNumber: ticket.number,
    subject: ticket.subject,
    status: ticket.status as StatusCategory,
    messages: messages.map((m) => ({
      id: m.id,
      from: m.authorKind === 'agent' ? ('agent' as const) : ('visitor' as const),
      // Agents are shown by first name only: the visitor needs a person, not the staff directory.
      authorName: m.authorKind === 'agent' ? (m.agentName ?? '').split(/\s+/)[0]! : '',
      text: m.text,
      createdAt: m.createdAt.toISOString(),
    })),
  };
}

/** The visitor writes on their request; a closed request takes no more messages (409: start a new one). */
export async function addVisitorMessage(
  deps: Deps,
  conversation: { tokenHash: string; ticketId: string },
  text: string,
): Promise<WidgetConversation> {
  let limiter = limiters.get(deps.database);
  if (!limiter) {
    limiter = new RateLimiter();
    limiters.set(deps.database, limiter);
  }
  const decision = limiter.hit(conversation.tokenHash, MESSAGES_PER_TOKEN, deps.now().getTime());
  if (!decision.allowed) {
    throw new AppError('TOO_MANY_REQUESTS', {
      message: `at most ${MESSAGES_PER_TOKEN.max} messages a minute`,
      retryAfterSeconds: Math.max(1, Math.ceil(decision.resetInMs / 1000)),
    });
  }
  const db = deps.database.db;
  const [ticket] = await db
    .select({ requesterId: tickets.requesterId })
    .from(tickets)
    .where(eq(tickets.id, conversation.ticketId));
  if (!ticket) throw notFound('conversation', conversation.ticketId);
  const added = await addCustomerMessage(deps, SYSTEM_ACTOR, conversation.ticketId, {
    contactId: ticket.requesterId,
    body: visitorHtml(text),
    channel: 'web',
  });
  if (!added) {
    throw new AppError('TICKET_CLOSED', { message: 'this request is closed; open a new one' });
  }
  return readConversation(deps, conversation.tokenHash, conversation.ticketId);
}
