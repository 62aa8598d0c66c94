import multipart from '@fastify/multipart';
import {
  NoContent,
  PortalAttachmentParams,
  PortalMe,
  PortalTicket,
  PortalTicketPage,
  PortalTicketParams,
  PortalTicketQuery,
} from '@keepdesk/contract';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { type App, customerOf } from '../../platform/http';
import { contentDisposition } from '../tickets';
import { endPortalSession, PORTAL_COOKIE } from './links.service';
import {
  closeOnPortal,
  customersSeeing,
  getPortalTicket,
  type IncomingFile,
  listPortalTickets,
  openPortalAttachment,
  portalMe,
  replyOnPortal,
} from './portal.service';

const tags = ['portal'];
const customer = { access: { customer: true } } as const;
const MAX_TEXT = 50_000;

/** The customer portal's API: the `kd_portal` cookie only; another customer's ticket is always a 404. */
export function portalRoutes(deps: Deps) {
  return async (app: App) => {
    deps.live.admitCustomers((changes, contactIds) => customersSeeing(deps, changes, contactIds));
    app.get('/portal/me', { schema: { tags, response: { 200: PortalMe } }, config: customer }, async (req) =>
      portalMe(deps, customerOf(req)),
    );
    app.post(
      '/portal/logout',
      { schema: { tags, response: { 204: NoContent } }, config: customer },
      async (req, reply) => {
        await endPortalSession(deps, customerOf(req).sessionId);
        reply.clearCookie(PORTAL_COOKIE, { path: '/' });
        return reply.code(204).send();
      },
    );
    app.get(
      '/portal/tickets',
      {
        schema: { tags, querystring: PortalTicketQuery, response: { 200: PortalTicketPage } },
        config: customer,
      },
      async (req) => listPortalTickets(deps, customerOf(req), req.query),
    );
    app.get(
      '/portal/tickets/:id',
      { schema: { tags, params: PortalTicketParams, response: { 200: PortalTicket } }, config: customer },
      async (req) => getPortalTicket(deps, customerOf(req), req.params.id),
    );
    app.post(
      '/portal/tickets/:id/close',
      { schema: { tags, params: PortalTicketParams, response: { 200: PortalTicket } }, config: customer },
      async (req) => closeOnPortal(deps, customerOf(req), req.params.id, req.id),
    );
    app.get(
      '/portal/attachments/:id',
      {
        schema: {
          tags,
          description: 'A file of a public message on one of your tickets, always as a download.',
          params: PortalAttachmentParams,
        },
        config: customer,
      },
      async (req, reply) => {
        const file = await openPortalAttachment(deps, customerOf(req), req.params.id);
        return reply
          .header('content-type', file.contentType)
          .header('content-length', file.data.length)
          .header('content-disposition', contentDisposition('attachment', file.fileName))
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, no-store')
          .send(file.data);
      },
    );
    app.get(
      '/portal/live',
      {
        schema: {
          tags,
          description:
            'Server-Sent Events: `change` when one of your visible tickets changed (status, a public reply); load it again.',
        },
        config: customer,
      },
      async (req, reply) => {
        deps.live.connectCustomer(req, reply, customerOf(req).contactId);
      },
    );
    await app.register(multipart, {
      limits: { fileSize: deps.config.attachmentMaxBytes, files: 10, fields: 2, parts: 12 },
    });
    app.post(
      '/portal/tickets/:id/replies',
      {
        schema: {
          tags,
          description:
            'Your answer as multipart/form-data: a `text` field and up to 10 `file` parts. Reopens a solved ticket.',
          consumes: ['multipart/form-data'],
          params: PortalTicketParams,
          response: { 201: PortalTicket },
        },
        config: customer,
      },
      async (req, reply) => {
        const form = await readReplyForm(deps, req);
        return reply.code(201).send(await replyOnPortal(deps, customerOf(req), req.params.id, form, req.id));
      },
    );
  };
}

async function readReplyForm(
  deps: Deps,
  req: FastifyRequest,
): Promise<{ text: string; files: IncomingFile[] }> {
  if (!req.isMultipart()) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
      message: 'send the reply as multipart/form-data',
      errors: [{ field: 'text', message: 'multipart/form-data expected' }],
    });
  }
  let text = '';
  const files: IncomingFile[] = [];
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (data.length > 0) files.push({ fileName: part.filename, data });
      } else if (part.fieldname === 'text') {
        text = String(part.value ?? '');
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('PAYLOAD_TOO_LARGE', {
        message: `a file is larger than ${deps.config.attachmentMaxBytes} bytes`,
        errors: [{ field: 'file', message: 'too large' }],
      });
    }
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw new AppError('PAYLOAD_TOO_LARGE', {
        message: 'at most 10 files per reply',
        errors: [{ field: 'file', message: 'at most 10 files' }],
      });
    }
    throw error;
  }
  if (text.length > MAX_TEXT) {
    throw new AppError('VALIDATION_FAILED', {
      message: `the message is longer than ${MAX_TEXT} characters`,
      errors: [{ field: 'text', message: 'too long' }],
    });
  }
  return { text, files };
}
