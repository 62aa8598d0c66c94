import {
  AddCalendarDayBody,
  BusinessCalendar,
  BusinessCalendarList,
  CalendarDayList,
  CalendarDayQuery,
  CreateCalendarBody,
  CreateMacroBody,
  CreateSlaPolicyBody,
  EscalateBody,
  Escalation,
  EscalationList,
  HolidayRegions,
  IcsImportResult,
  Macro,
  MacroList,
  MacroPreview,
  SlaPolicy,
  SlaPolicyList,
  SlaPolicyOrderBody,
  TicketSla,
  UpdateCalendarBody,
  UpdateMacroBody,
  UpdateSlaPolicyBody,
} from '@keepdesk/contract';
import { z } from 'zod';
import type { Deps } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { type App, actorOf, principalOf } from '../../platform/http';
import {
  addCalendarDay,
  calendarDaysOf,
  createCalendar,
  deleteCalendar,
  importIcs,
  listCalendars,
  removeCalendarDay,
  updateCalendar,
} from './calendars.service';
import { escalate, listEscalations } from './escalations.service';
import { holidayRegions } from './holidays';
import {
  applyMacro,
  createMacro,
  deleteMacro,
  listMacros,
  previewMacro,
  updateMacro,
} from './macros.service';
import {
  createPolicy,
  deletePolicy,
  listPolicies,
  orderPolicies,
  ticketSla,
  updatePolicy,
} from './policies.service';

const tags = ['sla'];
const admin = { access: { permission: 'tickets:admin' } };
const read = { access: { permission: 'tickets:read' } };
const id = z.object({ id: z.uuid() });

