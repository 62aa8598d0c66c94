/**
 * The tickets behind a number of a report: the subjects whose stored samples (`report_facts`, the very samples the
 * rollups add up) fall in the range and pass the filter, each with its value for the metric.
 */
import type { DrilldownQuery, DrilldownResult, ReportDimension } from '@keepdesk/contract';
import { type SQL, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Deps } from '../../platform/context';
import { dateOf, rowsOf } from '../../platform/db';
import { fieldError } from '../../platform/errors';
import { drilldownPlan, periodRange } from './drilldown.domain';
import { parseFilter } from './query.service';

/** The condition a subject's dimensions must meet for one filter pair (`''` is "none"). */
function dimCondition(dim: ReportDimension, value: string): SQL {
  if (dim === 'tag') {
    return value === ''
      ? sql`jsonb_array_length(coalesce(f.report->'dims'->'tags', '[]'::jsonb)) = 0`
      : sql`coalesce(f.report->'dims'->'tags', '[]'::jsonb) @> jsonb_build_array(${value}::text)`;
  }
  if (dim.startsWith('field:')) {
    // A custom field's values (each chosen option of a multiselect); tickets without a value have none.
    const values = sql`f.report->'dims'->'fields'->${dim.slice('field:'.length)}`;
    return value === ''
      ? sql`${values} is null`
      : sql`coalesce(${values}, '[]'::jsonb) @> jsonb_build_array(${value}::text)`;
  }
  const field = sql`f.report->'dims'->>${dim}`;
  return value === '' ? sql`${field} is null` : sql`${field} = ${value}`;
}

/** The instants [start, end) of the query: its days in the zone, narrowed to one period when given. */
function rangeOf(query: DrilldownQuery, zone: string): { start: number; end: number } {
  const today = DateTime.now().setZone(zone).toISODate()!;
  const toDate = DateTime.fromISO(query.to ?? today, { zone });
  const fromDate = query.from ? DateTime.fromISO(query.from, { zone }) : toDate.minus({ days: 29 });
  if (!fromDate.isValid) throw fieldError('from', 'not a calendar day');
  if (!toDate.isValid) throw fieldError('to', 'not a calendar day');
  if (fromDate > toDate) throw fieldError('from', `${query.from} is after ${query.to ?? today}`);
  let start = fromDate.toMillis();
  let end = toDate.plus({ days: 1 }).toMillis();
  if (query.period) {
    const period = periodRange(query.period, zone);
    if (!period)
      throw fieldError('period', 'a period as reports name them: 2026-03-02, 2026-W10, 2026-03, 2026-Q1');
    // A chart's first week, month or quarter starts before `from` (reports count whole periods).
    if (period.end <= start || period.start >= end) {
      throw fieldError('period', `${query.period} is not within ${query.from} to ${query.to ?? today}`);
    }
    start = period.start;
    end = Math.min(end, period.end);
  }
  return { start, end };
}

/** The tickets behind a metric in a range, filter and period; `zone` is the query's or the caller's. */
export async function drilldownTickets(
  deps: Deps,
  query: DrilldownQuery,
  viewerZone: string,
): Promise<DrilldownResult> {
  const zone = query.timeZone ?? viewerZone;
  if (query.metric === 'agent_utilisation') {
    throw fieldError('metric', 'agent utilisation is work time over online time: no tickets stand behind it');
  }
  const plan = drilldownPlan(query.metric);
  const { start, end } = rangeOf(query, zone);
  const filter = parseFilter(query.filter);
  const dims = [...filter].map(([dim, value]) => dimCondition(dim, value));
  const dimsCondition = dims.length > 0 ? sql`and ${sql.join(dims, sql` and `)}` : sql``;
  const now = Date.now();

  // One row per ticket: its value, the instant of its latest sample, the number of samples in the range.
  let perTicket: SQL;
  if (plan.value === 'age') {
    // Open at the end of the range: created and reopened count +1, solved −1, before the end.
    const ageAt = Math.min(end, now);
    perTicket = sql`
      select s.id as ticket_id, (${ageAt}::bigint - min(s.t) filter (where s.m = 'tickets_created')) / 60000.0 as value,
             max(s.t) as at, 1 as samples
        from samples s
       group by s.id
      having sum(case s.m when 'tickets_solved' then -1 else 1 end) > 0
         and count(*) filter (where s.m = 'tickets_created') > 0`;
  } else {
    const aggregate =
      plan.value === 'count' ? sql`count(*)` : plan.worstFirst === 'low' ? sql`min(s.v)` : sql`max(s.v)`;
    const scale = plan.valueUnit === 'minutes' ? sql` / 60.0` : sql``;
    perTicket = sql`
      select ${plan.subject === 'invitation' ? sql`i.ticket_id` : sql`s.id`} as ticket_id,
             ${aggregate}${scale} as value, max(s.t) as at, count(*) as samples
        from samples s
        ${plan.subject === 'invitation' ? sql`join survey_invitations i on i.id = s.id and i.ticket_id is not null` : sql``}
       where s.m = ${plan.metric}
       group by 1`;
  }
  const metrics =
    plan.value === 'age' ? ['tickets_created', 'tickets_solved', 'tickets_reopened'] : [plan.metric];
  const order =
    query.sort === 'newest' || plan.worstFirst === null
      ? sql`p.at desc`
      : plan.worstFirst === 'high'
        ? sql`p.value desc, p.at desc`
        : sql`p.value asc, p.at desc`;
  const result = await deps.database.db.execute(sql`
    with samples as (
      select f.id, s.m, s.t, s.v
        from report_facts f
       cross join lateral jsonb_to_recordset(f.report->'samples') as s(m text, t bigint, v bigint)
       where f.subject = ${plan.subject}
         ${plan.value === 'age' ? sql`` : sql`and f.last_at >= ${start}::bigint and f.first_at < ${end}::bigint`}
         and s.m in (${sql.join(
           metrics.map((m) => sql`${m}`),
           sql`, `,
         )})
         and s.t < ${end}::bigint ${plan.value === 'age' ? sql`` : sql`and s.t >= ${start}::bigint`}
         ${dimsCondition}
    ), per_ticket as (${perTicket})
    select t.id, t.number, t.subject, t.status_key, t.status_category, t.created_at,
           tm.id as team_id, tm.name as team_name, u.id as assignee_id, u.name as assignee_name,
           p.value, p.at, p.samples, count(*) over () as total
      from per_ticket p
      join tickets t on t.id = p.ticket_id
      left join teams tm on tm.id = t.team_id
      left join users u on u.id = t.assignee_id
     order by ${order}, t.number desc
     limit ${query.limit}`);
  const rows = rowsOf(result);
  return {
    metric: query.metric,
    valueUnit: plan.valueUnit,
    from: new Date(start).toISOString(),
    to: new Date(end).toISOString(),
    timeZone: zone,
    total: rows.length > 0 ? Number(rows[0]!.total) : 0,
    items: rows.map((r) => ({
      id: String(r.id),
      number: Number(r.number),
      subject: String(r.subject),
      status: String(r.status_key),
      statusCategory: String(r.status_category),
      team: r.team_id ? { id: String(r.team_id), name: String(r.team_name) } : null,
      assignee: r.assignee_id ? { id: String(r.assignee_id), name: String(r.assignee_name) } : null,
      createdAt: dateOf(r.created_at).toISOString(),
      at: new Date(Number(r.at)).toISOString(),
      value: Math.round(Number(r.value) * 100) / 100,
      samples: Number(r.samples),
    })),
  };
}
