import { escapeHtml } from '../../platform/html';
import { publicBodyHtml } from './articles.domain';
import { HONEYPOT_FIELD, STARTED_FIELD } from './contact.domain';
import { LANGUAGES, type Language } from './helpcenter.domain';
import {
  articlePath,
  homePath,
  type PageBrand,
  type RenderedPage,
  renderPage,
  searchForm,
  searchResultPath,
  WORDS,
} from './helpcenter.render';
import type { ArticleLink, ArticleView, CategoryView } from './helpcenter.service';
import type { ArticleHit } from './search.service';

export interface PageContext {
  baseUrl: string;
  brand: PageBrand;
  language: Language;
}

const DATE_FORMATS: Record<Language, Intl.DateTimeFormat> = {
  de: new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }),
};

function bothLanguages(brandSlug: string, suffix = ''): Record<Language, string> {
  return { de: `${homePath(brandSlug, 'de')}${suffix}`, en: `${homePath(brandSlug, 'en')}${suffix}` };
}

function articleList(ctx: PageContext, items: readonly ArticleLink[]): string {
  if (items.length === 0) return `<p class="muted">${WORDS[ctx.language].noArticles}</p>`;
  return `<ul class="links">${items
    .map(
      (a) => `<li><a href="${articlePath(ctx.brand.slug, ctx.language, a)}">${escapeHtml(a.title)}</a></li>`,
    )
    .join('')}</ul>`;
}

function categoryPath(ctx: PageContext, slug: string): string {
  return `${homePath(ctx.brand.slug, ctx.language)}/categories/${encodeURIComponent(slug)}`;
}

export function homePage(ctx: PageContext, categories: CategoryView[]): RenderedPage {
  const words = WORDS[ctx.language];
  const cards = categories
    .map((category) => {
      const sections = category.sections
        .map((section) => `<h3>${escapeHtml(section.name)}</h3>${articleList(ctx, section.articles)}`)
        .join('');
      const loose = category.articles.length > 0 ? articleList(ctx, category.articles) : '';
      return `<section class="card" aria-labelledby="c-${escapeHtml(category.slug)}">
<h2 id="c-${escapeHtml(category.slug)}"><a href="${categoryPath(ctx, category.slug)}">${escapeHtml(category.name)}</a></h2>
${category.description ? `<p class="muted">${escapeHtml(category.description)}</p>` : ''}${sections}${loose}
<p><a href="${categoryPath(ctx, category.slug)}">${words.more}<span class="sr-only"> – ${escapeHtml(category.name)}</span></a></p>
</section>`;
    })
    .join('\n');
  return renderPage({
    ...ctx,
    title: words.homeTitle,
    description: words.homeDescription,
    path: homePath(ctx.brand.slug, ctx.language),
    alternates: bothLanguages(ctx.brand.slug),
    hideHeaderSearch: true,
    body: `<h1>${words.homeTitle}</h1>
${searchForm(ctx.brand.slug, ctx.language)}
<div class="grid">${cards || `<p class="muted">${words.noArticles}</p>`}</div>`,
  });
}

function crumbs(ctx: PageContext, trail: { name: string; href?: string }[]): string {
  const words = WORDS[ctx.language];
  const items = [{ name: words.helpCenter, href: homePath(ctx.brand.slug, ctx.language) }, ...trail]
    .map((item, i, all) =>
      item.href && i < all.length - 1
        ? `<li><a href="${escapeHtml(item.href)}">${escapeHtml(item.name)}</a></li>`
        : `<li aria-current="page">${escapeHtml(item.name)}</li>`,
    )
    .join('');
  return `<nav class="crumbs" aria-label="${words.breadcrumbs}"><ol>${items}</ol></nav>`;
}

export function categoryPage(ctx: PageContext, category: CategoryView): RenderedPage {
  const suffix = `/categories/${encodeURIComponent(category.slug)}`;
  const sections = category.sections
    .map(
      (section) =>
        `<section aria-labelledby="s-${escapeHtml(section.slug)}"><h2 id="s-${escapeHtml(section.slug)}">${escapeHtml(section.name)}</h2>${articleList(ctx, section.articles)}</section>`,
    )
    .join('\n');
  const loose = category.articles.length > 0 ? articleList(ctx, category.articles) : '';
  return renderPage({
    ...ctx,
    title: category.name,
    description: category.description || category.name,
    path: categoryPath(ctx, category.slug),
    alternates: bothLanguages(ctx.brand.slug, suffix),
    body: `${crumbs(ctx, [{ name: category.name }])}
<h1>${escapeHtml(category.name)}</h1>
${category.description ? `<p class="muted">${escapeHtml(category.description)}</p>` : ''}
${sections}${loose}${!sections && !loose ? articleList(ctx, []) : ''}`,
  });
}

