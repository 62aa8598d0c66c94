import { z } from 'zod';
import { patchOf } from './common';
import { UserRef } from './tickets';

/** Knowledge base (docs/knowledge.md): articles, versions, translations, verification and policies. */
export const KB_LANGUAGES = ['de', 'en'] as const;
export const KbLanguage = z.enum(KB_LANGUAGES);
export type KbLanguage = z.infer<typeof KbLanguage>;

export const KB_ARTICLE_STATUSES = ['draft', 'in_review', 'published', 'archived'] as const;
export const KbArticleStatus = z.enum(KB_ARTICLE_STATUSES);
export type KbArticleStatus = z.infer<typeof KbArticleStatus>;

export const KbArticleKind = z
  .enum(['article', 'policy'])
  .meta({ description: 'policy: an internal rule agents must acknowledge at every new version' });
export type KbArticleKind = z.infer<typeof KbArticleKind>;

export const KbVisibility = z
  .enum(['internal', 'public'])
  .meta({ description: 'public: shown in the help center once published' });
export type KbVisibility = z.infer<typeof KbVisibility>;

const Tags = z.array(z.string().trim().min(1).max(50)).max(30);
const Body = z.string().max(500_000).meta({ description: 'Rich-text HTML; sanitised on save' });

export const CreateKbArticleBody = z.object({
  title: z.string().trim().min(1).max(300),
  body: Body.default(''),
  language: KbLanguage.default('en'),
  kind: KbArticleKind.default('article'),
  visibility: KbVisibility.default('internal').meta({ description: 'A policy is always internal' }),
  categoryId: z.uuid().nullable().default(null),
  sectionId: z.uuid().nullable().default(null),
  tags: Tags.default([]),
  ownerId: z.uuid().nullable().optional().meta({ description: 'Default: you' }),
  verificationIntervalDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .nullable()
    .default(null)
    .meta({ description: 'Days after a verification until the article needs review again; null: never' }),
});
export type CreateKbArticleBody = z.infer<typeof CreateKbArticleBody>;

const { language: _language, ...editable } = CreateKbArticleBody.shape;
export const UpdateKbArticleBody = patchOf(z.object(editable)).extend({
  note: z.string().trim().max(500).optional().meta({ description: 'Why it changed, kept with the version' }),
  baseVersion: z
    .number()
    .int()
    .optional()
    .meta({ description: 'The version you edited; 409 when someone saved a newer one meanwhile' }),
  baseRevision: z.number().int().min(1).nullable().optional().meta({
    description:
      'Authors on a published article: the pending revision you edited (its `revision`), null when you edited the live text; 409 when it moved on meanwhile',
  }),
});
export type UpdateKbArticleBody = z.infer<typeof UpdateKbArticleBody>;

export const KbStatusBody = z.object({
  status: KbArticleStatus,
  note: z.string().trim().max(500).optional(),
});
export type KbStatusBody = z.infer<typeof KbStatusBody>;

export const CreateKbTranslationBody = z.object({
  language: KbLanguage,
  title: z.string().trim().min(1).max(300),
  body: Body.default(''),
});
export type CreateKbTranslationBody = z.infer<typeof CreateKbTranslationBody>;

export const KbTranslationRef = z.object({
  language: KbLanguage,
  id: z.uuid(),
  title: z.string(),
  status: KbArticleStatus,
});
export type KbTranslationRef = z.infer<typeof KbTranslationRef>;

export const KbPendingRevisionRef = z
  .object({
    revision: z.number().int().meta({ description: 'Counts the saves of the proposal' }),
    baseVersion: z.number().int().meta({ description: 'The live version it was proposed against' }),
    proposedBy: UserRef.nullable(),
    updatedBy: UserRef.nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'KbPendingRevisionRef' });
export type KbPendingRevisionRef = z.infer<typeof KbPendingRevisionRef>;

