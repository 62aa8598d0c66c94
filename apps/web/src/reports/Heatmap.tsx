import type { MetricReport } from '@keepdesk/contract';
import { Box, Group, Text, VisuallyHidden } from '@mantine/core';
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
      <Box style={{ overflowX: 'auto' }}>
        <Box
          component="table"
          aria-label={t('reports.heatmap.title')}
          data-testid="arrivals-heatmap"
          style={{ borderCollapse: 'separate', borderSpacing: 2 }}
        >
          <thead>
            <tr>
              <th />
              {HOURS.map((hour) => (
                <Text key={hour} component="th" size="xs" c="dimmed" fw={400} scope="col">
                  {hour % 3 === 0 ? String(hour).padStart(2, '0') : <VisuallyHidden>{hour}</VisuallyHidden>}
                </Text>
              ))}
            </tr>
          </thead>
          <tbody>
            {DAYS.map((day) => (
              <tr key={day}>
                <Text component="th" size="xs" c="dimmed" fw={400} scope="row" pr={4} ta="right">
                  {dayName(day, 'short')}
                </Text>
                {HOURS.map((hour) => {
                  const count = grid[day]![hour]!;
                  const label = t('reports.heatmap.cell', {
                    day: dayName(day, 'long'),
                    hours: hourName(hour),
                    count,
                  });
                  return (
                    <Box
                      key={hour}
                      component="td"
                      aria-label={label}
                      title={label}
                      bg={SHADES[shadeOf(count, max)]}
                      w={22}
                      h={18}
                      style={{ borderRadius: 3 }}
                    />
                  );
                })}
              </tr>
            ))}
          </tbody>
        </Box>
      </Box>
      <Group gap={6} mt="xs" aria-label={t('reports.heatmap.legend')}>
        <Text size="xs" c="dimmed">
          {t('reports.heatmap.legend')}
        </Text>
        {legend.map((entry) => (
          <Group key={entry.color} gap={4}>
            <Box w={14} h={14} bg={entry.color} style={{ borderRadius: 3 }} />
            <Text size="xs">{entry.label}</Text>
          </Group>
        ))}
      </Group>
    </Box>
  );
}
