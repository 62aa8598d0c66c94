import type {
  ScoreGroup,
  ScoreQuery,
  ScoreReport,
  SurveyResponse,
  SurveyResponsePage,
  SurveyResponseQuery,
} from '@keepdesk/contract';
import { cesOfMoments, npsOfCounts, responseRate, wilson } from '@keepdesk/stats';
import { type SQL, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { dateOf, rowsOf, uuidArray } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { decodeCursor, toPage } from '../../platform/pagination';
import { users } from '../auth';
import { contacts, organizations } from '../customers';
import { teams } from '../teams';
import { tickets } from '../tickets';
import { surveyInvitations, surveyResponses, surveys } from './feedback.tables';

const DAY_MS = 86_400_000;

/** The period as timestamps: `from` and `to` are whole days in the time zone; by default the last 30 days. */
function periodOf(deps: Deps, query: { from?: string; to?: string; timeZone?: string }) {
  const zone = query.timeZone ?? 'UTC';
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(deps.now());
  const to = query.to ?? today;
  const from = query.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
  if (from > to) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'from is after to',
      errors: [{ field: 'from', message: 'must be on or before to' }],
    });
  }
  return {
    start: sql`(${from}::date::timestamp at time zone ${zone})`,
    end: sql`((${to}::date + 1)::timestamp at time zone ${zone})`,
  };
}

/** Conditions every feedback query shares, on a table with the answer's links (responses or invitations). */
function linkFilters(alias: string, query: Partial<ScoreQuery>): SQL[] {
  const column = (name: string) => sql.raw(`${alias}.${name}`);
  const conditions: SQL[] = [];
  if (query.surveyId) conditions.push(sql`${column('survey_id')} = ${query.surveyId}`);
  if (query.agentId) conditions.push(sql`${column('agent_id')} = ${query.agentId}`);
  if (query.teamId) conditions.push(sql`${column('team_id')} = ${query.teamId}`);
  if (query.organizationId) conditions.push(sql`${column('organization_id')} = ${query.organizationId}`);
  if (query.channel) conditions.push(sql`${column('channel')} = ${query.channel}`);
  return conditions;
}

const PERIOD_UNITS = { day: 'day', week: 'week', month: 'month' } as const;

function groupKey(alias: string, query: ScoreQuery, timeColumn: string): SQL {
  const column = (name: string) => sql.raw(`${alias}.${name}`);
  switch (query.groupBy) {
    case 'none':
      return sql`'all'`;
    case 'agent':
      return sql`${column('agent_id')}::text`;
    case 'team':
      return sql`${column('team_id')}::text`;
    case 'organization':
      return sql`${column('organization_id')}::text`;
    case 'channel':
      return sql`${column('channel')}`;
    default: {
      const unit = PERIOD_UNITS[query.groupBy];
      return sql`date_trunc(${unit}, ${column(timeColumn)} at time zone ${query.timeZone})::date::text`;
    }
  }
}

/**
 * A score (CSAT, NPS or CES) with its 95 % interval and the response rate, overall or by agent, team, channel,
 * organisation or period. Counts come from SQL; the intervals from `packages/stats`.
 */
