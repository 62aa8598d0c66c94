import type {
  AddCalendarDayBody,
  BusinessCalendarList,
  CalendarDayList,
  BusinessCalendar as CalendarView,
  CreateCalendarBody,
  IcsImportResult,
  UpdateCalendarBody,
} from '@keepdesk/contract';
import { and, asc, eq, gte, lte, ne } from 'drizzle-orm';
import { IANAZone } from 'luxon';
import type { Deps } from '../../platform/context';
import { type Executor, isUniqueViolation, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { ALWAYS_OPEN, type BusinessCalendar, parseIcsDays, weekProblems } from './calendar.domain';
import { isKnownRegion, publicHolidays } from './holidays';
import { businessCalendars, calendarDays, slaPolicies } from './sla.tables';

type CalendarRow = typeof businessCalendars.$inferSelect;

function present(row: CalendarRow): CalendarView {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.timeZone,
    week: row.week,
    holidayCountry: row.holidayCountry,
    holidayRegion: row.holidayRegion,
    isDefault: row.isDefault,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Everything wrong with a calendar before it is saved, as field errors. */
function assertValid(input: {
  timeZone: string;
  week: CreateCalendarBody['week'];
  holidayCountry: string | null;
  holidayRegion: string | null;
}): void {
  const errors = weekProblems(input.week);
  if (!IANAZone.isValidZone(input.timeZone)) {
    errors.push({ field: 'timeZone', message: 'an IANA time zone such as Europe/Berlin' });
  }
  if (input.holidayRegion && !input.holidayCountry) {
    errors.push({ field: 'holidayCountry', message: 'a region needs its country' });
  } else if (input.holidayCountry && !isKnownRegion(input.holidayCountry, input.holidayRegion)) {
    errors.push({
      field: input.holidayRegion ? 'holidayRegion' : 'holidayCountry',
      message: 'not a country or region with known public holidays',
    });
  }
  if (errors.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: `the calendar is not valid: ${errors[0]!.message}`,
      errors,
    });
  }
}

function nameTaken(name: string): AppError {
  return new AppError('CONFLICT', {
    message: `a calendar named ${name} exists already`,
    errors: [{ field: 'name', message: 'taken' }],
  });
}

export async function listCalendars(deps: Deps): Promise<BusinessCalendarList> {
  const rows = await deps.database.db.select().from(businessCalendars).orderBy(asc(businessCalendars.name));
  return { items: rows.map(present) };
}

