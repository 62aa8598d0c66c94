import { createHash } from 'node:crypto';
import {
  CreateContactBody,
  type IngestResult,
  type Mention,
  MentionInput,
  type MentionPage,
  type MentionQuery,
  type MentionReplyBody,
  type UpdateMentionBody,
} from '@keepdesk/contract';
import { sentimentOf } from '@keepdesk/stats';
import { type SQL, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { parseCsv } from '../../platform/csv';
import { dateOf, rowsOf, uuidArray, withTransaction } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { escapeHtml } from '../../platform/html';
import { decodeCursor, toPage } from '../../platform/pagination';
import { users } from '../auth';
import { contactIdentities, contacts, createContact, normalizeEmail } from '../customers';
import { createTicket, detectLanguage, tickets } from '../tickets';
import { complaints, mentionReplies, mentions } from './feedback.tables';

import { settingsWith } from './surveys.service';

type MentionRow = typeof mentions.$inferSelect;

/** A mention's id at its source, or a fingerprint of what it says when the source gives none. */
function externalIdOf(input: MentionInput): string {
  if (input.externalId) return input.externalId;
  const fingerprint = [input.url ?? '', input.author, input.postedAt ?? '', input.text].join('\u0000');
  return `sha1:${createHash('sha1').update(fingerprint).digest('hex')}`;
}

/**
 * The customer behind a mention: by the author's e-mail address only. A name alone is no proof (a stranger's
 * review would land on a real customer, who would then be surveyed about it); agents link the rest in triage.
 */
async function matchContact(deps: Deps, input: MentionInput): Promise<string | null> {
  if (!input.authorEmail) return null;
  const found = await deps.database.db.execute(sql`
    select c.id from ${contactIdentities} ci join ${contacts} c on c.id = ci.contact_id
     where ci.kind = 'email' and ci.value = ${normalizeEmail(input.authorEmail)} and c.merged_into_id is null`);
  const row = rowsOf(found)[0];
  return row ? String(row.id) : null;
}

function needsComplaint(
  input: { rating?: number | null; kind: 'review' | 'social' },
  sentiment: string,
  ratingMax: number,
): boolean {
  if (input.rating !== undefined && input.rating !== null) return input.rating <= ratingMax;
  return sentiment === 'negative';
}

/**
 * Takes reviews and social posts in, each once per source and id: the language (given or detected), the
 * sentiment, the customer when one matches. A low rating (at most `complaintRatingMax` stars) or a negative
 * post without a rating opens a complaint ticket from that customer (or a new contact for the author).
 */
export async function ingestMentions(
  deps: Deps,
  actor: Actor,
  inputs: readonly MentionInput[],
  lines?: readonly number[],
): Promise<IngestResult> {
  const { complaintRatingMax } = await settingsWith(deps.database.db);
  const result: IngestResult = { imported: 0, duplicates: 0, complaints: 0, errors: [] };
  for (const [index, input] of inputs.entries()) {
    try {
      const language = input.language ?? detectLanguage(input.text);
      const sentiment = sentimentOf(input.text, language);
      const contactId = await matchContact(deps, input);
      const [row] = await deps.database.db
        .insert(mentions)
        .values({
          source: input.source.toLowerCase(),
          kind: input.kind,
          externalId: externalIdOf(input),
          author: input.author,
          authorEmail: input.authorEmail ?? null,
          rating: input.rating ?? null,
          text: input.text,
          url: input.url ?? null,
          postedAt: input.postedAt ? new Date(input.postedAt) : deps.now(),
          language,
          sentiment: sentiment.label,
          sentimentScore: sentiment.score,
          contactId,
        })
        .onConflictDoNothing()
        .returning();
      if (!row) {
        result.duplicates++;
        // Delivered again: a complaint that could not be opened the first time is opened now.
        const [known] = await deps.database.db
          .select()
          .from(mentions)
          .where(
            sql`${mentions.source} = ${input.source.toLowerCase()} and ${mentions.externalId} = ${externalIdOf(input)}`,
          );
        if (known && known.ticketId === null && needsComplaint(input, known.sentiment, complaintRatingMax)) {
          await openComplaint(deps, actor, known);
          result.complaints++;
        }
        continue;
      }
      result.imported++;
      if (needsComplaint(input, sentiment.label, complaintRatingMax)) {
        await openComplaint(deps, actor, row);
        result.complaints++;
      }
    } catch (error) {
      result.errors.push({ line: lines?.[index] ?? index + 1, message: (error as Error).message });
    }
  }
  if (result.imported > 0) {
    await recordChange(deps.database.db, actor, {
      action: 'mention.ingested',
      entityType: 'mention',
      entityId: 'batch',
      data: { imported: result.imported, complaints: result.complaints },
    });
  }
  return result;
}

/** The complaint ticket of a mention: the post quoted with its link, on the review or social channel. */
async function openComplaint(deps: Deps, actor: Actor, mention: MentionRow): Promise<void> {
  const german = mention.language === 'de';
  let requesterId = mention.contactId;
  if (!requesterId) {
    const created = await createContact(
      deps,
      actor,
      CreateContactBody.parse({
        name: mention.author,
        emails: mention.authorEmail ? [mention.authorEmail] : [],
        language: mention.language ?? 'en',
      }),
    );
    requesterId = created.id;
  }
  const stars =
    mention.rating === null ? '' : ` ${'★'.repeat(mention.rating)}${'☆'.repeat(5 - mention.rating)}`;
  const what = mention.kind === 'review' ? (german ? 'Bewertung' : 'Review') : german ? 'Beitrag' : 'Post';
  const excerpt = mention.text.replace(/\s+/g, ' ').trim().slice(0, 80);
  const body = [
    `<blockquote>${escapeHtml(mention.text || '—')}</blockquote>`,
    `<p>${escapeHtml(mention.author)} · ${escapeHtml(mention.source)}${stars}${
      mention.url ? ` · <a href="${escapeHtml(mention.url)}">${escapeHtml(mention.url)}</a>` : ''
    }</p>`,
  ].join('');
  const ticket = await createTicket(
    deps,
    actor,
    {
      subject: `${what} ${mention.source}${stars}: ${excerpt || mention.author}`,
      requester: { id: requesterId },
      message: { body, visibility: 'public' },
      priority: mention.rating !== null && mention.rating <= 1 ? 'high' : 'normal',
      type: 'complaint',
      channel: mention.kind,
      assigneeId: null,
      teamId: null,
      tags: [mention.kind === 'review' ? 'review' : 'social-media'],
      customFields: {},
    },
    { externalRef: `mention:${mention.id}` },
  );
  await withTransaction(deps.database, async (tx) => {
    await tx
      .update(mentions)
      .set({ ticketId: ticket.id, contactId: requesterId, status: 'triaged', updatedAt: deps.now() })
      .where(sql`${mentions.id} = ${mention.id}`);
    await tx.insert(complaints).values({ ticketId: ticket.id, category: mention.kind }).onConflictDoNothing();
  });
}

/**
 * A CSV of reviews (header: source, author, rating, text, url, date, language; optional: kind, id, email):
 * the good rows are taken in, each bad one is reported with its line number and why.
 */
export async function importMentionsCsv(deps: Deps, actor: Actor, csv: string): Promise<IngestResult> {
  const parsed = parseCsv(csv);
  const errors: IngestResult['errors'] = [...parsed.errors];
  const header = parsed.header.map((h) => h.trim().toLowerCase());
  const missing = ['source', 'author', 'text'].filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return {
      imported: 0,
      duplicates: 0,
      complaints: 0,
      errors: [{ line: 1, message: `missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}` }],
    };
  }
  const inputs: MentionInput[] = [];
  const lines: number[] = [];
  for (const record of parsed.records) {
    const cell = (name: string) => {
      const at = header.indexOf(name);
      const value = at === -1 ? '' : (record.cells[at] ?? '').trim();
      return value === '' ? undefined : value;
    };
    const rating = cell('rating');
    const date = cell('date');
    const candidate = {
      source: cell('source'),
      kind: cell('kind') ?? 'review',
      externalId: cell('id'),
      author: cell('author'),
      authorEmail: cell('email'),
      rating: rating === undefined ? null : /^\d+$/.test(rating) ? Number(rating) : rating,
      text: cell('text') ?? '',
      url: cell('url'),
      postedAt:
        date === undefined ? undefined : /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T12:00:00Z` : date,
      language: cell('language')?.toLowerCase(),
    };
    const checked = MentionInput.safeParse(candidate);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      const field = String(issue.path[0] ?? '');
      const column = field === 'postedAt' ? 'date' : field === 'authorEmail' ? 'email' : field;
      errors.push({ line: record.line, message: `${column}: ${issue.message}` });
      continue;
    }
    inputs.push(checked.data);
    lines.push(record.line);
  }
  const result = await ingestMentions(deps, actor, inputs, lines);
  return { ...result, errors: [...errors, ...result.errors].sort((a, b) => a.line - b.line) };
}

function presentMention(row: Record<string, unknown>, replies: Mention['replies']): Mention {
  const at = (value: unknown) => dateOf(value).toISOString();
  return {
    id: String(row.id),
    source: String(row.source),
    kind: row.kind as Mention['kind'],
    externalId: String(row.external_id),
    author: String(row.author),
    authorEmail: (row.author_email as string | null) ?? null,
    rating: row.rating === null ? null : Number(row.rating),
    text: String(row.text),
    url: (row.url as string | null) ?? null,
    postedAt: at(row.posted_at),
    language: (row.language as Mention['language']) ?? null,
    sentiment: row.sentiment as Mention['sentiment'],
    sentimentScore: Number(row.sentiment_score),
    status: row.status as Mention['status'],
    contact: row.contact_id ? { id: String(row.contact_id), name: String(row.contact_name ?? '') } : null,
    ticket: row.ticket_id
      ? {
          id: String(row.ticket_id),
          number: Number(row.ticket_number),
          statusCategory: String(row.ticket_status),
        }
      : null,
    replies,
    createdAt: at(row.created_at),
  };
}

async function loadMentions(deps: Deps, where: SQL, limit: number): Promise<Mention[]> {
  const db = deps.database.db;
  const rows = rowsOf(
    await db.execute(sql`
      select m.*, c.name as contact_name, t.number as ticket_number, t.status_category as ticket_status
        from ${mentions} m
        left join ${contacts} c on c.id = m.contact_id
        left join ${tickets} t on t.id = m.ticket_id
       where ${where}
       order by m.posted_at desc, m.id desc
       limit ${limit}`),
  );
  const ids = rows.map((r) => String(r.id));
  const replies = new Map<string, Mention['replies']>();
  if (ids.length > 0) {
    const found = rowsOf(
      await db.execute(sql`
        select r.*, u.name as user_name from ${mentionReplies} r left join ${users} u on u.id = r.user_id
         where r.mention_id = any(${uuidArray(ids)}) order by r.created_at`),
    );
    for (const reply of found) {
      const list = replies.get(String(reply.mention_id)) ?? [];
      list.push({
        id: String(reply.id),
        text: String(reply.text),
        url: (reply.url as string | null) ?? null,
        by: reply.user_id ? { id: String(reply.user_id), name: String(reply.user_name ?? '') } : null,
        at: dateOf(reply.created_at).toISOString(),
      });
      replies.set(String(reply.mention_id), list);
    }
  }
  return rows.map((row) => presentMention(row, replies.get(String(row.id)) ?? []));
}

/** The mention view: newest first, filtered by status, kind, source, sentiment or at most some stars. */
export async function listMentions(deps: Deps, query: MentionQuery): Promise<MentionPage> {
  const conditions: SQL[] = [sql`true`];
  if (query.status) conditions.push(sql`m.status = ${query.status}`);
  if (query.kind) conditions.push(sql`m.kind = ${query.kind}`);
  if (query.source) conditions.push(sql`m.source = ${query.source.toLowerCase()}`);
  if (query.sentiment) conditions.push(sql`m.sentiment = ${query.sentiment}`);
  if (query.maxRating) conditions.push(sql`m.rating <= ${query.maxRating}`);
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor, 2);
    conditions.push(sql`(m.posted_at, m.id) < (${String(at)}::timestamptz, ${String(id)}::uuid)`);
  }
  const rows = await loadMentions(deps, sql.join(conditions, sql` and `), query.limit + 1);
  return toPage(
    rows,
    query.limit,
    (m) => m,
    (m) => [m.postedAt, m.id],
  );
}

export async function getMention(deps: Deps, id: string): Promise<Mention> {
  const [mention] = await loadMentions(deps, sql`m.id = ${id}`, 1);
  if (!mention) throw notFound('mention', id);
  return mention;
}

/** Triage: a status (new, triaged, replied, ignored) and the customer it is from. */
export async function updateMention(
  deps: Deps,
  actor: Actor,
  id: string,
  body: UpdateMentionBody,
): Promise<Mention> {
  await withTransaction(deps.database, async (tx) => {
    if (body.contactId) {
      const [contact] = await tx
        .select({ id: contacts.id })
        .from(contacts)
        .where(sql`${contacts.id} = ${body.contactId}`);
      if (!contact) throw notFound('contact', body.contactId);
    }
    const updated = await tx
      .update(mentions)
      .set({
        ...(body.status ? { status: body.status } : {}),
        ...(body.contactId !== undefined ? { contactId: body.contactId } : {}),
        updatedAt: deps.now(),
      })
      .where(sql`${mentions.id} = ${id}`)
      .returning({ id: mentions.id });
    if (updated.length === 0) throw notFound('mention', id);
    await recordChange(tx, actor, {
      action: 'mention.updated',
      entityType: 'mention',
      entityId: id,
      data: { ...body },
    });
  });
  return getMention(deps, id);
}

/** Records the public answer to a mention (as posted at the source); the mention counts as replied. */
export async function replyToMention(
  deps: Deps,
  actor: Actor,
  id: string,
  body: MentionReplyBody,
): Promise<Mention> {
  await withTransaction(deps.database, async (tx) => {
    const updated = await tx
      .update(mentions)
      .set({ status: 'replied', updatedAt: deps.now() })
      .where(sql`${mentions.id} = ${id}`)
      .returning({ id: mentions.id });
    if (updated.length === 0) throw notFound('mention', id);
    await tx
      .insert(mentionReplies)
      .values({ mentionId: id, text: body.text, url: body.url ?? null, userId: actor.userId });
    await recordChange(tx, actor, {
      action: 'mention.replied',
      entityType: 'mention',
      entityId: id,
      data: {},
    });
  });
  return getMention(deps, id);
}
