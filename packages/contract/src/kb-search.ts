import { z } from 'zod';
import { IsoDay } from './common';
import { KbArticleStatus, KbLanguage, KbVisibility } from './knowledge';

const searchText = z.string().trim().min(1).max(200).meta({ description: 'The words to look for' });

export const KbSearchQuery = z.object({
  q: searchText,
  language: KbLanguage.optional().meta({ description: 'Only articles in this language (stemmed in it)' }),
  categoryId: z.uuid().optional(),
  sectionId: z.uuid().optional(),
  visibility: KbVisibility.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  offset: z.coerce.number().int().min(0).max(1000).default(0),
});

export const PublicKbSearchQuery = z.object({
  brand: z.string().trim().min(1).max(100).default('default'),
  q: searchText,
  language: KbLanguage.optional(),
  source: z.enum(['helpcenter', 'widget']).default('helpcenter'),
  limit: z.coerce.number().int().min(1).max(20).default(10),
  offset: z.coerce.number().int().min(0).max(200).default(0),
});

export const KbSearchHit = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    title: z.string(),
    slug: z.string(),
    language: KbLanguage,
    excerpt: z.string().meta({ description: 'Plain text, about 200 characters around the match' }),
    categoryId: z.uuid().nullable(),
    sectionId: z.uuid().nullable(),
    visibility: KbVisibility,
    status: KbArticleStatus,
    score: z.number(),
  })
  .meta({ id: 'KbSearchHit' });
export type KbSearchHit = z.infer<typeof KbSearchHit>;

export const KbSearchResult = z
  .object({
    items: z.array(KbSearchHit),
    total: z.number().int().meta({ description: 'How many articles match, counted up to 1,000' }),
    totalCapped: z.boolean().meta({ description: 'More articles match than `total` ("1,000+")' }),
    correctedText: z
      .string()
      .nullable()
      .meta({ description: 'The corrected query the hits were found with ("Did you mean …"), when one was' }),
    queryId: z.number().int().nullable().meta({ description: 'The logged search, for reporting the click' }),
  })
  .meta({ id: 'KbSearchResult' });
export type KbSearchResult = z.infer<typeof KbSearchResult>;

export const KbSearchClickParams = z.object({ queryId: z.coerce.number().int().positive() });
export const KbSearchClickBody = z.object({ articleId: z.uuid() });

export const KbAnalyticsQuery = z.object({
  from: IsoDay.optional().meta({ description: 'First day (UTC), default 30 days before `to`' }),
  to: IsoDay.optional().meta({ description: 'Last day (UTC), default today' }),
});

export const KbAnalytics = z
  .object({
    from: IsoDay,
    to: IsoDay,
    totals: z.object({
      searches: z.number().int(),
      noResultSearches: z.number().int(),
      clickThroughRate: z.number().nullable(),
      views: z.number().int(),
      helpfulVotes: z.number().int(),
      notHelpfulVotes: z.number().int(),
      helpfulRatio: z.number().nullable(),
    }),
    topQueries: z.array(
      z.object({
        query: z.string(),
        count: z.number().int(),
        averageResults: z.number(),
        clickThroughRate: z.number().nullable(),
      }),
    ),
    gaps: z.array(
      z.object({
        query: z.string(),
        count: z.number().int(),
        lastSeenAt: z.string(),
        languages: z.array(z.string()),
      }),
    ),
    viewsByDay: z.array(z.object({ day: IsoDay, views: z.number().int() })),
    topArticles: z.array(
      z.object({
        id: z.uuid(),
        number: z.number().int(),
        title: z.string(),
        language: KbLanguage,
        views: z.number().int(),
      }),
    ),
    helpfulness: z.array(
      z.object({
        id: z.uuid(),
        number: z.number().int(),
        title: z.string(),
        language: KbLanguage,
        helpful: z.number().int(),
        notHelpful: z.number().int(),
        ratio: z.number(),
        recentComments: z.array(z.object({ helpful: z.boolean(), comment: z.string(), at: z.string() })),
      }),
    ),
  })
  .meta({ id: 'KbAnalytics' });
export type KbAnalytics = z.infer<typeof KbAnalytics>;

export const KbSuggestionQuery = z.object({
  q: z.string().trim().max(200).optional().meta({ description: 'Own words instead of the ticket text' }),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

export const KbSuggestion = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    title: z.string(),
    language: KbLanguage,
    excerpt: z.string(),
    publicUrl: z
      .string()
      .nullable()
      .meta({ description: 'Help-center path when the article is public and published' }),
    bodyText: z.string(),
  })
  .meta({ id: 'KbSuggestion' });
export type KbSuggestion = z.infer<typeof KbSuggestion>;

export const KbSuggestionList = z
  .object({
    items: z.array(KbSuggestion),
    query: z.string().meta({ description: 'The words that were searched' }),
    language: KbLanguage,
  })
  .meta({ id: 'KbSuggestionList' });
export type KbSuggestionList = z.infer<typeof KbSuggestionList>;
