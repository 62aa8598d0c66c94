import type {
  PortalMe,
  PortalMessage,
  PortalTicket,
  PortalTicketPage,
  PortalTicketQuery,
  PortalTicketSummary,
} from '@keepdesk/contract';
import type { Deps } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, SYSTEM_ACTOR } from '../../platform/events';
import { escapeHtml } from '../../platform/html';
import type { CustomerPrincipal } from '../../platform/http';
import type { ChangeEvent } from '../../platform/live';
import { decodeCursor, encodeCursor } from '../../platform/pagination';
import { addCustomerMessage, applyUpdate, attachToMessage } from '../tickets';
import {
  canClose,
  canReply,
  categoriesOf,
  firstName,
  isCustomerVisibleAction,
  portalStatus,
} from './portal.domain';

type Row = Record<string, unknown>;

/** A file from the reply form (the shape `attachToMessage` takes). */
export interface IncomingFile {
  fileName: string | undefined;
  data: Buffer;
}

/**
 * The one rule of the portal, as SQL over `t` (a ticket) and `contact` (an expression for the contact's id): the
 * contact's own tickets, and their organisation's when it shares them. Every read below goes through it, so a
 * ticket outside it is simply not found — the same answer as an id that does not exist.
 */
const visibleTo = (contact: string) => `(t.requester_id = ${contact} or (t.organization_id is not null and
  t.organization_id = (select c.organization_id from contacts c join organizations o on o.id = c.organization_id
     where c.id = ${contact} and o.portal_shares_tickets)))`;
const VISIBLE = visibleTo('$1::uuid');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const iso = (value: unknown) => new Date(value as string).toISOString();

/** Audit rows of portal actions name the customer through the request; Keepdesk itself is the actor. */
const actorFor = (requestId?: string): Actor => ({ ...SYSTEM_ACTOR, requestId });

export async function portalMe(deps: Deps, customer: CustomerPrincipal): Promise<PortalMe> {
  const { rows } = await deps.database.query(
    `select c.id, c.name, c.language, o.id as org_id, o.name as org_name, o.portal_shares_tickets,
            (select value from contact_identities i where i.contact_id = c.id and i.kind = 'email'
              order by i.is_primary desc, i.created_at limit 1) as email
       from contacts c left join organizations o on o.id = c.organization_id
      where c.id = $1::uuid`,
    [customer.contactId],
  );
  const row = rows[0];
  if (!row) throw new AppError('UNAUTHENTICATED', { message: 'the contact no longer exists' });
  return {
    contact: {
      id: String(row.id),
      name: String(row.name),
      email: row.email ? String(row.email) : null,
      language: String(row.language),
    },
    organization: row.org_id ? { id: String(row.org_id), name: String(row.org_name) } : null,
    sharesOrganizationTickets: row.portal_shares_tickets === true,
    csrfToken: customer.csrfToken,
  };
}

