/** The placeholders a macro may use, and what they stand for on a ticket. */
export const PLACEHOLDERS = [
  'customer.name',
  'customer.firstName',
  'customer.email',
  'ticket.number',
  'ticket.subject',
  'agent.name',
  'agent.firstName',
  'organization.name',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PATTERN = /\{\{\s*([\w.]+)\s*\}\}/g;

/** The placeholders in a text that Keepdesk does not know (`{{customer.nmae}}`), each once. */
export function unknownPlaceholders(text: string): string[] {
  const known = new Set<string>(PLACEHOLDERS);
  return [...new Set([...text.matchAll(PATTERN)].map((m) => m[1]!).filter((name) => !known.has(name)))];
}

/** Fills the placeholders; one without a value (a customer without a name) becomes empty, never `{{…}}`. */
export function renderMacro(text: string, values: Partial<Record<Placeholder, string>>): string {
  return text
    .replace(PATTERN, (_whole, name: string) => values[name as Placeholder] ?? '')
    .replace(/[ \t]+([,.!?])/g, '$1');
}

/** "Erika Muster" → "Erika". */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}
