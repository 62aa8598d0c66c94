import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factsOf } from './facts.domain';
import {
  dayStart,
  invitationSamples,
  nextPeriod,
  npsValue,
  periodStart,
  rollupDelta,
  type SubjectReport,
  statOf,
  ticketSamples,
} from './metrics.domain';

const at = (iso: string) => new Date(iso);
const ms = (iso: string) => Date.parse(iso);

describe('samples of a ticket', () => {
  it('turns facts into one sample per measurement, durations in whole seconds', () => {
    const created = at('2026-03-02T08:00:00Z');
    const facts = factsOf(created, false, [
      { at: created, kind: 'status', category: 'new' },
      { at: at('2026-03-02T08:10:30Z'), kind: 'agent_reply' },
      { at: at('2026-03-02T08:20:00Z'), kind: 'status', category: 'solved' },
    ]);
    const samples = ticketSamples(facts, {
      sla: [{ at: at('2026-03-02T08:10:30Z'), met: true }],
      escalated: false,
    });
    const byMetric = Object.fromEntries(samples.map((s) => [s.m, s.v]));
    expect(byMetric).toEqual({
      tickets_created: 1,
      tickets_solved: 1,
      first_response_time: 630,
      first_response_time_business: 630,
      resolution_time: 1200,
      resolution_time_business: 1200,
      resolution_rate: 1,
      escalation_rate: 0,
      one_touch_rate: 1,
      reopen_rate: 0,
      reassignments: 0,
      sla_compliance: 1,
    });
    expect(samples.find((s) => s.m === 'resolution_time')!.t).toBe(ms('2026-03-02T08:20:00Z'));
  });

  it('scores survey answers: CSAT satisfied, NPS classes, CES the score; response rate at sending', () => {
    expect([10, 9, 8, 7, 6, 0].map(npsValue)).toEqual([1, 1, 0, 0, -1, -1]);
    const sent = at('2026-03-02T10:00:00Z');
    const answer = { at: at('2026-03-03T10:00:00Z'), score: 3, satisfied: false };
    expect(invitationSamples({ kind: 'nps', sentAt: sent, answer })).toEqual([
      { m: 'survey_response_rate', t: sent.getTime(), v: 1 },
      { m: 'nps', t: answer.at.getTime(), v: -1 },
    ]);
    expect(invitationSamples({ kind: 'ces', sentAt: sent, answer }).at(-1)).toMatchObject({ m: 'ces', v: 3 });
    expect(invitationSamples({ kind: 'csat', sentAt: sent, answer: null })).toEqual([
      { m: 'survey_response_rate', t: sent.getTime(), v: 0 },
    ]);
  });
});

describe('days, weeks, months, quarters in a time zone', () => {
  it('starts a Berlin day at 23:00 UTC in winter and 22:00 UTC in summer', () => {
    expect(dayStart('Europe/Berlin', ms('2026-03-02T23:30:00Z'))).toBe(ms('2026-03-02T23:00:00Z'));
    expect(dayStart('Europe/Berlin', ms('2026-03-02T22:30:00Z'))).toBe(ms('2026-03-01T23:00:00Z'));
    expect(dayStart('Europe/Berlin', ms('2026-07-01T21:59:00Z'))).toBe(ms('2026-06-30T22:00:00Z'));
    expect(dayStart('UTC', ms('2026-03-02T23:30:00Z'))).toBe(ms('2026-03-02T00:00:00Z'));
  });

  it('handles zones half an hour off UTC and the day the clocks change', () => {
    expect(dayStart('Asia/Kolkata', ms('2026-03-02T18:40:00Z'))).toBe(ms('2026-03-02T18:30:00Z'));
    expect(dayStart('Asia/Kolkata', ms('2026-03-02T18:20:00Z'))).toBe(ms('2026-03-01T18:30:00Z'));
    // 29 March 2026 in Berlin has 23 hours.
    const day = dayStart('Europe/Berlin', ms('2026-03-29T12:00:00Z'));
    expect(nextPeriod('day', 'Europe/Berlin', day) - day).toBe(23 * 3_600_000);
  });

  it('starts weeks on Monday and quarters in January, April, July, October', () => {
    expect(periodStart('week', 'Europe/Berlin', ms('2026-03-08T12:00:00Z'))).toBe(ms('2026-03-01T23:00:00Z'));
    expect(periodStart('month', 'UTC', ms('2026-03-31T23:59:00Z'))).toBe(ms('2026-03-01T00:00:00Z'));
    expect(periodStart('quarter', 'UTC', ms('2026-05-15T00:00:00Z'))).toBe(ms('2026-04-01T00:00:00Z'));
    expect(nextPeriod('quarter', 'UTC', ms('2026-10-01T00:00:00Z'))).toBe(ms('2027-01-01T00:00:00Z'));
    expect(periodStart('hour', 'Europe/Berlin', ms('2026-03-02T08:59:59Z'))).toBe(ms('2026-03-02T08:00:00Z'));
  });
});

describe('statistics of a rollup cell', () => {
  it('reads counts, sums and averages in minutes, rates and scores in per cent', () => {
    const durations = { n: 4, total: 4 * 600, hist: null };
    expect(statOf('first_response_time', 'avg', durations)).toBe(10);
    expect(statOf('first_response_time', 'sum', durations)).toBe(40);
    expect(statOf('first_response_time', 'count', durations)).toBe(4);
    expect(statOf('csat', 'rate', { n: 8, total: 6, hist: null })).toBe(75);
    expect(statOf('nps', 'score', { n: 4, total: 1, hist: null })).toBe(25);
    expect(statOf('csat', 'rate', { n: 0, total: 0, hist: null })).toBeNull();
    expect(statOf('first_response_time', 'median', { n: 0, total: 0, hist: [] })).toBeNull();
  });
});

describe('rollup deltas', () => {
  const report = fc.record({
    dims: fc.record({
      team: fc.constantFrom('a', 'b', null),
      agent: fc.constantFrom('x', null),
      channel: fc.constantFrom('email', 'web'),
      priority: fc.constant('normal'),
      type: fc.constant('question'),
      tags: fc.subarray(['vip', 'bug']),
    }),
    samples: fc.array(
      fc.record({
        m: fc.constantFrom('tickets_created', 'first_response_time', 'csat') as fc.Arbitrary<
          'tickets_created' | 'first_response_time' | 'csat'
        >,
        t: fc.integer({ min: ms('2026-03-01T00:00:00Z'), max: ms('2026-04-01T00:00:00Z') }),
        v: fc.integer({ min: 0, max: 100_000 }),
      }),
      { maxLength: 6 },
    ),
  }) as fc.Arbitrary<SubjectReport>;

  it('adds nothing when a report goes back to what it was', () => {
    fc.assert(
      fc.property(report, report, (a, b) => {
        const zones = ['UTC', 'Europe/Berlin'];
        const there = rollupDelta([{ before: a, after: b }], zones);
        const back = rollupDelta([{ before: b, after: a }], zones);
        const sum = rollupDelta(
          [
            { before: a, after: b },
            { before: b, after: a },
          ],
          zones,
        );
        expect(sum.size).toBe(0);
        for (const [key, { cell }] of there) {
          expect(back.get(key)!.cell.n + cell.n).toBe(0);
          expect(back.get(key)!.cell.total + cell.total).toBe(0);
        }
      }),
    );
  });
});
