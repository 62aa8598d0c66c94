import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Candidate, chooseAgent, requiredSkills } from './routing.domain';

const agent = (userId: string, over: Partial<Candidate> = {}): Candidate => ({
  userId,
  load: 0,
  capacity: 10,
  lastAssignedAt: null,
  skills: {},
  languages: [],
  ...over,
});
const need = { skills: [], language: 'de' };

describe('chooseAgent', () => {
  it('round robin takes whoever got a ticket longest ago', () => {
    const pool = [
      agent('a', { lastAssignedAt: new Date('2026-01-01T10:02:00Z') }),
      agent('b', { lastAssignedAt: new Date('2026-01-01T10:01:00Z') }),
      agent('c', { lastAssignedAt: new Date('2026-01-01T10:03:00Z') }),
    ];
    expect(chooseAgent('round_robin', pool, need)).toBe('b');
  });

  it('least loaded takes the fewest open tickets and skips full agents', () => {
    const pool = [agent('a', { load: 3 }), agent('b', { load: 1, capacity: 1 }), agent('c', { load: 2 })];
    expect(chooseAgent('least_loaded', pool, need)).toBe('c');
    expect(chooseAgent('least_loaded', [agent('x', { load: 5, capacity: 5 })], need)).toBeNull();
    expect(chooseAgent('manual', pool, need)).toBeNull();
  });

  it('skills need every skill and the language, and prefer the most skilled', () => {
    const pool = [
      agent('novice', { skills: { billing: 1 }, languages: ['de'] }),
      agent('expert', { skills: { billing: 3 }, languages: ['de', 'en'], load: 4 }),
      agent('english', { skills: { billing: 5 }, languages: ['en'] }),
    ];
    expect(chooseAgent('skills', pool, { skills: ['billing'], language: 'de' })).toBe('expert');
    expect(chooseAgent('skills', pool, { skills: ['billing', 'sap'], language: 'de' })).toBeNull();
    expect(requiredSkills(['billing', 'vip'], pool)).toEqual(['billing']);
  });

  it('keeps loads within one of each other when it deals tickets one by one (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 300 }), (agents, tickets) => {
        const pool = Array.from({ length: agents }, (_, i) =>
          agent(`a${String(i).padStart(2, '0')}`, { capacity: 1000 }),
        );
        for (let i = 0; i < tickets; i++) {
          const chosen = pool.find((c) => c.userId === chooseAgent('least_loaded', pool, need))!;
          chosen.load++;
          chosen.lastAssignedAt = new Date(i);
        }
        const loads = pool.map((c) => c.load);
        expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
