/**
 * Reads what the reports are made of. Reporting is a read model of the other modules' tables (ADR 0028): it
 * reads tickets, their history, SLA clocks, escalations and survey invitations, and writes only its own tables.
 */
import type { FieldType } from '@keepdesk/contract';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { dateOf, type Executor, rowsOf, uuidArray } from '../../platform/db';
import { type BusinessCalendar, businessMinutesBetween, policyCalendar } from '../sla';
import { type FactEvent, factsOf, type StatusCategory } from './facts.domain';
import {
  busySamples,
  DIMENSION_FIELD_TYPES,
  fieldDims,
  invitationSamples,
  onlineSamples,
  type SubjectReport,
  ticketSamples,
} from './metrics.domain';

const nullable = (value: unknown) => (value === null || value === undefined ? null : String(value));

interface StoredClock {
  stoppedAt: string | null;
  dueAt: string | null;
  breached: boolean;
}

/** The outcome of each SLA target: met or breached when it stopped; breached when it ran past its due time. */
function slaOutcomes(clocks: StoredClock[]): { at: Date; met: boolean }[] {
  const outcomes: { at: Date; met: boolean }[] = [];
  for (const clock of clocks) {
    if (clock.stoppedAt) outcomes.push({ at: new Date(clock.stoppedAt), met: !clock.breached });
    else if (clock.breached && clock.dueAt) outcomes.push({ at: new Date(clock.dueAt), met: false });
  }
  return outcomes;
}

/** The reports of these tickets now; a ticket that no longer exists is absent from the map. */
export async function ticketReports(
  deps: Deps,
  executor: Executor,
  ids: readonly string[],
): Promise<Map<string, SubjectReport>> {
  const reports = new Map<string, SubjectReport>();
  if (ids.length === 0) return reports;
  const list = uuidArray(ids);
  // One query after the other: a transaction is one connection.
  const ticketRows = await executor.execute(sql`
    select id, created_at, team_id, assignee_id, channel, priority, type, tags, sla_policy_id,
           organization_id, custom_fields
      from tickets where id = any(${list})`);
  const eventRows = await executor.execute(sql`
    select ticket_id, kind, field, from_value, to_value, created_at from ticket_events
     where ticket_id = any(${list}) and kind in ('created', 'changed', 'replied', 'customer_replied')
     order by ticket_id, id`);
  const firstMessages = await executor.execute(sql`
    select distinct on (ticket_id) ticket_id, author_kind from ticket_messages
     where ticket_id = any(${list}) order by ticket_id, created_at, id`);
  const statusRows = await executor.execute(sql`select key, category from ticket_statuses`);
  const slaRows = await executor.execute(
    sql`select ticket_id, clocks from ticket_slas where ticket_id = any(${list})`,
  );
  const escalated = await executor.execute(sql`
    select distinct ticket_id from ticket_escalations
     where ticket_id = any(${list}) and kind in ('breach', 'manual')`);
  const fieldRows = await executor.execute(sql`select key, type from ticket_fields`);
  const workRows = await executor.execute(sql`
    select ticket_id, sum(seconds)::bigint as seconds from ticket_work_sessions
     where ticket_id = any(${list}) group by ticket_id`);
  const fieldTypes = new Map(
    rowsOf(fieldRows)
      .map((r) => [String(r.key), r.type as FieldType] as const)
      .filter(([, type]) => DIMENSION_FIELD_TYPES.includes(type)),
  );
  const workSeconds = new Map(rowsOf(workRows).map((r) => [String(r.ticket_id), Number(r.seconds)]));
  const categories = new Map(rowsOf(statusRows).map((r) => [String(r.key), String(r.category)]));
  const categoryOf = (key: unknown) => (categories.get(String(key)) ?? String(key)) as StatusCategory;
  const byAgent = new Set(
    rowsOf(firstMessages)
      .filter((r) => r.author_kind === 'agent')
      .map((r) => String(r.ticket_id)),
  );
  const clocks = new Map(rowsOf(slaRows).map((r) => [String(r.ticket_id), r.clocks as StoredClock[]]));
  const escalatedIds = new Set(rowsOf(escalated).map((r) => String(r.ticket_id)));
  const events = new Map<string, Record<string, unknown>[]>();
  for (const row of rowsOf(eventRows)) {
    const id = String(row.ticket_id);
    const list = events.get(id);
    if (list) list.push(row);
    else events.set(id, [row]);
  }
  const calendars = new Map<string, Promise<BusinessCalendar>>();
  const calendarFor = (policyId: string | null, year: number) => {
    const key = `${policyId}|${year}`;
    let calendar = calendars.get(key);
    if (!calendar) {
      calendar = policyCalendar(deps, policyId, year, executor);
      calendars.set(key, calendar);
    }
    return calendar;
  };
  for (const ticket of rowsOf(ticketRows)) {
    const id = String(ticket.id);
    const createdAt = dateOf(ticket.created_at);
    const calendar = await calendarFor(nullable(ticket.sla_policy_id), createdAt.getUTCFullYear());
    const factEvents = factEventsOf(createdAt, events.get(id) ?? [], categoryOf);
    const facts = factsOf(createdAt, byAgent.has(id), factEvents, (from, to) =>
      businessMinutesBetween(calendar, from, to),
    );
    reports.set(id, {
      dims: {
        team: nullable(ticket.team_id),
        agent: nullable(ticket.assignee_id),
        channel: nullable(ticket.channel),
        priority: nullable(ticket.priority),
        type: nullable(ticket.type),
        tags: (ticket.tags as string[] | null) ?? [],
        organization: nullable(ticket.organization_id),
        fields: fieldDims((ticket.custom_fields as Record<string, unknown> | null) ?? {}, fieldTypes),
      },
      samples: ticketSamples(facts, {
        sla: slaOutcomes(clocks.get(id) ?? []),
        escalated: escalatedIds.has(id),
        workSeconds: workSeconds.get(id) ?? 0,
      }),
    });
  }
  return reports;
}

