import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factsOf } from './facts.domain';
import {
  busySamples,
  dayStart,
  fieldDims,
  histogramsOf,
  integersOf,
  invitationSamples,
  isDimension,
  nextPeriod,
  npsValue,
  onlineSamples,
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

  it('reads lists of integers and of histograms as the database packs them', () => {
    expect(integersOf('12')).toEqual([12]);
    expect(integersOf('1796310752000,-3,0')).toEqual([1796310752000, -3, 0]);
    expect(histogramsOf([0])).toEqual([null]);
    expect(histogramsOf([1, 0, 12])).toEqual([[12]]);
    expect(histogramsOf(integersOf('3,2,3,0,105,0,2,1,-1,4'))).toEqual([[0, 0, 3, 0, 105], null, [0, -1, 4]]);
    const histogram = fc.option(
      fc.record({
        first: fc.nat(80),
        counts: fc.array(fc.integer({ min: -5, max: 1_000_000 }), { minLength: 1 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(histogram, { minLength: 1 }), (list) => {
        const text = list
          .map((h) => (h ? `${h.counts.length},${h.first},${h.counts.join(',')}` : '0'))
          .join(',');
        expect(histogramsOf(integersOf(text))).toEqual(
          list.map((h) => (h ? [...new Array<number>(h.first).fill(0), ...h.counts] : null)),
        );
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), { minLength: 1 }), (values) => {
        expect(integersOf(values.join(','))).toEqual(values.map((v) => (v === 0 ? 0 : v)));
      }),
    );
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

describe('organisation, custom fields, handle time and agent time', () => {
  const types = new Map([
    ['reason', 'dropdown'],
    ['vip', 'checkbox'],
    ['products', 'multiselect'],
  ] as const);

  it('takes dropdown, checkbox and multiselect values as dimensions and leaves other fields out', () => {
    expect(
      fieldDims(
        { reason: 'refund', vip: false, products: ['b', 'a', 'b'], note: 'text', size: 3, empty: [] },
        types,
      ),
    ).toEqual({ reason: ['refund'], vip: ['false'], products: ['a', 'b'] });
    expect(fieldDims({ products: [], reason: 3 }, types)).toEqual({});
  });

  it('names fields as dimensions field:<key> and nothing else', () => {
    expect(['organization', 'field:reason', 'tag'].every(isDimension)).toBe(true);
    expect(['field:', 'field:Reason', 'fields:reason', 'org'].some(isDimension)).toBe(false);
  });

  it('keeps a row per organisation and per chosen field value, one per multiselect value, no team pairs', () => {
    const report: SubjectReport = {
      dims: {
        team: 't1',
        agent: null,
        channel: 'email',
        priority: null,
        type: null,
        tags: [],
        organization: 'o1',
        fields: { reason: ['refund'], products: ['a', 'b'] },
      },
      samples: [{ m: 'tickets_created', t: ms('2026-03-02T10:00:00Z'), v: 1 }],
    };
    const rows = [...rollupDelta([{ before: null, after: report }], ['UTC']).values()]
      .filter((r) => r.key.zone === 'UTC')
      .map((r) => `${r.key.dim}=${r.key.value}`);
    expect(rows).toEqual(
      expect.arrayContaining([
        'organization=o1',
        'field:reason=refund',
        'field:products=a',
        'field:products=b',
      ]),
    );
    expect(rows.filter((r) => r.startsWith('team+organization') || r.startsWith('team+field'))).toEqual([]);
    // A ticket without an organisation counts under none; a report stored before organisations has no row.
    const none = { ...report, dims: { ...report.dims, organization: null, fields: {} } };
    const old = { ...report, dims: { ...report.dims, organization: undefined, fields: undefined } };
    const keys = (r: SubjectReport) =>
      [...rollupDelta([{ before: null, after: r }], ['UTC']).values()].map(
        (x) => `${x.key.dim}=${x.key.value}`,
      );
    expect(keys(none)).toContain('organization=');
    expect(keys(old).some((k) => k.startsWith('organization') || k.startsWith('field:'))).toBe(false);
  });

  it('samples handle time at the last solve for worked tickets only', () => {
    const created = at('2026-03-02T08:00:00Z');
    const facts = factsOf(created, false, [
      { at: created, kind: 'status', category: 'new' },
      { at: at('2026-03-02T09:00:00Z'), kind: 'status', category: 'solved' },
    ]);
    const worked = ticketSamples(facts, { sla: [], escalated: false, workSeconds: 754 });
    expect(worked.filter((s) => s.m === 'handle_time')).toEqual([
      { m: 'handle_time', t: ms('2026-03-02T09:00:00Z'), v: 754 },
    ]);
    expect(ticketSamples(facts, { sla: [], escalated: false }).some((s) => s.m === 'handle_time')).toBe(
      false,
    );
    const open = factsOf(created, false, [{ at: created, kind: 'status', category: 'new' }]);
    expect(
      ticketSamples(open, { sla: [], escalated: false, workSeconds: 60 }).some((s) => s.m === 'handle_time'),
    ).toBe(false);
  });

  it('splits online time at UTC hours, the pieces adding up to the interval', () => {
    expect(onlineSamples(ms('2026-03-02T08:40:00.500Z'), ms('2026-03-02T10:15:00Z'))).toEqual([
      { m: 'online_time', t: ms('2026-03-02T08:40:00.500Z'), v: 1200 },
      { m: 'online_time', t: ms('2026-03-02T09:00:00Z'), v: 3600 },
      { m: 'online_time', t: ms('2026-03-02T10:00:00Z'), v: 900 },
    ]);
    expect(onlineSamples(ms('2026-03-02T08:00:00Z'), ms('2026-03-02T08:00:00Z'))).toEqual([]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 1e9 }), (start, length) => {
        const total = onlineSamples(start, start + length).reduce((sum, s) => sum + s.v, 0);
        expect(total).toBe(Math.floor((start + length) / 1000) - Math.floor(start / 1000));
      }),
    );
  });

  it('counts work within a logged-in stretch on its hours, spread over each visit, never above the hour', () => {
    const visit = (from: string, to: string, seconds: number) => ({
      startedAt: ms(`2026-03-02T${from}Z`),
      endedAt: ms(`2026-03-02T${to}Z`),
      seconds,
    });
    const stretch = [ms('2026-03-02T08:30:00Z'), ms('2026-03-02T10:00:00Z')] as const;
    expect(
      busySamples(...stretch, [
        visit('08:00:00', '09:00:00', 1800), // half of it before the stretch: 900 s in hour 8
        visit('09:50:00', '10:10:00', 1200), // half after it ends: 600 s in hour 9
        visit('11:00:00', '12:00:00', 3600), // offline: not counted
      ]),
    ).toEqual([
      { m: 'busy_time', t: ms('2026-03-02T08:30:00Z'), v: 900 },
      { m: 'busy_time', t: ms('2026-03-02T09:00:00Z'), v: 600 },
    ]);
    // Overlapping visits (two tabs) never make an hour busier than it was long.
    expect(
      busySamples(...stretch, [visit('09:00:00', '10:00:00', 3600), visit('09:00:00', '10:00:00', 3600)]),
    ).toEqual([{ m: 'busy_time', t: ms('2026-03-02T09:00:00Z'), v: 3600 }]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 2e8 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1.2e9 }), fc.integer({ min: 1, max: 1e7 })), {
          maxLength: 8,
        }),
        (start, length, spans) => {
          const visits = spans.map(([from, span]) => ({
            startedAt: from,
            endedAt: from + span,
            seconds: Math.floor(span / 1000),
          }));
          const online = new Map(onlineSamples(start, start + length).map((o) => [o.t, o.v]));
          for (const busy of busySamples(start, start + length, visits)) {
            expect(busy.v).toBeLessThanOrEqual(online.get(busy.t)!);
          }
        },
      ),
    );
  });

  it('keeps work and online time by agent only', () => {
    const report: SubjectReport = {
      dims: { team: null, agent: 'a1', channel: null, priority: null, type: null, tags: [] },
      samples: [
        { m: 'work_time', t: ms('2026-03-02T10:00:00Z'), v: 600 },
        { m: 'online_time', t: ms('2026-03-02T10:00:00Z'), v: 3600 },
      ],
    };
    const rows = [...rollupDelta([{ before: null, after: report }], ['UTC']).values()].map(
      (r) => `${r.key.zone}|${r.key.metric}|${r.key.dim}=${r.key.value}:${r.cell.total}`,
    );
    expect(rows.sort()).toEqual([
      'UTC|online_time|agent=a1:3600',
      'UTC|online_time|all=:3600',
      'UTC|work_time|agent=a1:600',
      'UTC|work_time|all=:600',
    ]);
  });
});
