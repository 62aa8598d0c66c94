import { MarkReadBody, NotificationPage, NotificationQuery } from '@keepdesk/contract';
import { z } from 'zod';
import type { Deps } from '../../platform/context';
import { type App, principalOf } from '../../platform/http';
import { listNotifications, markRead } from './notifications.service';

const tags = ['notifications'];
const signedIn = { access: { permission: null } };

/** The signed-in user's notifications: mentions, assignments, activity on followed tickets. */
export function notificationRoutes(deps: Deps) {
  return async (app: App) => {
    app.get(
      '/notifications',
      {
        schema: { tags, querystring: NotificationQuery, response: { 200: NotificationPage } },
        config: signedIn,
      },
      async (req) => listNotifications(deps, principalOf(req).userId, req.query),
    );
    app.post(
      '/notifications/read',
      {
        schema: {
          tags,
          description: 'Marks the given notifications, or all of them, as read.',
          body: MarkReadBody,
          response: { 200: z.object({ updated: z.number().int() }) },
        },
        config: signedIn,
      },
      async (req) => markRead(deps, principalOf(req).userId, req.body),
    );
  };
}
