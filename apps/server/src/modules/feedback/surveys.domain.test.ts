import { describe, expect, it } from 'vitest';
import {
  answerChoices,
  choicesOf,
  defaultTexts,
  invitationOfToken,
  needsFollowUp,
  parseScore,
  ratingOf,
  scaleOf,
  surveyToken,
} from './surveys.domain';

describe('scales and scores', () => {
  it('gives each kind its scale', () => {
    expect(scaleOf('csat', null)).toBe('good-bad');
    expect(scaleOf('csat', '1-5')).toBe('1-5');
    expect(scaleOf('nps', null)).toBe('0-10');
    expect(scaleOf('ces', null)).toBe('1-7');
  });

  it('takes answers on the scale and refuses the rest', () => {
    expect(parseScore('good-bad', 'good')).toEqual({ score: 1 });
    expect(parseScore('good-bad', 'bad')).toEqual({ score: 0 });
    expect(parseScore('good-bad', 5).error).toMatch(/good or bad/);
    expect(parseScore('1-5', 5)).toEqual({ score: 5 });
    expect(parseScore('1-5', '4')).toEqual({ score: 4 });
    expect(parseScore('1-5', 0).error).toBe('the score must be a whole number from 1 to 5');
    expect(parseScore('1-5', 6).error).toBeDefined();
    expect(parseScore('1-5', 4.5).error).toBeDefined();
    expect(parseScore('0-10', 0)).toEqual({ score: 0 });
    expect(parseScore('0-10', 11).error).toMatch(/0 to 10/);
    expect(parseScore('1-7', 'good').error).toMatch(/1 to 7/);
  });

  it('rates answers as the scores count them', () => {
    expect(ratingOf('csat', '1-5', 4)).toBe('satisfied');
    expect(ratingOf('csat', '1-5', 3)).toBe('unsatisfied');
    expect(ratingOf('csat', 'good-bad', 1)).toBe('satisfied');
    expect(ratingOf('csat', 'good-bad', 0)).toBe('unsatisfied');
    expect(ratingOf('nps', '0-10', 9)).toBe('promoter');
    expect(ratingOf('nps', '0-10', 7)).toBe('passive');
    expect(ratingOf('nps', '0-10', 6)).toBe('detractor');
    expect(ratingOf('ces', '1-7', 2)).toBeNull();
  });

  it('follows up bad CSAT, detractors and hard CES only', () => {
    expect(needsFollowUp('csat', 'unsatisfied', 0)).toBe(true);
    expect(needsFollowUp('csat', 'satisfied', 5)).toBe(false);
    expect(needsFollowUp('nps', 'detractor', 6)).toBe(true);
    expect(needsFollowUp('nps', 'passive', 7)).toBe(false);
    expect(needsFollowUp('ces', null, 3)).toBe(true);
    expect(needsFollowUp('ces', null, 4)).toBe(false);
  });

  it('reads one answer on every scale it fits, for the store to pick the survey’s own', () => {
    expect(answerChoices('good')).toEqual({
      'csat:good-bad': { score: 1, rating: 'satisfied', negative: false },
    });
    expect(answerChoices(1)).toEqual({
      'csat:good-bad': { score: 1, rating: 'satisfied', negative: false },
      'csat:1-5': { score: 1, rating: 'unsatisfied', negative: true },
      'nps:0-10': { score: 1, rating: 'detractor', negative: true },
      'ces:1-7': { score: 1, rating: null, negative: true },
    });
    expect(Object.keys(answerChoices(9))).toEqual(['nps:0-10']);
    expect(answerChoices(11)).toEqual({});
  });

  it('labels the ends of numeric scales in both languages', () => {
    expect(choicesOf('0-10', 'en')).toHaveLength(11);
    expect(choicesOf('0-10', 'de')[10]!.label).toBe('10 – sehr wahrscheinlich');
    expect(choicesOf('1-7', 'en')[0]!.label).toBe('1 – very difficult');
    expect(choicesOf('good-bad', 'de').map((c) => c.value)).toEqual(['bad', 'good']);
  });

  it('has texts for every kind in German and English', () => {
    for (const kind of ['csat', 'ces', 'nps'] as const) {
      const texts = defaultTexts(kind);
      expect(texts.de.question).not.toBe(texts.en.question);
      expect(texts.en.thanks.length).toBeGreaterThan(0);
    }
  });
});

describe('survey tokens', () => {
  const id = '3f1c2a9e-5b7d-4c1e-9a2b-0c4d5e6f7a8b';

  it('carry the invitation and only verify with the same secret', () => {
    const token = surveyToken('secret-one', id);
    expect(token).toMatch(/^[\w-]{22}\.[\w-]{22}$/);
    expect(invitationOfToken('secret-one', token)).toBe(id);
    expect(invitationOfToken('secret-two', token)).toBeNull();
  });

  it('refuse a token whose id or signature was changed', () => {
    const token = surveyToken('secret', id);
    const other = surveyToken('secret', '3f1c2a9e-5b7d-4c1e-9a2b-0c4d5e6f7a8c');
    const forged = `${other.split('.')[0]}.${token.split('.')[1]}`;
    expect(invitationOfToken('secret', forged)).toBeNull();
    expect(invitationOfToken('secret', `${token}x`)).toBeNull();
    expect(invitationOfToken('secret', 'not a token at all')).toBeNull();
  });
});
