import type { ThemeDocumentPage, ThemeRun } from '@keepdesk/contract';
import { findThemes, sentimentOf } from '@keepdesk/stats';
import { desc, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { dateOf, rowsOf } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { stableUuid } from '../../platform/jobs';
import { decodeCursor, toPage } from '../../platform/pagination';
import { detectLanguage } from '../tickets';
import { type StoredTheme, themeDocuments, themeRuns } from './feedback.tables';

export const COMPUTE_THEMES = 'feedback.compute-themes';
/** Texts one run reads at most, newest first. */
const MAX_DOCUMENTS = 200_000;
/** Runs kept; older ones are deleted with their documents. */
const KEEP_RUNS = 10;
const DAY_MS = 86_400_000;

interface Text {
  source: 'survey' | 'mention' | 'ticket';
  id: string;
  ticketId: string | null;
  text: string;
  language: 'de' | 'en' | null;
  at: Date;
}

const language = (value: unknown): 'de' | 'en' | null => (value === 'de' || value === 'en' ? value : null);

/** Survey comments, reviews and social posts, and the customer's first message of each ticket, in a period. */
async function textsOf(deps: Deps, from: string, to: string): Promise<Text[]> {
  const db = deps.database.db;
  const range = (column: string) =>
    sql`${sql.raw(column)} >= ${from}::date and ${sql.raw(column)} < ${to}::date + 1`;
  const surveys = rowsOf(
    await db.execute(sql`
      select id, ticket_id, comment as text, language, answered_at as at from survey_responses
       where comment <> '' and ${range('answered_at')} order by answered_at desc limit ${MAX_DOCUMENTS}`),
  );
  const posts = rowsOf(
    await db.execute(sql`
      select id, ticket_id, text, language, posted_at as at from mentions
       where text <> '' and ${range('posted_at')} order by posted_at desc limit ${MAX_DOCUMENTS}`),
  );
  const tickets = rowsOf(
    await db.execute(sql`
      select distinct on (m.ticket_id) m.id, m.ticket_id, left(m.body_text, 2000) as text, t.language,
             m.created_at as at
        from ticket_messages m join tickets t on t.id = m.ticket_id
       where m.author_kind = 'contact' and ${range('t.created_at')}
       order by m.ticket_id, m.created_at
       limit ${MAX_DOCUMENTS}`),
  );
  const all: Text[] = [
    ...surveys.map((r) => ({ source: 'survey' as const, ...common(r) })),
    ...posts.map((r) => ({ source: 'mention' as const, ...common(r) })),
    ...tickets.map((r) => ({ source: 'ticket' as const, ...common(r) })),
  ];
  all.sort((a, b) => b.at.getTime() - a.at.getTime());
  return all.slice(0, MAX_DOCUMENTS);
}

function common(row: Record<string, unknown>) {
  return {
    id: String(row.id),
    ticketId: row.ticket_id ? String(row.ticket_id) : null,
    text: String(row.text ?? ''),
    language: language(row.language),
    at: dateOf(row.at),
  };
}

/** The Monday a week starts on (UTC), as YYYY-MM-DD. */
function weekOf(at: Date): string {
  const day = (at.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() - day))
    .toISOString()
    .slice(0, 10);
}

/** Starts a run over a period (default: the last 90 days); the job computes it. */
export async function requestThemes(deps: Deps, body: { from?: string; to?: string }): Promise<ThemeRun> {
  const to = body.to ?? deps.now().toISOString().slice(0, 10);
  const from = body.from ?? new Date(Date.parse(to) - 89 * DAY_MS).toISOString().slice(0, 10);
  if (from > to) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'from is after to',
      errors: [{ field: 'from', message: 'must be on or before to' }],
    });
  }
  const [run] = await deps.database.db.insert(themeRuns).values({ fromDay: from, toDay: to }).returning();
  await deps.jobs.send(COMPUTE_THEMES, { runId: run!.id }, { id: stableUuid(`themes:${run!.id}`) });
  return presentRun(run!);
}

/**
 * Computes a run: reads the period's texts, finds the themes, and keeps each theme's size, sentiment and
 * weekly counts with the run, and its texts for the drill-down.
 */
