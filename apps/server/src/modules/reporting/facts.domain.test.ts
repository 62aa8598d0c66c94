import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FactEvent, factsOf } from './facts.domain';

const T0 = new Date('2026-03-02T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const status = (minutes: number, category: 'new' | 'open' | 'pending' | 'solved' | 'closed'): FactEvent => ({
  at: at(minutes),
  kind: 'status',
  category,
});
const reply = (minutes: number): FactEvent => ({ at: at(minutes), kind: 'agent_reply' });
const customer = (minutes: number): FactEvent => ({ at: at(minutes), kind: 'customer_message' });
const assign = (minutes: number, to: string | null): FactEvent => ({ at: at(minutes), kind: 'assignee', to });

describe('factsOf (hand-checked)', () => {
  it('a ticket answered once and solved is a one-touch resolution', () => {
    const facts = factsOf(T0, false, [status(0, 'new'), assign(5, 'anna'), reply(45), status(45, 'solved')]);
    expect(facts).toMatchObject({
      firstResponseMinutes: 45,
      agentReplies: 1,
      resolutionMinutes: 45,
      reopens: 0,
      reassignments: 0,
      oneTouch: true,
      nextResponseMinutes: [],
    });
  });

  it('counts next responses, reopens and reassignments; resolution runs to the last solve', () => {
    const facts = factsOf(T0, false, [
      status(0, 'new'),
      assign(1, 'anna'),
      reply(30), // first response after 30 min
      customer(60),
      customer(70), // still waiting since 60
      assign(80, 'ben'), // reassignment 1
      reply(120), // next response after 60 min
      status(121, 'solved'),
      customer(200), // reopens
      status(200, 'open'),
      assign(210, 'anna'), // reassignment 2
      reply(230), // next response after 30 min
      status(240, 'solved'),
    ]);
    expect(facts).toMatchObject({
      firstResponseMinutes: 30,
      nextResponseMinutes: [60, 30],
      agentReplies: 3,
      reopens: 1,
      reassignments: 2,
      resolutionMinutes: 240,
      oneTouch: false,
    });
    expect(facts.firstSolvedAt).toEqual(at(121));
  });

  it('has no first response when an agent opened the ticket, and no resolution while it is open', () => {
    const facts = factsOf(T0, true, [status(0, 'open'), reply(0), customer(90), reply(100)]);
    expect(facts).toMatchObject({
      firstResponseAt: null,
      firstResponseMinutes: null,
      nextResponseMinutes: [10],
      resolutionMinutes: null,
      solvedAt: null,
      oneTouch: null,
    });
  });

  it('does not count the first assignment, unassigning, or assigning the same agent again', () => {
    expect(
      factsOf(T0, false, [assign(1, 'anna'), assign(2, null), assign(3, 'anna'), assign(4, 'ben')])
        .reassignments,
    ).toBe(1);
  });

  it('reads a reply and a solve at the same moment as reply first', () => {
    const facts = factsOf(T0, false, [status(0, 'new'), status(20, 'solved'), reply(20)]);
    expect(facts).toMatchObject({ firstResponseMinutes: 20, oneTouch: true });
  });
});

describe('factsOf (properties)', () => {
  const event = fc.oneof(
    fc
      .record({
        m: fc.integer({ min: 0, max: 10_000 }),
        c: fc.constantFrom('new', 'open', 'pending', 'solved', 'closed'),
      })
      .map(({ m, c }) => status(m, c as 'open')),
    fc.integer({ min: 0, max: 10_000 }).map(reply),
    fc.integer({ min: 0, max: 10_000 }).map(customer),
    fc
      .record({ m: fc.integer({ min: 0, max: 10_000 }), to: fc.constantFrom('anna', 'ben', null) })
      .map(({ m, to }) => assign(m, to)),
  );

  it('does not depend on the order the events arrive in (distinct times)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(event, { selector: (e) => e.at.getTime(), maxLength: 30 }),
        fc.boolean(),
        (events, byAgent) => {
          const shuffled = [...events].reverse();
          expect(factsOf(T0, byAgent, shuffled)).toEqual(factsOf(T0, byAgent, events));
        },
      ),
    );
  });

  it('keeps its invariants', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (events) => {
        const facts = factsOf(T0, false, events);
        if (facts.oneTouch) expect(facts.agentReplies).toBe(1);
        if (facts.solvedAt) expect(facts.resolutionMinutes).toBeGreaterThanOrEqual(0);
        expect(facts.nextResponseMinutes.length).toBeLessThanOrEqual(Math.max(0, facts.agentReplies - 1));
      }),
    );
  });
});
