import { describe, expect, it } from 'vitest';
import { compareForView, matchesView, slaStateAt, type ViewTicket } from './views.domain';

const viewer = { userId: 'me-id', teamIds: ['team-a'], now: new Date('2026-11-21T12:00:00Z') };
const base: ViewTicket = {
  id: '00000000-0000-4000-8000-000000000001',
  number: 10001,
  statusKey: 'open',
  statusCategory: 'open',
  priority: 'high',
  type: 'question',
  channel: 'email',
  assigneeId: null,
  teamId: 'team-a',
  tags: ['billing', 'vip'],
  requesterId: 'c1',
  organizationId: null,
  createdAt: new Date('2026-11-01T00:00:00Z'),
  updatedAt: new Date('2026-11-20T00:00:00Z'),
  customFields: { product: 'cloud', seats: 5 },
};

describe('matchesView', () => {
  it('matches everything with an empty filter, and treats empty lists as not given', () => {
    expect(matchesView(base, {}, viewer)).toBe(true);
    expect(matchesView(base, { priority: [], tagsAll: [] }, viewer)).toBe(true);
  });

  it('resolves me, none and mine for the viewer', () => {
    expect(matchesView(base, { assignee: ['none'] }, viewer)).toBe(true);
    expect(matchesView(base, { assignee: ['me'] }, viewer)).toBe(false);
    expect(matchesView({ ...base, assigneeId: 'me-id' }, { assignee: ['me'] }, viewer)).toBe(true);
    expect(matchesView(base, { team: ['mine'] }, viewer)).toBe(true);
    expect(matchesView(base, { team: ['mine'] }, { ...viewer, teamIds: [] })).toBe(false);
  });

  it('distinguishes all, any and none of the tags', () => {
    expect(matchesView(base, { tagsAll: ['billing', 'vip'] }, viewer)).toBe(true);
    expect(matchesView(base, { tagsAll: ['billing', 'refund'] }, viewer)).toBe(false);
    expect(matchesView(base, { tagsAny: ['refund', 'vip'] }, viewer)).toBe(true);
    expect(matchesView(base, { tagsNone: ['vip'] }, viewer)).toBe(false);
  });

  it('includes the After moment and excludes the Before moment', () => {
    expect(matchesView(base, { createdAfter: '2026-11-01T00:00:00Z' }, viewer)).toBe(true);
    expect(matchesView(base, { createdBefore: '2026-11-01T00:00:00Z' }, viewer)).toBe(false);
  });

  it('requires every custom field condition', () => {
    const fields = [
      { key: 'product', op: 'in' as const, values: ['cloud', 'mobile'] },
      { key: 'seats', op: 'gte' as const, value: 5 },
    ];
    expect(matchesView(base, { fields }, viewer)).toBe(true);
    expect(matchesView(base, { fields: [...fields, { key: 'due', op: 'set' as const }] }, viewer)).toBe(
      false,
    );
  });

  it('does not match an organisation filter for a ticket without one', () => {
    expect(matchesView(base, { organizationId: ['o1'] }, viewer)).toBe(false);
  });
});

describe('compareForView', () => {
  it('sorts by priority rank, then id, in the chosen direction', () => {
    const urgent = { ...base, id: '00000000-0000-4000-8000-000000000002', priority: 'urgent' };
    const low = { ...base, id: '00000000-0000-4000-8000-000000000003', priority: 'low' };
    const sorted = [low, base, urgent].sort((a, b) =>
      compareForView(a, b, { field: 'priority', direction: 'desc' }),
    );
    expect(sorted.map((t) => t.priority)).toEqual(['urgent', 'high', 'low']);
  });
});

describe('slaStateAt and the sla filter', () => {
  const at = (iso: string) => new Date(iso);
  const running = {
    slaPolicyId: 'p',
    slaStatus: 'running',
    slaAtRiskAt: at('2026-11-21T11:00:00Z'),
    slaDueAt: at('2026-11-21T12:00:00Z'),
  };
  it.each([
    ['2026-11-21T10:59:59Z', 'on_track'],
    ['2026-11-21T11:00:00Z', 'at_risk'],
    ['2026-11-21T12:00:00Z', 'breached'],
  ])('a running clock at %s is %s', (now, state) => {
    expect(slaStateAt(running, at(now))).toBe(state);
  });

  it('reads paused, met and breached as stored, and no policy as none', () => {
    expect(slaStateAt({ ...running, slaStatus: 'paused' }, at('2027-01-01T00:00:00Z'))).toBe('paused');
    expect(slaStateAt({ ...running, slaStatus: 'met' }, at('2027-01-01T00:00:00Z'))).toBe('met');
    expect(slaStateAt({ slaPolicyId: null, slaStatus: null }, viewer.now)).toBe('none');
  });

  it('filters tickets by their SLA state when the viewer looks', () => {
    const ticket = { ...base, ...running };
    expect(matchesView(ticket, { sla: ['at_risk', 'breached'] }, viewer)).toBe(true);
    expect(matchesView(ticket, { sla: ['on_track'] }, viewer)).toBe(false);
    expect(matchesView(base, { sla: ['none'] }, viewer)).toBe(true);
  });
});
