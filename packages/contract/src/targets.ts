import { z } from 'zod';
import { patchOf } from './common';
import { MetricName, ReportStat } from './reports';

/** Reporting targets (docs/reporting.md "Targets"): a metric held against a threshold in every calendar period. */
export const REPORT_TARGET_PERIODS = ['week', 'month', 'quarter'] as const;
export const ReportTargetPeriod = z.enum(REPORT_TARGET_PERIODS);
export type ReportTargetPeriod = z.infer<typeof ReportTargetPeriod>;

export const REPORT_TARGET_COMPARISONS = ['at_least', 'at_most'] as const;
export const ReportTargetComparison = z.enum(REPORT_TARGET_COMPARISONS);
export type ReportTargetComparison = z.infer<typeof ReportTargetComparison>;

export const REPORT_TARGET_STATUSES = [
  'on_track',
  'at_risk',
  'off_track',
  'met',
  'missed',
  'no_data',
] as const;
export const ReportTargetStatus = z.enum(REPORT_TARGET_STATUSES);
export type ReportTargetStatus = z.infer<typeof ReportTargetStatus>;

const Scope = z
  .string()
  .regex(/^(team|agent|channel):[^,:]+$/, 'team:<id>, agent:<id> or channel:<channel>')
  .nullable()
  .meta({
    description:
      'What the target counts: null for the whole workspace, or `team:<id>`, `agent:<id>`, `channel:email`',
  });

export const CreateReportTargetBody = z.object({
  name: z.string().trim().min(1).max(200),
  metric: MetricName,
  stat: ReportStat.optional().meta({ description: "Default: the metric's own" }),
  comparison: ReportTargetComparison.meta({
    description: 'at_least: higher is better; at_most: lower is better',
  }),
  threshold: z.number().meta({
    description: 'In the unit of the metric: minutes for times, percent for rates, tickets for counts',
  }),
  scope: Scope.default(null),
  period: ReportTargetPeriod.default('month').meta({
    description: "Every calendar week (Monday to Sunday), month or quarter in the owner's time zone",
  }),
  ownerId: z
    .uuid()
    .optional()
    .meta({ description: 'Who is alerted when the target goes off track; default you' }),
  active: z.boolean().default(true),
});
export type CreateReportTargetBody = z.infer<typeof CreateReportTargetBody>;

export const UpdateReportTargetBody = patchOf(CreateReportTargetBody);
export type UpdateReportTargetBody = z.infer<typeof UpdateReportTargetBody>;

export const ReportTargetProgress = z.object({
  period: z.string().meta({ description: 'The period as people read it: 2026-W10, 2026-03, 2026-Q1' }),
  start: z.string(),
  end: z.string(),
  value: z.number().nullable().meta({ description: 'The value so far in the period' }),
  samples: z.number().int(),
  met: z.boolean().nullable().meta({ description: 'Whether the value so far satisfies the target' }),
  ratio: z.number().nullable().meta({ description: 'value ÷ threshold' }),
  elapsed: z.number().meta({ description: 'Share of the period passed, 0 to 1' }),
  forecast: z.number().nullable().meta({ description: 'The value expected at the end of the period' }),
  status: ReportTargetStatus,
});
export type ReportTargetProgress = z.infer<typeof ReportTargetProgress>;

export const ReportTarget = z
  .object({
    id: z.uuid(),
    name: z.string(),
    metric: MetricName,
    stat: ReportStat,
    comparison: ReportTargetComparison,
    threshold: z.number(),
    unit: z.enum(['tickets', 'minutes', 'percent', 'score', 'number']),
    scope: z.string().nullable(),
    scopeLabel: z.string().nullable().meta({ description: 'The team’s or agent’s name, the channel' }),
    period: ReportTargetPeriod,
    timeZone: z.string().meta({ description: "The owner's time zone, which the periods are counted in" }),
    owner: z.object({ id: z.uuid(), name: z.string() }),
    active: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    progress: ReportTargetProgress,
  })
  .meta({ id: 'ReportTarget' });
export type ReportTarget = z.infer<typeof ReportTarget>;

export const ReportTargetList = z.object({ items: z.array(ReportTarget) }).meta({ id: 'ReportTargetList' });
export type ReportTargetList = z.infer<typeof ReportTargetList>;

export const ReportTargetQuery = z.object({
  scope: z.string().max(200).optional().meta({
    description: 'Only targets with this scope (`team:<id>`…); `none` for workspace-wide ones',
  }),
});
export type ReportTargetQuery = z.infer<typeof ReportTargetQuery>;

export const ReportTargetHistoryQuery = z.object({
  periods: z.coerce.number().int().min(1).max(104).default(12).meta({ description: 'Past periods to show' }),
});

export const ReportTargetDetail = ReportTarget.extend({
  history: z.array(
    z.object({
      period: z.string(),
      start: z.string(),
      value: z.number().nullable(),
      samples: z.number().int(),
      status: z.enum(['met', 'missed', 'no_data']),
    }),
  ),
}).meta({ id: 'ReportTargetDetail' });
export type ReportTargetDetail = z.infer<typeof ReportTargetDetail>;
