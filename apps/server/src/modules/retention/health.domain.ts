/**
 * Customer health scores: a weighted score of 0–100 from components the retention team chooses, each turning a
 * signal into points between a "bad" value (0 points) and a "good" value (100 points), and bands by score.
 */
import type { HealthSignal } from '@keepdesk/contract';

export interface HealthComponent {
  signal: HealthSignal;
  weight: number;
  /** The value that earns 0 points … */
  bad: number;
  /** … and the value that earns 100; lower is better when `good` is below `bad`. */
  good: number;
}

export interface HealthBand {
  key: string;
  /** The lowest score of the band; the lowest band starts at 0. */
  min: number;
}

export interface HealthConfig {
  components: HealthComponent[];
  /** Best band first. */
  bands: HealthBand[];
}

export interface ComponentScore extends HealthComponent {
  value: number | null;
  points: number | null;
}

export interface HealthScore {
  /** null when no component has a value. */
  score: number | null;
  band: string | null;
  components: ComponentScore[];
}

/** What a new workspace starts with: the model's risk weighs most, then usage, then the support experience. */
export const DEFAULT_HEALTH_CONFIG: HealthConfig = {
  components: [
    { signal: 'churnRisk', weight: 40, bad: 0.6, good: 0.05 },
    { signal: 'usageTrend', weight: 20, bad: -0.5, good: 0.1 },
    { signal: 'csat', weight: 15, bad: 0.5, good: 0.95 },
    { signal: 'openTickets', weight: 10, bad: 5, good: 0 },
    { signal: 'slaBreaches', weight: 10, bad: 3, good: 0 },
    { signal: 'nps', weight: 5, bad: 4, good: 9 },
  ],
  bands: [
    { key: 'healthy', min: 70 },
    { key: 'watch', min: 40 },
    { key: 'at_risk', min: 0 },
  ],
};

/** Points of a value: linear between `bad` (0) and `good` (100), clamped. */
export function componentPoints(value: number, bad: number, good: number): number {
  const share = (value - bad) / (good - bad);
  return Math.round(Math.min(1, Math.max(0, share)) * 1000) / 10;
}

/**
 * The score: the weighted mean of the points of the components that have a value (a missing signal neither helps
 * nor hurts — its weight is shared by the others), rounded to one decimal.
 */
export function healthScore(
  config: HealthConfig,
  values: Partial<Record<HealthSignal, number | null>>,
): HealthScore {
  let weighted = 0;
  let weights = 0;
  const components = config.components.map((component): ComponentScore => {
    const value = values[component.signal];
    if (value === null || value === undefined || !Number.isFinite(value)) {
      return { ...component, value: null, points: null };
    }
    const points = componentPoints(value, component.bad, component.good);
    weighted += points * component.weight;
    weights += component.weight;
    return { ...component, value, points };
  });
  if (weights === 0) return { score: null, band: null, components };
  const score = Math.round((weighted / weights) * 10) / 10;
  return { score, band: bandOf(config, score), components };
}

export function bandOf(config: HealthConfig, score: number): string {
  for (const band of config.bands) if (score >= band.min) return band.key;
  return config.bands[config.bands.length - 1]!.key;
}

/** Whether moving from one band to the other is a drop (to a worse band); unknown bands never are. */
export function droppedBand(config: HealthConfig, from: string | null, to: string | null): boolean {
  if (from === null || to === null) return false;
  const before = config.bands.findIndex((b) => b.key === from);
  const after = config.bands.findIndex((b) => b.key === to);
  return before >= 0 && after > before;
}

/** What is wrong with a configuration, as field paths and messages (empty when it is good). */
export function healthConfigProblems(config: HealthConfig): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (config.components.length === 0)
    problems.push({ field: 'components', message: 'needs at least one component' });
  const seen = new Set<string>();
  config.components.forEach((component, i) => {
    if (!(component.weight > 0))
      problems.push({ field: `components.${i}.weight`, message: 'must be above 0' });
    if (component.good === component.bad) {
      problems.push({ field: `components.${i}.good`, message: 'must differ from bad' });
    }
    if (seen.has(component.signal)) {
      problems.push({ field: `components.${i}.signal`, message: 'is used by another component' });
    }
    seen.add(component.signal);
  });
  if (config.bands.length < 2) problems.push({ field: 'bands', message: 'needs at least two bands' });
  config.bands.forEach((band, i) => {
    const previous = config.bands[i - 1];
    if (previous && !(band.min < previous.min)) {
      problems.push({ field: `bands.${i}.min`, message: 'must be below the band before it' });
    }
  });
  const lowest = config.bands[config.bands.length - 1];
  if (lowest && lowest.min !== 0) {
    problems.push({ field: `bands.${config.bands.length - 1}.min`, message: 'the lowest band starts at 0' });
  }
  return problems;
}

/** The change of the score over a period: today's minus the earlier one, or null when either is missing. */
export function healthTrend(now: number | null, earlier: number | null): number | null {
  if (now === null || earlier === null) return null;
  return Math.round((now - earlier) * 10) / 10;
}
