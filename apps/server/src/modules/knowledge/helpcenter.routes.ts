import { createHash, randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/context';
import { AppError } from '../../platform/errors';
import type { App } from '../../platform/http';
import { type BrandRow, defaultBrand, publicBrand } from './brands.service';
import { HONEYPOT_FIELD, judgeSubmission, STARTED_FIELD } from './contact.domain';
import {
  type ContactFile,
  contactFormSecret,
  contactFormToken,
  submitContactRequest,
} from './contact.service';
import { openPublicArticleFile } from './files.service';
import {
  isLanguage,
  isNotModified,
  type Language,
  negotiateLanguage,
  parseArticlePath,
} from './helpcenter.domain';
import {
  type ContactFormState,
  categoryPage,
  contactPage,
  homePage,
  messagePage,
  type PageContext,
  searchPage,
  thanksMailText,
  thanksPage,
} from './helpcenter.page';
import { articlePath, homePath, type RenderedPage, WORDS } from './helpcenter.render';
import {
  helpCenterArticle,
  helpCenterArticleLink,
  helpCenterCategory,
  helpCenterHome,
} from './helpcenter.service';
import { brandKey, cachedArticle, cachedListing, renderArticle } from './page-cache';
import { recordSearchClick, searchArticles } from './search.service';
import { flushArticleViews, recordArticleView, recordArticleVote } from './views.service';

const VOTER_COOKIE = 'kd_hc_voter';
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const publicAccess = { access: { public: true } } as const;

type BrandParams = { brand: string; lang: string };

function send(reply: FastifyReply, page: RenderedPage, status = 200, cache = 'no-store') {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', page.csp)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'strict-origin-when-cross-origin')
    .header('cache-control', cache)
    .send(page.html);
}

function contextOf(deps: Deps, brand: BrandRow, language: Language): PageContext {
  return { baseUrl: deps.config.baseUrl, brand, language };
}

/** The brand and language of a page URL; null (the caller answers 404) when either is unknown. */
async function resolve(
  deps: Deps,
  params: BrandParams,
): Promise<{ ctx: PageContext; brand: BrandRow } | null> {
  if (!isLanguage(params.lang)) return null;
  const brand = await publicBrand(deps, params.brand);
  return brand ? { ctx: contextOf(deps, brand, params.lang), brand } : null;
}

async function notFoundPage(deps: Deps, reply: FastifyReply, ctx: PageContext | null, req: FastifyRequest) {
  let context = ctx;
  if (!context) {
    const brand = await defaultBrand(deps.database.db);
    const language = negotiateLanguage(req.headers['accept-language'], brand?.defaultLanguage ?? 'en');
    if (!brand) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    context = contextOf(deps, brand, language);
  }
  const words = WORDS[context.language];
  return send(reply, messagePage(context, words.notFoundTitle, `<p>${words.notFound}</p>`), 404);
}

/** Runs a page handler; a NOT_FOUND from a service becomes the 404 page in the page's language. */
async function page(
  deps: Deps,
  req: FastifyRequest<{ Params: BrandParams }>,
  reply: FastifyReply,
  work: (ctx: PageContext, brand: BrandRow) => Promise<unknown>,
) {
  const resolved = await resolve(deps, req.params);
  if (!resolved) return notFoundPage(deps, reply, null, req);
  const { ctx, brand } = resolved;
  try {
    return await work(ctx, brand);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return notFoundPage(deps, reply, ctx, req);
    throw error;
  }
}

function voterKey(req: FastifyRequest, reply: FastifyReply): string {
  let cookie = req.cookies[VOTER_COOKIE];
  if (!cookie || !/^[0-9a-f-]{36}$/.test(cookie)) {
    cookie = randomUUID();
    reply.setCookie(VOTER_COOKIE, cookie, {
      path: '/hc',
      httpOnly: true,
      sameSite: 'lax',
      secure: req.protocol === 'https',
      maxAge: 365 * 24 * 3600,
    });
  }
  return createHash('sha256').update(`hc-voter:${cookie}`).digest('hex');
}

interface ParsedContactForm {
  fields: Record<string, string>;
  files: ContactFile[];
  tooLarge: boolean;
}

async function readContactForm(req: FastifyRequest): Promise<ParsedContactForm> {
  const fields: Record<string, string> = {};
  const files: ContactFile[] = [];
  if (!req.isMultipart()) {
    return { fields: (req.body ?? {}) as Record<string, string>, files, tooLarge: false };
  }
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        // Browsers send an empty part when no file was chosen.
        if (data.length > 0 || part.filename) {
          if (data.length > 0) files.push({ fileName: part.filename, data });
        }
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') {
      return { fields, files: [], tooLarge: true };
    }
    throw error;
  }
  return { fields, files, tooLarge: false };
}

