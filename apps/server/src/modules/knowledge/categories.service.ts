import type {
  CreateKbCategoryBody,
  CreateKbSectionBody,
  KbCategory,
  KbCategoryList,
  KbSection,
  UpdateKbCategoryBody,
  UpdateKbSectionBody,
} from '@keepdesk/contract';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { type Executor, isUniqueViolation, type Tx, withTransaction } from '../../platform/db';
import { AppError, fieldError, notFound } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { slugify } from './articles.domain';
import { brands, categories, type Names, sections } from './knowledge.tables';

type CategoryRow = typeof categories.$inferSelect;
type SectionRow = typeof sections.$inferSelect;

function presentSection(row: SectionRow): KbSection {
  return { id: row.id, categoryId: row.categoryId, slug: row.slug, names: row.names, position: row.position };
}

function presentCategory(row: CategoryRow, sectionRows: SectionRow[]): KbCategory {
  return {
    id: row.id,
    brandId: row.brandId,
    slug: row.slug,
    names: row.names,
    descriptions: row.descriptions,
    position: row.position,
    sections: sectionRows.filter((s) => s.categoryId === row.id).map(presentSection),
  };
}

const slugOf = (names: Names, slug: string | undefined) => slug ?? slugify(names.en || names.de || '');

function conflict(error: unknown): never {
  if (isUniqueViolation(error)) {
    throw new AppError('CONFLICT', {
      message: 'the slug is taken',
      errors: [{ field: 'slug', message: 'another one here has this slug' }],
    });
  }
  throw error;
}

/** The brand's id by slug; 404 when the brand does not exist. */
export async function brandIdOf(executor: Executor, slug: string): Promise<string> {
  const [brand] = await executor.select({ id: brands.id }).from(brands).where(eq(brands.slug, slug));
  if (!brand) throw notFound('brand', slug);
  return brand.id;
}

/** The rows of categories (of one brand, default: all) and of their sections, each in their order. */
export async function loadCategoriesWithSections(executor: Executor, brandId?: string) {
  const rows = await executor
    .select()
    .from(categories)
    .where(brandId ? eq(categories.brandId, brandId) : undefined)
    .orderBy(asc(categories.position), asc(categories.slug));
  const sectionRows =
    rows.length === 0
      ? []
      : await executor
          .select()
          .from(sections)
          .where(
            inArray(
              sections.categoryId,
              rows.map((r) => r.id),
            ),
          )
          .orderBy(asc(sections.position), asc(sections.slug));
  return { rows, sectionRows };
}

/** Categories with their sections, in their order; of one brand (default: all). */
export async function listCategories(deps: Deps, brandId?: string): Promise<KbCategoryList> {
  const { rows, sectionRows } = await loadCategoriesWithSections(deps.database.db, brandId);
  return { items: rows.map((row) => presentCategory(row, sectionRows)) };
}

async function loadCategory(tx: Tx, id: string): Promise<CategoryRow> {
  const [row] = await tx.select().from(categories).where(eq(categories.id, id));
  if (!row) throw notFound('category', id);
  return row;
}

async function categoryWithSections(tx: Tx, row: CategoryRow): Promise<KbCategory> {
  const sectionRows = await tx.select().from(sections).where(eq(sections.categoryId, row.id));
  return presentCategory(row, sectionRows);
}

export async function createCategory(
  deps: Deps,
  actor: Actor,
  input: CreateKbCategoryBody,
): Promise<KbCategory> {
  return withTransaction(deps.database, async (tx) => {
    const brandId = input.brandId ?? (await brandIdOf(tx, 'default'));
    const [row] = await tx
      .insert(categories)
      .values({
        brandId,
        slug: slugOf(input.names, input.slug),
        names: input.names,
        descriptions: input.descriptions,
        position: input.position,
      })
      .returning()
      .catch(conflict);
    await recordChange(tx, actor, {
      action: 'kb_category.created',
      entityType: 'kb_category',
      entityId: row!.id,
      data: { names: input.names },
    });
    return presentCategory(row!, []);
  });
}

export async function updateCategory(
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateKbCategoryBody,
): Promise<KbCategory> {
  return withTransaction(deps.database, async (tx) => {
    await loadCategory(tx, id);
    const [row] = await tx
      .update(categories)
      .set(input)
      .where(eq(categories.id, id))
      .returning()
      .catch(conflict);
    await recordChange(tx, actor, {
      action: 'kb_category.updated',
      entityType: 'kb_category',
      entityId: id,
      data: { fields: Object.keys(input) },
    });
    return categoryWithSections(tx, row!);
  });
}

/** Deletes a category and its sections; its articles stay, without a place. */
export async function deleteCategory(deps: Deps, actor: Actor, id: string): Promise<void> {
  await withTransaction(deps.database, async (tx) => {
    await loadCategory(tx, id);
    await tx.delete(categories).where(eq(categories.id, id));
    await recordChange(tx, actor, { action: 'kb_category.deleted', entityType: 'kb_category', entityId: id });
  });
}

export async function createSection(
  deps: Deps,
  actor: Actor,
  input: CreateKbSectionBody,
): Promise<KbSection> {
  return withTransaction(deps.database, async (tx) => {
    const [category] = await tx.select().from(categories).where(eq(categories.id, input.categoryId));
    if (!category) throw fieldError('categoryId', 'no such category');
    const [row] = await tx
      .insert(sections)
      .values({
        categoryId: input.categoryId,
        slug: slugOf(input.names, input.slug),
        names: input.names,
        position: input.position,
      })
      .returning()
      .catch(conflict);
    await recordChange(tx, actor, {
      action: 'kb_section.created',
      entityType: 'kb_section',
      entityId: row!.id,
      data: { categoryId: input.categoryId, names: input.names },
    });
    return presentSection(row!);
  });
}

export async function updateSection(
  deps: Deps,
  actor: Actor,
  id: string,
  input: UpdateKbSectionBody,
): Promise<KbSection> {
  return withTransaction(deps.database, async (tx) => {
    const [row] = await tx.update(sections).set(input).where(eq(sections.id, id)).returning().catch(conflict);
    if (!row) throw notFound('section', id);
    await recordChange(tx, actor, {
      action: 'kb_section.updated',
      entityType: 'kb_section',
      entityId: id,
      data: { fields: Object.keys(input) },
    });
    return presentSection(row);
  });
}

export async function deleteSection(deps: Deps, actor: Actor, id: string): Promise<void> {
  await withTransaction(deps.database, async (tx) => {
    const [row] = await tx.delete(sections).where(eq(sections.id, id)).returning({ id: sections.id });
    if (!row) throw notFound('section', id);
    await recordChange(tx, actor, { action: 'kb_section.deleted', entityType: 'kb_section', entityId: id });
  });
}
