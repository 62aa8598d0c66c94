import type { Deps } from '../../platform/context';
import type { BrandRow } from './brands.service';
import { etagOf, type Language } from './helpcenter.domain';
import { articlePage, type PageContext } from './helpcenter.page';
import type { RenderedPage } from './helpcenter.render';
import { helpCenterArticle } from './helpcenter.service';

/**
 * Rendered help-center pages kept for a few seconds, per database: a popular article costs one render per
 * interval instead of one per visitor. Bounded; the oldest entry goes first when it is full.
 */
class PageCache<T> {
  private readonly entries = new Map<string, { at: number; value: T }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(key: string, now: number): T | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (now - hit.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: T, now: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { at: now, value });
  }
}

export interface ShownArticle {
  id: string;
  number: number;
  language: Language;
  slug: string;
  rendered: RenderedPage;
  etag: string;
}

// Article pages are the hot path (`helpcenter.article.http`); a change shows within these seconds (ADR 0042).
const ARTICLE_TTL_MS = 5_000;
const articleCaches = new WeakMap<object, PageCache<ShownArticle>>();

function articleCache(deps: Deps): PageCache<ShownArticle> {
  let cache = articleCaches.get(deps.database);
  if (!cache) {
    cache = new PageCache(ARTICLE_TTL_MS, 2_000);
    articleCaches.set(deps.database, cache);
  }
  return cache;
}

/** A brand as a cache key: a changed brand (name, colour, contact form) renders its pages anew. */
export const brandKey = (brand: BrandRow) => `${brand.id}:${brand.updatedAt.getTime()}`;
const articleKey = (brand: BrandRow, number: number) => `${brandKey(brand)}:${number}`;
const listingCaches = new WeakMap<object, PageCache<RenderedPage>>();

/** Home and category pages, rendered at most once per few seconds (a 404 is not kept). */
export async function cachedListing(deps: Deps, key: string, render: () => Promise<RenderedPage>) {
  let cache = listingCaches.get(deps.database);
  if (!cache) {
    cache = new PageCache(ARTICLE_TTL_MS, 500);
    listingCaches.set(deps.database, cache);
  }
  const hit = cache.get(key, Date.now());
  if (hit) return hit;
  const rendered = await render();
  cache.set(key, rendered, Date.now());
  return rendered;
}

export function cachedArticle(deps: Deps, brand: BrandRow, number: number): ShownArticle | undefined {
  return articleCache(deps).get(articleKey(brand, number), Date.now());
}

/** Reads and renders an article in its own language (the page is the same whatever URL asked for it). */
export async function renderArticle(
  deps: Deps,
  ctx: PageContext,
  brand: BrandRow,
  number: number,
  voted: boolean,
): Promise<ShownArticle> {
  const article = await helpCenterArticle(deps, brand, number);
  const rendered = articlePage({ ...ctx, language: article.language }, article, voted);
  const { id, language, slug } = article;
  const shown = { id, number, language, slug, rendered, etag: etagOf(rendered.html) };
  if (!voted) articleCache(deps).set(articleKey(brand, number), shown, Date.now());
  return shown;
}
