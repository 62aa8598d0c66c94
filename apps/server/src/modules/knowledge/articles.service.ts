import { randomUUID } from 'node:crypto';
import type {
  CreateKbArticleBody,
  CreateKbTranslationBody,
  KbApproveRevisionBody,
  KbArticle,
  KbStatusBody,
  UpdateKbArticleBody,
} from '@keepdesk/contract';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Deps } from '../../platform/context';
import { isUniqueViolation, type Tx, withTransaction } from '../../platform/db';
import { AppError, fieldError } from '../../platform/errors';
import { type Actor, recordChange } from '../../platform/events';
import { sanitizeMessage } from '../../platform/html';
import { users } from '../auth';
import { type ArticleRow, loadArticleRow, presentArticle } from './article-reads.service';
import {
  acknowledgeVersionOnPublish,
  checkTransition,
  editModeOf,
  isContentChange,
  normalizeTags,
  referencedFileIds,
  slugify,
  verificationDue,
} from './articles.domain';
import { articleFiles, articles, articleVersions, sections } from './knowledge.tables';
import { closeRevision, proposeRevision, revisionToDecide } from './revisions.service';
import { articleVector } from './search-document';

/** A rich-text body as stored: sanitised HTML and its plain text; an empty body stays empty. */
export function cleanBody(body: string): { html: string; text: string } {
  if (body.trim() === '') return { html: '', text: '' };
  return sanitizeMessage(body);
}

/** A section decides its category; a category and a section that disagree are a 400. */
async function placement(
  tx: Tx,
  categoryId: string | null,
  sectionId: string | null,
): Promise<{ categoryId: string | null; sectionId: string | null }> {
  if (!sectionId) return { categoryId, sectionId: null };
  const [section] = await tx
    .select({ categoryId: sections.categoryId })
    .from(sections)
    .where(eq(sections.id, sectionId));
  if (!section) throw fieldError('sectionId', 'no such section');
  if (categoryId && categoryId !== section.categoryId) {
    throw fieldError('sectionId', 'the section belongs to another category');
  }
  return { categoryId: section.categoryId, sectionId };
}

async function assertOwner(tx: Tx, ownerId: string | null): Promise<void> {
  if (!ownerId) return;
  const [owner] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, ownerId), eq(users.isActive, true)));
  if (!owner) throw fieldError('ownerId', 'no active user with this id');
}

/** Uploaded files the body points to and no article owns yet become this article's. */
async function claimFiles(tx: Tx, articleId: string, html: string): Promise<void> {
  const ids = referencedFileIds(html);
  if (ids.length === 0) return;
  await tx
    .update(articleFiles)
    .set({ articleId })
    .where(and(inArray(articleFiles.id, ids), isNull(articleFiles.articleId)));
}

async function writeVersion(
  tx: Tx,
  actor: Actor,
  row: Pick<ArticleRow, 'id' | 'version' | 'title' | 'bodyHtml' | 'bodyText' | 'tags' | 'status'>,
  note: string,
  at: Date,
  authorId: string | null = actor.userId,
): Promise<void> {
  await tx.insert(articleVersions).values({
    articleId: row.id,
    version: row.version,
    title: row.title,
    bodyHtml: row.bodyHtml,
    bodyText: row.bodyText,
    tags: row.tags,
    status: row.status,
    note,
    authorId,
    createdAt: at,
  });
}

interface NewArticle extends CreateKbArticleBody {
  translationGroupId?: string;
}

async function insertArticle(deps: Deps, tx: Tx, actor: Actor, input: NewArticle): Promise<ArticleRow> {
  const now = deps.now();
  const body = cleanBody(input.body);
  const tags = normalizeTags(input.tags);
  const where = await placement(tx, input.categoryId, input.sectionId);
  const ownerId = input.ownerId === undefined ? actor.userId : input.ownerId;
  await assertOwner(tx, ownerId);
  try {
    const [row] = await tx
      .insert(articles)
      .values({
        translationGroupId: input.translationGroupId ?? randomUUID(),
        language: input.language,
        kind: input.kind,
        title: input.title,
        slug: slugify(input.title),
        bodyHtml: body.html,
        bodyText: body.text,
        ...where,
        tags,
        visibility: input.kind === 'policy' ? 'internal' : input.visibility,
        status: 'draft',
        version: 1,
        ownerId,
        verificationIntervalDays: input.verificationIntervalDays,
        verificationDueAt: verificationDue(input.verificationIntervalDays, null, now),
        createdById: actor.userId,
        createdAt: now,
        updatedAt: now,
        searchVector: articleVector(input.language, input.title, tags, body.text),
      })
      .returning();
    await writeVersion(tx, actor, row!, 'created', now);
    await claimFiles(tx, row!.id, row!.bodyHtml);
    await recordChange(tx, actor, {
      action: 'kb_article.created',
      entityType: 'kb_article',
      entityId: row!.id,
      data: { title: row!.title, language: row!.language, kind: row!.kind },
    });
    return row!;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('CONFLICT', {
        message: `the article already has a ${input.language} translation`,
        errors: [{ field: 'language', message: 'this translation exists already' }],
      });
    }
    throw error;
  }
}

