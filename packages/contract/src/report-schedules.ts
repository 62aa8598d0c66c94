import { z } from 'zod';
import { IsoDay, Language, patchOf, TimeZone } from './common';
import { MetricQuery, REPORT_FORMATS } from './reports';

/** The management report: fixed headline KPIs against the previous period, weekly trends, teams and channels. */
export const ManagementReportQuery = z.object({
  from: IsoDay.meta({ description: 'First day in the time zone, inclusive' }),
  to: IsoDay.meta({ description: 'Last day in the time zone, inclusive' }),
  format: z.enum(['pdf', 'xlsx']).default('pdf'),
  language: Language.optional().meta({ description: "Default: the caller's language" }),
  timeZone: TimeZone.optional().meta({ description: "Default: the caller's time zone" }),
});
export type ManagementReportQuery = z.infer<typeof ManagementReportQuery>;

export const SCHEDULE_FREQUENCIES = ['weekly', 'monthly', 'quarterly'] as const;
export const ScheduleFrequency = z.enum(SCHEDULE_FREQUENCIES);
export type ScheduleFrequency = z.infer<typeof ScheduleFrequency>;

export const SCHEDULE_CONTENTS = ['management', 'metrics', 'retention', 'churn_analysis'] as const;
export type ScheduleContent = (typeof SCHEDULE_CONTENTS)[number];

const ScheduleFields = z.object({
  name: z.string().trim().min(1).max(200),
  recipients: z
    .array(z.email().max(320))
    .min(1)
    .max(50)
    .meta({ description: 'E-mail addresses that receive the report' }),
  frequency: ScheduleFrequency.meta({
    description: 'weekly: Monday to Sunday; monthly; quarterly — each sent after the period ended',
  }),
  content: z.enum(SCHEDULE_CONTENTS).meta({
    description:
      '`management`: the management report; `metrics`: the queries given (their from/to are replaced by the period); `retention`: the retention-rate report (the period and the 12 before, MRR movements, cohorts); `churn_analysis`: the churn analysis of the period (reasons, segments, drivers, cohorts). The two retention reports are monthly or quarterly, PDF or XLSX.',
  }),
  queries: z.array(MetricQuery).max(50).default([]),
  formats: z
    .array(z.enum(REPORT_FORMATS))
    .min(1)
    .max(3)
    .refine((formats) => new Set(formats).size === formats.length, { message: 'a format is given twice' }),
  language: Language.default('de'),
  timeZone: TimeZone.meta({ description: 'The zone the periods are cut in; one the workspace reports in' }),
  active: z.boolean().default(true),
});

export const CreateReportScheduleBody = ScheduleFields.meta({ id: 'CreateReportScheduleBody' });
export type CreateReportScheduleBody = z.infer<typeof CreateReportScheduleBody>;

export const UpdateReportScheduleBody = patchOf(ScheduleFields).meta({ id: 'UpdateReportScheduleBody' });
export type UpdateReportScheduleBody = z.infer<typeof UpdateReportScheduleBody>;

export const REPORT_DELIVERY_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;

export const ReportDelivery = z
  .object({
    id: z.uuid(),
    scheduleId: z.uuid(),
    periodFrom: IsoDay,
    periodTo: IsoDay,
    manual: z.boolean().meta({ description: 'Sent with "send now" rather than by the schedule' }),
    status: z.enum(REPORT_DELIVERY_STATUSES),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable().meta({
      description: 'When a queued delivery is tried again; null once sent or failed (no more tries)',
    }),
    sentAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'ReportDelivery' });
export type ReportDelivery = z.infer<typeof ReportDelivery>;

export const ReportDeliveryList = z
  .object({ items: z.array(ReportDelivery) })
  .meta({ id: 'ReportDeliveryList' });
export type ReportDeliveryList = z.infer<typeof ReportDeliveryList>;

export const ReportSchedule = z
  .object({
    id: z.uuid(),
    name: z.string(),
    ownerId: z.uuid().nullable(),
    recipients: z.array(z.string()),
    frequency: ScheduleFrequency,
    content: z.enum(SCHEDULE_CONTENTS),
    queries: z.array(MetricQuery),
    formats: z.array(z.enum(REPORT_FORMATS)),
    language: Language,
    timeZone: z.string(),
    nextRunAt: z.string(),
    active: z.boolean(),
    lastDelivery: ReportDelivery.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ReportSchedule' });
export type ReportSchedule = z.infer<typeof ReportSchedule>;

export const ReportScheduleList = z
  .object({ items: z.array(ReportSchedule) })
  .meta({ id: 'ReportScheduleList' });
export type ReportScheduleList = z.infer<typeof ReportScheduleList>;
