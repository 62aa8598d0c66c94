import { z } from 'zod';
import { IsoDay, TimeZone } from './common';
import { FieldKey } from './fields';

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
  'handle_time',
  'agent_utilisation',
] as const;
export const MetricName = z.enum(METRIC_NAMES);
export type MetricName = z.infer<typeof MetricName>;

export const REPORT_STATS = ['count', 'sum', 'avg', 'median', 'p90', 'rate', 'score'] as const;
export const ReportStat = z.enum(REPORT_STATS);
export type ReportStat = z.infer<typeof ReportStat>;

export const REPORT_GRAINS = ['hour', 'day', 'week', 'month', 'quarter'] as const;
export const ReportGrain = z.enum(REPORT_GRAINS);
export type ReportGrain = z.infer<typeof ReportGrain>;

export const REPORT_DIMENSIONS = [
  'team',
  'agent',
  'channel',
  'priority',
  'type',
  'tag',
  'organization',
] as const;
/** A dropdown, checkbox or multiselect custom field as a dimension: `field:<key>`. */
export const FieldDimension = z
  .templateLiteral(['field:', FieldKey])
  .meta({ description: 'A dropdown, checkbox or multiselect ticket field: `field:<key>`' });
export const ReportDimension = z.union([z.enum(REPORT_DIMENSIONS), FieldDimension]);
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

