import type { PulseQuestion } from '@keepdesk/contract';
import { cesOfMoments, npsOfCounts, wilson } from '@keepdesk/stats';

/** Results of a group are shown from this many answers on; below, nobody could stay anonymous. */
export const MINIMUM_GROUP = 5;

const RANGE = { enps: [0, 10], agree: [1, 5] } as const;

/** Why a set of answers does not fit the questions (by field), or an empty list. */
export function pulseAnswerProblems(
  questions: readonly PulseQuestion[],
  answers: Readonly<Record<string, number>>,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  for (const question of questions) {
    const value = answers[question.id];
    const [min, max] = RANGE[question.kind];
    if (value === undefined) problems.push({ field: `answers.${question.id}`, message: 'required' });
    else if (!Number.isInteger(value) || value < min || value > max) {
      problems.push({ field: `answers.${question.id}`, message: `a whole number from ${min} to ${max}` });
    }
  }
  for (const id of Object.keys(answers)) {
    if (!questions.some((q) => q.id === id))
      problems.push({ field: `answers.${id}`, message: 'no such question' });
  }
  return problems;
}

export interface PulseGroup {
  answers: number;
  hidden: boolean;
  questions: {
    id: string;
    kind: 'enps' | 'agree';
    score: number | null;
    low: number | null;
    high: number | null;
    favourable: number | null;
  }[];
  comments: string[];
}

/**
 * A group's results: eNPS (% promoters − % detractors of 0–10, with the adjusted-Wald interval) and, for
 * statements, the mean agreement (1–5, t interval) and the share agreeing (4–5). Fewer than `minimum` answers
 * show nothing but their count; comments are shown sorted, so their order tells nothing.
 */
export function pulseGroup(
  questions: readonly PulseQuestion[],
  rows: readonly { answers: Readonly<Record<string, number>>; comment: string }[],
  minimum = MINIMUM_GROUP,
): PulseGroup {
  if (rows.length < minimum) {
    return {
      answers: rows.length,
      hidden: true,
      questions: questions.map((q) => ({
        id: q.id,
        kind: q.kind,
        score: null,
        low: null,
        high: null,
        favourable: null,
      })),
      comments: [],
    };
  }
  return {
    answers: rows.length,
    hidden: false,
    questions: questions.map((question) => {
      const values = rows.map((r) => r.answers[question.id]).filter((v): v is number => v !== undefined);
      if (question.kind === 'enps') {
        const score = npsOfCounts({
          promoters: values.filter((v) => v >= 9).length,
          passives: values.filter((v) => v === 7 || v === 8).length,
          detractors: values.filter((v) => v <= 6).length,
        });
        return {
          id: question.id,
          kind: question.kind,
          score: score.nps,
          low: score.low,
          high: score.high,
          favourable: null,
        };
      }
      const n = values.length;
      const mean = n === 0 ? 0 : values.reduce((a, b) => a + b, 0) / n;
      const sd = n < 2 ? null : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
      const agreement = cesOfMoments({ n, mean, sd }, { min: 1, max: 5 });
      return {
        id: question.id,
        kind: question.kind,
        score: agreement.mean,
        low: agreement.low,
        high: agreement.high,
        favourable: wilson(values.filter((v) => v >= 4).length, n).estimate,
      };
    }),
    comments: rows
      .map((r) => r.comment)
      .filter(Boolean)
      .sort((a, b) => a.localeCompare(b)),
  };
}
