/**
 * CSV as RFC 4180 writes it (quoted fields with doubled quotes, line breaks inside quotes, CRLF or LF), with
 * a byte-order mark and `;` as separator (what German spreadsheets save) recognised. Every record keeps the
 * line it starts on, so an import can say which line was wrong; a record with the wrong number of fields or
 * an unclosed quote is reported, never silently shifted.
 */
export interface CsvRecord {
  /** The line the record starts on (the header is line 1). */
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
  errors: { line: number; message: string }[];
}

/** The separator of a file: `;` when the header line has more of them than commas, else `,`. */
function separatorOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (c: string) => firstLine.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

export function parseCsv(input: string): CsvTable {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const separator = separatorOf(text);
  const rows: CsvRecord[] = [];
  const errors: CsvTable['errors'] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let startLine = 1;
  let quoted = false;
  let wasQuoted = false;
  const endCell = () => {
    cells.push(cell);
    cell = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endCell();
    if (!(cells.length === 1 && cells[0] === '' && !wasQuoted)) rows.push({ line: startLine, cells });
    cells = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
    } else if (c === separator) {
      endCell();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      startLine = line;
    } else {
      cell += c;
    }
  }
  if (quoted) {
    errors.push({ line: startLine, message: 'a quoted field is never closed' });
    cells = [];
  } else if (cell !== '' || cells.length > 0) {
    endRecord();
  }
  const [header, ...records] = rows;
  if (!header)
    return { header: [], records: [], errors: [...errors, { line: 1, message: 'the file is empty' }] };
  const good: CsvRecord[] = [];
  for (const record of records) {
    if (record.cells.length !== header.cells.length) {
      errors.push({
        line: record.line,
        message: `expected ${header.cells.length} fields as in the header, found ${record.cells.length}`,
      });
    } else {
      good.push(record);
    }
  }
  return { header: header.cells.map((h) => h.trim()), records: good, errors };
}