const articleFields = {
  id: z.uuid(),
  number: z.number().int().meta({ description: 'Short public number, used in help-center URLs' }),
  translationGroupId: z.uuid(),
  language: KbLanguage,
  kind: KbArticleKind,
  title: z.string(),
  slug: z.string(),
  categoryId: z.uuid().nullable(),
  sectionId: z.uuid().nullable(),
  tags: z.array(z.string()),
  visibility: KbVisibility,
  status: KbArticleStatus,
  version: z.number().int(),
  acknowledgeVersion: z.number().int().nullable(),
  owner: UserRef.nullable(),
  verificationIntervalDays: z.number().int().nullable(),
  verifiedAt: z.iso.datetime().nullable(),
  verificationDueAt: z.iso.datetime().nullable(),
  needsReview: z.boolean().meta({ description: 'The verification is due (past verificationDueAt)' }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  publishedAt: z.iso.datetime().nullable(),
  translations: z.array(KbTranslationRef).meta({ description: 'The other languages of this article' }),
  missingLanguages: z.array(KbLanguage),
  pendingRevision: KbPendingRevisionRef.nullable().meta({
    description: 'A change an author proposed to the published article, waiting for a publisher',
  }),
};

export const KbArticleSummary = z.object(articleFields).meta({ id: 'KbArticleSummary' });
export type KbArticleSummary = z.infer<typeof KbArticleSummary>;

export const KbArticle = z
  .object({
    ...articleFields,
    bodyHtml: z.string(),
    bodyText: z.string(),
    verifiedBy: UserRef.nullable(),
    viewCount: z.number().int(),
    helpfulCount: z.number().int(),
    notHelpfulCount: z.number().int(),
  })
  .meta({ id: 'KbArticle' });
export type KbArticle = z.infer<typeof KbArticle>;

export const KbArticlePage = z
  .object({ items: z.array(KbArticleSummary), nextCursor: z.string().nullable() })
  .meta({ id: 'KbArticlePage' });
export type KbArticlePage = z.infer<typeof KbArticlePage>;

const bool = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === 'true'));

export const KbArticleQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  q: z.string().trim().max(200).optional().meta({ description: 'Text the title or body contains' }),
  status: KbArticleStatus.optional(),
  categoryId: z.uuid().optional(),
  sectionId: z.uuid().optional(),
  visibility: KbVisibility.optional(),
  language: KbLanguage.optional(),
  kind: KbArticleKind.optional(),
  ownerId: z.uuid().optional(),
  needsReview: bool,
  missingTranslation: KbLanguage.optional().meta({ description: 'Articles without a translation into it' }),
  pendingRevision: bool.meta({
    description:
      'true: only articles with a change waiting for a publisher (ADR 0045); false: only those without',
  }),
});
export type KbArticleQuery = z.infer<typeof KbArticleQuery>;

export const KbArticleVersion = z
  .object({
    version: z.number().int(),
    title: z.string(),
    bodyHtml: z.string(),
    bodyText: z.string(),
    tags: z.array(z.string()),
    status: KbArticleStatus,
    note: z.string(),
    author: UserRef.nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'KbArticleVersion' });
export type KbArticleVersion = z.infer<typeof KbArticleVersion>;

export const KbArticleVersionList = z
  .object({ items: z.array(KbArticleVersion.omit({ bodyHtml: true, bodyText: true })) })
  .meta({ id: 'KbArticleVersionList' });
export type KbArticleVersionList = z.infer<typeof KbArticleVersionList>;

export const KbDiffSegment = z.object({
  op: z.enum(['equal', 'insert', 'delete']),
  text: z.string(),
});
export type KbDiffSegment = z.infer<typeof KbDiffSegment>;

export const KbArticleDiff = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    title: z.array(KbDiffSegment),
    body: z.array(KbDiffSegment).meta({ description: 'Word-level diff of the plain text' }),
  })
  .meta({ id: 'KbArticleDiff' });
export type KbArticleDiff = z.infer<typeof KbArticleDiff>;

export const KbArticleRevision = z
  .object({
    ...KbPendingRevisionRef.shape,
    liveVersion: z.number().int(),
    isStale: z
      .boolean()
      .meta({ description: 'The live article changed since the proposal was made (the diff shows it)' }),
    title: z.string(),
    bodyHtml: z.string(),
    bodyText: z.string(),
    tags: z.array(z.string()),
    note: z.string(),
    diff: z
      .object({
        title: z.array(KbDiffSegment),
        body: z.array(KbDiffSegment),
        tags: z.array(KbDiffSegment),
      })
      .meta({ description: 'Word-level diff from the live article to the proposal' }),
  })
  .meta({ id: 'KbArticleRevision' });
export type KbArticleRevision = z.infer<typeof KbArticleRevision>;

export const KbApproveRevisionBody = z.object({
  revision: z
    .number()
    .int()
    .min(1)
    .meta({ description: 'The revision you reviewed; 409 when an author saved it again since' }),
});
export type KbApproveRevisionBody = z.infer<typeof KbApproveRevisionBody>;

export const KbRejectRevisionBody = z.object({
  revision: z.number().int().min(1).optional().meta({ description: 'The revision you reviewed' }),
  note: z.string().trim().max(500).optional().meta({ description: 'Why; sent to the authors' }),
});
export type KbRejectRevisionBody = z.infer<typeof KbRejectRevisionBody>;

