import { sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db';
import { rowsOf, uuidArray } from '../../platform/db';

const DAY_MS = 86_400_000;

/** Whom the signals are about: a customer account's contact and organisation (either may be missing). */
export interface SupportSubject {
  key: string;
  contactId: string | null;
  organizationId: string | null;
}

/**
 * What Keepdesk itself knows about a customer's experience, from the tickets of the account's contact and of its
 * organisation: the support signals that feed churn risk and health scores.
 */
export interface SupportSignals {
  /** Tickets not yet solved or closed, whenever they were opened. */
  openTickets: number;
  /** Tickets opened in the window. */
  tickets: number;
  /** Tickets of the window recorded as complaints. */
  complaints: number;
  /** Times a solved ticket of the window was opened again. */
  reopened: number;
  /** Tickets of the window whose SLA was breached. */
  slaBreaches: number;
  /** Share of satisfied CSAT answers in the window, or null without answers. */
  csat: number | null;
  /** The latest NPS answer (0–10), or null. */
  nps: number | null;
  /** The latest public message with the customer, either way, or null. */
  lastContactAt: Date | null;
}

export const NO_SIGNALS: SupportSignals = {
  openTickets: 0,
  tickets: 0,
  complaints: 0,
  reopened: 0,
  slaBreaches: 0,
  csat: null,
  nps: null,
  lastContactAt: null,
};

/**
 * Support signals of many subjects at once (set-based: one statement per signal family, whatever the number of
 * subjects), over the `days` before `asOf`. A ticket counts for a subject when its requester is the subject's
 * contact or it belongs to the subject's organisation; merged tickets do not count.
 */
export async function supportSignals(
  db: Executor,
  subjects: readonly SupportSubject[],
  options: { asOf: Date; days: number },
): Promise<Map<string, SupportSignals>> {
  const result = new Map<string, SupportSignals>();
  if (subjects.length === 0) return result;
  for (const subject of subjects) result.set(subject.key, { ...NO_SIGNALS });
  const since = new Date(options.asOf.getTime() - options.days * DAY_MS);
  const asOf = options.asOf;
  // Subjects by position (1-based): their keys are matched back in JavaScript.
  const subjectRows = sql`(select * from unnest(
      ${uuidArray(subjects.map((s) => s.contactId ?? 'NULL'))},
      ${uuidArray(subjects.map((s) => s.organizationId ?? 'NULL'))}
    ) with ordinality as s(contact_id, organization_id, key))`;
  // Tickets of each subject: by requester, and by organisation (a union, so a ticket counts once).
  const subjectTickets = sql`subject_tickets as (
      select s.key, t.id, t.status_category, t.created_at, t.sla_status
        from ${subjectRows} s join tickets t on t.requester_id = s.contact_id
       where t.merged_into_id is null and t.created_at < ${asOf}
      union
      select s.key, t.id, t.status_category, t.created_at, t.sla_status
        from ${subjectRows} s join tickets t on t.organization_id = s.organization_id
       where t.merged_into_id is null and t.created_at < ${asOf}
    )`;
  const ticketRows = rowsOf(
    await db.execute(sql`with ${subjectTickets}
      select st.key,
             count(*) filter (where st.status_category not in ('solved', 'closed'))::int as open_tickets,
             count(*) filter (where st.created_at >= ${since})::int as tickets,
             count(c.ticket_id) filter (where st.created_at >= ${since})::int as complaints,
             count(*) filter (where st.created_at >= ${since} and st.sla_status = 'breached')::int as sla_breaches,
             (select max(m.created_at) from ticket_messages m
               where m.ticket_id = any(array_agg(st.id)) and m.visibility = 'public'
                 and m.author_kind <> 'system' and m.created_at < ${asOf}) as last_contact_at,
             (select count(*)::int from ticket_events e
                join ticket_statuses was on was.key = e.from_value #>> '{}'
                join ticket_statuses now on now.key = e.to_value #>> '{}'
               where e.ticket_id = any(array_agg(st.id)) and e.kind = 'changed' and e.field = 'status'
                 and was.category in ('solved', 'closed') and now.category not in ('solved', 'closed')
                 and e.created_at >= ${since} and e.created_at < ${asOf}) as reopened
        from subject_tickets st left join complaints c on c.ticket_id = st.id
       group by st.key`),
  );
  for (const row of ticketRows) {
    const signals = result.get(subjects[Number(row.key) - 1]?.key ?? '');
    if (!signals) continue;
    signals.openTickets = Number(row.open_tickets);
    signals.tickets = Number(row.tickets);
    signals.complaints = Number(row.complaints);
    signals.slaBreaches = Number(row.sla_breaches);
    signals.reopened = Number(row.reopened);
    signals.lastContactAt = row.last_contact_at ? new Date(String(row.last_contact_at)) : null;
  }
  const surveyRows = rowsOf(
    await db.execute(sql`with subject_answers as (
        select s.key, r.kind, r.rating, r.score, r.answered_at
          from ${subjectRows} s join survey_responses r on r.contact_id = s.contact_id
         where r.answered_at < ${asOf}
        union
        select s.key, r.kind, r.rating, r.score, r.answered_at
          from ${subjectRows} s join survey_responses r on r.organization_id = s.organization_id
         where r.answered_at < ${asOf}
      )
      select key,
             count(*) filter (where kind = 'csat' and answered_at >= ${since})::int as csat_answers,
             count(*) filter (where kind = 'csat' and answered_at >= ${since} and rating = 'satisfied')::int
               as csat_satisfied,
             (array_agg(score order by answered_at desc) filter (where kind = 'nps'))[1] as nps
        from subject_answers group by key`),
  );
  for (const row of surveyRows) {
    const signals = result.get(subjects[Number(row.key) - 1]?.key ?? '');
    if (!signals) continue;
    const answers = Number(row.csat_answers);
    signals.csat = answers > 0 ? Number(row.csat_satisfied) / answers : null;
    signals.nps = row.nps === null || row.nps === undefined ? null : Number(row.nps);
  }
  return result;
}
