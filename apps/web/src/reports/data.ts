import type {
  DrilldownResult,
  MetricName,
  MetricQuery,
  MetricReport,
  ReportBatchResult,
  ReportExport,
} from '@keepdesk/contract';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ApiError, api, query } from '../api';

/** Metric queries as the web app sends them (the grain is the server's default when left out). */
export type Query = Omit<MetricQuery, 'grain'> & { grain?: MetricQuery['grain'] };

/** Several reports in one request (`POST /reports/batch`), in the order asked. */
export function useReports(queries: Query[], options: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: ['reports', 'batch', queries],
    enabled: queries.length > 0,
    queryFn: async () => (await api.post<ReportBatchResult>('/reports/batch', { queries })).reports,
    placeholderData: keepPreviousData,
    refetchInterval: options.refetchInterval,
  });
}

/** What a click on a number or a chart point asks for: the tickets behind it. */
export interface DrillTarget {
  metric: MetricName;
  title: string;
  from?: string;
  to?: string;
  period?: string;
  filter?: string;
  timeZone?: string;
}

export function useDrilldown(target: DrillTarget | null) {
  return useQuery({
    queryKey: ['reports', 'tickets', target],
    enabled: target !== null,
    queryFn: () =>
      api.get<DrilldownResult>(
        `/reports/tickets${query({
          metric: target!.metric,
          from: target!.from,
          to: target!.to,
          period: target!.period,
          filter: target!.filter,
          timeZone: target!.timeZone,
          sort: 'slowest',
          limit: 100,
        })}`,
      ),
  });
}

/** A filter with one more `dimension:value` pair (a clicked group; a null key is "none"). */
export function withPair(filter: string | undefined, dimension: string, key: string | null): string {
  return [filter, `${dimension}:${key ?? 'none'}`].filter(Boolean).join(',');
}

/** The file name a download offers, from Content-Disposition. */
function fileNameOf(header: string | null, fallback: string): string {
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header ?? '');
  return match ? decodeURIComponent(match[1]!) : fallback;
}

/** Posts an export (`POST /reports/export`) and saves the file the server returns. */
export async function downloadExport(body: ReportExport, csrfToken: string | null): Promise<void> {
  const res = await fetch('/api/v1/reports/export', {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'content-type': 'application/json',
      accept: '*/*',
      ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    const problem = await res.json().catch(() => ({ title: res.statusText, status: res.status }));
    throw new ApiError(res.status, problem);
  }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileNameOf(res.headers.get('content-disposition'), `report.${body.format}`);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The chart rows of a report: one row per period, one column per group (its label, or `value`). */
export function chartRows(report: MetricReport): Record<string, string | number | null>[] {
  const first = report.series[0];
  if (!first) return [];
  return first.points.map((point, index) => {
    const row: Record<string, string | number | null> = { period: point.period, start: point.start };
    for (const series of report.series) row[seriesName(report, series)] = series.points[index]?.value ?? null;
    return row;
  });
}

export function seriesName(report: MetricReport, series: MetricReport['series'][number]): string {
  return report.groupBy ? series.label || '—' : 'value';
}

/** Whether a report has anything behind it. */
export const hasData = (report: MetricReport | undefined) =>
  report?.series.some((s) => s.points.some((p) => p.n > 0)) ?? false;
