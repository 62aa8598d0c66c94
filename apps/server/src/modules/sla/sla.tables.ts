import type { Week } from '@keepdesk/contract';
import { boolean, date, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Working hours in a time zone, closed on the public holidays of a country (and region) and on custom days. */
export const businessCalendars = pgTable('business_calendars', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  timeZone: text('time_zone').notNull(),
  week: jsonb('week').$type<Week>().notNull(),
  holidayCountry: text('holiday_country'),
  holidayRegion: text('holiday_region'),
  isDefault: boolean('is_default').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Days a calendar is closed besides its public holidays (a company day off, imported from iCalendar). */
export const calendarDays = pgTable(
  'calendar_days',
  {
    calendarId: uuid('calendar_id')
      .notNull()
      .references(() => businessCalendars.id, { onDelete: 'cascade' }),
    date: date('date', { mode: 'string' }).notNull(),
    name: text('name').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.calendarId, t.date] })],
);
