import { AppError } from './errors';

/** Opaque keyset cursors: the sort key of the last row of a page, never an offset. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): (string | number)[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === length) return values as (string | number)[];
  } catch {}
  throw new AppError('VALIDATION_FAILED', {
    message: 'invalid cursor',
    errors: [{ field: 'cursor', message: 'not a cursor from a previous page' }],
  });
}

/** Splits `limit + 1` rows into a page and the cursor of the next one. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  present: (row: Row) => Item,
  keyOf: (row: Row) => (string | number)[],
): { items: Item[]; nextCursor: string | null } {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(present), nextCursor: hasMore && last ? encodeCursor(keyOf(last)) : null };
}

/** Escapes `%`, `_` and `\` for use inside a LIKE pattern. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