function presentSummary(row: Row, contactId: string): PortalTicketSummary {
  return {
    id: String(row.id),
    number: Number(row.number),
    subject: String(row.subject),
    status: portalStatus(String(row.status_category)),
    requesterName: String(row.requester_name ?? ''),
    isOwn: String(row.requester_id) === contactId,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

const SUMMARY_COLUMNS = `t.id, t.number, t.subject, t.status_category, t.requester_id, t.created_at, t.updated_at,
  (extract(epoch from t.updated_at) * 1000000)::bigint::text as updated_key, r.name as requester_name`;

/** The contact's tickets, or their sharing organisation's (empty when it does not share), newest change first. */
export async function listPortalTickets(
  deps: Deps,
  customer: CustomerPrincipal,
  query: PortalTicketQuery,
): Promise<PortalTicketPage> {
  const params: unknown[] = [customer.contactId];
  const where = [
    query.scope === 'mine'
      ? 't.requester_id = $1::uuid'
      : `t.organization_id = (select c.organization_id from contacts c join organizations o on o.id = c.organization_id
           where c.id = $1::uuid and o.portal_shares_tickets)`,
  ];
  if (query.status) {
    params.push(categoriesOf(query.status));
    where.push(`t.status_category = any($${params.length}::text[])`);
  }
  if (query.cursor) {
    const [updatedKey, id] = decodeCursor(query.cursor, 2);
    // A cursor is opaque but comes from the client: a forged one is a 400, never a failed cast in SQL.
    if (!/^-?\d{1,16}$/.test(String(updatedKey)) || !UUID.test(String(id))) {
      throw new AppError('VALIDATION_FAILED', {
        message: 'invalid cursor',
        errors: [{ field: 'cursor', message: 'not a cursor from a previous page' }],
      });
    }
    params.push(String(updatedKey), String(id));
    // The key is the change time in whole microseconds (PostgreSQL's precision), so paging loses no tie.
    where.push(`(t.updated_at, t.id) < (timestamptz 'epoch' + $${params.length - 1}::bigint * interval '1 microsecond',
      $${params.length}::uuid)`);
  }
  params.push(query.limit + 1);
  const { rows } = await deps.database.query(
    `select ${SUMMARY_COLUMNS} from tickets t join contacts r on r.id = t.requester_id
      where ${where.join(' and ')} order by t.updated_at desc, t.id desc limit $${params.length}`,
    params,
  );
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => presentSummary(row, customer.contactId)),
    nextCursor: hasMore && last ? encodeCursor([String(last.updated_key), String(last.id)]) : null,
  };
}

async function visibleTicket(deps: Deps, customer: CustomerPrincipal, id: string): Promise<Row> {
  const { rows } = await deps.database.query(
    `select ${SUMMARY_COLUMNS} from tickets t join contacts r on r.id = t.requester_id
      where t.id = $2::uuid and ${VISIBLE}`,
    [customer.contactId, id],
  );
  if (!rows[0]) throw notFound('ticket', id);
  return rows[0];
}

const NOBODY: ReadonlySet<string> = new Set();

/**
 * The live stream's filter: for each change, which of the connected contacts may see it — ticket changes a
 * customer sees (never `ticket.noted`) of tickets visible to them. One query for all changes and contacts.
 */
export async function customersSeeing(
  deps: Deps,
  changes: readonly ChangeEvent[],
  contactIds: readonly string[],
): Promise<ReadonlySet<string>[]> {
  const relevant = changes.map(
    (change) => isCustomerVisibleAction(change.entityType, change.action) && UUID.test(change.entityId),
  );
  const ticketIds = [
    ...new Set(changes.filter((_, index) => relevant[index]).map((change) => change.entityId)),
  ];
  const seeing = new Map<string, Set<string>>();
  if (ticketIds.length > 0 && contactIds.length > 0) {
    const { rows } = await deps.database.query(
      `select t.id as ticket_id, x.id as contact_id from tickets t cross join unnest($2::uuid[]) as x(id)
        where t.id = any($1::uuid[]) and ${visibleTo('x.id')}`,
      [ticketIds, [...contactIds]],
    );
    for (const row of rows) {
      const ticketId = String(row.ticket_id);
      seeing.set(ticketId, (seeing.get(ticketId) ?? new Set()).add(String(row.contact_id)));
    }
  }
  return changes.map((change, index) => (relevant[index] && seeing.get(change.entityId)) || NOBODY);
}

