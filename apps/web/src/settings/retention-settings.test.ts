import { HEALTH_SIGNALS } from '@keepdesk/contract';
import { describe, expect, it } from 'vitest';
import de from '../i18n/de.json';
import en from '../i18n/en.json';
import { newComponent, settingsOf, signalChoices, signalStep, withNewBand } from './retention-settings';

const component = (signal: (typeof HEALTH_SIGNALS)[number]) => ({ signal, weight: 10, bad: 0, good: 1 });

describe('signalChoices', () => {
  it('offers a row its own signal and those no other row uses', () => {
    const rows = [component('churnRisk'), component('csat'), component('nps')];
    const choices = signalChoices(rows, 1);
    expect(choices).toContain('csat');
    expect(choices).not.toContain('churnRisk');
    expect(choices).not.toContain('nps');
    expect(choices).toHaveLength(HEALTH_SIGNALS.length - 2);
  });
});

describe('newComponent', () => {
  it('takes the first unused signal, with a range that fits its unit', () => {
    expect(newComponent([component('churnRisk')])).toEqual({
      signal: 'usageTrend',
      weight: 10,
      bad: 0,
      good: 1,
    });
    expect(newComponent(['churnRisk', 'usageTrend'].map((s) => component(s as 'churnRisk')))).toEqual({
      signal: 'usageEvents',
      weight: 10,
      bad: 10,
      good: 0,
    });
  });

  it('gives nothing once every signal is used', () => {
    expect(newComponent(HEALTH_SIGNALS.map(component))).toBeNull();
  });
});

describe('withNewBand', () => {
  it('adds a band above the lowest, halfway to the one above, under an unused key', () => {
    const bands = [
      { key: 'healthy', min: 70 },
      { key: 'watch', min: 40 },
      { key: 'at_risk', min: 0 },
    ];
    expect(withNewBand(bands)).toEqual([
      { key: 'healthy', min: 70 },
      { key: 'watch', min: 40 },
      { key: 'band_4', min: 20 },
      { key: 'at_risk', min: 0 },
    ]);
    expect(
      withNewBand([
        { key: 'band_3', min: '50' },
        { key: 'low', min: 0 },
      ]),
    ).toEqual([
      { key: 'band_3', min: '50' },
      { key: 'band_4', min: 25 },
      { key: 'low', min: 0 },
    ]);
  });
});

describe('settingsOf', () => {
  it('turns typed inputs into numbers and an empty one into null for the server to name', () => {
    const settings = settingsOf({
      health: {
        components: [{ signal: 'csat', weight: '15', bad: '0,5', good: 0.95 }],
        bands: [
          { key: ' good ', min: 50 },
          { key: 'bad', min: '' },
        ],
      },
      inactiveDays: 90,
      horizonDays: '60',
      retrainDays: 7,
    });
    expect(settings).toEqual({
      health: {
        components: [{ signal: 'csat', weight: 15, bad: 0.5, good: 0.95 }],
        bands: [
          { key: 'good', min: 50 },
          { key: 'bad', min: null },
        ],
      },
      inactiveDays: 90,
      horizonDays: 60,
      retrainDays: 7,
    });
  });
});

describe('translations', () => {
  it('explains every signal in English and German', () => {
    for (const signal of HEALTH_SIGNALS) {
      expect(en.retentionSettings.signalHelp[signal]).toMatch(/\w/);
      expect(de.retentionSettings.signalHelp[signal]).toMatch(/\w/);
    }
  });

  it('step: shares move in hundredths, counts in whole steps', () => {
    expect([signalStep('csat'), signalStep('openTickets')]).toEqual([0.05, 1]);
  });
});
