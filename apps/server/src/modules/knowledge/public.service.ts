import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import type { Executor } from '../../platform/db';
import { type Language, publicBodyHtml } from './articles.domain';
import { articleInBrand } from './brands.service';
import { brandIdOf, loadCategoriesWithSections } from './categories.service';
import { articles, categories, type Names, sections } from './knowledge.tables';

/** What the help center shows of an article: published and public only, files through `/hc/files/`. */
export interface PublicArticle {
  id: string;
  number: number;
  language: Language;
  title: string;
  slug: string;
  bodyHtml: string;
  bodyText: string;
  categoryId: string | null;
  sectionId: string | null;
  tags: string[];
  updatedAt: string;
  publishedAt: string | null;
  /** The published public versions in other languages, for the language switch. */
  translations: TranslationLink[];
}

export interface TranslationLink {
  language: Language;
  number: number;
  slug: string;
  title: string;
}

/** Only what a visitor may see: published public articles. */
export const isPublic = and(eq(articles.status, 'published'), eq(articles.visibility, 'public'));

/**
 * The published public article of the brand with this number, in whatever language it is (the help center
 * redirects a URL with the wrong language to it), with its category and section names; null otherwise.
 * The one read of a public article by number: help-center pages and `publicArticleByNumber` share it.
 */
export async function findPublicArticle(executor: Executor, brandId: string, number: number) {
  const [row] = await executor
    .select({
      article: articles,
      categorySlug: categories.slug,
      categoryNames: categories.names,
      sectionNames: sections.names,
    })
    .from(articles)
    .leftJoin(categories, eq(categories.id, articles.categoryId))
    .leftJoin(sections, eq(sections.id, articles.sectionId))
    .where(and(eq(articles.number, number), isPublic, articleInBrand(articles.categoryId, brandId)));
  return row ?? null;
}

/** Each article's published public translations in the same brand, by article id (for the language switch). */
export async function publicTranslations(
  executor: Executor,
  brandId: string,
  rows: { id: string; translationGroupId: string }[],
): Promise<Map<string, TranslationLink[]>> {
  const groups = [...new Set(rows.map((row) => row.translationGroupId))];
  const others =
    groups.length === 0
      ? []
      : await executor
          .select({
            groupId: articles.translationGroupId,
            id: articles.id,
            language: articles.language,
            number: articles.number,
            slug: articles.slug,
            title: articles.title,
          })
          .from(articles)
          .where(
            and(
              isPublic,
              inArray(articles.translationGroupId, groups),
              articleInBrand(articles.categoryId, brandId),
            ),
          )
          .orderBy(articles.number);
  return new Map(
    rows.map((row) => [
      row.id,
      others
        .filter((o) => o.groupId === row.translationGroupId && o.id !== row.id)
        .map(({ language, number, slug, title }) => ({ language, number, slug, title })),
    ]),
  );
}

async function withTranslations(
  deps: Deps,
  brandId: string,
  rows: (typeof articles.$inferSelect)[],
): Promise<PublicArticle[]> {
  const translations = await publicTranslations(deps.database.db, brandId, rows);
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    language: row.language,
    title: row.title,
    slug: row.slug,
    bodyHtml: publicBodyHtml(row.bodyHtml),
    bodyText: row.bodyText,
    categoryId: row.categoryId,
    sectionId: row.sectionId,
    tags: row.tags,
    updatedAt: row.updatedAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    translations: translations.get(row.id) ?? [],
  }));
}

/** The public, published articles of a brand in one language, newest first (at most `limit`). */
export async function listPublicArticles(
  deps: Deps,
  brandSlug: string,
  language: Language,
  options: { categoryId?: string; sectionId?: string; limit?: number } = {},
): Promise<PublicArticle[]> {
  const brandId = await brandIdOf(deps.database.db, brandSlug);
  const rows = await deps.database.db
    .select()
    .from(articles)
    .where(
      and(
        isPublic,
        eq(articles.language, language),
        articleInBrand(articles.categoryId, brandId),
        options.categoryId ? eq(articles.categoryId, options.categoryId) : undefined,
        options.sectionId ? eq(articles.sectionId, options.sectionId) : undefined,
      ),
    )
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(options.limit ?? 200);
  return withTranslations(deps, brandId, rows);
}

/**
 * One public, published article by its number, when it is in the brand and the language; null otherwise
 * (an article in another language answers with null too: its translations carry their own numbers).
 */
export async function publicArticleByNumber(
  deps: Deps,
  brandSlug: string,
  language: Language,
  number: number,
): Promise<PublicArticle | null> {
  const brandId = await brandIdOf(deps.database.db, brandSlug);
  const row = await findPublicArticle(deps.database.db, brandId, number);
  if (!row || row.article.language !== language) return null;
  return (await withTranslations(deps, brandId, [row.article]))[0]!;
}

export interface PublicCategory {
  id: string;
  slug: string;
  name: string;
  description: string;
  position: number;
  sections: { id: string; slug: string; name: string; position: number }[];
}

const nameIn = (names: Names, language: Language) => names[language] || names.de || names.en || '';

/** The brand's categories and sections, named in `language` (the other language when one is missing). */
export async function publicCategories(
  deps: Deps,
  brandSlug: string,
  language: Language,
): Promise<PublicCategory[]> {
  const db = deps.database.db;
  const brandId = await brandIdOf(db, brandSlug);
  const { rows, sectionRows } = await loadCategoriesWithSections(db, brandId);
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    name: nameIn(row.names, language),
    description: nameIn(row.descriptions, language),
    position: row.position,
    sections: sectionRows
      .filter((s) => s.categoryId === row.id)
      .map((s) => ({ id: s.id, slug: s.slug, name: nameIn(s.names, language), position: s.position })),
  }));
}