export const METRIC_KINDS = ['count', 'duration', 'rate', 'average', 'score', 'derived'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

/** The unit a metric's statistic is reported in, and a target's threshold given in. */
export function reportUnit(metric: string, kind: MetricKind, stat: ReportStat): MetricReport['unit'] {
  if (metric === 'agent_utilisation') return 'percent';
  if (metric === 'backlog' || metric === 'tickets_per_agent' || kind === 'count') return 'tickets';
  if (stat === 'count') return 'number';
  if (kind === 'duration') return 'minutes';
  if (kind === 'rate') return stat === 'sum' ? 'number' : 'percent';
  if (kind === 'score') return 'score';
  return 'number';
}

export const MetricCatalogue = z
  .object({
    metrics: z.array(
      z.object({
        name: MetricName,
        kind: z.enum(METRIC_KINDS),
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

export const ReportBatch = z
  .object({
    queries: z.array(MetricQuery).min(1).max(50),
  })
  .meta({ id: 'ReportBatch' });
export type ReportBatch = z.infer<typeof ReportBatch>;

export const ReportBatchResult = z
  .object({ reports: z.array(MetricReport) })
  .meta({ id: 'ReportBatchResult' });
export type ReportBatchResult = z.infer<typeof ReportBatchResult>;

export const REPORT_FORMATS = ['pdf', 'csv', 'xlsx'] as const;
export const ReportFormat = z.enum(REPORT_FORMATS);
export type ReportFormat = z.infer<typeof ReportFormat>;

/** A dashboard widget or a whole dashboard as a file: each query becomes a chart and a table (PDF) or a sheet. */
export const ReportExport = z
  .object({
    format: ReportFormat,
    title: z.string().trim().min(1).max(200),
    queries: z.array(MetricQuery).min(1).max(50),
    language: z.enum(['de', 'en']).optional().meta({ description: "Default: the caller's language" }),
  })
  .meta({ id: 'ReportExport' });
export type ReportExport = z.infer<typeof ReportExport>;

/** The twelve widgets of the manager dashboard, in display order (the web app and the benchmark load this list). */
export const MANAGER_DASHBOARD: readonly { metric: MetricName; stat?: ReportStat }[] = [
  { metric: 'tickets_created', stat: 'count' },
  { metric: 'tickets_solved', stat: 'count' },
  { metric: 'backlog', stat: 'count' },
  { metric: 'first_response_time', stat: 'median' },
  { metric: 'resolution_time', stat: 'median' },
  { metric: 'one_touch_rate', stat: 'rate' },
  { metric: 'resolution_rate', stat: 'rate' },
  { metric: 'reopen_rate', stat: 'rate' },
  { metric: 'sla_compliance', stat: 'rate' },
  { metric: 'escalation_rate', stat: 'rate' },
  { metric: 'csat', stat: 'rate' },
  { metric: 'nps', stat: 'score' },
];

/** Whether a higher value of a metric is good (`higher`), bad (`lower`), or neither (volumes). */
export const METRIC_BETTER: Record<MetricName, 'higher' | 'lower' | null> = {
  tickets_created: null,
  tickets_solved: 'higher',
  tickets_reopened: 'lower',
  backlog: 'lower',
  first_response_time: 'lower',
  first_response_time_business: 'lower',
  next_response_time: 'lower',
  next_response_time_business: 'lower',
  resolution_time: 'lower',
  resolution_time_business: 'lower',
  one_touch_rate: 'higher',
  reopen_rate: 'lower',
  resolution_rate: 'higher',
  escalation_rate: 'lower',
  sla_compliance: 'higher',
  reassignments: 'lower',
  tickets_per_agent: 'higher',
  csat: 'higher',
  nps: 'higher',
  ces: 'lower',
  survey_response_rate: 'higher',
  handle_time: 'lower',
  agent_utilisation: 'higher',
};

export const DrilldownQuery = z.object({
  metric: MetricName,
  from: IsoDay.optional().meta({
    description: 'First day in the time zone, inclusive; default 29 days before `to`',
  }),
  to: IsoDay.optional().meta({ description: 'Last day in the time zone, inclusive; default today' }),
  period: z.string().max(20).optional().meta({
    description:
      'One period of a chart as a report names it (2026-03-02, 2026-W10, 2026-03, 2026-Q1, 2026-03-02T14)',
  }),
  filter: z.string().max(500).optional().meta({
    description: 'As for /reports/metrics; a clicked group is one more pair (`team:<id>`, `channel:none`)',
  }),
  sort: z.enum(['slowest', 'newest']).default('slowest').meta({
    description:
      '`slowest`: the worst first (longest times, oldest open tickets, missed rates); `newest`: latest sample first',
  }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  timeZone: TimeZone.optional().meta({ description: "Default: the caller's time zone" }),
});
export type DrilldownQuery = z.infer<typeof DrilldownQuery>;

export const DrilldownTicket = z.object({
  id: z.uuid(),
  number: z.number().int(),
  subject: z.string(),
  status: z.string(),
  statusCategory: z.string(),
  team: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  assignee: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  createdAt: z.iso.datetime(),
  at: z.iso.datetime().meta({ description: 'When the ticket counted (its latest sample in the range)' }),
  value: z.number().meta({
    description:
      'The ticket’s value: minutes for times (the longest if several) and for the backlog (age at the end), 1 or 0 for rates, the score for NPS (−1, 0, 1) and CES, the number of samples for counts',
  }),
  samples: z.number().int(),
});
export type DrilldownTicket = z.infer<typeof DrilldownTicket>;

export const DrilldownResult = z
  .object({
    metric: MetricName,
    valueUnit: z.enum(['minutes', 'boolean', 'score', 'count']),
    from: z.iso.datetime(),
    to: z.iso.datetime().meta({ description: 'Exclusive' }),
    timeZone: z.string(),
    total: z
      .number()
      .int()
      .meta({ description: 'Tickets behind the number, of which `items` are the first' }),
    items: z.array(DrilldownTicket),
  })
  .meta({ id: 'DrilldownResult' });
export type DrilldownResult = z.infer<typeof DrilldownResult>;

/** Counts of the open queue now (`GET /reports/live`). */
export const LiveQueue = z
  .object({
    byStatus: z.array(z.object({ status: z.string(), category: z.string(), count: z.number().int() })),
    bySla: z.object({
      breached: z.number().int(),
      dueSoon: z.number().int().meta({ description: 'Running clocks past their at-risk time' }),
      ok: z.number().int(),
      none: z.number().int().meta({ description: 'Open tickets without a running SLA clock' }),
    }),
    escalated: z.number().int().meta({ description: 'Open tickets with a breach or manual escalation' }),
    unassigned: z.number().int(),
    at: z.iso.datetime(),
  })
  .meta({ id: 'LiveQueue' });
export type LiveQueue = z.infer<typeof LiveQueue>;
export const LiveQueueQuery = z.object({
  filter: z.string().max(200).optional().meta({ description: '`team:<id>`, `agent:<id>` or `agent:me`' }),
});
