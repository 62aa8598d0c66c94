import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALWAYS_OPEN,
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
} from './calendar.domain';
import {
  type Clock,
  clockState,
  type HistoryEntry,
  replayClocks,
  type SlaRules,
  ticketSla,
} from './sla.domain';

const day = [
  { start: '08:00', end: '12:00' },
  { start: '13:00', end: '17:00' },
];
const berlin: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  week: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] },
  isClosed: (date) => date === '2026-04-03' || date === '2026-04-06',
};
const rules = (overrides: Partial<SlaRules> = {}): SlaRules => ({
  targets: { first_response: 60, next_response: 120, resolution: 480 },
  businessTime: false,
  pauseOn: ['pending', 'on_hold'],
  atRiskShare: 0.75,
  ...overrides,
});
const t = (time: string) => new Date(`2026-03-10T${time}:00Z`);
const status = (time: string, category: string): HistoryEntry => ({ at: t(time), kind: 'status', category });
const reply = (time: string): HistoryEntry => ({ at: t(time), kind: 'agent_reply' });
const customer = (time: string): HistoryEntry => ({ at: t(time), kind: 'customer_message' });
const of = (clocks: Clock[], metric: Clock['metric']) => clocks.filter((c) => c.metric === metric);
const iso = (date: Date | null) => date?.toISOString().slice(11, 16) ?? null;

describe('replayClocks', () => {
  it('meets first response with the first public reply, and breaches it when late', () => {
    const met = replayClocks(rules(), berlin, t('10:00'), [reply('10:30')], t('12:00'));
    expect(of(met, 'first_response')[0]).toMatchObject({ breached: false, stoppedAt: t('10:30') });
    const late = replayClocks(rules(), berlin, t('10:00'), [reply('11:30')], t('12:00'));
    expect(of(late, 'first_response')[0]).toMatchObject({ breached: true });
    expect(clockState(of(late, 'first_response')[0]!, t('12:00'))).toBe('breached');
  });

  it('stands still while pending and moves the due time by exactly the pause', () => {
    const clocks = replayClocks(
      rules(),
      berlin,
      t('08:00'),
      [reply('08:10'), status('08:30', 'pending'), status('09:30', 'open')],
      t('10:00'),
    );
    const resolution = of(clocks, 'resolution')[0]!;
    expect(resolution.pausedMinutes).toBe(60);
    expect(iso(resolution.dueAt)).toBe('17:00'); // 08:00 + 8 h + 1 h paused
    expect(iso(resolution.atRiskAt)).toBe('15:00'); // 75 % of 8 h = 6 h, + 1 h paused
    const whilePending = replayClocks(rules(), berlin, t('08:00'), [status('08:30', 'pending')], t('10:00'));
    expect(of(whilePending, 'resolution')[0]).toMatchObject({ paused: true, dueAt: null });
    expect(ticketSla(whilePending, t('10:00')).state).toBe('paused');
  });

  it('meets resolution when solved and resumes it, without the solved time, when reopened', () => {
    const solved = replayClocks(
      rules(),
      berlin,
      t('08:00'),
      [reply('08:05'), status('08:40', 'solved')],
      t('12:00'),
    );
    expect(of(solved, 'resolution')[0]).toMatchObject({ stoppedAt: t('08:40'), breached: false });
    expect(ticketSla(solved, t('12:00'))).toEqual({ state: 'met', nextDueAt: null });
    const reopened = replayClocks(
      rules(),
      berlin,
      t('08:00'),
      [reply('08:05'), status('08:40', 'solved'), customer('10:00'), status('10:00', 'open')],
      t('10:30'),
    );
    const resolution = of(reopened, 'resolution')[0]!;
    expect(resolution).toMatchObject({ stoppedAt: null, pausedMinutes: 80 });
    expect(iso(resolution.dueAt)).toBe('17:20');
    // The customer's reply to the reopened ticket is owed an answer.
    expect(iso(of(reopened, 'next_response')[0]!.dueAt)).toBe('12:00');
  });

  it('starts next response at each customer message after the first reply, stops it at the next reply', () => {
    const clocks = replayClocks(
      rules(),
      berlin,
      t('08:00'),
      [reply('08:10'), customer('09:00'), reply('09:30'), customer('10:00')],
      t('13:00'),
    );
    const cycles = of(clocks, 'next_response');
    expect(cycles.map((c) => [iso(c.startedAt), iso(c.stoppedAt), c.breached])).toEqual([
      ['09:00', '09:30', false],
      ['10:00', null, true],
    ]);
    expect(ticketSla(clocks, t('13:00'))).toMatchObject({ state: 'breached' });
  });

  it('counts business time in the calendar: Friday afternoon to Monday morning', () => {
    // Friday 13 March 2026, 15:30 UTC = 16:30 in Berlin; one hour of working time is due Monday 08:30.
    const created = new Date('2026-03-13T15:30:00Z');
    const clocks = replayClocks(
      rules({ businessTime: true }),
      berlin,
      created,
      [],
      new Date('2026-03-14T12:00:00Z'),
    );
    expect(of(clocks, 'first_response')[0]!.dueAt!.toISOString()).toBe('2026-03-16T07:30:00.000Z');
    // Half of the hour is gone on Saturday; three quarters are gone on Monday at 08:15.
    expect(ticketSla(clocks, new Date('2026-03-14T12:00:00Z')).state).toBe('on_track');
    expect(ticketSla(clocks, new Date('2026-03-16T07:20:00Z')).state).toBe('at_risk');
  });

  it('stops everything when closed, and has no clock for a metric without target', () => {
    const clocks = replayClocks(
      rules({ targets: { resolution: 60 } }),
      berlin,
      t('08:00'),
      [status('08:30', 'closed')],
      t('12:00'),
    );
    expect(clocks.map((c) => [c.metric, iso(c.stoppedAt), c.breached])).toEqual([
      ['resolution', '08:30', false],
    ]);
  });
});

