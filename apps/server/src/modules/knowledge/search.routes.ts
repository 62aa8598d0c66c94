import {
  KbAnalytics,
  KbAnalyticsQuery,
  KbSearchClickBody,
  KbSearchClickParams,
  KbSearchQuery,
  KbSearchResult,
  KbSuggestionList,
  KbSuggestionQuery,
  NoContent,
  PublicKbSearchQuery,
} from '@keepdesk/contract';
import { z } from 'zod';
import type { Deps } from '../../platform/context';
import { AppError, notFound } from '../../platform/errors';
import { type App, principalOf } from '../../platform/http';
import { knowledgeAnalytics } from './analytics.service';
import { brandBySlug } from './brands.service';
import { recordSearchClick, searchArticles } from './search.service';
import { suggestArticles } from './suggestions.service';

const tags = ['knowledge'];
const kbRead = { access: { permission: 'kb:read' } } as const;
/** Help-center and widget searches run on every keystroke pause: generous, but one address cannot flood. */
const PUBLIC_SEARCH = { access: { public: true }, rateLimit: { max: 60, timeWindow: 60_000 } } as const;

/** Knowledge search for agents and the public, the search analytics and the article suggestions of a ticket. */
export function knowledgeSearchRoutes(deps: Deps) {
  return async (app: App) => {
    app.get(
      '/kb/search',
      {
        schema: {
          tags,
          description: 'Search every article an agent may read (not archived; published first).',
          querystring: KbSearchQuery,
          response: { 200: KbSearchResult },
        },
        config: kbRead,
      },
      async (req) => {
        const { q, ...filters } = req.query;
        return searchArticles(deps, { ...filters, text: q, audience: 'agent', log: { source: 'agent' } });
      },
    );
    app.get(
      '/public/kb/search',
      {
        schema: {
          tags,
          description: "Search a brand's published public articles (help center and widget); no sign-in.",
          querystring: PublicKbSearchQuery,
          response: { 200: KbSearchResult },
        },
        config: PUBLIC_SEARCH,
      },
      async (req) => {
        const brand = await brandBySlug(deps.database.db, req.query.brand);
        if (!brand) throw notFound('brand', req.query.brand);
        return searchArticles(deps, {
          text: req.query.q,
          audience: 'public',
          language: req.query.language,
          brandId: brand.id,
          limit: req.query.limit,
          offset: req.query.offset,
          log: { source: req.query.source },
        });
      },
    );
    app.post(
      '/public/kb/search/:queryId/click',
      {
        schema: {
          tags,
          description:
            'Records the article opened from the results of a logged search (the first click counts).',
          params: KbSearchClickParams,
          body: KbSearchClickBody,
          response: { 204: NoContent },
        },
        config: PUBLIC_SEARCH,
      },
      async (req, reply) => {
        await recordSearchClick(deps, req.params.queryId, req.body.articleId);
        return reply.code(204).send();
      },
    );
    app.get(
      '/kb/analytics',
      {
        schema: {
          tags,
          description: 'Top queries, queries without a result, views and helpfulness over a day range (UTC).',
          querystring: KbAnalyticsQuery,
          response: { 200: KbAnalytics },
        },
        config: kbRead,
      },
      async (req) => knowledgeAnalytics(deps, req.query),
    );
    app.get(
      '/tickets/:id/kb-suggestions',
      {
        schema: {
          tags,
          description:
            "Articles for a ticket from its subject and latest customer messages (or `q`), in the ticket's language when translated.",
          params: z.object({ id: z.uuid() }),
          querystring: KbSuggestionQuery,
          response: { 200: KbSuggestionList },
        },
        config: { access: { permission: 'tickets:read' } },
      },
      async (req) => {
        if (!principalOf(req).permissions.includes('kb:read')) {
          throw new AppError('FORBIDDEN', { message: 'permission kb:read required' });
        }
        return suggestArticles(deps, req.params.id, req.query);
      },
    );
  };
}
