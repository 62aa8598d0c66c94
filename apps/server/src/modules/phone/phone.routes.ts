import {
  Call,
  CallbackList,
  CallbackQuery,
  Callback as CallbackSchema,
  CallEventBody,
  CreateCallbackBody,
  LogCallBody,
  UpdateCallBody,
  UpdateCallbackBody,
} from '@keepdesk/contract';
import { z } from 'zod';
import type { Deps } from '../../platform/context';
import { type App, actorOf } from '../../platform/http';
import {
  createCallback,
  getCall,
  handleCallEvent,
  listCallbacks,
  logCallOnTicket,
  updateCall,
  updateCallback,
} from './phone.service';

const tags = ['phone'];
const write = { access: { permission: 'tickets:write' } };
const read = { access: { permission: 'tickets:read' } };
const id = z.object({ id: z.uuid() });

/** Telephony: the CTI webhook, the call pop-up, call logs and callback requests (docs/phone-integration.md). */
export function phoneRoutes(deps: Deps) {
  return async (app: App) => {
    app.post(
      '/channels/phone/events',
      {
        schema: {
          tags,
          description:
            'The CTI webhook: one event of a call (ringing, answered, ended, missed) from a PBX or cloud telephony service. Idempotent per call id and event; see docs/phone-integration.md.',
          body: CallEventBody,
          response: { 200: Call },
        },
        config: write,
      },
      async (req) => handleCallEvent(deps, actorOf(req), req.body),
    );
    app.get(
      '/calls/:id',
      {
        schema: {
          tags,
          description: 'A call with its customer and their open tickets (what the call pop-up shows).',
          params: id,
          response: { 200: Call },
        },
        config: read,
      },
      async (req) => getCall(deps, req.params.id),
    );
    app.patch(
      '/calls/:id',
      {
        schema: {
          tags,
          description: 'Chooses the ticket a call is about (before it ends) or adds notes.',
          params: id,
          body: UpdateCallBody,
          response: { 200: Call },
        },
        config: write,
      },
      async (req) => updateCall(deps, actorOf(req), req.params.id, req.body),
    );
    app.post(
      '/tickets/:id/calls',
      {
        schema: {
          tags,
          description:
            'Logs a call on the ticket by hand (direction, number, duration, notes, recording link).',
          params: id,
          body: LogCallBody,
          response: { 201: Call },
        },
        config: write,
      },
      async (req, reply) =>
        reply.code(201).send(await logCallOnTicket(deps, actorOf(req), req.params.id, req.body)),
    );
    app.get(
      '/callbacks',
      {
        schema: {
          tags,
          description: 'Callback requests, open ones by due time (`assignee=me` for your own).',
          querystring: CallbackQuery,
          response: { 200: CallbackList },
        },
        config: read,
      },
      async (req) => listCallbacks(deps, actorOf(req).userId, req.query),
    );
    app.post(
      '/tickets/:id/callbacks',
      {
        schema: {
          tags,
          description: 'Promises the customer a call back at a due time; the assignee is reminded then.',
          params: id,
          body: CreateCallbackBody,
          response: { 201: CallbackSchema },
        },
        config: write,
      },
      async (req, reply) =>
        reply.code(201).send(await createCallback(deps, actorOf(req), req.params.id, req.body)),
    );
    app.patch(
      '/callbacks/:id',
      {
        schema: { tags, params: id, body: UpdateCallbackBody, response: { 200: CallbackSchema } },
        config: write,
      },
      async (req) => updateCallback(deps, actorOf(req), req.params.id, req.body),
    );
  };
}