export async function computeThemes(deps: Deps, runId: string): Promise<void> {
  const db = deps.database.db;
  const [run] = await db.select().from(themeRuns).where(eq(themeRuns.id, runId));
  if (run?.status !== 'running') return;
  const started = performance.now();
  try {
    const texts = await textsOf(deps, run.fromDay, run.toDay);
    const sentiments = texts.map((t) => sentimentOf(t.text, t.language ?? detectLanguage(t.text)).label);
    const { themes, unassigned } = findThemes(texts.map((t, i) => ({ id: String(i), text: t.text })));
    const stored: StoredTheme[] = themes.map((theme, index) => {
      const members = theme.documents.map(Number);
      const weekly = new Map<string, number>();
      for (const m of members) {
        const week = weekOf(texts[m]!.at);
        weekly.set(week, (weekly.get(week) ?? 0) + 1);
      }
      const share = (label: string) => members.filter((m) => sentiments[m] === label).length / members.length;
      return {
        index,
        label: theme.label,
        keywords: theme.keywords.slice(0, 12),
        size: members.length,
        negative: Math.round(share('negative') * 1000) / 1000,
        positive: Math.round(share('positive') * 1000) / 1000,
        weekly: [...weekly.entries()]
          .sort((a, b) => a[0].localeCompare(b[0]))
          .map(([week, count]) => ({ week, count })),
      };
    });
    const rows = themes.flatMap((theme, index) =>
      theme.documents.map((d) => {
        const text = texts[Number(d)]!;
        return [
          index,
          text.source,
          text.id,
          text.ticketId,
          text.at.toISOString(),
          sentiments[Number(d)]!,
          text.text.slice(0, 300),
        ];
      }),
    );
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      const column = (c: number) => chunk.map((row) => row[c]);
      await deps.database.query(
        `insert into theme_documents (run_id, theme, source, source_id, ticket_id, at, sentiment, excerpt)
         select $1, * from unnest($2::smallint[], $3::text[], $4::uuid[], $5::uuid[], $6::timestamptz[], $7::text[],
                                  $8::text[])
         on conflict do nothing`,
        [runId, column(0), column(1), column(2), column(3), column(4), column(5), column(6)],
      );
    }
    await db
      .update(themeRuns)
      .set({
        status: 'done',
        documents: texts.length,
        unassigned,
        themes: stored,
        seconds: Math.round(performance.now() - started) / 1000,
        finishedAt: deps.now(),
      })
      .where(eq(themeRuns.id, runId));
  } catch (error) {
    await db
      .update(themeRuns)
      .set({ status: 'failed', error: (error as Error).message.slice(0, 1000), finishedAt: deps.now() })
      .where(eq(themeRuns.id, runId));
    throw error;
  }
  await db.execute(sql`
    delete from theme_runs where id in (
      select id from theme_runs order by created_at desc offset ${KEEP_RUNS})`);
}

function presentRun(run: typeof themeRuns.$inferSelect): ThemeRun {
  return {
    id: run.id,
    from: run.fromDay,
    to: run.toDay,
    status: run.status,
    documents: run.documents,
    unassigned: run.unassigned,
    seconds: run.seconds,
    error: run.error,
    themes: run.themes,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** The newest run (finished or not), or null before the first. */
export async function latestThemes(deps: Deps): Promise<ThemeRun | null> {
  const [run] = await deps.database.db.select().from(themeRuns).orderBy(desc(themeRuns.createdAt)).limit(1);
  return run ? presentRun(run) : null;
}

export async function getThemeRun(deps: Deps, id: string): Promise<ThemeRun> {
  const [run] = await deps.database.db.select().from(themeRuns).where(eq(themeRuns.id, id));
  if (!run) throw notFound('theme run', id);
  return presentRun(run);
}

/** What customers wrote in one theme of a run, newest first. */
export async function themeTexts(
  deps: Deps,
  runId: string,
  theme: number,
  query: { sentiment?: string; cursor?: string; limit: number },
): Promise<ThemeDocumentPage> {
  const conditions = [sql`run_id = ${runId}`, sql`theme = ${theme}`];
  if (query.sentiment) conditions.push(sql`sentiment = ${query.sentiment}`);
  if (query.cursor) {
    const [at, source, id] = decodeCursor(query.cursor, 3);
    conditions.push(
      sql`(at, source, source_id) < (${String(at)}::timestamptz, ${String(source)}, ${String(id)}::uuid)`,
    );
  }
  const rows = rowsOf(
    await deps.database.db.execute(sql`
      select * from ${themeDocuments} where ${sql.join(conditions, sql` and `)}
       order by at desc, source desc, source_id desc limit ${query.limit + 1}`),
  );
  return toPage(
    rows,
    query.limit,
    (row) => ({
      source: row.source as 'survey' | 'mention' | 'ticket',
      sourceId: String(row.source_id),
      ticketId: row.ticket_id ? String(row.ticket_id) : null,
      at: dateOf(row.at).toISOString(),
      sentiment: row.sentiment as 'positive' | 'neutral' | 'negative',
      excerpt: String(row.excerpt),
    }),
    (row) => [dateOf(row.at).toISOString(), String(row.source), String(row.source_id)],
  );
}
