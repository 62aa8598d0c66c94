import type { MetricReport } from '@keepdesk/contract';
import { Box, Group, Text, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

const SHADES = ['gray.1', 'blue.1', 'blue.3', 'blue.5', 'blue.7', 'blue.9'];
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const DAYS = [0, 1, 2, 3, 4, 5, 6];
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

/**
 * Counts per weekday (Monday first) and hour in `timeZone`. The server keeps hours in UTC; each hour's start is
 * placed in the viewer's zone here, so the grid is right across summer time.
 */
export function arrivalsGrid(report: MetricReport, timeZone: string): number[][] {
  const grid = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: 'numeric',
    hourCycle: 'h23',
  });
  for (const series of report.series) {
    for (const point of series.points) {
      if (!point.value) continue;
      const fields = parts.formatToParts(new Date(point.start));
      const weekday = WEEKDAYS.indexOf(fields.find((p) => p.type === 'weekday')?.value ?? '');
      const hour = Number(fields.find((p) => p.type === 'hour')?.value ?? -1) % 24;
      if (weekday >= 0 && hour >= 0) grid[weekday]![hour]! += point.value;
    }
  }
  return grid;
}

const shadeOf = (count: number, max: number) =>
  count === 0 || max === 0
    ? 0
    : Math.min(SHADES.length - 1, 1 + Math.floor(((SHADES.length - 1) * (count - 1)) / max));

/** One cell of a heatmap: its colour (none: left blank), what it says to a screen reader and on hover. */
export interface HeatmapCell {
  shade: string | null;
  label: string;
  /** Text shown in the cell, if any. */
  text?: string;
  /** Light text on a dark shade. */
  isDark?: boolean;
  onClick?: () => void;
}

export interface HeatmapRow {
  key: string;
  header: ReactNode;
  cells: HeatmapCell[];
}

/**
 * A grid of shaded cells: a header row of column names and a row header per row, each cell with its value as an
 * accessible label. Shared by the arrivals by weekday × hour and the cohort retention matrix.
 */
export function HeatmapGrid({
  label,
  testId,
  columns,
  rows,
  cellWidth,
  cellHeight,
}: {
  label: string;
  testId?: string;
  columns: { key: string; header: ReactNode }[];
  rows: HeatmapRow[];
  cellWidth: number;
  cellHeight: number;
}) {
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Box
        component="table"
        aria-label={label}
        data-testid={testId}
        style={{ borderCollapse: 'separate', borderSpacing: 2 }}
      >
        <thead>
          <tr>
            <th />
            {columns.map((column) => (
              <Text key={column.key} component="th" size="xs" c="dimmed" fw={400} scope="col">
                {column.header}
              </Text>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <Text component="th" size="xs" c="dimmed" fw={400} scope="row" pr={4} ta="right">
                {row.header}
              </Text>
              {row.cells.map((cell, index) => (
                <Box
                  // Cells are positional: the column is the key.
                  key={columns[index]?.key ?? index}
                  component="td"
                  aria-label={cell.label}
                  title={cell.label}
                  bg={cell.shade ?? undefined}
                  w={cellWidth}
                  h={cellHeight}
                  ta="center"
                  onClick={cell.onClick}
                  style={{ borderRadius: 3, cursor: cell.onClick ? 'pointer' : undefined }}
                >
                  {cell.text && (
                    <Text size="xs" c={cell.isDark ? 'white' : undefined} lh={1}>
                      {cell.text}
                    </Text>
                  )}
                </Box>
              ))}
            </tr>
          ))}
        </tbody>
      </Box>
    </Box>
  );
}

/** The colours of a heatmap with what each stands for. */
export function HeatmapLegend({
  title,
  entries,
}: {
  title: string;
  entries: { color: string; label: string }[];
}) {
  return (
    <Group gap={6} mt="xs" aria-label={title}>
      <Text size="xs" c="dimmed">
        {title}
      </Text>
      {entries.map((entry) => (
        <Group key={entry.color} gap={4}>
          <Box w={14} h={14} bg={entry.color} style={{ borderRadius: 3 }} />
          <Text size="xs">{entry.label}</Text>
        </Group>
      ))}
    </Group>
  );
}

/** Arrivals by weekday × hour: a 7 × 24 table of shaded cells, each with its count as an accessible label. */
export function ArrivalsHeatmap({ report, timeZone }: { report: MetricReport; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const grid = arrivalsGrid(report, timeZone);
  const max = Math.max(0, ...grid.flat());
  // 2024-01-01 was a Monday: the weekday names in the interface language.
  const dayName = (day: number, style: 'short' | 'long') =>
    new Intl.DateTimeFormat(i18n.language, { weekday: style, timeZone: 'UTC' }).format(
      Date.UTC(2024, 0, 1 + day),
    );
  const hourName = (hour: number) =>
    `${String(hour).padStart(2, '0')}–${String((hour + 1) % 24).padStart(2, '0')}`;
  const legend = SHADES.flatMap((color, shade) => {
    if (shade === 0) return [{ color, label: '0' }];
    const low = Math.ceil(((shade - 1) * max) / (SHADES.length - 1)) + 1;
    const high = Math.ceil((shade * max) / (SHADES.length - 1));
    return low > high ? [] : [{ color, label: low === high ? String(low) : `${low}–${high}` }];
  });
  return (
    <Box>
      <HeatmapGrid
        label={t('reports.heatmap.title')}
        testId="arrivals-heatmap"
        cellWidth={22}
        cellHeight={18}
        columns={HOURS.map((hour) => ({
          key: String(hour),
          header: hour % 3 === 0 ? String(hour).padStart(2, '0') : <VisuallyHidden>{hour}</VisuallyHidden>,
        }))}
        rows={DAYS.map((day) => ({
          key: String(day),
          header: dayName(day, 'short'),
          cells: HOURS.map((hour) => {
            const count = grid[day]![hour]!;
            return {
              shade: SHADES[shadeOf(count, max)]!,
              label: t('reports.heatmap.cell', { day: dayName(day, 'long'), hours: hourName(hour), count }),
            };
          }),
        }))}
      />
      <HeatmapLegend title={t('reports.heatmap.legend')} entries={legend} />
    </Box>
  );
}