export async function scoreReport(deps: Deps, query: ScoreQuery): Promise<ScoreReport> {
  const db = deps.database.db;
  const { start, end } = periodOf(deps, query);
  const answersKey = groupKey('r', query, 'answered_at');
  const answers = await db.execute(sql`
    select ${answersKey} as key, count(*)::int as answers,
           count(*) filter (where r.rating = 'satisfied')::int as satisfied,
           count(*) filter (where r.rating = 'promoter')::int as promoters,
           count(*) filter (where r.rating = 'passive')::int as passives,
           count(*) filter (where r.rating = 'detractor')::int as detractors,
           avg(r.score)::float8 as mean, stddev_samp(r.score)::float8 as sd
      from ${surveyResponses} r
     where ${sql.join(
       [
         sql`r.kind = ${query.kind}`,
         sql`r.answered_at >= ${start}`,
         sql`r.answered_at < ${end}`,
         ...linkFilters('r', query),
       ],
       sql` and `,
     )}
     group by 1`);
  const sentKey = groupKey('i', query, 'sent_at');
  const sent = await db.execute(sql`
    select ${sentKey} as key, count(*)::int as sent, count(i.answered_at)::int as answered
      from ${surveyInvitations} i
     where ${sql.join(
       [
         sql`i.survey_id in (select id from ${surveys} where kind = ${query.kind})`,
         sql`i.status in ('sending', 'sent')`,
         sql`i.sent_at >= ${start}`,
         sql`i.sent_at < ${end}`,
         ...linkFilters('i', query),
       ],
       sql` and `,
     )}
     group by 1`);
  type Counts = {
    answers: number;
    satisfied: number;
    promoters: number;
    passives: number;
    detractors: number;
    mean: number | null;
    sd: number | null;
    sent: number;
    answered: number;
  };
  const empty = (): Counts => ({
    answers: 0,
    satisfied: 0,
    promoters: 0,
    passives: 0,
    detractors: 0,
    mean: null,
    sd: null,
    sent: 0,
    answered: 0,
  });
  const byKey = new Map<string | null, Counts>();
  const entry = (key: unknown) => {
    const k = key === null || key === undefined ? null : String(key);
    let counts = byKey.get(k);
    if (!counts) {
      counts = empty();
      byKey.set(k, counts);
    }
    return counts;
  };
  for (const row of rowsOf(answers)) {
    Object.assign(entry(row.key), {
      answers: Number(row.answers),
      satisfied: Number(row.satisfied),
      promoters: Number(row.promoters),
      passives: Number(row.passives),
      detractors: Number(row.detractors),
      mean: row.mean === null ? null : Number(row.mean),
      sd: row.sd === null ? null : Number(row.sd),
    });
  }
  for (const row of rowsOf(sent))
    Object.assign(entry(row.key), { sent: Number(row.sent), answered: Number(row.answered) });
  if (query.groupBy === 'none' && byKey.size === 0) byKey.set('all', empty());
  const labels = await labelsOf(deps, query.groupBy, [...byKey.keys()]);
  const groups: ScoreGroup[] = [...byKey.entries()].map(([key, counts]) => {
    const rate = responseRate(Math.min(counts.answered, counts.sent), counts.sent);
    const base = {
      key,
      label: labels.get(key) ?? key ?? '',
      answers: counts.answers,
      sent: counts.sent,
      responseRate: { estimate: rate.estimate, low: rate.low, high: rate.high },
    };
    if (query.kind === 'csat') {
      const share = wilson(counts.satisfied, counts.answers);
      const pct = (value: number | null) => (value === null ? null : 100 * value);
      return {
        ...base,
        score: pct(share.estimate),
        low: pct(share.low),
        high: pct(share.high),
        satisfied: counts.satisfied,
      };
    }
    if (query.kind === 'nps') {
      const score = npsOfCounts(counts);
      return {
        ...base,
        score: score.nps,
        low: score.low,
        high: score.high,
        promoters: counts.promoters,
        passives: counts.passives,
        detractors: counts.detractors,
      };
    }
    const effort = cesOfMoments({ n: counts.answers, mean: counts.mean ?? 0, sd: counts.sd });
    return { ...base, score: effort.mean, low: effort.low, high: effort.high };
  });
  const byPeriod = query.groupBy === 'day' || query.groupBy === 'week' || query.groupBy === 'month';
  groups.sort((a, b) =>
    byPeriod
      ? String(a.key).localeCompare(String(b.key))
      : b.answers - a.answers || a.label.localeCompare(b.label),
  );
  return { kind: query.kind, groupBy: query.groupBy, groups };
}

