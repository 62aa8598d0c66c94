import { describe, expect, it } from 'vitest';
import {
  bandOf,
  componentPoints,
  DEFAULT_HEALTH_CONFIG,
  droppedBand,
  type HealthConfig,
  healthConfigProblems,
  healthScore,
  healthTrend,
} from './health.domain';

const config: HealthConfig = {
  components: [
    { signal: 'churnRisk', weight: 3, bad: 0.5, good: 0 },
    { signal: 'csat', weight: 1, bad: 0.5, good: 1 },
  ],
  bands: [
    { key: 'healthy', min: 70 },
    { key: 'watch', min: 40 },
    { key: 'at_risk', min: 0 },
  ],
};

describe('component points', () => {
  it('run linearly from bad to good, either way round, and stop at 0 and 100', () => {
    expect(componentPoints(0.75, 0.5, 1)).toBe(50);
    expect(componentPoints(0.1, 0.5, 0)).toBe(80);
    expect(componentPoints(2, 0.5, 1)).toBe(100);
    expect(componentPoints(-1, 0.5, 1)).toBe(0);
    expect(componentPoints(0.9, 0.5, 0)).toBe(0);
  });
});

describe('health score', () => {
  it('is the weighted mean of the points', () => {
    const health = healthScore(config, { churnRisk: 0.1, csat: 0.75 });
    // (80 × 3 + 50 × 1) / 4
    expect(health.score).toBe(72.5);
    expect(health.band).toBe('healthy');
    expect(health.components.map((c) => c.points)).toEqual([80, 50]);
  });

  it('shares the weight of a missing signal among the others', () => {
    const health = healthScore(config, { churnRisk: 0.3, csat: null });
    expect(health.score).toBe(40);
    expect(health.band).toBe('watch');
    expect(health.components[1]).toMatchObject({ value: null, points: null });
  });

  it('has no score and no band without any signal', () => {
    expect(healthScore(config, {})).toMatchObject({ score: null, band: null });
    expect(healthScore(config, { churnRisk: Number.NaN })).toMatchObject({ score: null });
  });
});

describe('bands', () => {
  it('take the best band whose minimum the score reaches', () => {
    expect(bandOf(config, 70)).toBe('healthy');
    expect(bandOf(config, 69.9)).toBe('watch');
    expect(bandOf(config, 0)).toBe('at_risk');
  });

  it('know a drop from a rise', () => {
    expect(droppedBand(config, 'healthy', 'watch')).toBe(true);
    expect(droppedBand(config, 'healthy', 'at_risk')).toBe(true);
    expect(droppedBand(config, 'at_risk', 'watch')).toBe(false);
    expect(droppedBand(config, 'watch', 'watch')).toBe(false);
    expect(droppedBand(config, null, 'at_risk')).toBe(false);
    expect(droppedBand(config, 'gone', 'at_risk')).toBe(false);
  });
});

describe('configuration', () => {
  it('accepts the default', () => {
    expect(healthConfigProblems(DEFAULT_HEALTH_CONFIG)).toEqual([]);
  });

  it('names each field that is wrong', () => {
    const problems = healthConfigProblems({
      components: [
        { signal: 'csat', weight: 0, bad: 1, good: 1 },
        { signal: 'csat', weight: 1, bad: 0, good: 1 },
      ],
      bands: [
        { key: 'a', min: 50 },
        { key: 'b', min: 60 },
      ],
    });
    expect(problems.map((p) => p.field)).toEqual([
      'components.0.weight',
      'components.0.good',
      'components.1.signal',
      'bands.1.min',
      'bands.1.min',
    ]);
  });
});

describe('trend', () => {
  it('is the change since the earlier score', () => {
    expect(healthTrend(61.2, 70)).toBe(-8.8);
    expect(healthTrend(61.2, null)).toBeNull();
  });
});
