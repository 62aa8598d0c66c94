import {
  CreateEmailBlockBody,
  CreateMailboxBody,
  Delivery,
  DeliveryList,
  EmailBlock,
  EmailBlockList,
  HeldEmailList,
  HeldEmailQuery,
  Mailbox,
  MailboxList,
  UpdateMailboxBody,
} from '@keepdesk/contract';
import { z } from 'zod';
import type { Deps } from '../../platform/context';
import { AppError, notFound } from '../../platform/errors';
import { type App, actorOf } from '../../platform/http';
import { ingestEmail, rawEmail, releaseEmail } from './email.service';
import { addBlock, listBlocks, listHeldEmails, removeBlock } from './held.service';
import { createMailbox, listMailboxes, updateMailbox } from './mailboxes.service';
import { listDeliveries, retryDelivery } from './outbound.service';

const tags = ['email'];

const IngestResult = z
  .object({
    id: z.uuid().meta({
      description: 'The inbound e-mail record; its raw message is at /channels/email/inbound/{id}/raw',
    }),
    outcome: z.enum(['ticket', 'reply', 'quarantined', 'spam', 'blocked', 'bounce']).meta({
      description:
        'ticket or reply: taken in; quarantined: unreadable or without sender; spam, blocked: held for an admin; bounce: a delivery-status notification, noted on its ticket',
    }),
    duplicate: z
      .boolean()
      .meta({ description: 'True when this message was taken in before; nothing new was written' }),
    ticketId: z.uuid().nullable(),
    ticketMessageId: z.uuid().nullable(),
    problem: z.string().nullable().meta({ description: 'Why it was quarantined, or what was left out' }),
  })
  .meta({ id: 'InboundEmailResult' });

/** E-mail in: raw RFC 822 messages from relays and forwarding services. */
export function emailRoutes(deps: Deps) {
  return async (app: App) => {
    app.addContentTypeParser(
      ['message/rfc822', 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: deps.config.attachmentMaxBytes * 2 },
      (_req, body, done) => done(null, body),
    );
    app.post(
      '/channels/email/inbound',
      {
        schema: {
          tags,
          description:
            'Takes one raw RFC 822 message (`Content-Type: message/rfc822`). A new message opens a ticket (201), a reply joins its ticket by In-Reply-To/References or `[#number]` from the same sender (201), a message taken in before answers 200 with what it became.',
          response: { 200: IngestResult, 201: IngestResult },
        },
        config: { access: { permission: 'tickets:write' } },
      },
      async (req, reply) => {
        if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
          throw new AppError('VALIDATION_FAILED', {
            message: 'send the raw message as the body with Content-Type: message/rfc822',
            errors: [{ field: 'body', message: 'a raw RFC 822 message' }],
          });
        }
        const result = await ingestEmail(deps, req.body, { actor: actorOf(req) });
        return reply.code(result.duplicate ? 200 : 201).send(result);
      },
    );
    const admin = { access: { permission: 'tickets:admin' } };
    app.get(
      '/mailboxes',
      {
        schema: { tags, description: 'Support addresses with their health.', response: { 200: MailboxList } },
        config: admin,
      },
      async () => listMailboxes(deps),
    );
    app.post(
      '/mailboxes',
      { schema: { tags, body: CreateMailboxBody, response: { 201: Mailbox } }, config: admin },
      async (req, reply) => reply.code(201).send(await createMailbox(deps, actorOf(req), req.body)),
    );
    app.patch(
      '/mailboxes/:id',
      {
        schema: {
          tags,
          params: z.object({ id: z.uuid() }),
          body: UpdateMailboxBody,
          response: { 200: Mailbox },
        },
        config: admin,
      },
      async (req) => updateMailbox(deps, actorOf(req), req.params.id, req.body),
    );
    app.get(
      '/channels/email/inbound/:id/raw',
      {
        schema: {
          tags,
          description: 'The message exactly as it arrived, as a download.',
          params: z.object({ id: z.uuid() }),
        },
        config: { access: { permission: 'tickets:read' } },
      },
      async (req, reply) => {
        const raw = await rawEmail(deps, req.params.id);
        if (!raw) throw notFound('inbound e-mail', req.params.id);
        return reply
          .header('content-type', 'message/rfc822')
          .header('content-disposition', `attachment; filename="${req.params.id}.eml"`)
          .send(raw);
      },
    );
    app.get(
      '/tickets/:id/deliveries',
      {
        schema: {
          tags,
          description:
            'The e-mails sent about a ticket (replies, acknowledgements) and where each delivery stands: queued, sent, retrying (with the next attempt) or failed.',
          params: z.object({ id: z.uuid() }),
          response: { 200: DeliveryList },
        },
        config: { access: { permission: 'tickets:read' } },
      },
      async (req) => listDeliveries(deps, req.params.id),
    );
    app.post(
      '/deliveries/:id/retry',
      {
        schema: {
          tags,
          description: 'Sends a failed or waiting e-mail again now, with a fresh set of attempts.',
          params: z.object({ id: z.uuid() }),
          response: { 200: Delivery },
        },
        config: { access: { permission: 'tickets:write' } },
      },
      async (req) => retryDelivery(deps, actorOf(req), req.params.id),
    );
    app.get(
      '/channels/email/held',
      {
        schema: {
          tags,
          description:
            'Mail that did not become a ticket: quarantined (unreadable, no sender), spam, blocked senders, bounces for unknown messages. Newest first.',
          querystring: HeldEmailQuery,
          response: { 200: HeldEmailList },
        },
        config: admin,
      },
      async (req) => listHeldEmails(deps, req.query),
    );
    app.post(
      '/channels/email/inbound/:id/release',
      {
        schema: {
          tags,
          description: 'Takes a message out of spam or the block list: it becomes a ticket (or a reply) now.',
          params: z.object({ id: z.uuid() }),
          response: { 200: IngestResult },
        },
        config: admin,
      },
      async (req) => releaseEmail(deps, actorOf(req), req.params.id),
    );
    app.get(
      '/email-blocks',
      {
        schema: { tags, description: 'Blocked senders and domains.', response: { 200: EmailBlockList } },
        config: admin,
      },
      async () => listBlocks(deps),
    );
    app.post(
      '/email-blocks',
      {
        schema: {
          tags,
          description:
            'Blocks an address or a domain (with its subdomains): its mail is held, never a ticket.',
          body: CreateEmailBlockBody,
          response: { 201: EmailBlock },
        },
        config: admin,
      },
      async (req, reply) => reply.code(201).send(await addBlock(deps, actorOf(req), req.body)),
    );
    app.delete(
      '/email-blocks/:id',
      { schema: { tags, params: z.object({ id: z.uuid() }) }, config: admin },
      async (req, reply) => {
        await removeBlock(deps, actorOf(req), req.params.id);
        return reply.code(204).send();
      },
    );
  };
}