describe('SLA clocks under any history (fast-check)', () => {
  const created = new Date('2026-03-09T08:00:00Z');
  const minute = (n: number) => new Date(created.getTime() + n * 60_000);
  const event = fc.oneof(
    fc.record({ at: fc.integer({ min: 0, max: 20_000 }), kind: fc.constant('agent_reply' as const) }),
    fc.record({ at: fc.integer({ min: 0, max: 20_000 }), kind: fc.constant('customer_message' as const) }),
    fc.record({
      at: fc.integer({ min: 0, max: 20_000 }),
      kind: fc.constant('status' as const),
      category: fc.constantFrom('open', 'pending', 'on_hold', 'solved'),
    }),
  );
  const history = fc
    .array(event, { maxLength: 12 })
    .map((events) => events.map((e) => ({ ...e, at: minute(e.at) }) as HistoryEntry));
  const pause = fc
    .tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 5_000 }))
    .map(([from, length]) => [minute(from), minute(from + length)] as const);
  const business = fc.boolean();
  const now = minute(30_000);

  const resolutionDue = (r: SlaRules, entries: HistoryEntry[]) =>
    of(replayClocks(r, berlin, created, entries, now), 'resolution')[0]!;

  it('pausing never moves the resolution due time earlier', () => {
    fc.assert(
      fc.property(history, pause, business, (entries, [from, to], businessTime) => {
        const r = rules({ businessTime });
        // On a ticket that is otherwise open all along, a pending spell can only push the due time later.
        const plain = entries.filter((e) => e.kind !== 'status');
        const before = resolutionDue(r, plain);
        const after = resolutionDue(r, [
          ...plain,
          { at: from, kind: 'status', category: 'pending' },
          { at: to, kind: 'status', category: 'open' },
        ]);
        const dueBefore = addBusinessMinutes(
          r.businessTime ? berlin : ALWAYS_OPEN,
          before.startedAt,
          before.targetMinutes + before.pausedMinutes,
        );
        const dueAfter = addBusinessMinutes(
          r.businessTime ? berlin : ALWAYS_OPEN,
          after.startedAt,
          after.targetMinutes + after.pausedMinutes,
        );
        expect(dueAfter.getTime()).toBeGreaterThanOrEqual(dueBefore.getTime());
      }),
      { numRuns: 150 },
    );
  });

  it('a pause of d business minutes moves the due time exactly d business minutes later', () => {
    fc.assert(
      fc.property(pause, business, ([from, to], businessTime) => {
        const r = rules({ businessTime });
        const calendar = businessTime ? berlin : ALWAYS_OPEN;
        const before = resolutionDue(r, []);
        const after = resolutionDue(r, [
          { at: from, kind: 'status', category: 'pending' },
          { at: to, kind: 'status', category: 'open' },
        ]);
        const d = businessMinutesBetween(calendar, from, to);
        expect(after.pausedMinutes).toBeCloseTo(d, 6);
        expect(after.dueAt!.getTime()).toBe(addBusinessMinutes(calendar, before.dueAt!, d).getTime());
      }),
      { numRuns: 150 },
    );
  });

  it('only the rules move a due time earlier: a shorter target (another policy or priority) does', () => {
    fc.assert(
      fc.property(history, business, fc.integer({ min: 1, max: 479 }), (entries, businessTime, shorter) => {
        const long = resolutionDue(rules({ businessTime }), entries);
        const short = resolutionDue(rules({ businessTime, targets: { resolution: shorter } }), entries);
        if (long.dueAt && short.dueAt)
          expect(short.dueAt.getTime()).toBeLessThanOrEqual(long.dueAt.getTime());
      }),
      { numRuns: 100 },
    );
  });
});
