/** Knowledge base: articles, categories, search, the public help center and its contact form. */

/** Articles (docs/knowledge.md): the agents' API, the hourly verification reminder, reads for other modules. */
export { getArticle } from './article-reads.service';
/** A new draft article, version 1 (e.g. "create article from an answer"); the author owns it by default. */
export { createArticle } from './articles.service';
/** The brand settings' rules for a colour and an origin, also for values that override them (widget embed). */
export { safeColor, safeOrigin } from './brands.domain';
export { brandRoutes } from './brands.routes';
/** A brand's widget settings over the one set of defaults, checked: what the web widget shows and allows. */
export { type BrandWidget, brandWidget } from './brands.service';
/** Help-center contact form intake (also the widget's): a `web` ticket, per-IP limit and daily cap per address. */
export { submitContactRequest } from './contact.service';
/** The demo workspace's articles, translation, expired article and policy (once). */
export { seedKnowledgeDemo } from './demo';
/** The bytes of a file of a public, published article, or null: what `/hc/files/:id` serves. */
export { openPublicArticleFile } from './files.service';
/** The public help center pages (`/hc/...`, server-rendered) and the brand settings API (`/kb/brands`). */
export { helpCenterPages } from './helpcenter.routes';
/** `knowledge.verification`: hourly, reminds owners of expired verifications (`kb_needs_review`). */
export { verificationJob } from './knowledge.jobs';
/** `/kb/articles`, `/kb/policies`, `/kb/categories`, `/kb/sections`, `/kb/files` under `/api/v1`. */
export { knowledgeRoutes } from './knowledge.routes';
/** Help-center reads (published + public only, bodies pointing to `/hc/files/`, translations for the switch). */
export { listPublicArticles, publicArticleByNumber, publicCategories } from './public.service';
/** `/kb/search`, `/public/kb/search`, `/kb/analytics`, `/tickets/:id/kb-suggestions` (docs/knowledge-search.md). */
export { knowledgeSearchRoutes } from './search.routes';
/** Ranked full-text search for agents or the public, with typo correction and optional query logging. */
export { searchArticles } from './search.service';
/** Article views (counted in memory, flushed in batches) and "was this helpful?" votes (one per voter). */
