import { describe, expect, it } from 'vitest';
import {
  acknowledgeVersionOnPublish,
  allowedTransitions,
  changedSettings,
  checkTransition,
  diffWords,
  editModeOf,
  missingLanguages,
  needsReview,
  publicBodyHtml,
  referencedFileIds,
  slugify,
  verificationDue,
} from './articles.domain';

const WRITER = ['kb:read', 'kb:write'];
const PUBLISHER = [...WRITER, 'kb:publish'];

describe('slugify', () => {
  it.each([
    ['Passwort zurücksetzen', 'passwort-zuruecksetzen'],
    ['Größe & Maße ändern', 'groesse-masse-aendern'],
    ['Über uns: ÄÖÜ', 'ueber-uns-aeoeue'],
    ['  How do I reset my password?  ', 'how-do-i-reset-my-password'],
    ['Café crème', 'cafe-creme'],
    ['!!!', 'article'],
  ])('turns %j into %j', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('cuts long titles at a word boundary without a trailing hyphen', () => {
    const slug = slugify(`${'word '.repeat(40)}end`, 22);
    expect(slug.length).toBeLessThanOrEqual(22);
    expect(slug.endsWith('-')).toBe(false);
  });
});

describe('status transitions', () => {
  it.each([
    ['draft', 'in_review', WRITER, true],
    ['draft', 'published', WRITER, false],
    ['draft', 'published', PUBLISHER, true],
    ['in_review', 'published', WRITER, false],
    ['in_review', 'published', PUBLISHER, true],
    ['in_review', 'draft', WRITER, true],
    ['published', 'archived', WRITER, false],
    ['published', 'archived', PUBLISHER, true],
    ['archived', 'draft', PUBLISHER, true],
    ['archived', 'published', PUBLISHER, true],
  ] as const)('%s → %s with %j: %s', (from, to, permissions, ok) => {
    expect(checkTransition(from, to, permissions).ok).toBe(ok);
  });

  it('says a missing permission apart from a move that does not exist', () => {
    expect(checkTransition('draft', 'published', WRITER)).toEqual({
      ok: false,
      reason: 'forbidden',
      needs: 'kb:publish',
    });
    expect(checkTransition('published', 'draft', PUBLISHER)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkTransition('draft', 'archived', PUBLISHER)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('lists the moves a writer and a publisher have from a draft', () => {
    expect(allowedTransitions('draft', WRITER)).toEqual(['in_review']);
    expect(allowedTransitions('draft', PUBLISHER)).toEqual(['in_review', 'published']);
  });

  it('lets publishers edit live content and makes the save of an author a proposal', () => {
    expect(editModeOf('published', WRITER)).toBe('propose');
    expect(editModeOf('published', PUBLISHER)).toBe('live');
    expect(editModeOf('in_review', WRITER)).toBe('live');
    expect(editModeOf('published', ['kb:read'])).toBe('forbidden');
    expect(editModeOf('draft', ['kb:read'])).toBe('forbidden');
  });

  it('names the settings a proposal would change, ignoring the ones sent unchanged', () => {
    const live = {
      kind: 'article',
      visibility: 'public',
      categoryId: null,
      sectionId: null,
      ownerId: 'u1',
      verificationIntervalDays: 90,
    };
    expect(changedSettings(live, { ...live })).toEqual([]);
    expect(changedSettings(live, {})).toEqual([]);
    expect(changedSettings(live, { visibility: 'internal', ownerId: 'u1', categoryId: 'c1' })).toEqual([
      'visibility',
      'categoryId',
    ]);
  });
});

describe('policies', () => {
  it('asks again when a policy is published with a newer version, never for plain articles', () => {
    expect(acknowledgeVersionOnPublish('policy', 1, null)).toBe(1);
    expect(acknowledgeVersionOnPublish('policy', 3, 1)).toBe(3);
    expect(acknowledgeVersionOnPublish('policy', 3, 3)).toBe(3);
    expect(acknowledgeVersionOnPublish('article', 3, null)).toBeNull();
  });
});

describe('verification', () => {
  const created = new Date('2026-01-01T00:00:00Z');
  it('falls due one interval after the verification, or after creation before any', () => {
    expect(verificationDue(30, null, created)?.toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(verificationDue(30, new Date('2026-02-01T00:00:00Z'), created)?.toISOString()).toBe(
      '2026-03-03T00:00:00.000Z',
    );
    expect(verificationDue(null, null, created)).toBeNull();
  });

  it('needs review only once due has passed, and never when archived', () => {
    const due = new Date('2026-01-31T00:00:00Z');
    expect(needsReview(due, 'published', new Date('2026-01-30T23:59:59Z'))).toBe(false);
    expect(needsReview(due, 'published', new Date('2026-01-31T00:00:01Z'))).toBe(true);
    expect(needsReview(due, 'archived', new Date('2027-01-01T00:00:00Z'))).toBe(false);
    expect(needsReview(null, 'published', new Date('2027-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('diffWords', () => {
  it('marks a replaced word as deleted and inserted, keeping the rest equal', () => {
    expect(diffWords('Reset your password in settings', 'Reset your passphrase in settings')).toEqual([
      { op: 'equal', text: 'Reset your ' },
      { op: 'delete', text: 'password' },
      { op: 'insert', text: 'passphrase' },
      { op: 'equal', text: ' in settings' },
    ]);
  });

  it('finds words inserted in the middle and removed at the end', () => {
    const segments = diffWords('one two three four', 'one two and a half three');
    expect(segments.filter((s) => s.op === 'insert').map((s) => s.text.trim())).toEqual(['and a half']);
    expect(diffWords('one two three four', 'one two three')).toEqual([
      { op: 'equal', text: 'one two three' },
      { op: 'delete', text: ' four' },
    ]);
  });

  it('gives the old text back from equal+delete and the new one from equal+insert', () => {
    const before = 'Die Rechnung kommt am Monatsanfang per E-Mail.\n\nFragen? Schreib uns.';
    const after = 'Die Rechnung kommt am Monatsende per Post.\n\nFragen? Ruf uns an oder schreib uns.';
    const segments = diffWords(before, after);
    const join = (ops: string[]) =>
      segments
        .filter((s) => ops.includes(s.op))
        .map((s) => s.text)
        .join('');
    expect(join(['equal', 'delete'])).toBe(before);
    expect(join(['equal', 'insert'])).toBe(after);
  });

  it('handles empty sides', () => {
    expect(diffWords('', 'new text')).toEqual([{ op: 'insert', text: 'new text' }]);
    expect(diffWords('old', '')).toEqual([{ op: 'delete', text: 'old' }]);
    expect(diffWords('same', 'same')).toEqual([{ op: 'equal', text: 'same' }]);
  });
});

describe('languages and files', () => {
  it('lists the languages a translation group lacks', () => {
    expect(missingLanguages(['en'])).toEqual(['de']);
    expect(missingLanguages(['de', 'en'])).toEqual([]);
  });

  it('finds file references and points them to the public route', () => {
    const id = '0b9a3f5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
    const html = `<p><img src="/api/v1/kb/files/${id}" /><img src="/api/v1/kb/files/${id}" /></p>`;
    expect(referencedFileIds(html)).toEqual([id]);
    expect(publicBodyHtml(html)).toBe(`<p><img src="/hc/files/${id}" /><img src="/hc/files/${id}" /></p>`);
  });
});
