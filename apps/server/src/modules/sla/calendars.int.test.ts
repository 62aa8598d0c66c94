import type {
  BusinessCalendar,
  BusinessCalendarList,
  CalendarDayList,
  HolidayRegions,
  IcsImportResult,
  Problem,
  User,
} from '@keepdesk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, startTestServer, type TestServer, uniq } from '../../../test/harness';
import { addBusinessMinutes } from './calendar.domain';
import { loadBusinessCalendar } from './calendars.service';

let server: TestServer;
let manager: { user: User; headers: { authorization: string } };
let agent: { user: User; headers: { authorization: string } };
beforeAll(async () => {
  server = await startTestServer();
  manager = await bearerFor(server, 'manager');
  agent = await bearerFor(server, 'agent');
});
afterAll(async () => {
  await server?.close();
});

type Who = { headers: Record<string, string> };
const call = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object | string,
  who: Who = manager,
  contentType?: string,
) =>
  server.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...who.headers, ...(contentType ? { 'content-type': contentType } : {}) },
    payload,
  });

const day = [
  { start: '08:00', end: '12:00' },
  { start: '13:00', end: '17:00' },
];
const officeWeek = { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] };

describe('business-hour calendars', () => {
  it('keeps working hours with breaks, a time zone and the public holidays of a German state', async () => {
    const res = await call('POST', '/calendars', {
      name: `Berlin ${uniq()}`,
      timeZone: 'Europe/Berlin',
      week: officeWeek,
      holidayCountry: 'de',
      holidayRegion: 'be',
      isDefault: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const calendar = res.json<BusinessCalendar>();
    expect(calendar).toMatchObject({ holidayCountry: 'DE', holidayRegion: 'BE', isDefault: true });
    expect((await call('POST', '/calendars', { ...calendar, name: calendar.name })).statusCode).toBe(409);
    expect(
      (await call('POST', '/calendars', { name: 'x', timeZone: 'UTC', week: officeWeek }, agent)).statusCode,
    ).toBe(403);

    const days = (await call('GET', `/calendars/${calendar.id}/days?year=2026`)).json<CalendarDayList>()
      .items;
    expect(days).toContainEqual({ date: '2026-04-03', name: 'Karfreitag', source: 'public' });
    // Berlin's own holiday, which Bavaria does not have.
    expect(days.find((d) => d.date === '2026-03-08')?.source).toBe('public');

    const added = await call('POST', `/calendars/${calendar.id}/days`, {
      date: '2026-12-24',
      name: 'Heiligabend',
    });
    expect(added.json<CalendarDayList>().items).toContainEqual({
      date: '2026-12-24',
      name: 'Heiligabend',
      source: 'custom',
    });

    const ics = [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'DTSTART;VALUE=DATE:20261231',
      'SUMMARY:Silvester',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'DTSTART:20261210T100000Z',
      'SUMMARY:Meeting',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const imported = await call('POST', `/calendars/${calendar.id}/import`, ics, manager, 'text/calendar');
    expect(imported.json<IcsImportResult>()).toEqual({
      added: 1,
      skipped: [{ line: 6, reason: 'not an all-day event' }],
    });
    const notIcs = await call('POST', `/calendars/${calendar.id}/import`, 'hello', manager, 'text/calendar');
    expect(notIcs.statusCode).toBe(400);

    // The arithmetic sees all of it: Thursday before Easter 16:00 + 2 h → Tuesday after Easter 09:00.
    const business = await loadBusinessCalendar(server.deps, calendar.id, [2026, 2027]);
    expect(addBusinessMinutes(business, new Date('2026-04-02T14:00:00Z'), 120).toISOString()).toBe(
      '2026-04-07T07:00:00.000Z',
    );
    // 23 December 16:30 + 1 h → 24th (own day), 25th, 26th (holidays), 27th (Sunday) → Monday 28th 08:30.
    expect(addBusinessMinutes(business, new Date('2026-12-23T15:30:00Z'), 60).toISOString()).toBe(
      '2026-12-28T07:30:00.000Z',
    );
  });

  it('refuses a calendar without working hours, an unknown zone or region, with the field named', async () => {
    const empty = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    const noHours = await call('POST', '/calendars', {
      name: `Empty ${uniq()}`,
      timeZone: 'UTC',
      week: empty,
    });
    expect(noHours.statusCode).toBe(400);
    expect(noHours.json<Problem>().errors?.[0]?.field).toBe('week');
    const badZone = await call('POST', '/calendars', {
      name: `Zone ${uniq()}`,
      timeZone: 'Mars/Olympus',
      week: officeWeek,
    });
    expect(badZone.json<Problem>().errors?.[0]?.field).toBe('timeZone');
    const badRegion = await call('POST', '/calendars', {
      name: `Region ${uniq()}`,
      timeZone: 'UTC',
      week: officeWeek,
      holidayCountry: 'DE',
      holidayRegion: 'XX',
    });
    expect(badRegion.json<Problem>().errors?.[0]?.field).toBe('holidayRegion');
    const backwards = await call('POST', '/calendars', {
      name: `Backwards ${uniq()}`,
      timeZone: 'UTC',
      week: { ...officeWeek, mon: [{ start: '17:00', end: '08:00' }] },
    });
    expect(backwards.json<Problem>().errors?.[0]?.field).toBe('week.mon.0.end');
  });

  it('always has one default calendar, which cannot be deleted', async () => {
    const a = (
      await call('POST', '/calendars', {
        name: `A ${uniq()}`,
        timeZone: 'UTC',
        week: officeWeek,
        isDefault: true,
      })
    ).json<BusinessCalendar>();
    const b = (
      await call('POST', '/calendars', {
        name: `B ${uniq()}`,
        timeZone: 'America/New_York',
        week: officeWeek,
      })
    ).json<BusinessCalendar>();
    expect(b.isDefault).toBe(false);
    expect((await call('DELETE', `/calendars/${a.id}`)).statusCode).toBe(409);
    expect(
      (await call('PATCH', `/calendars/${b.id}`, { isDefault: true })).json<BusinessCalendar>().isDefault,
    ).toBe(true);
    const list = (await call('GET', '/calendars')).json<BusinessCalendarList>().items;
    expect(list.filter((c) => c.isDefault).map((c) => c.id)).toEqual([b.id]);
    expect((await call('DELETE', `/calendars/${a.id}`)).statusCode).toBe(204);
  });

  it('lists countries and their regions for the holiday choice', async () => {
    const regions = (
      await call('GET', '/holiday-regions?language=de', undefined, agent)
    ).json<HolidayRegions>().items;
    const germany = regions.find((r) => r.country === 'DE')!;
    expect(germany.name).toBe('Deutschland');
    expect(germany.regions.map((r) => r.code)).toEqual(expect.arrayContaining(['BY', 'BE', 'NW']));
    expect(regions.length).toBeGreaterThan(100);
  });
});