/** A logged search's id from a result link; null for anything else (the visitor still gets the article). */
function parseQueryId(value: string): number | null {
  return /^[1-9]\d{0,14}$/.test(value) ? Number(value) : null;
}

/** The click is analytics: when it cannot be recorded the visitor still reaches the article. */
async function recordResultClick(deps: Deps, queryId: number, articleId: string, brandId: string) {
  try {
    await recordSearchClick(deps, queryId, articleId, { brandId });
  } catch (error) {
    deps.log.warn({ err: error, queryId }, 'help center: search click not recorded');
  }
}

async function contactForm(deps: Deps, extra: Partial<ContactFormState> = {}): Promise<ContactFormState> {
  return {
    token: await contactFormToken(deps),
    maxMegabytes: Math.round((deps.config.attachmentMaxBytes / 1024 / 1024) * 10) / 10,
    ...extra,
  };
}

/**
 * The public help center of each brand: server-rendered HTML pages (no script), article views and votes,
 * search, the contact form, and the files of public articles.
 */
export function helpCenterPages(deps: Deps) {
  return async (app: App) => {
    await app.register(multipart, {
      limits: {
        fileSize: deps.config.attachmentMaxBytes,
        files: 5,
        fields: 20,
        fieldSize: 100_000,
        parts: 30,
      },
    });
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 128 * 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    // Views counted in memory are written before the database closes.
    app.addHook('onClose', async () => flushArticleViews(deps));

    app.get('/hc', { schema: { hide: true }, config: publicAccess }, async (req, reply) => {
      const brand = await defaultBrand(deps.database.db);
      if (!brand) return notFoundPage(deps, reply, null, req);
      const language = negotiateLanguage(req.headers['accept-language'], brand.defaultLanguage);
      return reply.header('vary', 'accept-language').redirect(homePath(brand.slug, language), 302);
    });
    app.get<{ Params: { brand: string } }>(
      '/hc/:brand',
      { schema: { hide: true }, config: publicAccess },
      async (req, reply) => {
        const brand = await publicBrand(deps, req.params.brand);
        if (!brand) return notFoundPage(deps, reply, null, req);
        const language = negotiateLanguage(req.headers['accept-language'], brand.defaultLanguage);
        return reply.header('vary', 'accept-language').redirect(homePath(brand.slug, language), 302);
      },
    );
    app.get<{ Params: BrandParams }>(
      '/hc/:brand/:lang',
      { schema: { hide: true }, config: publicAccess },
      async (req, reply) =>
        page(deps, req, reply, async (ctx, brand) => {
          const key = `home:${brandKey(brand)}:${ctx.language}`;
          const rendered = await cachedListing(deps, key, async () =>
            homePage(ctx, await helpCenterHome(deps, brand, ctx.language)),
          );
          return send(reply, rendered, 200, 'public, max-age=60');
        }),
    );
    app.get<{ Params: BrandParams & { slug: string } }>(
      '/hc/:brand/:lang/categories/:slug',
      { schema: { hide: true }, config: publicAccess },
      async (req, reply) =>
        page(deps, req, reply, async (ctx, brand) => {
          const key = `category:${brandKey(brand)}:${ctx.language}:${req.params.slug}`;
          const rendered = await cachedListing(deps, key, async () =>
            categoryPage(ctx, await helpCenterCategory(deps, brand, ctx.language, req.params.slug)),
          );
          return send(reply, rendered, 200, 'public, max-age=60');
        }),
    );
    app.get<{ Params: BrandParams & { path: string }; Querystring: { voted?: string } }>(
      '/hc/:brand/:lang/articles/:path',
      { schema: { hide: true }, config: publicAccess },
      async (req, reply) =>
        page(deps, req, reply, async (ctx, brand) => {
          const wanted = parseArticlePath(req.params.path);
          if (!wanted) return notFoundPage(deps, reply, ctx, req);
          const voted = req.query.voted === '1';
          const article = voted ? null : cachedArticle(deps, brand, wanted.number);
          const shown = article ?? (await renderArticle(deps, ctx, brand, wanted.number, voted));
          if (shown.language !== ctx.language || shown.slug !== wanted.slug) {
            // An old slug or the wrong language in the URL: the one current address (search engines follow).
            return reply.redirect(articlePath(ctx.brand.slug, shown.language, shown), 301);
          }
          recordArticleView(deps, shown.id, 'helpcenter');
          if (voted) return send(reply, shown.rendered, 200, 'no-store');
          const rendered = shown.rendered;
          reply.header('etag', shown.etag);
          if (isNotModified(req.headers['if-none-match'], shown.etag)) {
            return reply.code(304).header('cache-control', 'public, max-age=60').send();
          }
          return send(reply, rendered, 200, 'public, max-age=60');
        }),
    );
    app.post<{ Params: BrandParams & { path: string }; Body: Record<string, string> }>(
      '/hc/:brand/:lang/articles/:path/vote',
      { schema: { hide: true }, config: publicAccess },
      async (req, reply) =>
        page(deps, req, reply, async (ctx, brand) => {
          const wanted = parseArticlePath(req.params.path);
          if (!wanted) return notFoundPage(deps, reply, ctx, req);
          const article = await helpCenterArticle(deps, brand, wanted.number);
          const form = (req.body ?? {}) as Record<string, string>;
          if (form.helpful === 'yes' || form.helpful === 'no') {
            await recordArticleVote(deps, {
              articleId: article.id,
              helpful: form.helpful === 'yes',
              comment: typeof form.comment === 'string' ? form.comment : '',
              source: 'helpcenter',
              voterKey: voterKey(req, reply),
            });
          }
          return reply.redirect(`${articlePath(ctx.brand.slug, article.language, article)}?voted=1`, 303);
        }),
    );
    app.get<{ Params: BrandParams; Querystring: { q?: string } }>(
      '/hc/:brand/:lang/search',
      { schema: { hide: true }, config: publicAccess },
      async (req, reply) =>
        page(deps, req, reply, async (ctx, brand) => {
          const text = String(req.query.q ?? '')
            .trim()
            .slice(0, 200);
          const result = text
            ? await searchArticles(deps, {
                text,
                audience: 'public',
                language: ctx.language,
                brandId: brand.id,
                limit: 20,
                log: { source: 'helpcenter' },
              })
            : { items: [], total: 0, totalCapped: false, correctedText: null, queryId: null };
          return send(reply, searchPage(ctx, text, result));
        }),
    );
    app.get<{ Params: BrandParams & { queryId: string; number: string } }>(
      '/hc/:brand/:lang/search/:queryId/open/:number',
      { schema: { hide: true }, config: publicAccess },
      async (req, reply) =>
        page(deps, req, reply, async (ctx, brand) => {
          const wanted = parseArticlePath(req.params.number);
          if (!wanted) return notFoundPage(deps, reply, ctx, req);
          const article = await helpCenterArticleLink(deps, brand, wanted.number);
          const queryId = parseQueryId(req.params.queryId);
          if (queryId !== null) await recordResultClick(deps, queryId, article.id, brand.id);
          // 303 to the one canonical address; the redirect itself is per visitor and never cached.
          return reply
            .header('cache-control', 'no-store')
            .redirect(articlePath(ctx.brand.slug, article.language, article), 303);
        }),
    );
    app.get<{ Params: BrandParams }>(
      '/hc/:brand/:lang/contact',
      { schema: { hide: true }, config: publicAccess },
      async (req, reply) =>
        page(deps, req, reply, async (ctx) => {
          if (!ctx.brand.contactFormEnabled) return notFoundPage(deps, reply, ctx, req);
          return send(reply, contactPage(ctx, await contactForm(deps)));
        }),
    );
    app.post<{ Params: BrandParams }>(
      '/hc/:brand/:lang/contact',
      {
        schema: { hide: true },
        config: publicAccess,
        bodyLimit: deps.config.attachmentMaxBytes * 5 + 1_000_000,
      },
      async (req, reply) => page(deps, req, reply, async (ctx) => submitContact(deps, req, reply, ctx)),
    );
    app.get<{ Params: { id: string } }>(
      '/hc/files/:id',
      { schema: { hide: true }, config: publicAccess },
      async (req, reply) => {
        if (!/^[0-9a-f-]{36}$/i.test(req.params.id)) return notFoundPage(deps, reply, null, req);
        const file = await openPublicArticleFile(deps, req.params.id);
        if (!file) return notFoundPage(deps, reply, null, req);
        const inline = INLINE_TYPES.has(file.contentType);
        return reply
          .header('content-type', file.contentType)
          .header('content-length', file.content.length)
          .header(
            'content-disposition',
            `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
          )
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'public, max-age=300')
          .send(file.content);
      },
    );
  };
}

const FIELD_OF: Record<string, 'email' | 'subject' | 'message' | 'attachments'> = {
  email: 'email',
  subject: 'subject',
  message: 'message',
  attachments: 'attachments',
};

async function submitContact(
  deps: Deps,
  req: FastifyRequest<{ Params: BrandParams }>,
  reply: FastifyReply,
  ctx: PageContext,
) {
  const words = WORDS[ctx.language];
  if (!ctx.brand.contactFormEnabled) return notFoundPage(deps, reply, ctx, req);
  const form = await readContactForm(req);
  const values = {
    name: form.fields.name ?? '',
    email: form.fields.email ?? '',
    subject: form.fields.subject ?? '',
    message: form.fields.message ?? '',
  };
  if (form.tooLarge) {
    return send(
      reply,
      contactPage(ctx, await contactForm(deps, { values, problems: { attachments: true } })),
      413,
    );
  }
  const verdict = judgeSubmission(
    await contactFormSecret(deps),
    { honeypot: form.fields[HONEYPOT_FIELD], started: form.fields[STARTED_FIELD] },
    deps.now().getTime(),
  );
  if (verdict !== 'ok') {
    // Looks like a bot: the thanks a person gets when no confirmation is sent, and nothing created.
    deps.log.info({ verdict, ip: req.ip, brand: ctx.brand.slug }, 'contact form: spam dropped');
    const mail = thanksMailText(ctx, values.email.trim(), false);
    return send(reply, messagePage(ctx, words.thanksTitle, `<p role="status">${mail}</p>`));
  }
  try {
    const result = await submitContactRequest(deps, {
      brandSlug: ctx.brand.slug,
      language: ctx.language,
      ...values,
      files: form.files,
      ip: req.ip,
      source: 'helpcenter',
    });
    // Rendered in the answer to the post (no redirect), so the address never travels in a URL.
    return send(
      reply,
      thanksPage(ctx, {
        ticketNumber: result.ticketNumber,
        address: values.email.trim(),
        acknowledgementExpected: result.acknowledgementExpected,
      }),
    );
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'TOO_MANY_REQUESTS') {
      const capped = error.errors?.some((problem) => problem.field === 'email') ?? false;
      reply.header('retry-after', String(error.retryAfterSeconds ?? 60));
      return send(
        reply,
        messagePage(
          ctx,
          capped ? words.capTitle : words.tooManyTitle,
          `<p role="alert">${capped ? words.cap : words.tooMany}</p>`,
        ),
        429,
      );
    }
    if (error.code === 'VALIDATION_FAILED' || error.code === 'PAYLOAD_TOO_LARGE') {
      const problems: ContactFormState['problems'] = {};
      for (const problem of error.errors ?? []) {
        const field = FIELD_OF[problem.field];
        if (field) problems[field] = true;
      }
      const status = error.code === 'PAYLOAD_TOO_LARGE' ? 413 : 400;
      return send(reply, contactPage(ctx, await contactForm(deps, { values, problems })), status);
    }
    throw error;
  }
}
