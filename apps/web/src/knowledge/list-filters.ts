/** What the list is filtered by; `owner` is `mine` or a user's id. */
export interface Filters {
  q: string;
  status?: string;
  kind?: string;
  visibility?: string;
  language?: string;
  categoryId?: string;
  sectionId?: string;
  missingTranslation?: string;
  owner?: string;
  needsReview: boolean;
  /** Only articles with a proposed change waiting for a publisher (ADR 0045). */
  pendingRevision: boolean;
}

export const NO_FILTERS: Filters = { q: '', needsReview: false, pendingRevision: false };

/** The owner filter's value for the signed-in user. */
export const MINE = 'mine';

/** Whether anything narrows the list, so an empty list means "nothing matches" rather than "nothing yet". */
export function isFiltered(filters: Filters): boolean {
  return Object.entries(filters).some(([key, value]) =>
    key === 'q' ? String(value).trim() !== '' : Boolean(value),
  );
}

/** The API's query string values for the filters; "mine" is the signed-in user. */
export function articleQuery(
  filters: Filters,
  q: string,
  myUserId: string,
): Record<string, string | undefined> {
  const { owner, needsReview, pendingRevision, ...rest } = filters;
  return {
    ...rest,
    q: q || undefined,
    needsReview: needsReview ? 'true' : undefined,
    pendingRevision: pendingRevision ? 'true' : undefined,
    ownerId: owner === MINE ? myUserId : owner,
  };
}
