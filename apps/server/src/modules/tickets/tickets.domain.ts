import type { StatusCategory } from '@keepdesk/contract';

/** The fields of a ticket that changes are recorded for, as the domain sees them. */
export interface TicketState {
  subject: string;
  statusKey: string;
  statusCategory: StatusCategory;
  priority: string;
  type: string;
  assigneeId: string | null;
  teamId: string | null;
  tags: string[];
  requesterId: string;
  solvedAt: Date | null;
  closedAt: Date | null;
}

export type TicketChange = Partial<
  Pick<TicketState, 'subject' | 'priority' | 'type' | 'assigneeId' | 'teamId' | 'tags' | 'requesterId'>
> & {
  status?: { key: string; category: StatusCategory };
};

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export type UpdatePlan =
  | { ok: true; next: TicketState; changes: FieldChange[] }
  | { ok: false; reason: 'closed' };

/** A new ticket is `new` until someone owns it; an assigned one starts `open`. */
export function initialStatusKey(assigneeId: string | null): 'new' | 'open' {
  return assigneeId ? 'open' : 'new';
}

/** Tags compare lower-case; each once, in the order first given. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))];
}

/**
 * What an update does: the next state and each field's from → to. A closed ticket is final (a follow-up
 * ticket continues it). Solving stamps `solvedAt`, reopening clears it; closing stamps `closedAt`. Taking a
 * `new` ticket by assigning it opens it, unless the update sets a status itself.
 */
export function planUpdate(before: TicketState, change: TicketChange, now: Date): UpdatePlan {
  if (before.statusCategory === 'closed') return { ok: false, reason: 'closed' };
  const next: TicketState = { ...before };
  if (change.subject !== undefined) next.subject = change.subject;
  if (change.priority !== undefined) next.priority = change.priority;
  if (change.type !== undefined) next.type = change.type;
  if (change.assigneeId !== undefined) next.assigneeId = change.assigneeId;
  if (change.teamId !== undefined) next.teamId = change.teamId;
  if (change.tags !== undefined) next.tags = normalizeTags(change.tags);
  if (change.requesterId !== undefined) next.requesterId = change.requesterId;
  if (change.status) {
    next.statusKey = change.status.key;
    next.statusCategory = change.status.category;
  } else if (before.statusCategory === 'new' && next.assigneeId && !before.assigneeId) {
    next.statusKey = 'open';
    next.statusCategory = 'open';
  }
  if (next.statusCategory === 'solved' && before.statusCategory !== 'solved') next.solvedAt = now;
  if (next.statusCategory !== 'solved' && next.statusCategory !== 'closed') next.solvedAt = null;
  if (next.statusCategory === 'closed') {
    next.closedAt = now;
    next.solvedAt ??= now;
  }
  const changes: FieldChange[] = [];
  const compare = (field: string, from: unknown, to: unknown) => {
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from, to });
  };
  compare('subject', before.subject, next.subject);
  compare('status', before.statusKey, next.statusKey);
  compare('priority', before.priority, next.priority);
  compare('type', before.type, next.type);
  compare('assignee', before.assigneeId, next.assigneeId);
  compare('team', before.teamId, next.teamId);
  compare('tags', before.tags, next.tags);
  compare('requester', before.requesterId, next.requesterId);
  return { ok: true, next, changes };
}

/** After a public reply by an agent, a `new` ticket counts as being worked on. */
export function statusAfterAgentReply(category: StatusCategory): 'open' | null {
  return category === 'new' ? 'open' : null;
}

const GERMAN = new Set(
  'der die das und ist nicht ich wir sie ein eine einen mit für auf bitte danke hallo guten tag mein meine uns unser von zu wurde haben kann können sehr geehrte grüße freundlichen wie was warum noch schon'.split(
    ' ',
  ),
);
const ENGLISH = new Set(
  'the and is not i we you a an with for on please thanks thank hello hi my our us of to was have can could would dear regards kind how what why still already'.split(
    ' ',
  ),
);

/** German or English by common words (and umlauts); null when the text gives too little to tell. */
export function detectLanguage(text: string): 'de' | 'en' | null {
  // Tokens with digits are codes (order numbers, references), not words: "3a5a1b2c" holds no "a".
  const words = (text.toLowerCase().match(/[a-zäöüß0-9]+/g) ?? []).filter((token) => !/\d/.test(token));
  let german = /[äöüß]/.test(text.toLowerCase()) ? 1 : 0;
  let english = 0;
  for (const word of words) {
    if (GERMAN.has(word)) german++;
    if (ENGLISH.has(word)) english++;
  }
  if (german + english < 2 || german === english) return null;
  return german > english ? 'de' : 'en';
}

const MENTION = /<span[^>]*\sdata-mention="([0-9a-f-]{36})"/gi;

/** The users a (sanitised) message mentions: `<span data-mention="user id">@Name</span>`, each once. */
export function extractMentions(html: string): string[] {
  return [...new Set([...html.matchAll(MENTION)].map((m) => m[1]!.toLowerCase()))];
}
