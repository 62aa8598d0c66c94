import { describe, expect, it } from 'vitest';
import {
  dayNumberOf,
  formatLastDayOf,
  formatMonth,
  formatQuarter,
  monthOfDate,
  parseDay,
  parseMonth,
  quarterStartOf,
} from './calendar';

describe('calendar', () => {
  it('counts days from 1970-01-01 as Date.UTC does, every day from 1899 to 2101', () => {
    for (let time = Date.UTC(1899, 0, 1); time <= Date.UTC(2101, 11, 31); time += 86_400_000) {
      const date = new Date(time);
      const day = dayNumberOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
      if (day !== time / 86_400_000) expect(day).toBe(time / 86_400_000);
    }
    expect(dayNumberOf(1970, 1, 1)).toBe(0);
    expect(dayNumberOf(2000, 3, 1)).toBe(11_017);
  });

  it('reads calendar dates and refuses what is not one', () => {
    expect(parseDay('2024-02-29')).toBe(dayNumberOf(2024, 2, 29));
    expect(monthOfDate('2024-02-29')).toBe(2024 * 12 + 1);
    for (const bad of [
      '2023-02-29',
      '2100-02-29',
      '2024-04-31',
      '2024-13-01',
      '2024-00-10',
      '2024-1-01',
      ' 2024-01-01',
      '2024/01/01',
      '',
      null,
      20240101,
    ]) {
      expect(parseDay(bad)).toBeNull();
    }
    expect(parseDay('2000-02-29')).not.toBeNull();
  });

  it('reads months and formats them back', () => {
    expect(parseMonth('2024-01')).toBe(2024 * 12);
    expect(formatMonth(2024 * 12 + 11)).toBe('2024-12');
    expect(formatMonth(0)).toBe('0000-01');
    for (const bad of ['2024-13', '2024-00', '2024-1', '2024-01-01', 'abcd-ef'])
      expect(parseMonth(bad)).toBeNull();
  });

  it('finds the last day of a month, leap years included', () => {
    const lastDay = (month: string) => formatLastDayOf(parseMonth(month)!);
    expect(lastDay('2024-02')).toBe('2024-02-29');
    expect(lastDay('2023-02')).toBe('2023-02-28');
    expect(lastDay('2100-02')).toBe('2100-02-28');
    expect(lastDay('2000-02')).toBe('2000-02-29');
    expect(lastDay('2024-04')).toBe('2024-04-30');
    expect(lastDay('2024-12')).toBe('2024-12-31');
  });

  it('names quarters by their first month', () => {
    const may = parseMonth('2024-05')!;
    expect(formatMonth(quarterStartOf(may))).toBe('2024-04');
    expect(formatQuarter(quarterStartOf(may))).toBe('2024-Q2');
    expect(formatQuarter(quarterStartOf(parseMonth('2024-01')!))).toBe('2024-Q1');
    expect(formatQuarter(quarterStartOf(parseMonth('2024-12')!))).toBe('2024-Q4');
  });
});