export function articlePage(ctx: PageContext, article: ArticleView, voted: boolean): RenderedPage {
  const words = WORDS[ctx.language];
  const own = articlePath(ctx.brand.slug, article.language, article);
  const other = LANGUAGES.find((l) => l !== article.language)!;
  const alternates: Partial<Record<Language, string>> = { [article.language]: own };
  if (article.translation) {
    alternates[other] = articlePath(ctx.brand.slug, other, article.translation);
  }
  const switchLinks = { ...alternates, [other]: alternates[other] ?? homePath(ctx.brand.slug, other) };
  const trail = [
    ...(article.category
      ? [{ name: article.category.name, href: categoryPath(ctx, article.category.slug) }]
      : []),
    { name: article.title },
  ];
  const date = article.updatedAt.toISOString().slice(0, 10);
  const shown = DATE_FORMATS[ctx.language].format(article.updatedAt);
  const vote = voted
    ? `<p role="status">${words.voteThanks}</p>`
    : `<form class="vote" method="post" action="${own}/vote"><fieldset><legend>${words.helpfulQuestion}</legend>
<label for="vote-comment">${words.commentLabel}</label>
<textarea id="vote-comment" name="comment" maxlength="2000" rows="3"></textarea>
<div class="buttons"><button type="submit" name="helpful" value="yes">${words.yes}</button>
<button type="submit" name="helpful" value="no">${words.no}</button></div></fieldset></form>`;
  // Said in the other language, to the reader who asked for the page in that language.
  const missing = article.translation
    ? ''
    : `<p class="muted" lang="${other}">${WORDS[other].translationMissing}</p>`;
  const related =
    article.related.length > 0
      ? `<section aria-labelledby="related"><h2 id="related">${words.related}</h2>${articleList(ctx, article.related)}</section>`
      : '';
  return renderPage({
    ...ctx,
    title: article.title,
    description: article.bodyText.replace(/\s+/g, ' ').slice(0, 160),
    path: own,
    alternates,
    switchLinks,
    body: `${crumbs(ctx, trail)}
<h1>${escapeHtml(article.title)}</h1>
<p class="muted">${words.updated} <time datetime="${date}">${shown}</time>${article.section ? ` · ${escapeHtml(article.section.name)}` : ''}</p>
${missing}<article class="body">${publicBodyHtml(article.bodyHtml)}</article>
${vote}
${related}`,
  });
}

export function searchPage(
  ctx: PageContext,
  text: string,
  result: {
    items: ArticleHit[];
    total: number;
    totalCapped: boolean;
    correctedText: string | null;
    /** The logged search: result links go through the click redirect; null links the articles directly. */
    queryId: number | null;
  },
): RenderedPage {
  const words = WORDS[ctx.language];
  const home = homePath(ctx.brand.slug, ctx.language);
  const query = `/search?q=${encodeURIComponent(text)}`;
  const corrected =
    result.correctedText && result.correctedText !== text
      ? `<p>${words.didYouMean} <a href="${home}/search?q=${encodeURIComponent(result.correctedText)}">${escapeHtml(result.correctedText)}</a>?</p>`
      : '';
  // nofollow: a crawler following result links would record clicks nobody made.
  const href = (hit: ArticleHit) =>
    result.queryId === null
      ? articlePath(ctx.brand.slug, ctx.language, hit)
      : searchResultPath(ctx.brand.slug, ctx.language, result.queryId, hit);
  const hits = result.items
    .map(
      (hit) => `<li class="card"><h2><a href="${href(hit)}" rel="nofollow">${escapeHtml(hit.title)}</a></h2>
<p>${escapeHtml(hit.excerpt)}</p></li>`,
    )
    .join('\n');
  const empty = ctx.brand.contactFormEnabled
    ? `<p>${words.noResults}</p><p>${words.noResultsHint} <a class="button" href="${home}/contact">${words.contactUs}</a></p>`
    : `<p>${words.noResults}</p>`;
  const title = text ? `${words.resultsFor} „${text}“` : words.search;
  return renderPage({
    ...ctx,
    title,
    description: title,
    path: `${home}${query}`,
    alternates: bothLanguages(ctx.brand.slug, query),
    noindex: true,
    hideHeaderSearch: true,
    body: `<h1>${escapeHtml(title)}</h1>
${searchForm(ctx.brand.slug, ctx.language, text)}
${corrected}
${text ? `<p role="status">${words.results(result.total, result.totalCapped)}</p>` : ''}
${result.items.length > 0 ? `<ol class="hits">${hits}</ol>` : text ? empty : ''}`,
  });
}

