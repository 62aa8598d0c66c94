/** A colleague who can be mentioned. */
export interface Mentionable {
  id: string;
  name: string;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The word being typed after `@` at the caret, if any: `{ start, query }` where `start` is the index of `@`.
 * An `@` inside a word (an e-mail address) does not start a mention.
 */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([\p{L}\p{N}._-]*(?: [\p{L}\p{N}._-]*)?)$/u.exec(before);
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]! };
}

/**
 * Plain text as the HTML the server stores: paragraphs at blank lines, line breaks inside them, and each
 * `@Full Name` of a colleague as a mention the server notifies (longest names first, so "Anna Maria" wins
 * over "Anna").
 */
export function textToHtml(text: string, people: readonly Mentionable[]): string {
  const names = [...people].filter((p) => p.name.trim()).sort((a, b) => b.name.length - a.name.length);
  const byName = new Map(names.map((p) => [`@${escapeHtml(p.name)}`, p.id]));
  // One pass over the text, so a mention already made is never matched again by a shorter name.
  const pattern =
    names.length > 0
      ? new RegExp([...byName.keys()].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
      : null;
  const withMentions = (paragraph: string) => {
    const html = escapeHtml(paragraph);
    return pattern
      ? html.replace(pattern, (at) => `<span data-mention="${byName.get(at)}">${at}</span>`)
      : html;
  };
  return text
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${withMentions(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
}
