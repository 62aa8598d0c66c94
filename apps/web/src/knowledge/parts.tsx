import type {
  KbArticleStatus,
  KbArticleSummary,
  KbCategoryList,
  KbPendingPolicyList,
} from '@keepdesk/contract';
import { Badge, Group } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';

const STATUS_COLOR: Record<KbArticleStatus, string> = {
  draft: 'gray',
  in_review: 'yellow',
  published: 'teal',
  archived: 'dark',
};

export function StatusBadge({ status }: { status: KbArticleStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" data-testid="kb-status">
      {t(`knowledge.status.${status}`)}
    </Badge>
  );
}

/** Status, "change pending", "needs review", missing translations and "policy", as the list and editor show them. */
export function ArticleBadges({ article }: { article: KbArticleSummary }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="wrap">
      <StatusBadge status={article.status} />
      {article.kind === 'policy' && (
        <Badge color="grape" variant="light">
          {t('knowledge.policy')}
        </Badge>
      )}
      {article.visibility === 'public' && (
        <Badge color="blue" variant="outline">
          {t('knowledge.visibility.public')}
        </Badge>
      )}
      {article.pendingRevision && (
        <Badge color="yellow" variant="light" data-testid="kb-change-pending">
          {t('knowledge.revision.badge')}
        </Badge>
      )}
      {article.needsReview && (
        <Badge color="orange" variant="filled" data-testid="kb-needs-review">
          {t('knowledge.needsReview')}
        </Badge>
      )}
      {article.missingLanguages.map((language) => (
        <Badge key={language} color="red" variant="outline">
          {t('knowledge.missingLanguage', { language: language.toUpperCase() })}
        </Badge>
      ))}
    </Group>
  );
}

export const categoriesQuery = {
  queryKey: ['kb', 'categories'],
  queryFn: () => api.get<KbCategoryList>('/kb/categories'),
};

export const pendingPoliciesQuery = {
  queryKey: ['kb', 'policies', 'mine'],
  queryFn: () => api.get<KbPendingPolicyList>('/kb/policies/mine'),
};

/** The nav's count of policies waiting for the user's acknowledgement. */
export function PendingPoliciesBadge() {
  const pending = useQuery(pendingPoliciesQuery);
  const count = pending.data?.items.length ?? 0;
  if (count === 0) return null;
  return (
    <Badge size="sm" color="grape" circle data-testid="kb-pending-count">
      {count}
    </Badge>
  );
}

/** A category's or section's name in the interface language, the other one when missing. */
export function nameIn(names: { de?: string; en?: string }, language: string): string {
  return (language.startsWith('de') ? names.de || names.en : names.en || names.de) ?? '';
}
