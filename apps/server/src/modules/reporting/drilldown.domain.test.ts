import { describe, expect, it } from 'vitest';
import { drilldownPlan, periodRange } from './drilldown.domain';

const iso = (range: { start: number; end: number } | null) =>
  range && [new Date(range.start).toISOString(), new Date(range.end).toISOString()];

describe('the period of a chart point', () => {
  it('reads every form a report names its periods in, in the viewer’s zone', () => {
    const zone = 'Europe/Berlin';
    expect(iso(periodRange('2026-03-02T14', zone))).toEqual([
      '2026-03-02T13:00:00.000Z',
      '2026-03-02T14:00:00.000Z',
    ]);
    expect(iso(periodRange('2026-03-02', zone))).toEqual([
      '2026-03-01T23:00:00.000Z',
      '2026-03-02T23:00:00.000Z',
    ]);
    expect(iso(periodRange('2026-W10', zone))).toEqual([
      '2026-03-01T23:00:00.000Z',
      '2026-03-08T23:00:00.000Z',
    ]);
    expect(iso(periodRange('2026-03', zone))).toEqual([
      '2026-02-28T23:00:00.000Z',
      '2026-03-31T22:00:00.000Z',
    ]);
    expect(iso(periodRange('2026-Q2', zone))).toEqual([
      '2026-03-31T22:00:00.000Z',
      '2026-06-30T22:00:00.000Z',
    ]);
  });

  it('names no period for other text', () => {
    expect(periodRange('last week', 'UTC')).toBeNull();
    expect(periodRange('2026-13', 'UTC')).toBeNull();
    expect(periodRange('2026-Q5', 'UTC')).toBeNull();
  });
});

describe('how a metric drills down', () => {
  it('lists the longest times first and a missed rate before a met one', () => {
    expect(drilldownPlan('first_response_time')).toMatchObject({ valueUnit: 'minutes', worstFirst: 'high' });
    expect(drilldownPlan('sla_compliance')).toMatchObject({ valueUnit: 'boolean', worstFirst: 'low' });
    expect(drilldownPlan('reopen_rate')).toMatchObject({ valueUnit: 'boolean', worstFirst: 'high' });
  });

  it('reads derived metrics from their inputs and survey metrics from invitations', () => {
    expect(drilldownPlan('backlog')).toMatchObject({ metric: 'tickets_created', value: 'age' });
    expect(drilldownPlan('tickets_per_agent')).toMatchObject({ metric: 'tickets_solved', value: 'count' });
    expect(drilldownPlan('csat')).toMatchObject({ subject: 'invitation', worstFirst: 'low' });
    expect(drilldownPlan('tickets_created')).toMatchObject({ subject: 'ticket', worstFirst: null });
  });
});
