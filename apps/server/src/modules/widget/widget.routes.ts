import {
  CreateWidgetConversationBody,
  WidgetBrandParams,
  WidgetConversation,
  WidgetConversationCreated,
  WidgetMessageBody,
} from '@keepdesk/contract';
import type { Deps } from '../../platform/context';
import type { App } from '../../platform/http';
import { WidgetStreams } from './widget.live';
import { addVisitorMessage, conversationOf, openConversation, readConversation } from './widget.service';

const TOKEN_AUTH =
  'No cookies: the widget sends `Authorization: Widget <token>`, the token it got when the visitor opened the request. A missing or unknown token answers 401.';

/**
 * The web widget's API, called only from the widget's frame on Keepdesk's own origin. Visitors have no
 * account: the token from the contact form opens their one request and nothing else.
 */
export function widgetRoutes(deps: Deps) {
  return async (app: App) => {
    const streams = new WidgetStreams(deps.bus);
    streams.start();
    // Streams never end on their own; the server's close would otherwise wait for them.
    app.addHook('preClose', async () => streams.closeAll());
    app.addHook('onClose', async () => streams.stop());

    app.post(
      '/widget/:brand/conversations',
      {
        schema: {
          tags: ['widget'],
          description:
            "The widget's contact form: opens a request on the web channel and answers the visitor's token (shown once).",
          params: WidgetBrandParams,
          body: CreateWidgetConversationBody,
          response: { 201: WidgetConversationCreated },
          security: [],
        },
        config: { access: { public: true }, rateLimit: { max: 10, timeWindow: 10 * 60_000 } },
      },
      async (req, reply) => {
        const created = await openConversation(deps, req.params.brand, { ...req.body, ip: req.ip });
        return reply.code(201).header('cache-control', 'no-store').send(created);
      },
    );

    app.get(
      '/widget/conversation',
      {
        schema: {
          tags: ['widget'],
          description: `The visitor's request: status and public messages as text. ${TOKEN_AUTH}`,
          response: { 200: WidgetConversation },
          security: [],
        },
        config: { access: { public: true } },
      },
      async (req, reply) => {
        const conversation = await conversationOf(deps, req.headers.authorization);
        const read = await readConversation(deps, conversation.tokenHash, conversation.ticketId);
        return reply.header('cache-control', 'no-store').send(read);
      },
    );

    app.post(
      '/widget/conversation/messages',
      {
        schema: {
          tags: ['widget'],
          description: `The visitor writes on their request; 409 when it is closed. ${TOKEN_AUTH}`,
          body: WidgetMessageBody,
          response: { 201: WidgetConversation },
          security: [],
        },
        config: { access: { public: true }, rateLimit: { max: 60, timeWindow: 60_000 } },
      },
      async (req, reply) => {
        const conversation = await conversationOf(deps, req.headers.authorization);
        const read = await addVisitorMessage(deps, conversation, req.body.text);
        return reply.code(201).header('cache-control', 'no-store').send(read);
      },
    );

    app.get(
      '/widget/conversation/live',
      {
        schema: {
          tags: ['widget'],
          description: `Server-Sent Events of the visitor's request: \`message\` (a public message was written) and \`status\` (the request changed); load \`/widget/conversation\` then. Read with fetch, not EventSource, so the token stays in a header (out of URLs and access logs). ${TOKEN_AUTH}`,
          security: [],
        },
        config: { access: { public: true }, rateLimit: { max: 30, timeWindow: 60_000 } },
      },
      async (req, reply) => {
        const conversation = await conversationOf(deps, req.headers.authorization);
        streams.connect(req, reply, conversation.ticketId);
      },
    );
  };
}
