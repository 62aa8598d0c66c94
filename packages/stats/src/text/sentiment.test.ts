import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Sentiment, sentimentOf, tokens } from './sentiment';

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

describe('on the labelled evaluation set (fixtures/sentiment-labelled.tsv, reported in docs/metrics.md)', () => {
  const rows = readFileSync(
    path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/sentiment-labelled.tsv'),
    'utf8',
  )
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [language, label, text] = line.split('\t') as ['de' | 'en', Sentiment, string];
      return { language, label, text };
    });
  const labels: Sentiment[] = ['positive', 'neutral', 'negative'];

  function scores(subset: typeof rows) {
    const predicted = subset.map((row) => sentimentOf(row.text, row.language).label);
    const accuracy = predicted.filter((p, i) => p === subset[i]!.label).length / subset.length;
    const f1 = labels.map((label) => {
      const tp = predicted.filter((p, i) => p === label && subset[i]!.label === label).length;
      const precision = tp / Math.max(1, predicted.filter((p) => p === label).length);
      const recall = tp / Math.max(1, subset.filter((r) => r.label === label).length);
      return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    });
    return { accuracy, macroF1: f1.reduce((a, b) => a + b, 0) / f1.length };
  }

  it('holds 100 texts, balanced across languages and labels', () => {
    expect(rows).toHaveLength(100);
    for (const language of ['de', 'en'] as const) {
      for (const label of labels) {
        expect(
          rows.filter((r) => r.language === language && r.label === label).length,
        ).toBeGreaterThanOrEqual(16);
      }
    }
  });

  it('labels at least 9 in 10 right in each language, far above the majority class', () => {
    const all = scores(rows);
    expect(all.accuracy).toBeGreaterThanOrEqual(0.93);
    expect(all.macroF1).toBeGreaterThanOrEqual(0.93);
    for (const language of ['de', 'en'] as const) {
      expect(scores(rows.filter((r) => r.language === language)).accuracy).toBeGreaterThanOrEqual(0.9);
    }
    const majority = Math.max(...labels.map((l) => rows.filter((r) => r.label === l).length)) / rows.length;
    expect(majority).toBeLessThan(0.36);
  });
});
