import {
  ALWAYS_OPEN,
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
} from './calendar.domain';

export type Metric = 'first_response' | 'next_response' | 'resolution';

/** Minutes to reach each target; a metric without a target has no clock. */
export type Targets = Partial<Record<Metric, number>>;

export interface SlaRules {
  /** Targets for the ticket's priority (the policy's row for it). */
  targets: Targets;
  /** Business time (the calendar's working hours) or calendar time (every minute). */
  businessTime: boolean;
  /** Status categories in which the clocks stand still, e.g. pending and on hold. */
  pauseOn: readonly string[];
  /** Share of a target after which a clock is at risk, e.g. 0.75. */
  atRiskShare: number;
}

/** What happened to a ticket, in order; replaying it gives its clocks. */
export type HistoryEntry =
  | { at: Date; kind: 'status'; category: string }
  | { at: Date; kind: 'agent_reply' }
  | { at: Date; kind: 'customer_message' };

export interface Clock {
  metric: Metric;
  targetMinutes: number;
  startedAt: Date;
  /** When the target is due (moved later by pauses); null while paused. */
  dueAt: Date | null;
  atRiskAt: Date | null;
  pausedMinutes: number;
  paused: boolean;
  /** When the target was met (the reply was sent, the ticket solved); null while running. */
  stoppedAt: Date | null;
  breached: boolean;
}

export type SlaState = 'on_track' | 'at_risk' | 'breached' | 'paused' | 'met';

interface Running {
  metric: Metric;
  target: number;
  startedAt: Date;
  pausedMinutes: number;
  pausedSince: Date | null;
  stoppedAt: Date | null;
}

const SOLVED = new Set(['solved', 'closed']);

/**
 * The ticket's SLA clocks, by replaying its history under the rules. First response runs from creation to the
 * first public agent reply; next response from each customer message after that to the next agent reply;
 * resolution from creation until solved (a reopened ticket resumes it; the time it stood solved counts as
 * paused). While the ticket is in a pausing status every running clock stands still. A due time is the start
 * plus the target plus the paused minutes, all in business (or calendar) time: a pause of d minutes moves it
 * exactly d minutes later, and nothing in the history can move it earlier.
 */
export function replayClocks(
  rules: SlaRules,
  businessCalendar: BusinessCalendar,
  createdAt: Date,
  history: readonly HistoryEntry[],
  now: Date,
): Clock[] {
  const calendar = rules.businessTime ? businessCalendar : ALWAYS_OPEN;
  // At the same instant a status change comes first: a customer's reply that reopens a solved ticket starts
  // the next-response clock of the reopened ticket.
  const entries = [...history].sort(
    (a, b) => a.at.getTime() - b.at.getTime() || Number(b.kind === 'status') - Number(a.kind === 'status'),
  );
  const done: Running[] = [];
  const running = new Map<Metric, Running>();
  let paused = false;
  let solved = false;
  const start = (metric: Metric, at: Date, pausedSince: Date | null) => {
    const target = rules.targets[metric];
    if (target === undefined || running.has(metric)) return;
    running.set(metric, { metric, target, startedAt: at, pausedMinutes: 0, pausedSince, stoppedAt: null });
  };
  /** Counts a clock's pause up to `at`; it stays paused from `at` on. */
  const settle = (clock: Running, at: Date) => {
    if (!clock.pausedSince) return;
    clock.pausedMinutes += businessMinutesBetween(calendar, clock.pausedSince, at);
    clock.pausedSince = at;
  };
  const stop = (metric: Metric, at: Date) => {
    const clock = running.get(metric);
    if (!clock) return;
    settle(clock, at);
    clock.pausedSince = null;
    clock.stoppedAt ??= at;
    running.delete(metric);
    done.push(clock);
  };

  start('first_response', createdAt, null);
  start('resolution', createdAt, null);
  let firstResponded = false;
  for (const entry of entries) {
    if (entry.at.getTime() < createdAt.getTime()) continue;
    if (entry.kind === 'agent_reply') {
      firstResponded = true;
      stop('first_response', entry.at);
      stop('next_response', entry.at);
    } else if (entry.kind === 'customer_message') {
      if (firstResponded && !solved) start('next_response', entry.at, paused ? entry.at : null);
    } else {
      const category = entry.category;
      if (category === 'closed') {
        // Closed is final; a resolution met when it was solved keeps that time.
        for (const metric of [...running.keys()]) stop(metric, entry.at);
        paused = true;
        solved = true;
        continue;
      }
      const nowSolved = SOLVED.has(category);
      const nowPaused = nowSolved || rules.pauseOn.includes(category);
      if (nowPaused && !paused) {
        for (const clock of running.values()) clock.pausedSince = entry.at;
      } else if (!nowPaused && paused) {
        for (const clock of running.values()) {
          settle(clock, entry.at);
          clock.pausedSince = null;
        }
      }
      if (nowSolved && !solved) {
        // Solved meets resolution (for now) and ends the replies owed.
        stop('first_response', entry.at);
        stop('next_response', entry.at);
        const resolution = running.get('resolution');
        if (resolution) {
          settle(resolution, entry.at);
          resolution.stoppedAt = entry.at;
        }
      } else if (!nowSolved && solved) {
        // Reopened: resolution runs again; the time it stood solved counted as paused.
        const resolution = running.get('resolution');
        if (resolution) resolution.stoppedAt = null;
      }
      paused = nowPaused;
      solved = nowSolved;
    }
  }

  const finish = (clock: Running): Clock => {
    const stopped = clock.stoppedAt;
    const pausedNow = !stopped && clock.pausedSince !== null;
    const due = addBusinessMinutes(calendar, clock.startedAt, clock.target + clock.pausedMinutes);
    const atRisk = addBusinessMinutes(
      calendar,
      clock.startedAt,
      clock.target * rules.atRiskShare + clock.pausedMinutes,
    );
    // Measured when it stopped, when it was paused, or now.
    const reference = stopped ?? (pausedNow ? clock.pausedSince! : now);
    return {
      metric: clock.metric,
      targetMinutes: clock.target,
      startedAt: clock.startedAt,
      dueAt: pausedNow ? null : due,
      atRiskAt: pausedNow ? null : atRisk,
      pausedMinutes: clock.pausedMinutes,
      paused: pausedNow,
      stoppedAt: stopped,
      breached: reference.getTime() > due.getTime(),
    };
  };
  return [...done, ...running.values()]
    .map(finish)
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.metric.localeCompare(b.metric));
}

/** How a clock stands at `now`. */
export function clockState(clock: Clock, now: Date): SlaState {
  if (clock.stoppedAt) return clock.breached ? 'breached' : 'met';
  if (clock.breached) return 'breached';
  if (clock.paused) return 'paused';
  if (clock.atRiskAt && now.getTime() >= clock.atRiskAt.getTime()) return 'at_risk';
  return 'on_track';
}

/** The ticket's SLA at a glance: the worst running clock's state and the next due time. */
export function ticketSla(
  clocks: readonly Clock[],
  now: Date,
): { state: SlaState | null; nextDueAt: Date | null } {
  const open = clocks.filter((c) => !c.stoppedAt);
  const order: SlaState[] = ['breached', 'at_risk', 'on_track', 'paused'];
  const states = open.map((c) => clockState(c, now));
  const state = order.find((s) => states.includes(s)) ?? (clocks.length > 0 ? 'met' : null);
  const dues = open.map((c) => c.dueAt).filter((d): d is Date => d !== null);
  const nextDueAt = dues.length > 0 ? new Date(Math.min(...dues.map((d) => d.getTime()))) : null;
  return { state, nextDueAt };
}