/** A new draft article (version 1). Its author owns it unless `ownerId` says otherwise. */
export async function createArticle(
  deps: Deps,
  actor: Actor,
  input: CreateKbArticleBody,
): Promise<KbArticle> {
  return withTransaction(deps.database, async (tx) => {
    const row = await insertArticle(deps, tx, actor, input);
    return presentArticle(tx, row, deps.now());
  });
}

/**
 * The same article in another language, in the same translation group, as a draft that inherits the
 * placement, tags, visibility, kind, owner and verification interval. 409 when that language exists.
 */
export async function createTranslation(
  deps: Deps,
  actor: Actor,
  id: string,
  input: CreateKbTranslationBody,
): Promise<KbArticle> {
  return withTransaction(deps.database, async (tx) => {
    const source = await loadArticleRow(tx, id);
    const row = await insertArticle(deps, tx, actor, {
      ...input,
      translationGroupId: source.translationGroupId,
      kind: source.kind,
      visibility: source.visibility,
      categoryId: source.categoryId,
      sectionId: source.sectionId,
      tags: source.tags,
      ownerId: source.ownerId,
      verificationIntervalDays: source.verificationIntervalDays,
    });
    return presentArticle(tx, row, deps.now());
  });
}

/** A save, and whether it went live or waits for a publisher as the article's pending revision. */
export interface SaveResult {
  article: KbArticle;
  proposed: boolean;
}

/**
 * Saves a change; a new title, body or tags is a new version. A publisher edits a published article live; an
 * author's save of it becomes its pending revision (ADR 0045) and the live article stays as it is.
 */
export async function updateArticle(
  deps: Deps,
  actor: Actor,
  permissions: readonly string[],
  id: string,
  input: UpdateKbArticleBody,
): Promise<SaveResult> {
  return withTransaction(deps.database, async (tx) => {
    const now = deps.now();
    const before = await loadArticleRow(tx, id, true);
    const mode = editModeOf(before.status, permissions);
    if (mode === 'forbidden') {
      throw new AppError('FORBIDDEN', { message: 'editing an article needs kb:write' });
    }
    if (input.baseVersion !== undefined && input.baseVersion !== before.version) {
      throw new AppError('CONFLICT', {
        message: `version ${before.version} was saved after version ${input.baseVersion} you edited`,
        errors: [{ field: 'baseVersion', message: `the article is at version ${before.version}` }],
      });
    }
    const body = input.body === undefined ? null : cleanBody(input.body);
    if (mode === 'propose') {
      const proposed = await proposeRevision(tx, deps, actor, before, input, body, now);
      return { article: await presentArticle(tx, before, now), proposed };
    }
    const row = await applyUpdate(tx, actor, before, input, body, now);
    return { article: await presentArticle(tx, row, now), proposed: false };
  });
}

