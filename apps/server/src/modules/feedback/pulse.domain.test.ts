import type { PulseQuestion } from '@keepdesk/contract';
import { describe, expect, it } from 'vitest';
import { pulseAnswerProblems, pulseGroup } from './pulse.domain';

const QUESTIONS: PulseQuestion[] = [
  { id: 'enps', kind: 'enps', textEn: 'Recommend working here?', textDe: 'Arbeitsplatz weiterempfehlen?' },
  {
    id: 'tools',
    kind: 'agree',
    textEn: 'I have the tools I need.',
    textDe: 'Ich habe die Werkzeuge, die ich brauche.',
  },
];

describe('pulseGroup', () => {
  it('shows nothing but the count below five answers', () => {
    const rows = [10, 9, 3, 8].map((e) => ({ answers: { enps: e, tools: 4 }, comment: 'x' }));
    const group = pulseGroup(QUESTIONS, rows);
    expect(group).toMatchObject({ answers: 4, hidden: true, comments: [] });
    expect(group.questions.every((q) => q.score === null)).toBe(true);
  });

  it('computes eNPS and agreement from five answers on, comments sorted', () => {
    // eNPS: 10, 9, 9 promoters; 7 passive; 4 detractor → (3 − 1)/5 = +40. Tools: 5, 4, 4, 2, 3 → mean 3.6, 3 of 5 agree.
    const rows = [
      { answers: { enps: 10, tools: 5 }, comment: 'Zu viele Tickets am Montag' },
      { answers: { enps: 9, tools: 4 }, comment: '' },
      { answers: { enps: 9, tools: 4 }, comment: 'Gutes Team' },
      { answers: { enps: 7, tools: 2 }, comment: '' },
      { answers: { enps: 4, tools: 3 }, comment: '' },
    ];
    const group = pulseGroup(QUESTIONS, rows);
    expect(group.hidden).toBe(false);
    const [enps, tools] = group.questions;
    expect(enps!.score).toBeCloseTo(40, 10);
    // Adjusted Wald: p' = 3.75/8, d' = 1.75/8, centre 0.25, half 1.96·√((0.6875 − 0.0625)/8) = 0.5478.
    expect(enps!.low).toBeCloseTo(-29.78, 1);
    expect(enps!.high).toBeCloseTo(79.78, 1);
    expect(tools!.score).toBeCloseTo(3.6, 10);
    expect(tools!.favourable).toBeCloseTo(0.6, 10);
    // sd = √1.3 = 1.1402, t(4) = 2.7764: 3.6 ± 1.4157.
    expect(tools!.low).toBeCloseTo(2.184, 2);
    expect(tools!.high).toBe(5);
    expect(group.comments).toEqual(['Gutes Team', 'Zu viele Tickets am Montag']);
  });
});

describe('pulseAnswerProblems', () => {
  it('names every missing, out-of-range or unknown answer', () => {
    expect(pulseAnswerProblems(QUESTIONS, { enps: 10, tools: 5 })).toEqual([]);
    expect(pulseAnswerProblems(QUESTIONS, { enps: 11, other: 1 })).toEqual([
      { field: 'answers.enps', message: 'a whole number from 0 to 10' },
      { field: 'answers.tools', message: 'required' },
      { field: 'answers.other', message: 'no such question' },
    ]);
  });
});
