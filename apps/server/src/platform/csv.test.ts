import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes and line breaks inside quotes, keeping each record’s line', () => {
    const table = parseCsv('a,b\r\n1,"x, ""y"""\r\n2,"two\nlines"\n3,z\n');
    expect(table.header).toEqual(['a', 'b']);
    expect(table.records).toEqual([
      { line: 2, cells: ['1', 'x, "y"'] },
      { line: 3, cells: ['2', 'two\nlines'] },
      { line: 5, cells: ['3', 'z'] },
    ]);
    expect(table.errors).toEqual([]);
  });

  it('reports a row with the wrong number of fields by its line and keeps the others', () => {
    const table = parseCsv('a,b\n1,2\n3\n4,5,6\n7,8');
    expect(table.records.map((r) => r.line)).toEqual([2, 5]);
    expect(table.errors).toEqual([
      { line: 3, message: 'expected 2 fields as in the header, found 1' },
      { line: 4, message: 'expected 2 fields as in the header, found 3' },
    ]);
  });

  it('takes ; as separator from German spreadsheets, skips blank lines and a byte-order mark', () => {
    const table = parseCsv('\uFEFFName;Wert\n\nMüller;"3,5"\n');
    expect(table.header).toEqual(['Name', 'Wert']);
    expect(table.records).toEqual([{ line: 3, cells: ['Müller', '3,5'] }]);
  });

  it('reports an unclosed quote and an empty file', () => {
    expect(parseCsv('a,b\n1,"open\n2,3\n').errors).toEqual([
      { line: 2, message: 'a quoted field is never closed' },
    ]);
    expect(parseCsv('').errors).toEqual([{ line: 1, message: 'the file is empty' }]);
  });
});