/** A ticket's history as facts read it; an assignee set at creation shows as the first change's old value. */
function factEventsOf(
  createdAt: Date,
  rows: readonly Record<string, unknown>[],
  categoryOf: (key: unknown) => StatusCategory,
): FactEvent[] {
  const out: FactEvent[] = [];
  let sawAssignee = false;
  for (const row of rows) {
    const at = dateOf(row.created_at);
    if (row.kind === 'replied') out.push({ at, kind: 'agent_reply' });
    else if (row.kind === 'customer_replied') out.push({ at, kind: 'customer_message' });
    else if (row.kind === 'created') {
      const status = (row.to_value as { status?: string } | null)?.status;
      if (status) out.push({ at: createdAt, kind: 'status', category: categoryOf(status) });
    } else if (row.field === 'status') {
      out.push({ at, kind: 'status', category: categoryOf(row.to_value) });
    } else if (row.field === 'assigneeId') {
      if (!sawAssignee && row.from_value) {
        out.push({ at: createdAt, kind: 'assignee', to: String(row.from_value) });
      }
      sawAssignee = true;
      out.push({ at, kind: 'assignee', to: nullable(row.to_value) });
    }
  }
  return out;
}

/** The reports of these survey invitations now; one that no longer exists is absent from the map. */
export async function invitationReports(
  executor: Executor,
  ids: readonly string[],
): Promise<Map<string, SubjectReport>> {
  const reports = new Map<string, SubjectReport>();
  if (ids.length === 0) return reports;
  const result = await executor.execute(sql`
    select i.id, s.kind, i.sent_at, i.team_id, i.agent_id, i.channel, i.organization_id,
           r.score, r.rating, r.answered_at
      from survey_invitations i
      join surveys s on s.id = i.survey_id
      left join survey_responses r on r.invitation_id = i.id
     where i.id = any(${uuidArray(ids)})`);
  for (const row of rowsOf(result)) {
    const answeredAt = row.answered_at ? dateOf(row.answered_at) : null;
    reports.set(String(row.id), {
      dims: {
        team: nullable(row.team_id),
        agent: nullable(row.agent_id),
        channel: nullable(row.channel),
        priority: null,
        type: null,
        tags: [],
        organization: nullable(row.organization_id),
      },
      samples: invitationSamples({
        kind: row.kind as 'csat' | 'nps' | 'ces',
        sentAt: row.sent_at ? dateOf(row.sent_at) : null,
        answer: answeredAt
          ? { at: answeredAt, score: Number(row.score), satisfied: row.rating === 'satisfied' }
          : null,
      }),
    });
  }
  return reports;
}

const agentDims = (agent: string): SubjectReport['dims'] => ({
  team: null,
  agent,
  channel: null,
  priority: null,
  type: null,
  tags: [],
});

/** The reports of these work sessions: the agent's work seconds at the session's start. */
export async function workReports(
  executor: Executor,
  ids: readonly string[],
): Promise<Map<string, SubjectReport>> {
  const reports = new Map<string, SubjectReport>();
  if (ids.length === 0) return reports;
  const result = await executor.execute(sql`
    select id, agent_id, started_at, seconds from ticket_work_sessions where id = any(${uuidArray(ids)})`);
  for (const row of rowsOf(result)) {
    reports.set(String(row.id), {
      dims: agentDims(String(row.agent_id)),
      samples: [{ m: 'work_time', t: dateOf(row.started_at).getTime(), v: Number(row.seconds) }],
    });
  }
  return reports;
}

/**
 * The reports of these presence intervals: logged-in seconds (online or away, ADR 0032) per UTC hour, kept as
 * `online_time`, and the agent's work inside them as `busy_time` (ADR 0052); an interval still open counts to
 * `now`.
 */
export async function presenceReports(
  executor: Executor,
  ids: readonly string[],
  now: Date,
): Promise<Map<string, SubjectReport>> {
  const reports = new Map<string, SubjectReport>();
  if (ids.length === 0) return reports;
  const result = await executor.execute(sql`
    select id, user_id, started_at, ended_at from agent_presence_intervals
     where id = any(${uuidArray(ids)})`);
  // The agent's visits that overlap each stretch (the index on agent and end serves it).
  const visits = await executor.execute(sql`
    select p.id, w.started_at, w.ended_at, w.seconds
      from agent_presence_intervals p
      join ticket_work_sessions w on w.agent_id = p.user_id and w.ended_at > p.started_at
       and w.started_at < coalesce(p.ended_at, greatest(p.started_at, ${now.toISOString()}::timestamptz))
     where p.id = any(${uuidArray(ids)})`);
  const visitsOf = new Map<string, { startedAt: number; endedAt: number; seconds: number }[]>();
  for (const row of rowsOf(visits)) {
    const list = visitsOf.get(String(row.id)) ?? [];
    list.push({
      startedAt: dateOf(row.started_at).getTime(),
      endedAt: dateOf(row.ended_at).getTime(),
      seconds: Number(row.seconds),
    });
    visitsOf.set(String(row.id), list);
  }
  for (const row of rowsOf(result)) {
    const start = dateOf(row.started_at).getTime();
    const end = row.ended_at ? dateOf(row.ended_at).getTime() : Math.max(start, now.getTime());
    reports.set(String(row.id), {
      dims: agentDims(String(row.user_id)),
      samples: [...onlineSamples(start, end), ...busySamples(start, end, visitsOf.get(String(row.id)) ?? [])],
    });
  }
  return reports;
}
