import multipart from '@fastify/multipart';
import {
  AttachmentList,
  AttachmentParams,
  AttachmentQuery,
  BulkResult,
  BulkUpdateBody,
  CreatedTicket,
  CreateTicketBody,
  CreateTicketFieldBody,
  CreateTicketStatusBody,
  CreateViewBody,
  FieldKeyParams,
  FollowerList,
  FollowerParams,
  IdParams,
  LinkBody,
  LinkParams,
  MergeTicketsBody,
  Message,
  MessageList,
  NoContent,
  PresenceBody,
  ReplyBody,
  SearchQuery,
  SearchResult,
  SplitTicketBody,
  TagList,
  TagQuery,
  Ticket,
  TicketEventList,
  TicketField,
  TicketFieldList,
  TicketLinks,
  TicketPage,
  TicketParams,
  TicketQuery,
  TicketStatus,
  TicketStatusList,
  UpdateTicketBody,
  UpdateTicketFieldBody,
  UpdateViewBody,
  View,
  ViewList,
  ViewTicketsQuery,
} from '@keepdesk/contract';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { type App, actorOf, principalOf } from '../../platform/http';
import { idempotent } from '../../platform/idempotency';
import { IDEMPOTENT } from '../customers';
import { contentDisposition, isInlineSafe } from './attachments.domain';
import {
  discardAttachment,
  type IncomingFile,
  openAttachment,
  tooLarge,
  uploadAttachments,
} from './attachments.service';
import { createField, listFields, updateField } from './fields.service';
import { follow, listFollowers, unfollow } from './followers.service';
import { search } from './search.service';
import {
  addMessage,
  announcePresence,
  createStatus,
  createTicket,
  getTicket,
  listEvents,
  listMessages,
  listStatuses,
  listTags,
  listTickets,
  updateTicket,
} from './tickets.service';
import {
  createView,
  deleteView,
  getView,
  listViews,
  updateView,
  type ViewActor,
  viewTickets,
} from './views.service';
import {
  bulkUpdate,
  getLinks,
  linkTickets,
  mergeTickets,
  splitTicket,
  takeNext,
  unlinkTickets,
} from './work.service';

