import { z } from 'zod';
import { IsoDay, TimeZone } from './common';

/** The metric catalogue (docs/metrics.md, "Reporting"). */
export const METRIC_NAMES = [
  'tickets_created',
  'tickets_solved',
  'tickets_reopened',
  'backlog',
  'first_response_time',
  'first_response_time_business',
  'next_response_time',
  'next_response_time_business',
  'resolution_time',
  'resolution_time_business',
  'one_touch_rate',
  'reopen_rate',
  'resolution_rate',
  'escalation_rate',
  'sla_compliance',
  'reassignments',
  'tickets_per_agent',
  'csat',
  'nps',
  'ces',
  'survey_response_rate',
] as const;
export const MetricName = z.enum(METRIC_NAMES);
export type MetricName = z.infer<typeof MetricName>;

export const REPORT_STATS = ['count', 'sum', 'avg', 'median', 'p90', 'rate', 'score'] as const;
export const ReportStat = z.enum(REPORT_STATS);
export type ReportStat = z.infer<typeof ReportStat>;

export const REPORT_GRAINS = ['hour', 'day', 'week', 'month', 'quarter'] as const;
export const ReportGrain = z.enum(REPORT_GRAINS);
export type ReportGrain = z.infer<typeof ReportGrain>;

export const REPORT_DIMENSIONS = ['team', 'agent', 'channel', 'priority', 'type', 'tag'] as const;
export const ReportDimension = z.enum(REPORT_DIMENSIONS);
export type ReportDimension = z.infer<typeof ReportDimension>;

export const MetricQuery = z.object({
  metric: MetricName,
  stat: ReportStat.optional().meta({ description: "Default: the metric's own (median for times)" }),
  from: IsoDay.optional().meta({
    description: 'First day in the time zone, inclusive; default 29 days before `to`',
  }),
  to: IsoDay.optional().meta({ description: 'Last day in the time zone, inclusive; default today' }),
  grain: ReportGrain.default('day'),
  groupBy: ReportDimension.optional(),
  filter: z.string().max(500).optional().meta({
    description:
      '`dimension:value` pairs separated by commas, e.g. `team:<id>,channel:email`; `none` for no value',
  }),
  timeZone: TimeZone.optional().meta({ description: "Default: the caller's time zone" }),
});
export type MetricQuery = z.infer<typeof MetricQuery>;

const MetricValue = z.object({
  value: z.number().nullable(),
  n: z.number().int().meta({ description: 'Samples behind the value (tickets, replies, answers)' }),
});

export const MetricPoint = MetricValue.extend({
  period: z.string().meta({
    description: 'The period as the viewer reads it: 2026-03-02, 2026-W10, 2026-03, 2026-Q1, 2026-03-02T14',
  }),
  start: z.string().meta({ description: 'Start of the period (ISO instant)' }),
});

export const MetricSeries = z.object({
  key: z
    .string()
    .nullable()
    .meta({ description: 'The group: an id, a channel, a tag; null for none (unassigned…)' }),
  label: z.string(),
  total: MetricValue,
  points: z.array(MetricPoint),
});

export const MetricReport = z
  .object({
    metric: MetricName,
    stat: ReportStat,
    unit: z.enum(['tickets', 'minutes', 'percent', 'score', 'number']),
    grain: ReportGrain,
    timeZone: z.string(),
    from: IsoDay,
    to: IsoDay,
    groupBy: ReportDimension.nullable(),
    filter: z.record(z.string(), z.string().nullable()),
    total: MetricValue,
    series: z.array(MetricSeries),
  })
  .meta({ id: 'MetricReport' });
export type MetricReport = z.infer<typeof MetricReport>;

export const MetricCatalogue = z
  .object({
    metrics: z.array(
      z.object({
        name: MetricName,
        kind: z.enum(['count', 'duration', 'rate', 'average', 'score', 'derived']),
        stats: z.array(ReportStat),
        defaultStat: ReportStat,
        hourly: z.boolean(),
      }),
    ),
    dimensions: z.array(ReportDimension),
    timeZones: z.array(z.object({ zone: z.string(), ready: z.boolean() })),
  })
  .meta({ id: 'MetricCatalogue' });
export type MetricCatalogue = z.infer<typeof MetricCatalogue>;
