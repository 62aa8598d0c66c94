import {
  HEALTH_SIGNALS,
  type HealthComponent,
  type HealthSignal,
  type RetentionSettings,
} from '@keepdesk/contract';

/** Shares and changes move in hundredths; counts, days, answers and money in whole steps. */
const FRACTIONAL: ReadonlySet<HealthSignal> = new Set(['churnRisk', 'usageTrend', 'csat']);

export function signalStep(signal: HealthSignal): number {
  return FRACTIONAL.has(signal) ? 0.05 : 1;
}

/** The signals row `index` may choose: its own and those no other row uses (each signal counts once). */
export function signalChoices(
  components: readonly { signal: HealthSignal }[],
  index: number,
): HealthSignal[] {
  const taken = new Set(components.filter((_, i) => i !== index).map((c) => c.signal));
  return HEALTH_SIGNALS.filter((signal) => !taken.has(signal));
}

/** A new component on the first unused signal, worth little until the team weighs it; null when all are used. */
export function newComponent(components: readonly { signal: HealthSignal }[]): HealthComponent | null {
  const signal = signalChoices(components, -1)[0];
  if (!signal) return null;
  return FRACTIONAL.has(signal)
    ? { signal, weight: 10, bad: 0, good: 1 }
    : { signal, weight: 10, bad: 10, good: 0 };
}

/**
 * A new band just above the lowest (which must stay at 0): halfway between it and the band above, under a key
 * no band has yet.
 */
export function withNewBand<B extends { key: string; min: NumberDraft }>(bands: readonly B[]): (B | Band)[] {
  const above = bands.length >= 2 ? Number(bands[bands.length - 2]!.min) || 0 : 100;
  let n = bands.length + 1;
  while (bands.some((band) => band.key === `band_${n}`)) n += 1;
  const band: Band = { key: `band_${n}`, min: Math.round(above / 2) };
  return bands.length === 0 ? [band] : [...bands.slice(0, -1), band, bands[bands.length - 1]!];
}

type Band = { key: string; min: number };

/** A number input's value as the form keeps it: a string while it is empty or being typed. */
export type NumberDraft = number | string;

export interface SettingsDraft {
  health: {
    components: { signal: HealthSignal; weight: NumberDraft; bad: NumberDraft; good: NumberDraft }[];
    bands: { key: string; min: NumberDraft }[];
  };
  inactiveDays: NumberDraft;
  horizonDays: NumberDraft;
  retrainDays: NumberDraft;
}

/** An empty input travels as null, so the server names the field instead of it silently becoming 0. */
function numberOf(value: NumberDraft): number {
  if (typeof value === 'number') return value;
  return (value.trim() === '' ? null : Number(value.replace(',', '.'))) as number;
}

/** The form as the API takes it: numbers from the inputs, band keys trimmed. */
export function settingsOf(draft: SettingsDraft): RetentionSettings {
  return {
    health: {
      components: draft.health.components.map((c) => ({
        signal: c.signal,
        weight: numberOf(c.weight),
        bad: numberOf(c.bad),
        good: numberOf(c.good),
      })),
      bands: draft.health.bands.map((band) => ({ key: band.key.trim(), min: numberOf(band.min) })),
    },
    inactiveDays: numberOf(draft.inactiveDays),
    horizonDays: numberOf(draft.horizonDays),
    retrainDays: numberOf(draft.retrainDays),
  };
}
