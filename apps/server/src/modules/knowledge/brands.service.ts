import type { Brand, BrandList, CreateBrandBody, UpdateBrandBody, WidgetSettings } from '@keepdesk/contract';
import { asc, type Column, eq, type SQL, sql } from 'drizzle-orm';
import { ShortCache } from '../../platform/cache';
import type { Deps } from '../../platform/context';
import { type Executor, isUniqueViolation, withTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { DEFAULT_WIDGET, widgetSettingsOf } from './brands.domain';
import { brands } from './knowledge.tables';

export type BrandRow = typeof brands.$inferSelect;

function present(deps: Deps, row: BrandRow): Brand {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    defaultLanguage: row.defaultLanguage,
    primaryColor: row.primaryColor,
    contactFormEnabled: row.contactFormEnabled,
    maxTicketsPerAddressPerDay: row.maxTicketsPerAddressPerDay,
    // Checked again: a row stored before the contract was strict may hold values the response must not carry.
    widget: widgetSettingsOf(row.widget),
    helpCenterUrl: `${deps.config.baseUrl}/hc/${row.slug}`,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The brand of a public URL; null when there is none (the page then answers 404). */
export async function brandBySlug(executor: Executor, slug: string): Promise<BrandRow | null> {
  const [row] = await executor.select().from(brands).where(eq(brands.slug, slug));
  return row ?? null;
}

/** A brand as its web widget needs it: the widget settings over the defaults, each value checked. */
export interface BrandWidget {
  id: string;
  slug: string;
  name: string;
  contactFormEnabled: boolean;
  widget: WidgetSettings;
}

/** The widget of the brand with this slug; null when there is none. Read afresh: no cache in between. */
export async function brandWidget(executor: Executor, slug: string): Promise<BrandWidget | null> {
  const row = await brandBySlug(executor, slug);
  if (!row) return null;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    contactFormEnabled: row.contactFormEnabled,
    widget: widgetSettingsOf(row.widget),
  };
}

// Every public page needs its brand; a change shows in other processes within these few seconds.
const brandCache = new ShortCache<BrandRow[]>(5_000);

/** The brand of a public page, from a list trusted for a few seconds. */
export async function publicBrand(deps: Deps, slug: string): Promise<BrandRow | null> {
  const all = await brandCache.get(deps.database, () => deps.database.db.select().from(brands));
  return all.find((brand) => brand.slug === slug) ?? null;
}

/** The brand `/hc` leads to: `default` when it exists, else the oldest. */
export async function defaultBrand(executor: Executor): Promise<BrandRow | null> {
  const [row] = await executor
    .select()
    .from(brands)
    .orderBy(sql`${brands.slug} = 'default' desc`, asc(brands.createdAt))
    .limit(1);
  return row ?? null;
}

/**
 * Whether an article (given by its category column) belongs to the brand: an article belongs to the brand of
 * its category, one without a category to the default brand (the one `/hc` leads to, as `defaultBrand`).
 * The one rule of help-center pages, public search and the widget (docs/help-center.md).
 */
export function articleInBrand(categoryId: Column | SQL, brandId: string): SQL {
  return sql`(${categoryId} in (select c.id from kb_categories c where c.brand_id = ${brandId})
    or (${categoryId} is null and ${brandId}::uuid = (
      select b.id from kb_brands b order by b.slug = 'default' desc, b.created_at limit 1)))`;
}

export async function listBrands(deps: Deps): Promise<BrandList> {
  const rows = await deps.database.db.select().from(brands).orderBy(asc(brands.createdAt), asc(brands.slug));
  return { items: rows.map((row) => present(deps, row)) };
}

export async function getBrand(deps: Deps, id: string): Promise<Brand> {
  const [row] = await deps.database.db.select().from(brands).where(eq(brands.id, id));
  if (!row) throw notFound('brand', id);
  return present(deps, row);
}

function slugTaken(slug: string, cause: unknown): AppError {
  return new AppError('CONFLICT', {
    message: `slug ${slug} is taken by another brand`,
    errors: [{ field: 'slug', message: 'taken by another brand' }],
    cause,
  });
}

export async function createBrand(deps: Deps, actor: Actor, input: CreateBrandBody): Promise<Brand> {
  try {
    return await withTransaction(deps.database, async (tx) => {
      const [row] = await tx
        .insert(brands)
        .values({
          slug: input.slug,
          name: input.name,
          defaultLanguage: input.defaultLanguage,
          primaryColor: input.primaryColor,
          contactFormEnabled: input.contactFormEnabled,
          maxTicketsPerAddressPerDay: input.maxTicketsPerAddressPerDay,
          widget: { ...DEFAULT_WIDGET, ...input.widget },
        })
        .returning();
      await recordChange(tx, actor, {
        action: 'kb.brand_created',
        entityType: 'kb_brand',
        entityId: row!.id,
        data: { slug: row!.slug },
      });
      return present(deps, row!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(input.slug, error);
    throw error;
  } finally {
    brandCache.forget(deps.database);
  }
}

export async function updateBrand(
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateBrandBody,
): Promise<Brand> {
  try {
    return await withTransaction(deps.database, async (tx) => {
      const [current] = await tx.select().from(brands).where(eq(brands.id, id)).for('update');
      if (!current) throw notFound('brand', id);
      const { widget, ...rest } = input;
      const [row] = await tx
        .update(brands)
        .set({
          ...rest,
          ...(widget ? { widget: { ...widgetSettingsOf(current.widget), ...widget } } : {}),
          updatedAt: deps.now(),
        })
        .where(eq(brands.id, id))
        .returning();
      await recordChange(tx, actor, {
        action: 'kb.brand_updated',
        entityType: 'kb_brand',
        entityId: id,
        data: { changed: Object.keys(input) },
      });
      return present(deps, row!);
    });
  } catch (error) {
    if (isUniqueViolation(error) && input.slug) throw slugTaken(input.slug, error);
    throw error;
  } finally {
    brandCache.forget(deps.database);
  }
}
