import multipart from '@fastify/multipart';
import {
  CreateKbArticleBody,
  CreateKbCategoryBody,
  CreateKbSectionBody,
  CreateKbTranslationBody,
  KbAcknowledgeBody,
  KbAcknowledgementList,
  KbApproveRevisionBody,
  KbArticle,
  KbArticleDiff,
  KbArticlePage,
  KbArticleQuery,
  KbArticleRevision,
  KbArticleVersion,
  KbArticleVersionList,
  KbCategory,
  KbCategoryList,
  KbDiffQuery,
  KbFileList,
  KbPendingPolicyList,
  KbRejectRevisionBody,
  KbSection,
  KbStatusBody,
  KbVersionParams,
  KbWithdrawRevisionQuery,
  NoContent,
  UpdateKbArticleBody,
  UpdateKbCategoryBody,
  UpdateKbSectionBody,
} from '@keepdesk/contract';
import { z } from 'zod';
import type { Deps } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { type App, actorOf, principalOf } from '../../platform/http';
import { contentDisposition, isInlineSafe, tooLarge } from '../tickets';
import { getArticle, listArticles } from './article-reads.service';
import {
  approveRevision,
  changeStatus,
  createArticle,
  createTranslation,
  type SaveResult,
  updateArticle,
} from './articles.service';
import {
  createCategory,
  createSection,
  deleteCategory,
  deleteSection,
  listCategories,
  updateCategory,
  updateSection,
} from './categories.service';
import { openFile, uploadFiles } from './files.service';
import { acknowledgePolicy, pendingPolicies, policyAcknowledgements } from './policies.service';
import { getRevision, rejectRevision, withdrawRevision } from './revisions.service';
import { verifyArticle } from './verification.service';
import { diffVersions, getVersion, listVersions, restoreVersion } from './versions.service';

const tags = ['knowledge'];
const read = { access: { permission: 'kb:read' } };
const write = { access: { permission: 'kb:write' } };
const publish = { access: { permission: 'kb:publish' } };
const id = z.object({ id: z.uuid() });
const Acknowledged = z.object({ version: z.number().int(), acknowledgedAt: z.iso.datetime() });
/** 200: the change is live; 202: it waits for a publisher as the article's pending revision. */
const saved = (result: SaveResult) => ({
  status: result.proposed ? (202 as const) : (200 as const),
  article: result.article,
});