/** A ticket with its public conversation: internal notes and system notes never leave the team. */
export async function getPortalTicket(
  deps: Deps,
  customer: CustomerPrincipal,
  id: string,
): Promise<PortalTicket> {
  const ticket = await visibleTicket(deps, customer, id);
  const { rows: messages } = await deps.database.query(
    `select m.id, m.author_kind, m.author_contact_id, m.body_html, m.created_at, u.name as user_name, c.name as contact_name
       from ticket_messages m
       left join users u on u.id = m.author_user_id
       left join contacts c on c.id = m.author_contact_id
      where m.ticket_id = $1::uuid and m.visibility = 'public' and m.author_kind in ('agent', 'contact')
      order by m.created_at, m.id`,
    [id],
  );
  const { rows: files } = await deps.database.query(
    `select a.id, a.message_id, a.file_name, a.content_type, a.size from attachments a
      where a.message_id = any($1::uuid[]) order by a.created_at, a.file_name, a.id`,
    [messages.map((m) => String(m.id))],
  );
  const summary = presentSummary(ticket, customer.contactId);
  const category = String(ticket.status_category);
  return {
    ...summary,
    canReply: canReply(category),
    canClose: canClose(category),
    messages: messages.map(
      (m): PortalMessage => ({
        id: String(m.id),
        authorKind: m.author_kind === 'agent' ? 'agent' : 'contact',
        authorName:
          m.author_kind === 'agent' ? firstName(String(m.user_name ?? '')) : String(m.contact_name ?? ''),
        isOwn: m.author_kind === 'contact' && String(m.author_contact_id) === customer.contactId,
        bodyHtml: String(m.body_html),
        createdAt: iso(m.created_at),
        attachments: files
          .filter((f) => String(f.message_id) === String(m.id))
          .map((f) => ({
            id: String(f.id),
            fileName: String(f.file_name),
            contentType: String(f.content_type),
            size: Number(f.size),
            url: `/api/v1/portal/attachments/${String(f.id)}`,
          })),
      }),
    ),
  };
}

/** Plain text from the portal's reply box, as the HTML of a message: escaped, lines kept. */
function textToHtml(text: string): string {
  return text
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** The customer answers on a ticket they may see; a solved ticket reopens as with an e-mail reply. */
export async function replyOnPortal(
  deps: Deps,
  customer: CustomerPrincipal,
  id: string,
  input: { text: string; files: IncomingFile[] },
  requestId?: string,
): Promise<PortalTicket> {
  await visibleTicket(deps, customer, id);
  if (!input.text.trim() && input.files.length === 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'write a message or add a file',
      errors: [{ field: 'text', message: 'required' }],
    });
  }
  const written = await addCustomerMessage(deps, actorFor(requestId), id, {
    contactId: customer.contactId,
    body: textToHtml(input.text),
    channel: 'web',
    reopenSolved: true,
  });
  if (!written) throw new AppError('TICKET_CLOSED', { message: `ticket ${id} is closed` });
  await attachToMessage(deps, id, written.messageId, input.files, { fresh: true });
  return getPortalTicket(deps, customer, id);
}

/** "Mark as solved": the team sees the ticket solved by the customer; a reply opens it again. */
export async function closeOnPortal(
  deps: Deps,
  customer: CustomerPrincipal,
  id: string,
  requestId?: string,
): Promise<PortalTicket> {
  const ticket = await visibleTicket(deps, customer, id);
  if (canClose(String(ticket.status_category))) {
    await withTransaction(deps.database, (tx) =>
      applyUpdate(tx, deps, actorFor(requestId), id, { status: 'solved' }, undefined, { byCustomer: true }),
    );
  }
  return getPortalTicket(deps, customer, id);
}

/** An attachment of a public message on a ticket the contact may see; anything else is not found. */
export async function openPortalAttachment(deps: Deps, customer: CustomerPrincipal, id: string) {
  const { rows } = await deps.database.query(
    `select a.file_name, a.content_type, a.storage_key from attachments a
       join ticket_messages m on m.id = a.message_id and m.ticket_id = a.ticket_id
       join tickets t on t.id = a.ticket_id
      where a.id = $2::uuid and m.visibility = 'public' and ${VISIBLE}`,
    [customer.contactId, id],
  );
  const row = rows[0];
  if (!row) throw notFound('attachment', id);
  return {
    fileName: String(row.file_name),
    contentType: String(row.content_type),
    data: await deps.storage.get(String(row.storage_key)),
  };
}
