import type { FieldValue, SlaFilterState, ViewFilter, ViewSort } from '@keepdesk/contract';
import { matchesField } from './fields.domain';

/** The fields of a ticket that views filter and sort on. */
export interface ViewTicket {
  id: string;
  number: number;
  statusKey: string;
  statusCategory: string;
  priority: string;
  type: string;
  channel: string;
  assigneeId: string | null;
  teamId: string | null;
  tags: readonly string[];
  requesterId: string;
  organizationId: string | null;
  createdAt: Date;
  updatedAt: Date;
  customFields: Readonly<Record<string, FieldValue>>;
  /** The next SLA due time; tickets without one sort last. */
  slaDueAt?: Date | null;
  slaPolicyId?: string | null;
  slaStatus?: string | null;
  slaAtRiskAt?: Date | null;
  /** The requester's attributes, for conditions on them. */
  customerAttributes?: Readonly<Record<string, unknown>>;
}

/** Who looks at a view, and when: `me` and `mine` mean them and their teams, SLA states are read at `now`. */
export interface Viewer {
  userId: string;
  teamIds: readonly string[];
  now: Date;
}

/**
 * A ticket's SLA state at a moment, from the summary the SLA module keeps on it: a running clock is breached
 * from its due time and at risk from its at-risk time. The reference for the SQL translation.
 */
export function slaStateAt(
  t: Pick<ViewTicket, 'slaPolicyId' | 'slaStatus' | 'slaDueAt' | 'slaAtRiskAt'>,
  now: Date,
): SlaFilterState {
  if (!t.slaPolicyId || !t.slaStatus) return 'none';
  if (t.slaStatus !== 'running') return t.slaStatus as SlaFilterState;
  if (t.slaDueAt && now >= t.slaDueAt) return 'breached';
  if (t.slaAtRiskAt && now >= t.slaAtRiskAt) return 'at_risk';
  return 'on_track';
}

const PRIORITY_RANK: Record<string, number> = { low: 1, normal: 2, high: 3, urgent: 4 };

export function priorityRank(priority: string): number {
  return PRIORITY_RANK[priority] ?? 0;
}

const given = <T>(values: readonly T[] | undefined): values is readonly T[] =>
  values !== undefined && values.length > 0;

/**
 * Whether a ticket belongs in a view: every condition given must hold; within one condition any listed
 * value will do. An empty list counts as not given. Dates: `…After` includes the moment, `…Before` excludes it.
 * This is the reference the SQL translation is tested against.
 */
export function matchesView(ticket: ViewTicket, filter: ViewFilter, viewer: Viewer): boolean {
  if (given(filter.statusCategory) && !filter.statusCategory.includes(ticket.statusCategory as never))
    return false;
  if (given(filter.status) && !filter.status.includes(ticket.statusKey)) return false;
  if (given(filter.priority) && !filter.priority.includes(ticket.priority as never)) return false;
  if (given(filter.type) && !filter.type.includes(ticket.type as never)) return false;
  if (given(filter.channel) && !filter.channel.includes(ticket.channel as never)) return false;
  if (given(filter.assignee)) {
    const ok = filter.assignee.some((a) =>
      a === 'me'
        ? ticket.assigneeId === viewer.userId
        : a === 'none'
          ? ticket.assigneeId === null
          : ticket.assigneeId === a,
    );
    if (!ok) return false;
  }
  if (given(filter.team)) {
    const ok = filter.team.some((t) =>
      t === 'mine'
        ? ticket.teamId !== null && viewer.teamIds.includes(ticket.teamId)
        : t === 'none'
          ? ticket.teamId === null
          : ticket.teamId === t,
    );
    if (!ok) return false;
  }
  if (given(filter.tagsAll) && !filter.tagsAll.every((tag) => ticket.tags.includes(tag))) return false;
  if (given(filter.tagsAny) && !filter.tagsAny.some((tag) => ticket.tags.includes(tag))) return false;
  if (given(filter.tagsNone) && filter.tagsNone.some((tag) => ticket.tags.includes(tag))) return false;
  if (given(filter.requesterId) && !filter.requesterId.includes(ticket.requesterId)) return false;
  if (
    given(filter.organizationId) &&
    (ticket.organizationId === null || !filter.organizationId.includes(ticket.organizationId))
  )
    return false;
  const time = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso).getTime());
  const createdAfter = time(filter.createdAfter);
  const createdBefore = time(filter.createdBefore);
  const updatedAfter = time(filter.updatedAfter);
  const updatedBefore = time(filter.updatedBefore);
  if (createdAfter !== undefined && ticket.createdAt.getTime() < createdAfter) return false;
  if (createdBefore !== undefined && ticket.createdAt.getTime() >= createdBefore) return false;
  if (updatedAfter !== undefined && ticket.updatedAt.getTime() < updatedAfter) return false;
  if (updatedBefore !== undefined && ticket.updatedAt.getTime() >= updatedBefore) return false;
  if (filter.fields && !filter.fields.every((c) => matchesField(ticket.customFields, c))) return false;
  if (given(filter.sla) && !filter.sla.includes(slaStateAt(ticket, viewer.now))) return false;
  const attributes = (ticket.customerAttributes ?? {}) as Readonly<Record<string, FieldValue>>;
  if (filter.customer && !filter.customer.every((c) => matchesField(attributes, c))) return false;
  return true;
}

/** The order of a view: by its sort field, then by id in the same direction, so the order is total. */
export function compareForView(a: ViewTicket, b: ViewTicket, sort: ViewSort): number {
  const key = (t: ViewTicket) =>
    sort.field === 'updatedAt'
      ? t.updatedAt.getTime()
      : sort.field === 'createdAt'
        ? t.createdAt.getTime()
        : sort.field === 'number'
          ? t.number
          : sort.field === 'slaDueAt'
            ? (t.slaDueAt?.getTime() ?? Number.POSITIVE_INFINITY)
            : priorityRank(t.priority);
  const primary = key(a) === key(b) ? 0 : key(a) < key(b) ? -1 : 1;
  const order = primary !== 0 ? primary : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  return sort.direction === 'asc' ? order : -order;
}