/** The live edit itself, shared by a publisher's save and an approved revision. */
async function applyUpdate(
  tx: Tx,
  actor: Actor,
  before: ArticleRow,
  input: UpdateKbArticleBody,
  body: { html: string; text: string } | null,
  now: Date,
  versionAuthorId: string | null = actor.userId,
): Promise<ArticleRow> {
  const id = before.id;
  const title = input.title ?? before.title;
  const tags = input.tags ? normalizeTags(input.tags) : before.tags;
  const bodyHtml = body?.html ?? before.bodyHtml;
  const bodyText = body?.text ?? before.bodyText;
  const contentChanged = isContentChange(before, { title, bodyHtml, tags });
  const where = await placement(
    tx,
    input.categoryId === undefined ? before.categoryId : input.categoryId,
    input.sectionId === undefined
      ? input.categoryId === undefined
        ? before.sectionId
        : null
      : input.sectionId,
  );
  if (input.ownerId !== undefined) await assertOwner(tx, input.ownerId);
  const kind = input.kind ?? before.kind;
  const interval =
    input.verificationIntervalDays === undefined
      ? before.verificationIntervalDays
      : input.verificationIntervalDays;
  const version = contentChanged ? before.version + 1 : before.version;
  const [row] = await tx
    .update(articles)
    .set({
      title,
      slug: title === before.title ? before.slug : slugify(title),
      bodyHtml,
      bodyText,
      tags,
      ...where,
      kind,
      visibility: kind === 'policy' ? 'internal' : (input.visibility ?? before.visibility),
      ownerId: input.ownerId === undefined ? before.ownerId : input.ownerId,
      verificationIntervalDays: interval,
      verificationDueAt: verificationDue(interval, before.verifiedAt, before.createdAt),
      version,
      // A live edit of a published policy asks every agent again.
      acknowledgeVersion:
        before.status === 'published'
          ? acknowledgeVersionOnPublish(kind, version, before.acknowledgeVersion)
          : before.acknowledgeVersion,
      updatedAt: now,
      searchVector: articleVector(before.language, title, tags, bodyText),
    })
    .where(eq(articles.id, id))
    .returning();
  if (contentChanged) await writeVersion(tx, actor, row!, input.note ?? '', now, versionAuthorId);
  await claimFiles(tx, id, bodyHtml);
  await recordChange(tx, actor, {
    action: 'kb_article.updated',
    entityType: 'kb_article',
    entityId: id,
    data: { version, contentChanged, fields: Object.keys(input) },
  });
  return row!;
}

/**
 * A publisher approves the pending revision: its content goes live as a new version by the path of a live
 * edit (the version credited to the author who proposed it), the revision goes, its authors are told.
 */
export async function approveRevision(
  deps: Deps,
  actor: Actor,
  id: string,
  input: KbApproveRevisionBody,
): Promise<KbArticle> {
  return withTransaction(deps.database, async (tx) => {
    const now = deps.now();
    const before = await loadArticleRow(tx, id, true);
    const revision = await revisionToDecide(tx, id, input.revision);
    if (before.status !== 'published') {
      throw new AppError('CONFLICT', {
        message: `the article is ${before.status}; approve a proposed change of a published article only`,
        errors: [{ field: 'status', message: 'not published' }],
      });
    }
    const content = {
      title: revision.title,
      tags: revision.tags,
      note: revision.note || `proposed change, revision ${revision.revision}`,
    };
    const body = { html: revision.bodyHtml, text: revision.bodyText };
    const row = await applyUpdate(tx, actor, before, content, body, now, revision.proposedById);
    await closeRevision(tx, deps, actor, row, revision, {
      kind: 'kb_revision_approved',
      action: 'kb_article.revision_approved',
      note: '',
    });
    return presentArticle(tx, row, now);
  });
}

const EVENT_OF: Partial<Record<ArticleRow['status'], string>> = {
  published: 'kb_article.published',
  archived: 'kb_article.archived',
};

/** Moves an article through draft → in review → published → archived, as the workflow allows the caller. */
export async function changeStatus(
  deps: Deps,
  actor: Actor,
  permissions: readonly string[],
  id: string,
  input: KbStatusBody,
): Promise<KbArticle> {
  return withTransaction(deps.database, async (tx) => {
    const now = deps.now();
    const before = await loadArticleRow(tx, id, true);
    const check = checkTransition(before.status, input.status, permissions);
    if (!check.ok && check.reason === 'forbidden') {
      throw new AppError('FORBIDDEN', { message: `moving to ${input.status} needs ${check.needs}` });
    }
    if (!check.ok) {
      throw new AppError('CONFLICT', {
        message: `an article cannot move from ${before.status} to ${input.status}`,
        errors: [{ field: 'status', message: `not reachable from ${before.status}` }],
      });
    }
    const isPublishing = input.status === 'published';
    const [row] = await tx
      .update(articles)
      .set({
        status: input.status,
        updatedAt: now,
        ...(isPublishing
          ? {
              publishedAt: now,
              acknowledgeVersion: acknowledgeVersionOnPublish(
                before.kind,
                before.version,
                before.acknowledgeVersion,
              ),
            }
          : {}),
      })
      .where(eq(articles.id, id))
      .returning();
    await recordChange(tx, actor, {
      action: EVENT_OF[input.status] ?? 'kb_article.updated',
      entityType: 'kb_article',
      entityId: id,
      data: { status: { from: before.status, to: input.status }, note: input.note ?? '' },
    });
    return presentArticle(tx, row!, now);
  });
}
