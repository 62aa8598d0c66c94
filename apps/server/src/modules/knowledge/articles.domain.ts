/** Pure rules of knowledge articles: slugs, the status workflow, verification due dates, word diffs. */

export type Status = 'draft' | 'in_review' | 'published' | 'archived';
export type KbPermission = 'kb:write' | 'kb:publish';
export const LANGUAGES = ['de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const UMLAUTS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', Ä: 'ae', Ö: 'oe', Ü: 'ue' };

/** The readable URL part of a title: "Passwort zurücksetzen!" → "passwort-zuruecksetzen". */
export function slugify(title: string, maxLength = 80): string {
  const slug = title
    .replace(/[äöüßÄÖÜ]/g, (c) => UMLAUTS[c] ?? c)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
  return slug || 'article';
}

/**
 * Who may move an article from one status to another: `kb:write` authors submit and withdraw, `kb:publish`
 * publishes, archives and brings archived articles back. A missing entry is a move that does not exist.
 */
const TRANSITIONS: Record<Status, Partial<Record<Status, KbPermission>>> = {
  draft: { in_review: 'kb:write', published: 'kb:publish' },
  in_review: { draft: 'kb:write', published: 'kb:publish' },
  published: { archived: 'kb:publish' },
  archived: { draft: 'kb:publish', published: 'kb:publish' },
};

export type TransitionCheck =
  | { ok: true }
  | { ok: false; reason: 'invalid' | 'forbidden'; needs?: KbPermission };

export function checkTransition(from: Status, to: Status, permissions: readonly string[]): TransitionCheck {
  const needs = TRANSITIONS[from][to];
  if (!needs) return { ok: false, reason: 'invalid' };
  if (!permissions.includes(needs)) return { ok: false, reason: 'forbidden', needs };
  return { ok: true };
}

/** The statuses reachable from `from` for someone holding `permissions` (the buttons an editor shows). */
export function allowedTransitions(from: Status, permissions: readonly string[]): Status[] {
  return (Object.entries(TRANSITIONS[from]) as [Status, KbPermission][])
    .filter(([, needs]) => permissions.includes(needs))
    .map(([to]) => to);
}

/** How a save is applied: `live` changes the article, `propose` makes a pending revision (ADR 0045). */
export type EditMode = 'live' | 'propose' | 'forbidden';

/**
 * Published content is live: a publisher edits it directly, an author proposes a revision (ADR 0040, 0045).
 * Drafts, articles in review and archived ones are open to every author.
 */
export function editModeOf(status: Status, permissions: readonly string[]): EditMode {
  if (status === 'published' && permissions.includes('kb:publish')) return 'live';
  if (!permissions.includes('kb:write')) return 'forbidden';
  return status === 'published' ? 'propose' : 'live';
}

/** The settings a proposal cannot change: only title, body and tags wait for review. */
const SETTINGS = [
  'kind',
  'visibility',
  'categoryId',
  'sectionId',
  'ownerId',
  'verificationIntervalDays',
] as const;

/** The settings of a published article an author's save would change (sent, and different from the live ones). */
export function changedSettings(
  live: Record<(typeof SETTINGS)[number], unknown>,
  input: Partial<Record<(typeof SETTINGS)[number], unknown>>,
): string[] {
  return SETTINGS.filter((field) => input[field] !== undefined && input[field] !== live[field]);
}

/** A policy is published with new content: agents must acknowledge the new version. */
export function acknowledgeVersionOnPublish(
  kind: 'article' | 'policy',
  version: number,
  acknowledgeVersion: number | null,
): number | null {
  if (kind !== 'policy') return null;
  return acknowledgeVersion === null || version > acknowledgeVersion ? version : acknowledgeVersion;
}

const DAY_MS = 86_400_000;

/** When the article needs review: the last verification (or the creation) plus the interval; null: never. */
export function verificationDue(
  intervalDays: number | null,
  verifiedAt: Date | null,
  createdAt: Date,
): Date | null {
  if (intervalDays === null) return null;
  return new Date((verifiedAt ?? createdAt).getTime() + intervalDays * DAY_MS);
}

export function needsReview(due: Date | null, status: Status, now: Date): boolean {
  return due !== null && status !== 'archived' && due.getTime() < now.getTime();
}

/** The languages of {de, en} a translation group has no article in yet. */
export function missingLanguages(present: readonly string[]): Language[] {
  return LANGUAGES.filter((language) => !present.includes(language));
}

export interface DiffSegment {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

/** Words, punctuation marks and the whitespace between them, so joining the tokens gives the text back. */
function tokenize(text: string): string[] {
  return text.match(/\s+|[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu) ?? [];
}

/** Above this many cells the LCS table costs too much memory; the middle is then shown as replaced. */
const MAX_CELLS = 4_000_000;

/**
 * A word-level diff (longest common subsequence over words and whitespace). Common starts and ends are cut
 * first, so a typo fix in a long article compares only the changed middle.
 */
export function diffWords(before: string, after: string): DiffSegment[] {
  const a = tokenize(before);
  const b = tokenize(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffSegment[] = [];
  const push = (op: DiffSegment['op'], text: string) => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last.op === op) last.text += text;
    else out.push({ op, text });
  };
  push('equal', a.slice(0, start).join(''));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    push('delete', midA.join(''));
    push('insert', midB.join(''));
  } else {
    // lengths[i][j]: the weight of the LCS of midA[i..] and midB[j..], flattened. A shared word weighs
    // more than shared whitespace, so the diff lines up words rather than the gaps between them.
    const width = m + 1;
    const lengths = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lengths[i * width + j] =
          midA[i] === midB[j]
            ? lengths[(i + 1) * width + j + 1]! + (/^\s/.test(midA[i]!) ? 1 : 3)
            : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (midA[i] === midB[j]) {
        push('equal', midA[i]!);
        i++;
        j++;
      } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) {
        push('delete', midA[i++]!);
      } else {
        push('insert', midB[j++]!);
      }
    }
    while (i < n) push('delete', midA[i++]!);
    while (j < m) push('insert', midB[j++]!);
  }
  push('equal', a.slice(endA).join(''));
  return out;
}

/** Whether a change touches the versioned content (title, body, tags) rather than metadata only. */
export function isContentChange(
  before: { title: string; bodyHtml: string; tags: readonly string[] },
  after: { title: string; bodyHtml: string; tags: readonly string[] },
): boolean {
  return (
    before.title !== after.title ||
    before.bodyHtml !== after.bodyHtml ||
    before.tags.length !== after.tags.length ||
    before.tags.some((tag, i) => tag !== after.tags[i])
  );
}

/** Tags as stored: trimmed, lower case, each once, in the order given. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))];
}

const FILE_REF = /\/api\/v1\/kb\/files\/([0-9a-f-]{36})/g;

/** The ids of knowledge-base files an article body points to. */
export function referencedFileIds(html: string): string[] {
  return [...new Set([...html.matchAll(FILE_REF)].map((match) => match[1]!))];
}

/** The body as the help center serves it: file links point to the public file route. */
export function publicBodyHtml(html: string): string {
  return html.replace(FILE_REF, (_whole, id: string) => `/hc/files/${id}`);
}
