import type { SearchQuery, SearchResult } from '@keepdesk/contract';
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Deps } from '../../platform/context';
import { decodeCursor, encodeCursor, likePattern } from '../../platform/pagination';
import { contactIdentities, contacts, organizations } from '../customers';
import { MATCH_END, MATCH_START, parseSearch, snippetHtml } from './search.domain';
import { presentTicket, selectTickets } from './tickets.service';
import { tickets } from './tickets.tables';
import { ticketsMatching, viewCondition, viewerOf } from './views.service';

const dialect = new PgDialect();
/** How many of the most recent matching tickets and messages a search ranks. */
const CANDIDATES = 1000;
const HEADLINE = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

/** The words of a search in German, English and exactly as typed: a match in any of them counts. */
function tsquery(text: string): SQL {
  return sql`(websearch_to_tsquery('german', ${text}) || websearch_to_tsquery('english', ${text}) || websearch_to_tsquery('simple', ${text}))`;
}

/**
 * Full-text search over tickets (subject) and their messages, ranked, with filters from the query
 * (`status:open assignee:me tag:billing from:anna@example.com`) and a highlighted snippet per ticket.
 * Without words it lists the filtered tickets, newest first. Contacts matching by name or address come along.
 */
export async function search(deps: Deps, viewerId: string, query: SearchQuery): Promise<SearchResult> {
  const db = deps.database.db;
  const parsed = parseSearch(query.q);
  const viewer = await viewerOf(db, viewerId);
  const fromCondition =
    parsed.from.length > 0
      ? sql`exists (select 1 from ${contactIdentities} ci where ci.contact_id = ${tickets.requesterId} and ci.kind = 'email'
                    and (${sql.join(
                      parsed.from.map((f) => sql`ci.value ilike ${likePattern(f)}`),
                      sql` or `,
                    )}))`
      : undefined;
  // Contacts are looked up beside the tickets (another connection on PostgreSQL), not after them.
  const contactsPending = query.cursor
    ? Promise.resolve([])
    : matchingContacts(deps, parsed.text || parsed.from.join(' '));
  // Never left unobserved: awaited below on every path.
  contactsPending.catch(() => undefined);

  if (!parsed.text) {
    const page = await ticketsMatching(
      db,
      parsed.filter,
      { field: 'updatedAt', direction: 'desc' },
      viewer,
      { cursor: query.cursor, limit: query.limit },
      fromCondition,
    );
    return {
      tickets: page.items.map((ticket) => ({ ticket, rank: 0, snippet: snippetHtml(ticket.subject) })),
      contacts: await contactsPending,
      nextCursor: page.nextCursor,
    };
  }

  const q = tsquery(parsed.text);
  const filters = and(viewCondition(parsed.filter, viewer), fromCondition);
  let after = sql``;
  if (query.cursor) {
    const [rank, id] = decodeCursor(query.cursor, 2);
    after = sql`and (r.rank, tickets.id) < (${String(rank)}::real, ${String(id)}::uuid)`;
  }
  // Candidates: the most recent matching tickets and messages that pass the filters, at most CANDIDATES of
  // each (for a rare word the GIN indexes find them; for a common one the planner walks the recency indexes
  // and stops early). Only they are ranked (subjects weigh double), so a word found in a third of all
  // messages costs no more than a rare one (ADR 0012).
  const where = filters ?? sql`true`;
  const ranked = sql`
    with candidates as (
      (select tickets.id as ticket_id from tickets where tickets.search_vector @@ ${q} and ${where}
        order by tickets.updated_at desc limit ${CANDIDATES})
      union
      (select m.ticket_id from ticket_messages m join tickets on tickets.id = m.ticket_id
        where m.search_vector @@ ${q} and ${where}
        order by m.created_at desc limit ${CANDIDATES})
    ), hits as (
      select t.id as ticket_id, ts_rank(t.search_vector, ${q}) * 2 as rank
        from tickets t where t.id in (select ticket_id from candidates) and t.search_vector @@ ${q}
      union all
      select m.ticket_id, ts_rank(m.search_vector, ${q})
        from ticket_messages m where m.ticket_id in (select ticket_id from candidates) and m.search_vector @@ ${q}
    ), r as (select ticket_id, max(rank)::real as rank from hits group by ticket_id)
    select tickets.id, r.rank::text as rank from r join tickets on tickets.id = r.ticket_id
     where true ${after}
     order by r.rank desc, tickets.id desc
     limit ${query.limit + 1}`;
  const compiled = dialect.sqlToQuery(ranked);
  const { rows } = await deps.database.query(compiled.sql, compiled.params);
  const hits = rows.map((row) => ({ id: String(row.id), rank: String(row.rank) }));
  const hasMore = hits.length > query.limit;
  const pageHits = hasMore ? hits.slice(0, query.limit) : hits;
  if (pageHits.length === 0) return { tickets: [], contacts: await contactsPending, nextCursor: null };

  const ids = pageHits.map((h) => h.id);
  const [ticketRows, snippets, contactsFound] = await Promise.all([
    selectTickets(db).where(inArray(tickets.id, ids)),
    headlines(deps, ids, parsed.text),
    contactsPending,
  ]);
  const byId = new Map(ticketRows.map((row) => [row.ticket.id, row]));
  const last = pageHits.at(-1)!;
  return {
    tickets: pageHits.flatMap((hit) => {
      const row = byId.get(hit.id);
      if (!row) return [];
      return [
        {
          ticket: presentTicket(row),
          rank: Number(hit.rank),
          snippet: snippetHtml(snippets.get(hit.id) ?? row.ticket.subject),
        },
      ];
    }),
    contacts: contactsFound,
    nextCursor: hasMore ? encodeCursor([last.rank, last.id]) : null,
  };
}

