import { CHURN_BASE_FEATURES as BASE_FEATURES } from '@keepdesk/contract';
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import de from '../i18n/de.json';
import en from '../i18n/en.json';
import { formatMoney, formatPercent, formatTrend } from './format';
import { describeReason, driverDirection, featureLabel, featureValue, signalValue } from './reasons';

let english: TFunction;
let german: TFunction;

beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({
    resources: { en: { translation: en }, de: { translation: de } },
    lng: 'en',
    fallbackLng: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
  });
  english = i18n.getFixedT('en');
  german = i18n.getFixedT('de');
});

describe('the wording of churn-risk reasons', () => {
  it('names every base feature in both languages, never by its column', () => {
    for (const feature of BASE_FEATURES) {
      expect(featureLabel(english, feature)).not.toBe(feature);
      expect(featureLabel(german, feature)).not.toBe(feature);
    }
    expect(featureLabel(english, 'open_tickets')).toBe('Open tickets');
    expect(featureLabel(german, 'open_tickets')).toBe('Offene Tickets');
  });

  it('names usage columns by their event and attributes by their key', () => {
    expect(featureLabel(english, 'usage.report_export')).toBe('Usage: report_export (30 days)');
    expect(featureLabel(german, 'usage.report_export')).toBe('Nutzung: report_export (30 Tage)');
    expect(featureLabel(english, 'attr.industry')).toBe('industry');
    expect(featureLabel(english, 'something_new')).toBe('something_new');
  });

  it('says a reason as a sentence with the value in its unit and the direction', () => {
    expect(describeReason(english, { column: 'open_tickets', value: '4', contribution: 0.8 }, 'en')).toBe(
      'Open tickets: 4 — raises risk',
    );
    expect(describeReason(german, { column: 'open_tickets', value: '4', contribution: 0.8 }, 'de')).toBe(
      'Offene Tickets: 4 — erhöht das Risiko',
    );
    expect(describeReason(english, { column: 'tenure_days', value: '1', contribution: -0.2 }, 'en')).toBe(
      'Customer for: 1 day — lowers risk',
    );
    expect(
      describeReason(german, { column: 'days_since_contact', value: '45', contribution: 0.3 }, 'de'),
    ).toBe('Seit dem letzten Kontakt: 45 Tage — erhöht das Risiko');
  });

  it('formats money, shares, changes and blanks by feature', () => {
    expect(featureValue(english, 'mrr', '1200', 'en')).toBe('€1,200');
    expect(featureValue(german, 'mrr', '1200', 'de')).toBe('1.200\u00a0€');
    expect(featureValue(english, 'mrr_change_90d', '-150', 'en')).toBe('-€150');
    expect(featureValue(english, 'mrr_change_90d', '150', 'en')).toBe('+€150');
    expect(featureValue(english, 'usage_trend', '-0.35', 'en')).toBe('-35%');
    expect(featureValue(english, 'usage_trend', '0.2', 'en')).toBe('+20%');
    expect(featureValue(english, 'csat_90d', '0.75', 'en')).toBe('75%');
    expect(featureValue(english, 'plan', 'Pro', 'en')).toBe('Pro');
    expect(featureValue(english, 'nps', '(blank)', 'en')).toBe('unknown');
    expect(featureValue(german, 'csat_90d', '', 'de')).toBe('unbekannt');
    expect(featureValue(english, 'attr.newsletter', 'true', 'en')).toBe('Yes');
    expect(featureValue(english, 'usage.logins', '1500', 'en')).toBe('1,500');
  });

  it('words a driver by its direction or its levels', () => {
    expect(driverDirection(english, { feature: 'mrr', importance: 1, direction: 'higher-lowers-risk' })).toBe(
      'The higher, the safer',
    );
    expect(
      driverDirection(german, {
        feature: 'plan',
        importance: 1,
        direction: 'by-level',
        riskiestLevel: 'Basic',
        safestLevel: '(blank)',
      }),
    ).toBe('Am riskantesten: Basic; am sichersten: unbekannt');
  });

  it('formats health signals by what they measure', () => {
    expect(signalValue(english, 'churnRisk', 0.42, 'en')).toBe('42%');
    expect(signalValue(english, 'daysSinceContact', 3, 'en')).toBe('3 days');
    expect(signalValue(english, 'openTickets', null, 'en')).toBe('unknown');
  });
});

describe('the numbers of the retention pages', () => {
  it('shows the health trend as an arrow with its size', () => {
    expect(formatTrend(5.4, 'en')).toBe('▲ 5');
    expect(formatTrend(-12, 'en')).toBe('▼ 12');
    expect(formatTrend(0.2, 'en')).toBe('± 0');
    expect(formatTrend(null, 'en')).toBe('–');
  });

  it('rounds large amounts to whole euros and keeps cents on small ones', () => {
    expect(formatMoney(12_400.4, 'en')).toBe('€12,400');
    expect(formatMoney(49.5, 'en')).toBe('€49.50');
    expect(formatPercent(0.034, 'en')).toBe('3.4%');
    expect(formatPercent(null, 'en')).toBe('–');
  });
});
