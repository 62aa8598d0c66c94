/**
 * Report PDFs drawn with pdfkit's vector primitives and its built-in Helvetica (WinAnsi: German umlauts and ß),
 * so no browser or font files are needed on the server (ADR 0029).
 */
import type { MetricReport } from '@keepdesk/contract';
import PDFDocument from 'pdfkit';
import { translate } from '../../platform/i18n';
import { chartGeometry, formatDuration, formatValue } from './export.domain';
import { EXPORT_MESSAGES } from './export.messages';

type Language = 'de' | 'en';

/** What a line chart draws: a metric report's series, or any series over the same periods in one unit. */
export type ChartData = Pick<MetricReport, 'unit' | 'groupBy' | 'series'>;

/** What a PDF holds, top to bottom; each block starts a new page when it does not fit. */
export type PdfBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'note'; text: string }
  | { kind: 'chart'; heading: string; report: ChartData }
  | { kind: 'table'; columns: string[]; rows: string[][]; widths?: number[] };

const MARGIN = 50;
const COLOURS = ['#1c7ed6', '#e8590c', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599', '#c2255c', '#5c940d'];
const CHART_HEIGHT = 170;
const ROW_HEIGHT = 15;

function unitLabel(unit: MetricReport['unit'], language: Language): string {
  return unit === 'minutes' ? 'h/min' : translate(EXPORT_MESSAGES, language, `unit.${unit}`);
}

/** The labels of a report in `language`: metric, statistic, unit and group heading. */
export function reportLabels(report: MetricReport, language: Language) {
  const t = (key: string) => translate(EXPORT_MESSAGES, language, key);
  return {
    metric: t(`metric.${report.metric}`),
    heading: `${t(`metric.${report.metric}`)} (${t(`stat.${report.stat}`)})`,
    unit: unitLabel(report.unit, language),
    group: report.groupBy ? t(`dimension.${report.groupBy}`) : t('table.group'),
  };
}

/** The rows of a report's table: one per group and period, then the group's total. */
export function reportTable(report: MetricReport, language: Language): PdfBlock {
  const t = (key: string) => translate(EXPORT_MESSAGES, language, key);
  const value = (v: number | null) => formatValue(v, report.unit, language);
  const rows: string[][] = [];
  for (const series of report.series) {
    const group = report.groupBy ? series.label : t('pdf.all');
    for (const point of series.points) rows.push([group, point.period, value(point.value), String(point.n)]);
    rows.push([group, t('pdf.total'), value(series.total.value), String(series.total.n)]);
  }
  const labels = reportLabels(report, language);
  return {
    kind: 'table',
    columns: [labels.group, t('table.period'), `${t('table.value')} (${labels.unit})`, t('table.samples')],
    rows,
    widths: [0.4, 0.2, 0.25, 0.15],
  };
}

class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly width: number;

  constructor(title: string, compress: boolean) {
    this.doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      bufferPages: true,
      compress,
      info: { Title: title, Creator: 'Keepdesk' },
    });
    this.width = this.doc.page.width - 2 * MARGIN;
  }

  private get bottom() {
    return this.doc.page.height - MARGIN - 20;
  }

  private ensure(height: number) {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  heading(text: string) {
    this.ensure(40);
    this.doc.moveDown(0.6).font('Helvetica-Bold').fontSize(14).fillColor('#000').text(text, MARGIN);
    this.doc.moveDown(0.3);
  }

  note(text: string) {
    this.doc
      .font('Helvetica')
      .fontSize(10)
      .fillColor('#444')
      .text(text, MARGIN, undefined, { width: this.width });
  }

  chart(heading: string, report: ChartData, language: Language) {
    const grouped = report.series.length > 1 || report.groupBy !== null;
    const legendRows = grouped ? Math.ceil(report.series.length / 3) : 0;
    this.ensure(CHART_HEIGHT + 70 + legendRows * 12);
    this.heading(heading);
    const doc = this.doc;
    const box = { x: MARGIN + 55, y: doc.y + 14, width: this.width - 65, height: CHART_HEIGHT };
    const geometry = chartGeometry(report, box);
    const tickLabel = (v: number) =>
      report.unit === 'minutes' ? formatDuration(v, language) : formatValue(v, report.unit, language);
    doc.font('Helvetica').fontSize(7).fillColor('#555');
    doc.text(unitLabel(report.unit, language), MARGIN, box.y - 12, {
      width: 50,
      align: 'right',
      lineBreak: false,
    });
    for (const tick of geometry.ticks) {
      doc
        .moveTo(box.x, tick.y)
        .lineTo(box.x + box.width, tick.y)
        .lineWidth(0.4)
        .strokeColor('#ddd')
        .stroke();
      doc.text(tickLabel(tick.value), MARGIN, tick.y - 3, { width: 50, align: 'right', lineBreak: false });
    }
    doc
      .moveTo(box.x, box.y)
      .lineTo(box.x, box.y + box.height)
      .lineWidth(0.8)
      .strokeColor('#888')
      .stroke();
    const every = Math.max(1, Math.ceil(geometry.periods.length / 8));
    geometry.periods.forEach((period, i) => {
      if (i % every !== 0 && i !== geometry.periods.length - 1) return;
      doc.text(period.label, period.x - 30, box.y + box.height + 4, {
        width: 60,
        align: 'center',
        lineBreak: false,
      });
    });
    geometry.lines.forEach((line, i) => {
      const colour = COLOURS[i % COLOURS.length]!;
      for (const segment of line.segments) {
        if (segment.length === 1) {
          doc.circle(segment[0]!.x, segment[0]!.y, 1.8).fillColor(colour).fill();
          continue;
        }
        doc.moveTo(segment[0]!.x, segment[0]!.y);
        for (const point of segment.slice(1)) doc.lineTo(point.x, point.y);
        doc.lineWidth(1.5).strokeColor(colour).stroke();
      }
    });
    let y = box.y + box.height + 18;
    if (grouped) {
      const column = this.width / 3;
      geometry.lines.forEach((line, i) => {
        const x = MARGIN + (i % 3) * column;
        if (i > 0 && i % 3 === 0) y += 12;
        doc
          .rect(x, y + 1, 8, 6)
          .fillColor(COLOURS[i % COLOURS.length]!)
          .fill();
        doc.fillColor('#000').text(line.label || '—', x + 12, y, { width: column - 14, lineBreak: false });
      });
      y += 12;
    }
    doc.x = MARGIN;
    doc.y = y + 6;
  }

  table(block: Extract<PdfBlock, { kind: 'table' }>) {
    const doc = this.doc;
    const fractions = block.widths ?? block.columns.map(() => 1 / block.columns.length);
    const widths = fractions.map((f) => f * this.width);
    const row = (cells: string[], bold: boolean) => {
      if (doc.y + ROW_HEIGHT > this.bottom) {
        doc.addPage();
        if (!bold) row(block.columns, true);
      }
      const y = doc.y;
      doc
        .font(bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(8)
        .fillColor('#000');
      let x = MARGIN;
      cells.forEach((cell, i) => {
        doc.text(cell, x + 2, y + 3, {
          width: widths[i]! - 4,
          align: i === 0 ? 'left' : 'right',
          lineBreak: false,
          ellipsis: true,
        });
        x += widths[i]!;
      });
      doc
        .moveTo(MARGIN, y + ROW_HEIGHT)
        .lineTo(MARGIN + this.width, y + ROW_HEIGHT)
        .lineWidth(0.3);
      doc.strokeColor(bold ? '#888' : '#e5e5e5').stroke();
      doc.x = MARGIN;
      doc.y = y + ROW_HEIGHT;
    };
    this.ensure(ROW_HEIGHT * 3);
    row(block.columns, true);
    for (const cells of block.rows) row(cells, false);
    doc.moveDown(0.5);
  }

  /** Page numbers on every page, written once all pages exist. */
  footer(language: Language, generated: string) {
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const y = doc.page.height - MARGIN + 10;
      doc.page.margins.bottom = 0;
      doc.font('Helvetica').fontSize(8).fillColor('#777');
      doc.text(generated, MARGIN, y, { width: this.width / 2, lineBreak: false });
      const page = translate(EXPORT_MESSAGES, language, 'pdf.page', {
        page: String(i + 1),
        pages: String(range.count),
      });
      doc.text(page, MARGIN + this.width / 2, y, { width: this.width / 2, align: 'right', lineBreak: false });
    }
  }
}

/**
 * A report PDF: title, subtitle lines, then the blocks; A4 with page numbers. `compress: false` leaves the
 * text streams readable (tests read the words back).
 */
export function renderPdf(input: {
  title: string;
  subtitle: string[];
  blocks: PdfBlock[];
  language: Language;
  generatedAt: string;
  compress?: boolean;
}): Promise<Buffer> {
  const writer = new PdfWriter(input.title, input.compress ?? true);
  const { doc } = writer;
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(20).fillColor('#000').text(input.title, MARGIN, MARGIN);
  doc.moveDown(0.3);
  for (const line of input.subtitle) writer.note(line);
  for (const block of input.blocks) {
    if (block.kind === 'heading') writer.heading(block.text);
    else if (block.kind === 'note') writer.note(block.text);
    else if (block.kind === 'chart') writer.chart(block.heading, block.report, input.language);
    else writer.table(block);
  }
  writer.footer(
    input.language,
    translate(EXPORT_MESSAGES, input.language, 'pdf.generated', { at: input.generatedAt }),
  );
  doc.end();
  return done;
}
