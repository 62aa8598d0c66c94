/** Rules for customer records: how addresses compare, which organisation claims a contact. */

/** E-mail addresses compare case-insensitively and without surrounding blanks. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Phone numbers compare by their digits, keeping a leading `+`: `+49 (30) 1234-56` → `+4930123456`. */
export function normalizePhone(phone: string): string {
  const trimmed = phone.trim();
  const digits = trimmed.replace(/\D/g, '');
  return trimmed.startsWith('+') ? `+${digits}` : digits;
}

/** The domain part of an address, lower-case; null when there is none. */
export function domainOf(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return null;
  return email
    .slice(at + 1)
    .trim()
    .toLowerCase();
}

/** What to call a contact: the name, else the part of the primary address before the `@`, else the phone. */
export function displayName(name: string, emails: readonly string[], phones: readonly string[]): string {
  if (name.trim()) return name.trim();
  const email = emails[0];
  if (email) return email.slice(0, email.indexOf('@') > 0 ? email.indexOf('@') : undefined);
  return phones[0] ?? '';
}

/** Unique values in their first order, after normalising. */
export function uniqueNormalized(values: readonly string[], normalize: (value: string) => string): string[] {
  return [...new Set(values.map(normalize).filter((value) => value.length > 0))];
}