export const KbWithdrawRevisionQuery = z.object({
  revision: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .meta({ description: 'The revision you saw; 409 when someone saved the proposal again since' }),
});
export type KbWithdrawRevisionQuery = z.infer<typeof KbWithdrawRevisionQuery>;

export const KbDiffQuery = z.object({
  from: z.coerce.number().int().min(1),
  to: z.coerce.number().int().min(1),
});

export const KbVersionParams = z.object({ id: z.uuid(), version: z.coerce.number().int().min(1) });

export const KbAcknowledgeBody = z.object({
  version: z.number().int().min(1).meta({ description: 'The version you read' }),
});

export const KbPendingPolicy = z.object({
  id: z.uuid(),
  number: z.number().int(),
  title: z.string(),
  language: KbLanguage,
  acknowledgeVersion: z.number().int(),
  publishedAt: z.iso.datetime().nullable(),
});
export const KbPendingPolicyList = z
  .object({ items: z.array(KbPendingPolicy) })
  .meta({ id: 'KbPendingPolicyList' });
export type KbPendingPolicyList = z.infer<typeof KbPendingPolicyList>;

export const KbAcknowledgementList = z
  .object({
    version: z.number().int().nullable(),
    items: z.array(
      z.object({
        user: UserRef,
        acknowledged: z.boolean(),
        acknowledgedAt: z.iso.datetime().nullable(),
      }),
    ),
  })
  .meta({ id: 'KbAcknowledgementList' });
export type KbAcknowledgementList = z.infer<typeof KbAcknowledgementList>;

const Names = z
  .object({ de: z.string().trim().max(200).optional(), en: z.string().trim().max(200).optional() })
  .refine((n) => Boolean(n.de || n.en), { message: 'a name in German or English' });
const Descriptions = z.object({
  de: z.string().trim().max(2000).optional(),
  en: z.string().trim().max(2000).optional(),
});
const Slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower case letters, digits and hyphens')
  .max(100);

export const CreateKbCategoryBody = z.object({
  names: Names,
  descriptions: Descriptions.default({}),
  slug: Slug.optional().meta({ description: 'Default: from the English (or German) name' }),
  position: z.number().int().min(0).default(0),
  brandId: z.uuid().optional().meta({ description: 'Default: the brand `default`' }),
});
export type CreateKbCategoryBody = z.infer<typeof CreateKbCategoryBody>;
export const UpdateKbCategoryBody = patchOf(CreateKbCategoryBody.omit({ brandId: true }));
export type UpdateKbCategoryBody = z.infer<typeof UpdateKbCategoryBody>;

export const KbSection = z
  .object({
    id: z.uuid(),
    categoryId: z.uuid(),
    slug: z.string(),
    names: z.object({ de: z.string().optional(), en: z.string().optional() }),
    position: z.number().int(),
  })
  .meta({ id: 'KbSection' });
export type KbSection = z.infer<typeof KbSection>;

export const KbCategory = z
  .object({
    id: z.uuid(),
    brandId: z.uuid(),
    slug: z.string(),
    names: z.object({ de: z.string().optional(), en: z.string().optional() }),
    descriptions: z.object({ de: z.string().optional(), en: z.string().optional() }),
    position: z.number().int(),
    sections: z.array(KbSection),
  })
  .meta({ id: 'KbCategory' });
export type KbCategory = z.infer<typeof KbCategory>;
export const KbCategoryList = z.object({ items: z.array(KbCategory) }).meta({ id: 'KbCategoryList' });
export type KbCategoryList = z.infer<typeof KbCategoryList>;

export const CreateKbSectionBody = z.object({
  categoryId: z.uuid(),
  names: Names,
  slug: Slug.optional(),
  position: z.number().int().min(0).default(0),
});
export type CreateKbSectionBody = z.infer<typeof CreateKbSectionBody>;
export const UpdateKbSectionBody = patchOf(CreateKbSectionBody.omit({ categoryId: true }));
export type UpdateKbSectionBody = z.infer<typeof UpdateKbSectionBody>;

export const KbFile = z
  .object({
    id: z.uuid(),
    fileName: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    url: z.string().meta({ description: 'Where agents fetch it; put it in an <img src> of the body' }),
  })
  .meta({ id: 'KbFile' });
export type KbFile = z.infer<typeof KbFile>;
export const KbFileList = z.object({ items: z.array(KbFile) }).meta({ id: 'KbFileList' });
export type KbFileList = z.infer<typeof KbFileList>;