export async function createCalendar(
  deps: Deps,
  actor: Actor,
  input: CreateCalendarBody,
): Promise<CalendarView> {
  assertValid(input);
  try {
    return await withTransaction(deps.database, async (tx) => {
      // The first calendar is the default one; a new default replaces the old.
      const [any] = await tx.select({ id: businessCalendars.id }).from(businessCalendars).limit(1);
      const isDefault = input.isDefault || !any;
      if (isDefault) await tx.update(businessCalendars).set({ isDefault: false });
      const [row] = await tx
        .insert(businessCalendars)
        .values({ ...input, isDefault })
        .returning();
      await recordChange(tx, actor, {
        action: 'calendar.created',
        entityType: 'calendar',
        entityId: row!.id,
        data: { name: row!.name, timeZone: row!.timeZone },
      });
      return present(row!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}

export async function updateCalendar(
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateCalendarBody,
): Promise<CalendarView> {
  try {
    return await withTransaction(deps.database, async (tx) => {
      const [before] = await tx
        .select()
        .from(businessCalendars)
        .where(eq(businessCalendars.id, id))
        .for('update');
      if (!before) throw notFound('calendar', id);
      const next = { ...before, ...input };
      assertValid(next);
      if (input.isDefault === false && before.isDefault) {
        throw new AppError('VALIDATION_FAILED', {
          message: 'make another calendar the default instead',
          errors: [{ field: 'isDefault', message: 'one calendar is always the default' }],
        });
      }
      if (input.isDefault)
        await tx.update(businessCalendars).set({ isDefault: false }).where(ne(businessCalendars.id, id));
      const [row] = await tx
        .update(businessCalendars)
        .set({ ...input, updatedAt: deps.now() })
        .where(eq(businessCalendars.id, id))
        .returning();
      await recordChange(tx, actor, {
        action: 'calendar.updated',
        entityType: 'calendar',
        entityId: id,
        data: input,
      });
      return present(row!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name ?? '');
    throw error;
  }
}

export async function deleteCalendar(deps: Deps, actor: Actor, id: string): Promise<void> {
  await withTransaction(deps.database, async (tx) => {
    const [row] = await tx.select().from(businessCalendars).where(eq(businessCalendars.id, id)).for('update');
    if (!row) throw notFound('calendar', id);
    if (row.isDefault) {
      throw new AppError('CONFLICT', {
        message: 'the default calendar cannot be deleted; make another the default',
      });
    }
    await tx.delete(businessCalendars).where(eq(businessCalendars.id, id));
    await recordChange(tx, actor, {
      action: 'calendar.deleted',
      entityType: 'calendar',
      entityId: id,
      data: { name: row.name },
    });
  });
}

async function calendarRow(executor: Executor, id: string): Promise<CalendarRow> {
  const [row] = await executor.select().from(businessCalendars).where(eq(businessCalendars.id, id));
  if (!row) throw notFound('calendar', id);
  return row;
}

/** The closed days of a year: the public holidays of its country and region, and its own days. */
export async function calendarDaysOf(deps: Deps, id: string, year: number): Promise<CalendarDayList> {
  const db = deps.database.db;
  const row = await calendarRow(db, id);
  const own = await db
    .select()
    .from(calendarDays)
    .where(
      and(
        eq(calendarDays.calendarId, id),
        gte(calendarDays.date, `${year}-01-01`),
        lte(calendarDays.date, `${year}-12-31`),
      ),
    );
  const items = [
    ...(row.holidayCountry ? publicHolidays(row.holidayCountry, row.holidayRegion, year) : []).map((h) => ({
      ...h,
      source: 'public' as const,
    })),
    ...own.map((d) => ({ date: d.date, name: d.name, source: 'custom' as const })),
  ].sort((a, b) => a.date.localeCompare(b.date));
  return { items };
}

export async function addCalendarDay(
  deps: Deps,
  actor: Actor,
  id: string,
  input: AddCalendarDayBody,
): Promise<CalendarDayList> {
  const db = deps.database.db;
  await calendarRow(db, id);
  await db
    .insert(calendarDays)
    .values({ calendarId: id, date: input.date, name: input.name })
    .onConflictDoUpdate({ target: [calendarDays.calendarId, calendarDays.date], set: { name: input.name } });
  await recordChange(db, actor, {
    action: 'calendar.day_added',
    entityType: 'calendar',
    entityId: id,
    data: input,
  });
  return calendarDaysOf(deps, id, Number(input.date.slice(0, 4)));
}

export async function removeCalendarDay(deps: Deps, actor: Actor, id: string, date: string): Promise<void> {
  const db = deps.database.db;
  const removed = await db
    .delete(calendarDays)
    .where(and(eq(calendarDays.calendarId, id), eq(calendarDays.date, date)))
    .returning();
  if (removed.length === 0) throw notFound('calendar day', date);
  await recordChange(db, actor, {
    action: 'calendar.day_removed',
    entityType: 'calendar',
    entityId: id,
    data: { date },
  });
}

/** Adds the all-day events of an iCalendar file as closed days; timed events are reported, not added. */
export async function importIcs(
  deps: Deps,
  actor: Actor,
  id: string,
  text: string,
): Promise<IcsImportResult> {
  const db = deps.database.db;
  await calendarRow(db, id);
  const { days, skipped } = parseIcsDays(text);
  if (days.length === 0 && skipped.length === 0) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'no events found: send an iCalendar file (text/calendar) with VEVENTs',
      errors: [{ field: 'body', message: 'an iCalendar file' }],
    });
  }
  for (let i = 0; i < days.length; i += 500) {
    await db
      .insert(calendarDays)
      .values(days.slice(i, i + 500).map((d) => ({ calendarId: id, date: d.date, name: d.name })))
      .onConflictDoNothing();
  }
  await recordChange(db, actor, {
    action: 'calendar.imported',
    entityType: 'calendar',
    entityId: id,
    data: { added: days.length, skipped: skipped.length },
  });
  return { added: days.length, skipped };
}

/**
 * The calendar for business-time arithmetic: its closed days are looked up per year on first need (public
 * holidays from the library, own days from the database, read once for a range of years).
 */
export async function loadBusinessCalendar(
  deps: Deps,
  id: string,
  years: [number, number],
  db: Executor = deps.database.db,
): Promise<BusinessCalendar> {
  const row = await calendarRow(db, id);
  const own = await db
    .select({ date: calendarDays.date })
    .from(calendarDays)
    .where(
      and(
        eq(calendarDays.calendarId, id),
        gte(calendarDays.date, `${years[0]}-01-01`),
        lte(calendarDays.date, `${years[1]}-12-31`),
      ),
    );
  const closed = new Set(own.map((d) => d.date));
  const loaded = new Set<number>();
  return {
    timeZone: row.timeZone,
    week: row.week,
    isClosed: (date) => {
      const year = Number(date.slice(0, 4));
      if (row.holidayCountry && !loaded.has(year)) {
        for (const h of publicHolidays(row.holidayCountry, row.holidayRegion, year)) closed.add(h.date);
        loaded.add(year);
      }
      return closed.has(date);
    },
  };
}

/**
 * The calendar a rule counts business time in: its own, else the default one. Calendar time, or business time
 * without any calendar, counts every minute (rather than nothing).
 */
export async function calendarOrDefault(
  deps: Deps,
  businessTime: boolean,
  calendarId: string | null,
  year: number,
  executor: Executor = deps.database.db,
): Promise<BusinessCalendar> {
  if (!businessTime) return ALWAYS_OPEN;
  let id = calendarId;
  if (!id) {
    const [fallback] = await executor
      .select({ id: businessCalendars.id })
      .from(businessCalendars)
      .where(eq(businessCalendars.isDefault, true));
    id = fallback?.id ?? null;
  }
  return id ? loadBusinessCalendar(deps, id, [year - 1, year + 3], executor) : ALWAYS_OPEN;
}

/**
 * The calendar that times a ticket under the SLA policy `policyId` for reports: the policy's calendar (always
 * open when the policy counts calendar time), or the default calendar when there is no policy.
 */
export async function policyCalendar(
  deps: Deps,
  policyId: string | null,
  year: number,
  executor: Executor = deps.database.db,
): Promise<BusinessCalendar> {
  const [policy] = policyId
    ? await executor
        .select({ businessTime: slaPolicies.businessTime, calendarId: slaPolicies.calendarId })
        .from(slaPolicies)
        .where(eq(slaPolicies.id, policyId))
    : [];
  return calendarOrDefault(deps, policy?.businessTime ?? true, policy?.calendarId ?? null, year, executor);
}

/** A calendar a rule names must exist; the error names the rule's field that names it. */
export async function assertCalendarExists(
  executor: Executor,
  calendarId: string | null | undefined,
  field: string,
): Promise<void> {
  if (!calendarId) return;
  const [row] = await executor
    .select({ id: businessCalendars.id })
    .from(businessCalendars)
    .where(eq(businessCalendars.id, calendarId));
  if (!row) {
    throw new AppError('VALIDATION_FAILED', {
      message: `calendar ${calendarId} does not exist`,
      errors: [{ field, message: 'no such calendar' }],
    });
  }
}
