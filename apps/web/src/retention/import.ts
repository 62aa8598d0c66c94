import type { CustomerImportBody, CustomerImportField, CustomerImportKind } from '@keepdesk/contract';

/** Field name → the CSV column chosen for it, null when the file has none. */
export type ColumnChoice = Record<string, string | null>;

/** Names compare like the server compares them: case, blanks and punctuation ignored. */
function comparable(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * The column names of a CSV text: its first line, split at `;` when it has more of them than commas (as the
 * server decides), quotes removed and doubled quotes kept as one.
 */
export function csvHeader(text: string): string[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const end = body.search(/\r?\n/);
  const line = end < 0 ? body : body.slice(0, end);
  if (line.trim() === '') return [];
  const separator = line.split(';').length > line.split(',').length ? ';' : ',';
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === separator) {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}

/**
 * The column each field would read without a mapping: one named like the field, else one named like one of its
 * other names; a column feeds one field only, and fields are served in their order (the server's rule).
 */
export function suggestColumns(
  fields: readonly CustomerImportField[],
  header: readonly string[],
): ColumnChoice {
  const used = new Set<number>();
  const normalized = header.map(comparable);
  const free = (name: string) => normalized.findIndex((h, i) => h === comparable(name) && !used.has(i));
  const choice: ColumnChoice = {};
  for (const field of fields) {
    let index = free(field.name);
    for (const alias of field.aliases) if (index < 0) index = free(alias);
    if (index >= 0) used.add(index);
    choice[field.name] = index >= 0 ? header[index]! : null;
  }
  return choice;
}

/** The required fields that have no column yet, by name. */
export function missingRequired(fields: readonly CustomerImportField[], choice: ColumnChoice): string[] {
  return fields.filter((field) => field.required && !choice[field.name]).map((field) => field.name);
}

/** The request: every chosen column as an explicit mapping, the date format only when given. */
export function importBody(
  kind: CustomerImportKind,
  csv: string,
  choice: ColumnChoice,
  dateFormat: string,
  dryRun: boolean,
): CustomerImportBody {
  const map = Object.fromEntries(
    Object.entries(choice).filter((entry): entry is [string, string] => entry[1] !== null),
  );
  return { kind, csv, map, dryRun, ...(dateFormat.trim() ? { dateFormat: dateFormat.trim() } : {}) };
}
