import { describe, expect, it } from 'vitest';
import { sentimentOf, tokens } from './sentiment.domain';

describe('sentimentOf', () => {
  it.each([
    ['Sehr freundlicher und schneller Support, vielen Dank!', 'de', 'positive'],
    ['Der Support hilft nicht und niemand antwortet.', 'de', 'negative'],
    ['Das Produkt ist gut, aber der Service ist wirklich schlecht.', 'de', 'negative'],
    ['Ich habe eine Frage zur Rechnung vom März.', 'de', 'neutral'],
    ['Not helpful at all, I waited two weeks.', 'en', 'negative'],
    ['Great product, the team solved my problem in minutes.', 'en', 'positive'],
    ['It was not bad.', 'en', 'positive'],
    ['Funktioniert nicht.', 'de', 'negative'],
  ] as const)('%s → %s', (text, language, label) => {
    expect(sentimentOf(text, language).label).toBe(label);
  });

  it('weighs boosters and squashes to −1…1 (VADER normalisation)', () => {
    const plain = sentimentOf('good', 'en').score;
    const boosted = sentimentOf('very good', 'en').score;
    // good = 2: 2/√19 = 0.459; very good = 3: 3/√24 = 0.612.
    expect(plain).toBeCloseTo(0.459, 3);
    expect(boosted).toBeCloseTo(0.612, 3);
    expect(sentimentOf('terrible awful horrible worst useless scam', 'en').score).toBeGreaterThan(-1);
  });

  it('uses both lexicons when the language is unknown', () => {
    expect(sentimentOf('super service, merci', null).label).toBe('positive');
    expect(sentimentOf('', null)).toEqual({ score: 0, label: 'neutral' });
  });

  it('tokenises contractions and umlauts', () => {
    expect(tokens("Don't wait – Größe über 3 Tage")).toEqual(['dont', 'wait', 'größe', 'über', 'tage']);
  });
});
