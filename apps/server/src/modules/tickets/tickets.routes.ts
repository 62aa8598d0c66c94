import {
  CreatedTicket,
  CreateTicketBody,
  CreateTicketStatusBody,
  Message,
  MessageBody,
  MessageList,
  Ticket,
  TicketEventList,
  TicketPage,
  TicketParams,
  TicketQuery,
  TicketStatus,
  TicketStatusList,
  UpdateTicketBody,
} from '@keepdesk/contract';
import type { Deps } from '../../platform/context';
import { type App, actorOf, principalOf } from '../../platform/http';
import { idempotent } from '../../platform/idempotency';
import { IDEMPOTENT } from '../customers';
import {
  addMessage,
  createStatus,
  createTicket,
  getTicket,
  listEvents,
  listMessages,
  listStatuses,
  listTickets,
  updateTicket,
} from './tickets.service';

const tags = ['tickets'];
const read = { access: { permission: 'tickets:read' } };
const write = { access: { permission: 'tickets:write' } };
const admin = { access: { permission: 'tickets:admin' } };

/** Tickets, their conversation and history, and the statuses they can have. */
export function ticketRoutes(deps: Deps) {
  return async (app: App) => {
    app.get(
      '/tickets',
      { schema: { tags, querystring: TicketQuery, response: { 200: TicketPage } }, config: read },
      async (req) => listTickets(deps, principalOf(req).userId, req.query),
    );
    app.post(
      '/tickets',
      {
        schema: { tags, description: IDEMPOTENT, body: CreateTicketBody, response: { 201: CreatedTicket } },
        config: write,
      },
      async (req, reply) =>
        idempotent(deps.database, req, reply, 201, () => createTicket(deps, actorOf(req), req.body)),
    );
    app.get(
      '/tickets/:id',
      { schema: { tags, params: TicketParams, response: { 200: Ticket } }, config: read },
      async (req) => getTicket(deps, req.params.id),
    );
    app.patch(
      '/tickets/:id',
      {
        schema: { tags, params: TicketParams, body: UpdateTicketBody, response: { 200: Ticket } },
        config: write,
      },
      async (req) => updateTicket(deps, actorOf(req), req.params.id, req.body),
    );
    app.get(
      '/tickets/:id/messages',
      { schema: { tags, params: TicketParams, response: { 200: MessageList } }, config: read },
      async (req) => listMessages(deps, req.params.id),
    );
    app.post(
      '/tickets/:id/messages',
      {
        schema: {
          tags,
          description: 'A public reply to the customer or an internal note (`visibility: internal`).',
          params: TicketParams,
          body: MessageBody,
          response: { 201: Message },
        },
        config: write,
      },
      async (req, reply) =>
        reply.code(201).send(await addMessage(deps, actorOf(req), req.params.id, req.body)),
    );
    app.get(
      '/tickets/:id/events',
      { schema: { tags, params: TicketParams, response: { 200: TicketEventList } }, config: read },
      async (req) => listEvents(deps, req.params.id),
    );
    app.get(
      '/ticket-statuses',
      { schema: { tags, response: { 200: TicketStatusList } }, config: read },
      async () => listStatuses(deps),
    );
    app.post(
      '/ticket-statuses',
      { schema: { tags, body: CreateTicketStatusBody, response: { 201: TicketStatus } }, config: admin },
      async (req, reply) => reply.code(201).send(await createStatus(deps, actorOf(req), req.body)),
    );
  };
}
