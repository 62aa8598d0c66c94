import type { KbSuggestion, KbSuggestionList } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { rowsOf, uuidArray } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { anyOf, clampExcerpt, publicArticlePath, ticketKeywords } from './search.domain';
import { searchArticles } from './search.service';

/** Customer messages the query is built from: the newest few say what the ticket is about now. */
const MESSAGES = 3;

/**
 * Articles for an open ticket: its subject and latest customer messages reduced to keywords (or the agent's own
 * words), searched over everything agents may read; each hit is replaced by its translation in the ticket's
 * language when there is one, so "insert" puts the customer's language into the reply.
 */
export async function suggestArticles(
  deps: Deps,
  ticketId: string,
  options: { q?: string; limit: number },
): Promise<KbSuggestionList> {
  const db = deps.database.db;
  const ticket = rowsOf(
    await db.execute(sql`select subject, language from tickets where id = ${ticketId}`),
  )[0];
  if (!ticket) throw notFound('ticket', ticketId);
  const language = ticket.language === 'de' ? 'de' : 'en';
  let text = options.q?.trim() ?? '';
  if (!text) {
    const messages = rowsOf(
      await db.execute(sql`
        select body_text from ticket_messages
         where ticket_id = ${ticketId} and author_kind = 'contact'
         order by created_at desc limit ${MESSAGES}`),
    ).map((r) => String(r.body_text));
    text = anyOf(ticketKeywords({ subject: String(ticket.subject), messages }));
  }
  if (!text) return { items: [], query: '', language };
  // More hits than shown: translations of one article collapse into one suggestion.
  const found = await searchArticles(deps, {
    text,
    audience: 'agent',
    limit: options.limit * 2,
    log: options.q ? { source: 'agent' } : undefined,
  });
  if (!found.items.length) return { items: [], query: found.correctedText ?? text, language };
  const rows = rowsOf(
    await db.execute(sql`
      select a.id as hit_id, a.translation_group_id as group_id, s.id, s.number, s.title, s.slug, s.language,
             s.status, s.visibility, s.body_text,
             coalesce((select b.slug from kb_categories c join kb_brands b on b.id = c.brand_id
                        where c.id = s.category_id), 'default') as brand_slug
        from kb_articles a
        join lateral (
          select t.* from kb_articles t
           where t.translation_group_id = a.translation_group_id and t.status <> 'archived'
           order by (t.language = ${language} and (t.status = 'published' or a.status <> 'published')) desc,
                    (t.id = a.id) desc
           limit 1
        ) s on true
       where a.id = any(${uuidArray(found.items.map((hit) => hit.id))})`),
  );
  const byHit = new Map(rows.map((r) => [String(r.hit_id), r]));
  const seen = new Set<string>();
  const items: KbSuggestion[] = [];
  for (const hit of found.items) {
    const row = byHit.get(hit.id);
    if (!row || seen.has(String(row.group_id))) continue;
    seen.add(String(row.group_id));
    const bodyText = String(row.body_text);
    const isPublic = row.status === 'published' && row.visibility === 'public';
    items.push({
      id: String(row.id),
      number: Number(row.number),
      title: String(row.title),
      language: row.language as 'de' | 'en',
      excerpt: row.id === hit.id ? hit.excerpt : clampExcerpt('', bodyText),
      publicUrl: isPublic
        ? publicArticlePath(
            String(row.brand_slug),
            String(row.language),
            Number(row.number),
            String(row.slug),
          )
        : null,
      bodyText,
    });
    if (items.length >= options.limit) break;
  }
  return { items, query: found.correctedText ?? text, language };
}
