import type { StatusCategory, ViewFilter } from '@keepdesk/contract';
import { STATUS_CATEGORIES } from '@keepdesk/contract';

export interface ParsedSearch {
  /** Words and "quoted phrases" for the full-text part, in websearch syntax. */
  text: string;
  filter: ViewFilter;
  /** `from:` addresses (or parts of them) of the requester. */
  from: string[];
}

const PRIORITIES = new Set(['low', 'normal', 'high', 'urgent']);

/**
 * Splits a search box query into full text and filters: `status:open assignee:me tag:billing
 * from:anna@example.com priority:high "exact phrase" words`. A `key:value` the search does not know stays text.
 */
export function parseSearch(query: string): ParsedSearch {
  const filter: ViewFilter = {};
  const from: string[] = [];
  const text: string[] = [];
  const tokens = query.match(/"[^"]*"?|\S+/g) ?? [];
  const add = <K extends keyof ViewFilter>(key: K, value: NonNullable<ViewFilter[K]>[number]) => {
    const list = (filter[key] as unknown[] | undefined) ?? [];
    if (!list.includes(value)) (filter as Record<string, unknown[]>)[key] = [...list, value];
  };
  for (const token of tokens) {
    const match = /^(\w+):(.+)$/.exec(token);
    const key = match?.[1]?.toLowerCase();
    const value = match?.[2]?.replace(/^"|"$/g, '');
    if (!key || !value) {
      text.push(token);
      continue;
    }
    const lower = value.toLowerCase();
    if (key === 'status' && (STATUS_CATEGORIES as readonly string[]).includes(lower))
      add('statusCategory', lower as StatusCategory);
    else if (key === 'status') add('status', lower);
    else if (key === 'priority' && PRIORITIES.has(lower)) add('priority', lower as 'low');
    else if (key === 'assignee' && (lower === 'me' || lower === 'none')) add('assignee', lower);
    else if (key === 'tag') add('tagsAll', lower);
    else if (key === 'from') from.push(lower);
    else text.push(token);
  }
  return { text: text.join(' ').trim(), filter, from };
}

/** Marks around the matches that PostgreSQL's headline puts, before the snippet is made safe HTML. */
export const MATCH_START = '\u0001';
export const MATCH_END = '\u0002';

/** A snippet as safe HTML: everything escaped, the matches in `<mark>`. */
export function snippetHtml(headline: string): string {
  const escaped = headline.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return escaped
    .replaceAll(MATCH_START, '<mark>')
    .replaceAll(MATCH_END, '</mark>')
    .replace(/\s+/g, ' ')
    .trim();
}