export interface ContactFormState {
  token: string;
  maxMegabytes: number;
  values?: Partial<Record<'name' | 'email' | 'subject' | 'message', string>>;
  problems?: Partial<Record<'email' | 'subject' | 'message' | 'attachments', true>>;
}

export function contactPage(ctx: PageContext, state: ContactFormState): RenderedPage {
  const words = WORDS[ctx.language];
  const home = homePath(ctx.brand.slug, ctx.language);
  const values = state.values ?? {};
  const problems = state.problems ?? {};
  const problem = (field: keyof typeof words.fieldProblem) =>
    problems[field] ? `<p class="problem" id="${field}-problem">${words.fieldProblem[field]}</p>` : '';
  const invalid = (field: keyof typeof words.fieldProblem) =>
    problems[field] ? ` aria-invalid="true" aria-describedby="${field}-problem"` : '';
  const value = (field: keyof typeof values) => escapeHtml(values[field] ?? '');
  const alert = Object.keys(problems).length > 0 ? `<p role="alert">${words.formErrors}</p>` : '';
  return renderPage({
    ...ctx,
    title: words.contactTitle,
    description: words.contactIntro,
    path: `${home}/contact`,
    alternates: bothLanguages(ctx.brand.slug, '/contact'),
    noindex: true,
    body: `${crumbs(ctx, [{ name: words.contactTitle }])}
<h1>${words.contactTitle}</h1>
<p>${words.contactIntro}</p>
${alert}
<form method="post" action="${home}/contact" enctype="multipart/form-data" class="card">
<input type="hidden" name="${STARTED_FIELD}" value="${escapeHtml(state.token)}">
<label for="name">${words.name}</label>
<input id="name" name="name" autocomplete="name" maxlength="200" value="${value('name')}">
<label for="email">${words.email} <span class="hint">(${words.required})</span></label>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${value('email')}"${invalid('email')}>${problem('email')}
<label for="subject">${words.subject} <span class="hint">(${words.required})</span></label>
<input id="subject" name="subject" required maxlength="200" value="${value('subject')}"${invalid('subject')}>${problem('subject')}
<label for="message">${words.message} <span class="hint">(${words.required})</span></label>
<textarea id="message" name="message" required maxlength="20000"${invalid('message')}>${value('message')}</textarea>${problem('message')}
<div class="hp" aria-hidden="true"><label for="${HONEYPOT_FIELD}">${words.honeypot}</label>
<input id="${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></div>
<label for="attachments">${words.attachments} <span class="hint">${words.attachmentsHint(state.maxMegabytes)}</span></label>
<input id="attachments" name="attachments" type="file" multiple${invalid('attachments')}>${problem('attachments')}
<p><button type="submit">${words.send}</button></p>
</form>`,
  });
}

/** Promises a confirmation e-mail only when one is expected; else says where the answer will go. */
export function thanksMailText(ctx: PageContext, address: string, acknowledgementExpected: boolean): string {
  const words = WORDS[ctx.language];
  const shown = escapeHtml(address);
  return acknowledgementExpected ? words.thanksConfirmation(shown) : words.thanksAnswerByMail(shown);
}

export function thanksPage(
  ctx: PageContext,
  request: { ticketNumber: number; address: string; acknowledgementExpected: boolean },
): RenderedPage {
  const words = WORDS[ctx.language];
  const mail = thanksMailText(ctx, request.address, request.acknowledgementExpected);
  return messagePage(
    ctx,
    words.thanksTitle,
    `<p role="status">${words.thanks(request.ticketNumber)}</p><p>${mail}</p>` +
      `<p><a href="/portal/login?lang=${ctx.language}">${words.portalLink}</a></p>`,
  );
}

/** A short page with a heading and a message (thanks, not found, too many requests). */
export function messagePage(ctx: PageContext, title: string, bodyHtml: string): RenderedPage {
  const words = WORDS[ctx.language];
  const home = homePath(ctx.brand.slug, ctx.language);
  return renderPage({
    ...ctx,
    title,
    description: title,
    path: home,
    alternates: bothLanguages(ctx.brand.slug),
    noindex: true,
    body: `<h1>${escapeHtml(title)}</h1>${bodyHtml}<p><a href="${home}">${words.backHome}</a></p>`,
  });
}