function viewActorOf(req: FastifyRequest): ViewActor {
  const principal = principalOf(req);
  return { userId: principal.userId, canShare: principal.permissions.includes('tickets:admin') };
}

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
    app.post(
      '/tickets/take-next',
      {
        schema: {
          tags,
          description: 'Assigns you the oldest unassigned open ticket of your teams; 204 when there is none.',
          response: { 200: Ticket, 204: NoContent },
        },
        config: write,
      },
      async (req, reply) => {
        const ticket = await takeNext(deps, actorOf(req), principalOf(req).userId);
        return ticket ? ticket : reply.code(204).send();
      },
    );
    app.post(
      '/tickets/bulk',
      {
        schema: {
          tags,
          description:
            'The same change on up to 1,000 tickets; each succeeds or fails on its own, reported by id.',
          body: BulkUpdateBody,
          response: { 200: BulkResult },
        },
        config: write,
      },
      async (req) => bulkUpdate(deps, actorOf(req), req.body),
    );
    app.post(
      '/tickets/:id/merge',
      {
        schema: { tags, params: TicketParams, body: MergeTicketsBody, response: { 200: Ticket } },
        config: write,
      },
      async (req) => mergeTickets(deps, actorOf(req), req.params.id, req.body.sourceIds),
    );
    app.post(
      '/tickets/:id/split',
      {
        schema: { tags, params: TicketParams, body: SplitTicketBody, response: { 201: Ticket } },
        config: write,
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(await splitTicket(deps, actorOf(req), req.params.id, req.body.messageId, req.body.subject)),
    );
    app.get(
      '/tickets/:id/links',
      { schema: { tags, params: TicketParams, response: { 200: TicketLinks } }, config: read },
      async (req) => getLinks(deps, req.params.id),
    );
    app.put(
      '/tickets/:id/links/:otherId',
      { schema: { tags, params: LinkParams, body: LinkBody, response: { 200: TicketLinks } }, config: write },
      async (req) => linkTickets(deps, actorOf(req), req.params.id, req.params.otherId, req.body.kind),
    );
    app.delete(
      '/tickets/:id/links/:otherId',
      { schema: { tags, params: LinkParams, response: { 200: TicketLinks } }, config: write },
      async (req) => unlinkTickets(deps, actorOf(req), req.params.id, req.params.otherId),
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
          body: ReplyBody,
          response: { 201: Message },
        },
        config: write,
      },
      async (req, reply) =>
        reply.code(201).send(await addMessage(deps, actorOf(req), req.params.id, req.body)),
    );
    await app.register(multipart, {
      limits: { fileSize: deps.config.attachmentMaxBytes, files: 10, fields: 0, parts: 10 },
    });
    app.post(
      '/tickets/:id/attachments',
      {
        schema: {
          tags,
          description:
            'Uploads files (multipart/form-data, up to 10 per request) to send with your next message: pass their ids as `attachmentIds`. The size limit per file is KEEPDESK_ATTACHMENT_MAX_BYTES (413 above it).',
          consumes: ['multipart/form-data'],
          params: TicketParams,
          response: { 201: AttachmentList },
        },
        config: write,
      },
      async (req, reply) => {
        if (!req.isMultipart()) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
            message: 'send the files as multipart/form-data',
            errors: [{ field: 'file', message: 'multipart/form-data expected' }],
          });
        }
        const files: IncomingFile[] = [];
        let current: string | undefined;
        try {
          for await (const part of req.files()) {
            current = part.filename;
            files.push({ fileName: part.filename, data: await part.toBuffer() });
          }
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(deps, current);
          if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') {
            throw new AppError('PAYLOAD_TOO_LARGE', {
              message: 'at most 10 files per upload',
              errors: [{ field: 'file', message: 'at most 10 files' }],
            });
          }
          throw error;
        }
        if (files.length === 0) {
          throw new AppError('VALIDATION_FAILED', {
            message: 'no file in the upload',
            errors: [{ field: 'file', message: 'required' }],
          });
        }
        return reply.code(201).send(await uploadAttachments(deps, actorOf(req), req.params.id, files));
      },
    );
    app.get(
      '/attachments/:id',
      {
        schema: {
          tags,
          description:
            'The file, as a download with the sniffed content type and nosniff; `disposition=inline` shows raster images in the browser.',
          params: AttachmentParams,
          querystring: AttachmentQuery,
        },
        config: read,
      },
      async (req, reply) => {
        const { row, data } = await openAttachment(deps, actorOf(req), req.params.id);
        const inline = req.query.disposition === 'inline' && isInlineSafe(row.contentType);
        return reply
          .header('content-type', row.contentType)
          .header('content-length', data.length)
          .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', row.fileName))
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, max-age=3600')
          .send(data);
      },
    );
    app.delete(
      '/attachments/:id',
      {
        schema: {
          tags,
          description: 'Removes one of your uploads that has not been sent yet.',
          params: AttachmentParams,
          response: { 204: NoContent },
        },
        config: write,
      },
      async (req, reply) => {
        await discardAttachment(deps, actorOf(req), req.params.id);
        return reply.code(204).send();
      },
    );
    app.get(
      '/tickets/:id/followers',
      {
        schema: { tags, params: TicketParams, response: { 200: FollowerList } },
        config: read,
      },
      async (req) => {
        await getTicket(deps, req.params.id);
        return listFollowers(deps.database.db, req.params.id);
      },
    );
    const mayChangeFollower = (req: FastifyRequest, userId: string) => {
      const principal = principalOf(req);
      if (userId !== principal.userId && !principal.permissions.includes('tickets:write')) {
        throw new AppError('FORBIDDEN', { message: 'following for someone else needs tickets:write' });
      }
    };
    app.put(
      '/tickets/:id/followers/:userId',
      {
        schema: {
          tags,
          description: 'Makes the user follow the ticket: they are notified of every new message on it.',
          params: FollowerParams,
          response: { 204: NoContent },
        },
        config: read,
      },
      async (req, reply) => {
        mayChangeFollower(req, req.params.userId);
        await follow(deps, actorOf(req), req.params.id, req.params.userId);
        return reply.code(204).send();
      },
    );
    app.delete(
      '/tickets/:id/followers/:userId',
      {
        schema: { tags, params: FollowerParams, response: { 204: NoContent } },
        config: read,
      },
      async (req, reply) => {
        mayChangeFollower(req, req.params.userId);
        await unfollow(deps, actorOf(req), req.params.id, req.params.userId);
        return reply.code(204).send();
      },
    );
    app.post(
      '/tickets/:id/presence',
      {
        schema: {
          tags,
          description:
            'Tells colleagues live that you view or type on this ticket (send every 10 s), or left it.',
          params: TicketParams,
          body: PresenceBody,
          response: { 202: NoContent },
        },
        config: read,
      },
      async (req, reply) => {
        await announcePresence(deps, principalOf(req).userId, req.params.id, req.body.state);
        return reply.code(202).send();
      },
    );
    app.get(
      '/tickets/:id/events',
      { schema: { tags, params: TicketParams, response: { 200: TicketEventList } }, config: read },
      async (req) => listEvents(deps, req.params.id),
    );
    const viewTags = ['views'];
    app.get(
      '/views',
      {
        schema: {
          tags: viewTags,
          description: 'Shared views and your own, in order, each with its live ticket count.',
          response: { 200: ViewList },
        },
        config: read,
      },
      async (req) => listViews(deps, principalOf(req).userId),
    );
    app.post(
      '/views',
      { schema: { tags: viewTags, body: CreateViewBody, response: { 201: View } }, config: read },
      async (req, reply) =>
        reply.code(201).send(await createView(deps, actorOf(req), viewActorOf(req), req.body)),
    );
    app.get(
      '/views/:id',
      { schema: { tags: viewTags, params: IdParams, response: { 200: View } }, config: read },
      async (req) => getView(deps, req.params.id, principalOf(req).userId),
    );
    app.patch(
      '/views/:id',
      {
        schema: { tags: viewTags, params: IdParams, body: UpdateViewBody, response: { 200: View } },
        config: read,
      },
      async (req) => updateView(deps, actorOf(req), viewActorOf(req), req.params.id, req.body),
    );
    app.delete(
      '/views/:id',
      { schema: { tags: viewTags, params: IdParams, response: { 204: NoContent } }, config: read },
      async (req, reply) => {
        await deleteView(deps, actorOf(req), viewActorOf(req), req.params.id);
        return reply.code(204).send();
      },
    );
    app.get(
      '/views/:id/tickets',
      {
        schema: {
          tags: viewTags,
          params: IdParams,
          querystring: ViewTicketsQuery,
          response: { 200: TicketPage },
        },
        config: read,
      },
      async (req) => viewTickets(deps, req.params.id, principalOf(req).userId, req.query),
    );
    app.get(
      '/search',
      {
        schema: {
          tags: ['search'],
          description:
            'Full-text search over tickets, messages and contacts (German and English stemming, "phrases"), ranked, with filters in the query: `status:open assignee:me tag:billing from:anna@example.com priority:high`.',
          querystring: SearchQuery,
          response: { 200: SearchResult },
        },
        config: read,
      },
      async (req) => search(deps, principalOf(req).userId, req.query),
    );
    app.get(
      '/tags',
      {
        schema: {
          tags,
          description: 'Tags that tickets carry or carried, alphabetically; `q` filters by prefix.',
          querystring: TagQuery,
          response: { 200: TagList },
        },
        config: read,
      },
      async (req) => listTags(deps, req.query),
    );
    app.get(
      '/ticket-fields',
      {
        schema: {
          tags,
          description: 'Custom ticket fields, in display order.',
          response: { 200: TicketFieldList },
        },
        config: read,
      },
      async () => listFields(deps),
    );
    app.post(
      '/ticket-fields',
      { schema: { tags, body: CreateTicketFieldBody, response: { 201: TicketField } }, config: admin },
      async (req, reply) => reply.code(201).send(await createField(deps, actorOf(req), req.body)),
    );
    app.patch(
      '/ticket-fields/:key',
      {
        schema: { tags, params: FieldKeyParams, body: UpdateTicketFieldBody, response: { 200: TicketField } },
        config: admin,
      },
      async (req) => updateField(deps, actorOf(req), req.params.key, req.body),
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
