import { describe, expect, it } from 'vitest';
import { articleQuery, isFiltered, NO_FILTERS } from './list-filters';

const ME = '00000000-0000-4000-8000-000000000001';
const COLLEAGUE = '00000000-0000-4000-8000-000000000002';

describe('knowledge list filters', () => {
  it('asks for the signed-in user’s articles when the owner is "mine", and for a colleague’s by id', () => {
    expect(articleQuery({ ...NO_FILTERS, owner: 'mine' }, '', ME).ownerId).toBe(ME);
    expect(articleQuery({ ...NO_FILTERS, owner: COLLEAGUE }, '', ME).ownerId).toBe(COLLEAGUE);
    expect(articleQuery(NO_FILTERS, '', ME).ownerId).toBeUndefined();
  });

  it('passes category and section as given, the debounced text, and needs-review only when on', () => {
    const query = articleQuery(
      { ...NO_FILTERS, q: 'rout', categoryId: 'c', sectionId: 's', needsReview: true },
      'router',
      ME,
    );
    expect(query).toMatchObject({ q: 'router', categoryId: 'c', sectionId: 's', needsReview: 'true' });
    expect(query).not.toHaveProperty('owner');
    expect(articleQuery(NO_FILTERS, '', ME)).toMatchObject({ q: undefined, needsReview: undefined });
  });

  it('asks for articles with a pending change only when that filter is on', () => {
    expect(articleQuery({ ...NO_FILTERS, pendingRevision: true }, '', ME).pendingRevision).toBe('true');
    expect(articleQuery(NO_FILTERS, '', ME).pendingRevision).toBeUndefined();
    expect(isFiltered({ ...NO_FILTERS, pendingRevision: true })).toBe(true);
  });

  it('counts a list as filtered by any filter, but not by blank text', () => {
    expect(isFiltered(NO_FILTERS)).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, q: '   ' })).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, q: 'x' })).toBe(true);
    expect(isFiltered({ ...NO_FILTERS, owner: 'mine' })).toBe(true);
    expect(isFiltered({ ...NO_FILTERS, sectionId: 's' })).toBe(true);
    expect(isFiltered({ ...NO_FILTERS, needsReview: true })).toBe(true);
    expect(isFiltered({ ...NO_FILTERS, status: undefined })).toBe(false);
  });
});