/** The knowledge base for agents: articles, versions, translations, verification, policies, categories, files. */
export function knowledgeRoutes(deps: Deps) {
  return async (app: App) => {
    app.get(
      '/kb/articles',
      {
        schema: {
          tags,
          description: 'Articles and policies, most recently changed first, filtered; a page at a time.',
          querystring: KbArticleQuery,
          response: { 200: KbArticlePage },
        },
        config: read,
      },
      async (req) => listArticles(deps, req.query),
    );
    app.post(
      '/kb/articles',
      {
        schema: {
          tags,
          description: 'A new draft (version 1). The body is sanitised HTML; a policy is always internal.',
          body: CreateKbArticleBody,
          response: { 201: KbArticle },
        },
        config: write,
      },
      async (req, reply) => reply.code(201).send(await createArticle(deps, actorOf(req), req.body)),
    );
    app.get(
      '/kb/articles/:id',
      { schema: { tags, params: id, response: { 200: KbArticle } }, config: read },
      async (req) => getArticle(deps, req.params.id),
    );
    app.patch(
      '/kb/articles/:id',
      {
        schema: {
          tags,
          description:
            "Saves a change; a new title, body or tags is a new version. A published article is edited live by kb:publish; a kb:write author's title, body and tags become its pending revision instead (202, the live article unchanged; other settings: 403).",
          params: id,
          body: UpdateKbArticleBody,
          response: { 200: KbArticle, 202: KbArticle },
        },
        config: write,
      },
      async (req, reply) => {
        const result = saved(
          await updateArticle(deps, actorOf(req), principalOf(req).permissions, req.params.id, req.body),
        );
        return reply.code(result.status).send(result.article);
      },
    );
    app.get(
      '/kb/articles/:id/revision',
      {
        schema: {
          tags,
          description:
            'The change an author proposed to a published article, with its word diff against the live article; 404 when none is pending.',
          params: id,
          response: { 200: KbArticleRevision },
        },
        config: read,
      },
      async (req) => getRevision(deps, req.params.id),
    );
    app.post(
      '/kb/articles/:id/revision/approve',
      {
        schema: {
          tags,
          description:
            'The proposed change goes live as a new version (credited to its author); 409 when the proposal was saved again after the revision you reviewed.',
          params: id,
          body: KbApproveRevisionBody,
          response: { 200: KbArticle },
        },
        config: publish,
      },
      async (req) => approveRevision(deps, actorOf(req), req.params.id, req.body),
    );
    app.post(
      '/kb/articles/:id/revision/reject',
      {
        schema: {
          tags,
          description:
            'Discards the proposed change; the live article stays; the authors are notified with the note.',
          params: id,
          body: KbRejectRevisionBody,
          response: { 200: KbArticle },
        },
        config: publish,
      },
      async (req) => rejectRevision(deps, actorOf(req), req.params.id, req.body),
    );
    app.delete(
      '/kb/articles/:id/revision',
      {
        schema: {
          tags,
          description:
            'Withdraws the proposed change without a decision: its authors (who proposed or saved it) and kb:publish may, others get 403; nobody is notified. 409 when `revision` is given and the proposal was saved again since.',
          params: id,
          querystring: KbWithdrawRevisionQuery,
          response: { 200: KbArticle },
        },
        config: read,
      },
      async (req) =>
        withdrawRevision(deps, actorOf(req), principalOf(req).permissions, req.params.id, req.query),
    );
    app.post(
      '/kb/articles/:id/status',
      {
        schema: {
          tags,
          description:
            'Moves the article: draft → in_review (kb:write), in_review → draft (kb:write), draft/in_review/archived → published and published → archived, archived → draft (kb:publish). 409 for a move that does not exist.',
          params: id,
          body: KbStatusBody,
          response: { 200: KbArticle },
        },
        config: write,
      },
      async (req) => changeStatus(deps, actorOf(req), principalOf(req).permissions, req.params.id, req.body),
    );
    app.post(
      '/kb/articles/:id/verify',
      {
        schema: {
          tags,
          description:
            'The owner or a publisher confirms the article is current; the next review falls due one interval later.',
          params: id,
          response: { 200: KbArticle },
        },
        config: read,
      },
      async (req) => verifyArticle(deps, actorOf(req), principalOf(req).permissions, req.params.id),
    );
    app.post(
      '/kb/articles/:id/translations',
      {
        schema: {
          tags,
          description:
            'The article in another language, as a draft in the same translation group (409 when it exists).',
          params: id,
          body: CreateKbTranslationBody,
          response: { 201: KbArticle },
        },
        config: write,
      },
      async (req, reply) =>
        reply.code(201).send(await createTranslation(deps, actorOf(req), req.params.id, req.body)),
    );
    app.get(
      '/kb/articles/:id/versions',
      { schema: { tags, params: id, response: { 200: KbArticleVersionList } }, config: read },
      async (req) => listVersions(deps, req.params.id),
    );
    app.get(
      '/kb/articles/:id/versions/:version',
      { schema: { tags, params: KbVersionParams, response: { 200: KbArticleVersion } }, config: read },
      async (req) => getVersion(deps, req.params.id, req.params.version),
    );
    app.get(
      '/kb/articles/:id/diff',
      {
        schema: {
          tags,
          description: 'What changed between two versions, word by word (title and plain-text body).',
          params: id,
          querystring: KbDiffQuery,
          response: { 200: KbArticleDiff },
        },
        config: read,
      },
      async (req) => diffVersions(deps, req.params.id, req.query.from, req.query.to),
    );
    app.post(
      '/kb/articles/:id/versions/:version/restore',
      {
        schema: {
          tags,
          description:
            'Saves the content of an old version as a new version ("restored version n"); on a published article, a kb:write author proposes it (202).',
          params: KbVersionParams,
          response: { 200: KbArticle, 202: KbArticle },
        },
        config: write,
      },
      async (req, reply) => {
        const result = saved(
          await restoreVersion(
            deps,
            actorOf(req),
            principalOf(req).permissions,
            req.params.id,
            req.params.version,
          ),
        );
        return reply.code(result.status).send(result.article);
      },
    );
    app.get(
      '/kb/policies/mine',
      {
        schema: {
          tags,
          description: 'Published policies you have not acknowledged at their current version.',
          response: { 200: KbPendingPolicyList },
        },
        config: read,
      },
      async (req) => pendingPolicies(deps, principalOf(req).userId),
    );
    app.post(
      '/kb/policies/:id/acknowledge',
      {
        schema: {
          tags,
          description: 'You have read this version of the policy; 409 when it is not the current one.',
          params: id,
          body: KbAcknowledgeBody,
          response: { 200: Acknowledged },
        },
        config: read,
      },
      async (req) => acknowledgePolicy(deps, actorOf(req), req.params.id, req.body.version),
    );
    app.get(
      '/kb/policies/:id/acknowledgements',
      {
        schema: {
          tags,
          description: 'Every active agent and whether they acknowledged the current version.',
          params: id,
          response: { 200: KbAcknowledgementList },
        },
        config: publish,
      },
      async (req) => policyAcknowledgements(deps, req.params.id),
    );
    app.get(
      '/kb/categories',
      {
        schema: {
          tags,
          querystring: z.object({ brandId: z.uuid().optional() }),
          response: { 200: KbCategoryList },
        },
        config: read,
      },
      async (req) => listCategories(deps, req.query.brandId),
    );
    app.post(
      '/kb/categories',
      { schema: { tags, body: CreateKbCategoryBody, response: { 201: KbCategory } }, config: publish },
      async (req, reply) => reply.code(201).send(await createCategory(deps, actorOf(req), req.body)),
    );
    app.patch(
      '/kb/categories/:id',
      {
        schema: { tags, params: id, body: UpdateKbCategoryBody, response: { 200: KbCategory } },
        config: publish,
      },
      async (req) => updateCategory(deps, actorOf(req), req.params.id, req.body),
    );
    app.delete(
      '/kb/categories/:id',
      { schema: { tags, params: id, response: { 204: NoContent } }, config: publish },
      async (req, reply) => {
        await deleteCategory(deps, actorOf(req), req.params.id);
        return reply.code(204).send();
      },
    );
    app.post(
      '/kb/sections',
      { schema: { tags, body: CreateKbSectionBody, response: { 201: KbSection } }, config: publish },
      async (req, reply) => reply.code(201).send(await createSection(deps, actorOf(req), req.body)),
    );
    app.patch(
      '/kb/sections/:id',
      {
        schema: { tags, params: id, body: UpdateKbSectionBody, response: { 200: KbSection } },
        config: publish,
      },
      async (req) => updateSection(deps, actorOf(req), req.params.id, req.body),
    );
    app.delete(
      '/kb/sections/:id',
      { schema: { tags, params: id, response: { 204: NoContent } }, config: publish },
      async (req, reply) => {
        await deleteSection(deps, actorOf(req), req.params.id);
        return reply.code(204).send();
      },
    );
    await app.register(async (files) => {
      await files.register(multipart, {
        limits: { fileSize: deps.config.attachmentMaxBytes, files: 10, fields: 0, parts: 10 },
      });
      files.post(
        '/kb/files',
        {
          schema: {
            tags,
            description:
              'Uploads images and files for article bodies (multipart/form-data, up to 10). Put the returned url into the body; the size limit is KEEPDESK_ATTACHMENT_MAX_BYTES.',
            consumes: ['multipart/form-data'],
            response: { 201: KbFileList },
          },
          config: write,
        },
        async (req, reply) => {
          if (!req.isMultipart()) {
            throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
              message: 'send the files as multipart/form-data',
              errors: [{ field: 'file', message: 'multipart/form-data expected' }],
            });
          }
          const uploads: { fileName: string | undefined; data: Buffer }[] = [];
          let current: string | undefined;
          try {
            for await (const part of req.files()) {
              current = part.filename;
              uploads.push({ fileName: part.filename, data: await part.toBuffer() });
            }
          } catch (error) {
            if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(deps, current);
            throw error;
          }
          if (uploads.length === 0) {
            throw new AppError('VALIDATION_FAILED', {
              message: 'no file in the upload',
              errors: [{ field: 'file', message: 'required' }],
            });
          }
          return reply.code(201).send(await uploadFiles(deps, actorOf(req), uploads));
        },
      );
    });
    app.get(
      '/kb/files/:id',
      {
        schema: { tags, description: 'A file of the knowledge base; raster images inline.', params: id },
        config: read,
      },
      async (req, reply) => {
        const { row, data } = await openFile(deps, req.params.id);
        const inline = isInlineSafe(row.contentType);
        return reply
          .header('content-type', row.contentType)
          .header('content-length', data.length)
          .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', row.fileName))
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, max-age=3600')
          .send(data);
      },
    );
  };
}
