import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, rowsOf } from '../../platform/db';
import { notFound } from '../../platform/errors';
import type { BrandRow } from './brands.service';
import { articles, categories, type Names, sections } from './knowledge.tables';
import { findPublicArticle, isPublic, publicTranslations } from './public.service';

export type Language = 'de' | 'en';

export function nameIn(names: Names, language: Language): string {
  return names[language] ?? names[language === 'de' ? 'en' : 'de'] ?? '';
}

export interface ArticleLink {
  number: number;
  slug: string;
  title: string;
}

export interface SectionView {
  id: string;
  slug: string;
  name: string;
  articles: ArticleLink[];
}

export interface CategoryView {
  id: string;
  slug: string;
  name: string;
  description: string;
  sections: SectionView[];
  /** Articles of the category that are in no section. */
  articles: ArticleLink[];
}

const link = { number: articles.number, slug: articles.slug, title: articles.title };

async function categoryViews(
  executor: Executor,
  brand: BrandRow,
  language: Language,
  only: { categoryId?: string; perSection?: number },
): Promise<CategoryView[]> {
  const categoryRows = await executor
    .select()
    .from(categories)
    .where(
      only.categoryId
        ? and(eq(categories.brandId, brand.id), eq(categories.id, only.categoryId))
        : eq(categories.brandId, brand.id),
    )
    .orderBy(asc(categories.position), asc(categories.slug));
  if (categoryRows.length === 0) return [];
  const ids = categoryRows.map((c) => c.id);
  const sectionRows = await executor
    .select()
    .from(sections)
    .where(inArray(sections.categoryId, ids))
    .orderBy(asc(sections.position), asc(sections.slug));
  // The most read articles first; at most `perSection` per section (a window, one query for all).
  const limit = only.perSection ?? 1000;
  const articleRows = rowsOf(
    await executor.execute(sql`
      select number, slug, title, category_id, section_id from (
        select ${articles.number} as number, ${articles.slug} as slug, ${articles.title} as title,
          ${articles.categoryId} as category_id, ${articles.sectionId} as section_id,
          row_number() over (partition by ${articles.categoryId}, ${articles.sectionId}
            order by ${articles.viewCount} desc, ${articles.number}) as rank
        from ${articles}
        where ${isPublic} and ${articles.language} = ${language}
          and ${articles.categoryId} in (select id from ${categories} where brand_id = ${brand.id})
          ${only.categoryId ? sql`and ${articles.categoryId} = ${only.categoryId}` : sql``}
      ) ranked where rank <= ${limit} order by rank`),
  );
  const linkOf = (row: Record<string, unknown>): ArticleLink => ({
    number: Number(row.number),
    slug: String(row.slug),
    title: String(row.title),
  });
  return categoryRows.map((category) => ({
    id: category.id,
    slug: category.slug,
    name: nameIn(category.names, language),
    description: nameIn(category.descriptions, language),
    sections: sectionRows
      .filter((s) => s.categoryId === category.id)
      .map((section) => ({
        id: section.id,
        slug: section.slug,
        name: nameIn(section.names, language),
        articles: articleRows.filter((a) => a.section_id === section.id).map(linkOf),
      })),
    articles: articleRows.filter((a) => a.category_id === category.id && a.section_id === null).map(linkOf),
  }));
}

/** The home page: categories with their sections and each section's most read articles. */
export function helpCenterHome(deps: Deps, brand: BrandRow, language: Language): Promise<CategoryView[]> {
  return categoryViews(deps.database.db, brand, language, { perSection: 5 });
}

/** One category with all its public articles; 404 for an unknown slug. */
export async function helpCenterCategory(
  deps: Deps,
  brand: BrandRow,
  language: Language,
  slug: string,
): Promise<CategoryView> {
  const db = deps.database.db;
  const [row] = await db
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.brandId, brand.id), eq(categories.slug, slug)));
  if (!row) throw notFound('category', slug);
  const [view] = await categoryViews(db, brand, language, { categoryId: row.id });
  return view!;
}

export interface ArticleView {
  id: string;
  number: number;
  slug: string;
  title: string;
  language: Language;
  bodyHtml: string;
  bodyText: string;
  updatedAt: Date;
  category: { slug: string; name: string } | null;
  section: { name: string } | null;
  /** The published translation in the other language, if any. */
  translation: (ArticleLink & { language: Language }) | null;
  related: ArticleLink[];
}

/** The address parts of a published public article of the brand by its number; 404 otherwise. */
export async function helpCenterArticleLink(
  deps: Deps,
  brand: BrandRow,
  number: number,
): Promise<ArticleLink & { id: string; language: Language }> {
  const row = await findPublicArticle(deps.database.db, brand.id, number);
  if (!row) throw notFound('article', String(number));
  const { id, slug, title, language } = row.article;
  return { id, number, slug, title, language };
}

/** A published public article of the brand by its number (in any language); 404 otherwise. */
export async function helpCenterArticle(deps: Deps, brand: BrandRow, number: number): Promise<ArticleView> {
  const db = deps.database.db;
  const row = await findPublicArticle(db, brand.id, number);
  if (!row) throw notFound('article', String(number));
  const a = row.article;
  const [translation] = (await publicTranslations(db, brand.id, [a])).get(a.id) ?? [];
  const related = a.sectionId
    ? await db
        .select(link)
        .from(articles)
        .where(
          and(
            eq(articles.sectionId, a.sectionId),
            eq(articles.language, a.language),
            ne(articles.id, a.id),
            isPublic,
          ),
        )
        .orderBy(desc(articles.viewCount), asc(articles.number))
        .limit(5)
    : [];
  return {
    id: a.id,
    number: a.number,
    slug: a.slug,
    title: a.title,
    language: a.language,
    bodyHtml: a.bodyHtml,
    bodyText: a.bodyText,
    updatedAt: a.updatedAt,
    category:
      row.categorySlug && row.categoryNames
        ? { slug: row.categorySlug, name: nameIn(row.categoryNames, a.language) }
        : null,
    section: row.sectionNames ? { name: nameIn(row.sectionNames, a.language) } : null,
    translation: translation ?? null,
    related,
  };
}