/** The best-matching message of each ticket as a headline, else the headline of its subject. */
async function headlines(deps: Deps, ticketIds: string[], text: string): Promise<Map<string, string>> {
  const q = tsquery(text);
  const statement = sql`
    select distinct on (t.id) t.id,
           coalesce(
             (select ts_headline(case when t.language = 'de' then 'german'::regconfig else 'english'::regconfig end,
                                 m.body_text, ${q}, ${HEADLINE})
                from ticket_messages m
               where m.ticket_id = t.id and m.search_vector @@ ${q}
               order by ts_rank(m.search_vector, ${q}) desc limit 1),
             ts_headline('simple', t.subject, ${q}, ${HEADLINE})) as headline
      from tickets t where t.id in (${sql.join(
        ticketIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`;
  const compiled = dialect.sqlToQuery(statement);
  const { rows } = await deps.database.query(compiled.sql, compiled.params);
  return new Map(rows.map((row) => [String(row.id), String(row.headline)]));
}

async function matchingContacts(deps: Deps, text: string): Promise<SearchResult['contacts']> {
  const words = text.replace(/"/g, '').trim();
  if (words.length < 2) return [];
  const pattern = likePattern(words.toLowerCase());
  const rows = await deps.database.db
    .select({
      id: contacts.id,
      name: contacts.name,
      organizationId: organizations.id,
      organizationName: organizations.name,
      email: sql<
        string | null
      >`(select ci.value from ${contactIdentities} ci where ci.contact_id = "contacts"."id"
        and ci.kind = 'email' order by ci.is_primary desc limit 1)`,
    })
    .from(contacts)
    .leftJoin(organizations, eq(organizations.id, contacts.organizationId))
    .where(
      and(
        sql`${contacts.mergedIntoId} is null`,
        // Two trigram-indexed lookups united, rather than an OR the planner can only answer by a full scan.
        sql`${contacts.id} in (select id from ${contacts} where name ilike ${pattern}
              union select contact_id from ${contactIdentities} where value ilike ${pattern})`,
      ),
    )
    .orderBy(contacts.name)
    .limit(5);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    organization:
      row.organizationId && row.organizationName
        ? { id: row.organizationId, name: row.organizationName }
        : null,
  }));
}
