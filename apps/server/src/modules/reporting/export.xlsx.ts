/** Report workbooks with exceljs: one sheet per table, numbers as numbers and period starts as dates. */
import ExcelJS from 'exceljs';
import { sheetNameOf } from './export.domain';

export type XlsxCell = string | number | Date | null;

export interface XlsxSheet {
  name: string;
  columns: { header: string; width?: number; numFmt?: string }[];
  rows: XlsxCell[][];
}

export async function renderXlsx(input: { title: string; sheets: XlsxSheet[] }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Keepdesk';
  workbook.title = input.title;
  const taken = new Set<string>();
  for (const sheet of input.sheets) {
    const name = sheetNameOf(sheet.name, taken);
    taken.add(name.toLowerCase());
    const worksheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    worksheet.columns = sheet.columns.map((column, i) => ({
      header: column.header,
      key: String(i),
      width: column.width ?? 16,
      ...(column.numFmt ? { style: { numFmt: column.numFmt } } : {}),
    }));
    worksheet.getRow(1).font = { bold: true };
    for (const row of sheet.rows) worksheet.addRow(row);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