/** Business-hour calendars (and, as Step 4 grows, SLA policies, escalations, routing and rules). */
export function slaRoutes(deps: Deps) {
  return async (app: App) => {
    app.addContentTypeParser(
      'text/calendar',
      { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 },
      (_req, body, done) => done(null, body),
    );
    app.get(
      '/calendars',
      {
        schema: { tags, description: 'Business-hour calendars.', response: { 200: BusinessCalendarList } },
        config: read,
      },
      async () => listCalendars(deps),
    );
    app.post(
      '/calendars',
      {
        schema: {
          tags,
          description:
            'A calendar: working hours per weekday (with breaks), a time zone, the public holidays of a country or region. The first one is the default.',
          body: CreateCalendarBody,
          response: { 201: BusinessCalendar },
        },
        config: admin,
      },
      async (req, reply) => reply.code(201).send(await createCalendar(deps, actorOf(req), req.body)),
    );
    app.patch(
      '/calendars/:id',
      {
        schema: { tags, params: id, body: UpdateCalendarBody, response: { 200: BusinessCalendar } },
        config: admin,
      },
      async (req) => updateCalendar(deps, actorOf(req), req.params.id, req.body),
    );
    app.delete('/calendars/:id', { schema: { tags, params: id }, config: admin }, async (req, reply) => {
      await deleteCalendar(deps, actorOf(req), req.params.id);
      return reply.code(204).send();
    });
    app.get(
      '/calendars/:id/days',
      {
        schema: {
          tags,
          description: 'The closed days of a year: public holidays and the calendar’s own days.',
          params: id,
          querystring: CalendarDayQuery,
          response: { 200: CalendarDayList },
        },
        config: read,
      },
      async (req) => calendarDaysOf(deps, req.params.id, req.query.year),
    );
    app.post(
      '/calendars/:id/days',
      {
        schema: { tags, params: id, body: AddCalendarDayBody, response: { 200: CalendarDayList } },
        config: admin,
      },
      async (req) => addCalendarDay(deps, actorOf(req), req.params.id, req.body),
    );
    app.delete(
      '/calendars/:id/days/:date',
      { schema: { tags, params: z.object({ id: z.uuid(), date: z.iso.date() }) }, config: admin },
      async (req, reply) => {
        await removeCalendarDay(deps, actorOf(req), req.params.id, req.params.date);
        return reply.code(204).send();
      },
    );
    app.post(
      '/calendars/:id/import',
      {
        schema: {
          tags,
          description:
            'Adds the all-day events of an iCalendar file (`Content-Type: text/calendar`) as closed days; yearly repeats for ten years. Timed events are reported as skipped.',
          params: id,
          response: { 200: IcsImportResult },
        },
        config: admin,
      },
      async (req) => {
        if (typeof req.body !== 'string') {
          throw new AppError('VALIDATION_FAILED', {
            message: 'send the iCalendar file as the body with Content-Type: text/calendar',
            errors: [{ field: 'body', message: 'an iCalendar file' }],
          });
        }
        return importIcs(deps, actorOf(req), req.params.id, req.body);
      },
    );
    app.get(
      '/holiday-regions',
      {
        schema: {
          tags,
          description: 'Countries and regions with known public holidays.',
          querystring: z.object({ language: z.enum(['de', 'en']).default('en') }),
          response: { 200: HolidayRegions },
        },
        config: read,
      },
      async (req) => ({ items: holidayRegions(req.query.language) }),
    );
    app.get(
      '/sla-policies',
      {
        schema: {
          tags,
          description: 'SLA policies in the order they are tried.',
          response: { 200: SlaPolicyList },
        },
        config: read,
      },
      async () => listPolicies(deps),
    );
    app.post(
      '/sla-policies',
      {
        schema: {
          tags,
          description:
            'A policy: conditions (the language of views), targets per priority for first response, next response and resolution in minutes, business or calendar time, which statuses pause. New policies go last.',
          body: CreateSlaPolicyBody,
          response: { 201: SlaPolicy },
        },
        config: admin,
      },
      async (req, reply) => reply.code(201).send(await createPolicy(deps, actorOf(req), req.body)),
    );
    app.patch(
      '/sla-policies/:id',
      {
        schema: { tags, params: id, body: UpdateSlaPolicyBody, response: { 200: SlaPolicy } },
        config: admin,
      },
      async (req) => updatePolicy(deps, actorOf(req), req.params.id, req.body),
    );
    app.delete('/sla-policies/:id', { schema: { tags, params: id }, config: admin }, async (req, reply) => {
      await deletePolicy(deps, actorOf(req), req.params.id);
      return reply.code(204).send();
    });
    app.put(
      '/sla-policies/order',
      { schema: { tags, body: SlaPolicyOrderBody, response: { 200: SlaPolicyList } }, config: admin },
      async (req) => orderPolicies(deps, actorOf(req), req.body.ids),
    );
    app.get(
      '/tickets/:id/sla',
      {
        schema: {
          tags,
          description:
            'The ticket’s SLA clocks (first response, next response, resolution) and their states now.',
          params: id,
          response: { 200: TicketSla },
        },
        config: read,
      },
      async (req) => ticketSla(deps, req.params.id),
    );
    app.get(
      '/tickets/:id/escalations',
      {
        schema: {
          tags,
          description:
            'The ticket’s escalations: automatic ones (SLA at risk, breached) and hand-overs by agents.',
          params: id,
          response: { 200: EscalationList },
        },
        config: read,
      },
      async (req) => listEscalations(deps, req.params.id),
    );
    app.post(
      '/tickets/:id/escalations',
      {
        schema: {
          tags,
          description:
            'Escalates by hand to a higher tier (a person) or another department (a team), with the reason and a hand-over note (kept as an internal note).',
          params: id,
          body: EscalateBody,
          response: { 201: Escalation },
        },
        config: { access: { permission: 'tickets:write' } },
      },
      async (req, reply) => reply.code(201).send(await escalate(deps, actorOf(req), req.params.id, req.body)),
    );
    const mayShare = (req: Parameters<typeof principalOf>[0]) =>
      principalOf(req).permissions.includes('tickets:admin');
    const macroParams = z.object({ id: z.uuid(), macroId: z.uuid() });
    app.get(
      '/macros',
      {
        schema: { tags, description: 'Shared macros and your own.', response: { 200: MacroList } },
        config: read,
      },
      async (req) => listMacros(deps, actorOf(req).userId),
    );
    app.post(
      '/macros',
      {
        schema: {
          tags,
          description:
            'A macro: reply text in English and German with placeholders ({{customer.firstName}}, {{ticket.number}}, {{agent.name}} …) and field changes. Shared ones need tickets:admin.',
          body: CreateMacroBody,
          response: { 201: Macro },
        },
        config: { access: { permission: 'tickets:write' } },
      },
      async (req, reply) =>
        reply.code(201).send(await createMacro(deps, actorOf(req), req.body, mayShare(req))),
    );
    app.patch(
      '/macros/:id',
      {
        schema: { tags, params: id, body: UpdateMacroBody, response: { 200: Macro } },
        config: { access: { permission: 'tickets:write' } },
      },
      async (req) => updateMacro(deps, actorOf(req), req.params.id, req.body, mayShare(req)),
    );
    app.delete(
      '/macros/:id',
      { schema: { tags, params: id }, config: { access: { permission: 'tickets:write' } } },
      async (req, reply) => {
        await deleteMacro(deps, actorOf(req), req.params.id, mayShare(req));
        return reply.code(204).send();
      },
    );
    app.get(
      '/tickets/:id/macros/:macroId/preview',
      {
        schema: {
          tags,
          description: 'What the macro would write and change on this ticket.',
          params: macroParams,
          response: { 200: MacroPreview },
        },
        config: read,
      },
      async (req) => previewMacro(deps, actorOf(req), req.params.id, req.params.macroId),
    );
    app.post(
      '/tickets/:id/macros/:macroId/apply',
      {
        schema: {
          tags,
          description: 'Applies the macro’s field changes and returns its text for the reply.',
          params: macroParams,
          response: { 200: MacroPreview },
        },
        config: { access: { permission: 'tickets:write' } },
      },
      async (req) => applyMacro(deps, actorOf(req), req.params.id, req.params.macroId),
    );
  };
}