async function labelsOf(
  deps: Deps,
  groupBy: ScoreQuery['groupBy'],
  keys: readonly (string | null)[],
): Promise<Map<string | null, string>> {
  const labels = new Map<string | null, string>();
  const ids = keys.filter((k): k is string => k !== null && /^[0-9a-f-]{36}$/.test(k));
  const table =
    groupBy === 'agent'
      ? users
      : groupBy === 'team'
        ? teams
        : groupBy === 'organization'
          ? organizations
          : null;
  if (table && ids.length > 0) {
    const rows = await deps.database.db.execute(
      sql`select id::text as id, name from ${table} where id = any(${uuidArray(ids)})`,
    );
    for (const row of rowsOf(rows)) labels.set(String(row.id), String(row.name));
  }
  if (groupBy === 'none') labels.set('all', 'all');
  return labels;
}

/** Answers, newest first, with what they concern; filters as for the scores. */
export async function listResponses(deps: Deps, query: SurveyResponseQuery): Promise<SurveyResponsePage> {
  const conditions: SQL[] = linkFilters('r', query);
  if (query.from || query.to) {
    const { start, end } = periodOf(deps, { from: query.from, to: query.to, timeZone: query.timeZone });
    conditions.push(sql`r.answered_at >= ${start}`, sql`r.answered_at < ${end}`);
  }
  if (query.kind) conditions.push(sql`r.kind = ${query.kind}`);
  if (query.ticketId) conditions.push(sql`r.ticket_id = ${query.ticketId}`);
  if (query.contactId) conditions.push(sql`r.contact_id = ${query.contactId}`);
  if (query.rating) conditions.push(sql`r.rating = ${query.rating}`);
  if (query.withComment === true) conditions.push(sql`r.comment <> ''`);
  if (query.withComment === false) conditions.push(sql`r.comment = ''`);
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor, 2);
    conditions.push(sql`(r.answered_at, r.id) < (${String(at)}::timestamptz, ${String(id)}::uuid)`);
  }
  const result = await deps.database.db.execute(sql`
    select r.*, s.name as survey_name, c.name as contact_name, o.name as organization_name,
           t.number as ticket_number, t.subject as ticket_subject, u.name as agent_name, tm.name as team_name
      from ${surveyResponses} r
      join ${surveys} s on s.id = r.survey_id
      left join ${contacts} c on c.id = r.contact_id
      left join ${organizations} o on o.id = r.organization_id
      left join ${tickets} t on t.id = r.ticket_id
      left join ${users} u on u.id = r.agent_id
      left join ${teams} tm on tm.id = r.team_id
     ${conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``}
     order by r.answered_at desc, r.id desc
     limit ${query.limit + 1}`);
  return toPage(rowsOf(result), query.limit, presentResponse, (row) => [
    timestampOf(row.answered_at),
    String(row.id),
  ]);
}

function timestampOf(value: unknown): string {
  return dateOf(value).toISOString();
}

function presentResponse(row: Record<string, unknown>): SurveyResponse {
  const ref = (id: unknown, name: unknown) => (id ? { id: String(id), name: String(name ?? '') } : null);
  return {
    id: String(row.id),
    surveyId: String(row.survey_id),
    surveyName: String(row.survey_name),
    kind: row.kind as SurveyResponse['kind'],
    score: Number(row.score),
    scale: row.scale as SurveyResponse['scale'],
    rating: (row.rating as SurveyResponse['rating']) ?? null,
    comment: String(row.comment),
    language: row.language as SurveyResponse['language'],
    answeredAt: timestampOf(row.answered_at),
    contact: ref(row.contact_id, row.contact_name),
    organization: ref(row.organization_id, row.organization_name),
    ticket: row.ticket_id
      ? { id: String(row.ticket_id), number: Number(row.ticket_number), subject: String(row.ticket_subject) }
      : null,
    agent: ref(row.agent_id, row.agent_name),
    team: ref(row.team_id, row.team_name),
    channel: row.channel === null ? null : String(row.channel),
    followUpTicketId: row.follow_up_ticket_id ? String(row.follow_up_ticket_id) : null,
  };
}
