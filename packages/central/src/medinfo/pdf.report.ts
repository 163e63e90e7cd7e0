/**
 * A tabular report laid out on A4 pages for `writePdf`: a title and header lines on every page,
 * sections (a shaded heading, then a table with its column titles), rows that never split, page
 * breaks that repeat the section heading ("（続き）") and the column titles, and "n / m" at the foot.
 */
import {
  A4,
  fitText,
  type PdfLine,
  type PdfPage,
  type PdfRect,
  type PdfText,
  textWidth,
  writePdf,
} from './pdf.writer.ts';

export interface ReportColumn {
  readonly title: string;
  /** Width in points. */
  readonly width: number;
  readonly align?: 'left' | 'right';
}

export interface ReportSection {
  readonly heading: string;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly (readonly string[])[];
}

export interface Report {
  readonly title: string;
  /** Lines under the title on every page (institution, date, patient …). */
  readonly header: readonly string[];
  readonly sections: readonly ReportSection[];
  /** Printed when there is no section. */
  readonly empty: string;
  readonly createdAt: Date;
}

const MARGIN = 36;
const TITLE_SIZE = 14;
const HEADER_SIZE = 9;
const HEADING_SIZE = 9.5;
const CELL_SIZE = 8;
const ROW = 12;
const PAD = 2;

class PageBuilder {
  readonly pages: { texts: PdfText[]; lines: PdfLine[]; rects: PdfRect[] }[] = [];
  y = 0;
  private readonly report: Report;

  constructor(report: Report) {
    this.report = report;
  }

  get page() {
    return this.pages[this.pages.length - 1]!;
  }

  newPage(): void {
    this.pages.push({ texts: [], lines: [], rects: [] });
    let y = A4.height - MARGIN - TITLE_SIZE;
    this.text(MARGIN, y, TITLE_SIZE, this.report.title);
    y -= 6;
    for (const line of this.report.header) {
      y -= HEADER_SIZE + 4;
      this.text(MARGIN, y, HEADER_SIZE, line);
    }
    y -= 6;
    this.page.lines.push({ x1: MARGIN, y1: y, x2: A4.width - MARGIN, y2: y, width: 1 });
    this.y = y - 4;
  }

  text(x: number, y: number, size: number, text: string): void {
    this.page.texts.push({ x, y, size, text });
  }

  /** Starts a new page when `height` does not fit above the footer. */
  ensure(height: number): boolean {
    if (this.pages.length > 0 && this.y - height >= MARGIN + 16) return false;
    this.newPage();
    return true;
  }
}

function tableWidth(columns: readonly ReportColumn[]): number {
  return columns.reduce((sum, c) => sum + c.width, 0);
}

function heading(b: PageBuilder, section: ReportSection, continued: boolean): void {
  const width = Math.min(tableWidth(section.columns), A4.width - 2 * MARGIN);
  b.page.rects.push({ x: MARGIN, y: b.y - ROW - 2, width, height: ROW + 2, gray: 0.88 });
  b.text(MARGIN + PAD, b.y - ROW + 1, HEADING_SIZE, section.heading + (continued ? '（続き）' : ''));
  b.y -= ROW + 2;
  cells(
    b,
    section.columns,
    section.columns.map((c) => c.title),
  );
  b.page.lines.push({ x1: MARGIN, y1: b.y, x2: MARGIN + width, y2: b.y });
}

function cells(b: PageBuilder, columns: readonly ReportColumn[], values: readonly string[]): void {
  b.y -= ROW;
  let x = MARGIN;
  columns.forEach((column, i) => {
    const value = fitText(values[i] ?? '', column.width - 2 * PAD, CELL_SIZE);
    const room = column.width - 2 * PAD;
    const right = column.align === 'right';
    const shift = right ? Math.max(0, room - textWidth(value, CELL_SIZE) - 4) : 0;
    b.text(x + PAD + shift, b.y + 3, CELL_SIZE, value);
    x += column.width;
  });
}

/** The report's pages (at least one), with "n / m" at the foot of each. */
export function layoutReport(report: Report): PdfPage[] {
  const b = new PageBuilder(report);
  b.newPage();
  if (report.sections.length === 0) b.text(MARGIN, b.y - ROW, HEADER_SIZE, report.empty);
  for (const section of report.sections) {
    b.ensure(3 * ROW + 8);
    b.y -= 6;
    heading(b, section, false);
    for (const row of section.rows) {
      if (b.ensure(ROW)) heading(b, section, true);
      cells(b, section.columns, row);
    }
  }
  const total = b.pages.length;
  b.pages.forEach((page, i) => {
    const label = `${i + 1} / ${total}`;
    page.texts.push({
      x: A4.width / 2 - textWidth(label, CELL_SIZE) / 2,
      y: MARGIN - 12,
      size: CELL_SIZE,
      text: label,
    });
  });
  return b.pages;
}

/** The report as a PDF file. */
export function reportPdf(report: Report): Uint8Array {
  return writePdf(layoutReport(report), { title: report.title, createdAt: report.createdAt });
}
