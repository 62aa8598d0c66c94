import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Language, publicBodyHtml } from './articles.domain';
import { brandIdOf, loadCategoriesWithSections } from './categories.service';
import { articles, categories, type Names } from './knowledge.tables';

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
  translations: { language: Language; number: number; slug: string; title: string }[];
}

const isPublic = and(eq(articles.status, 'published'), eq(articles.visibility, 'public'));

async function withTranslations(
  deps: Deps,
  rows: (typeof articles.$inferSelect)[],
): Promise<PublicArticle[]> {
  const groups = [...new Set(rows.map((row) => row.translationGroupId))];
  const others =
    groups.length === 0
      ? []
      : await deps.database.db
          .select({
            groupId: articles.translationGroupId,
            id: articles.id,
            language: articles.language,
            number: articles.number,
            slug: articles.slug,
            title: articles.title,
          })
          .from(articles)
          .where(and(isPublic, inArray(articles.translationGroupId, groups)));
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
    translations: others
      .filter((o) => o.groupId === row.translationGroupId && o.id !== row.id)
      .map(({ language, number, slug, title }) => ({ language, number, slug, title })),
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
    .select({ article: articles })
    .from(articles)
    .innerJoin(categories, eq(categories.id, articles.categoryId))
    .where(
      and(
        isPublic,
        eq(articles.language, language),
        eq(categories.brandId, brandId),
        options.categoryId ? eq(articles.categoryId, options.categoryId) : undefined,
        options.sectionId ? eq(articles.sectionId, options.sectionId) : undefined,
      ),
    )
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(options.limit ?? 200);
  return withTranslations(
    deps,
    rows.map((r) => r.article),
  );
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
  const [row] = await deps.database.db
    .select({ article: articles })
    .from(articles)
    .innerJoin(categories, eq(categories.id, articles.categoryId))
    .where(
      and(
        isPublic,
        eq(articles.number, number),
        eq(articles.language, language),
        eq(categories.brandId, brandId),
      ),
    );
  if (!row) return null;
  return (await withTranslations(deps, [row.article]))[0]!;
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
