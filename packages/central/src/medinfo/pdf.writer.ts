/**
 * A minimal PDF writer (PDF 1.7, no dependency): pages of text and rules in one Japanese font that
 * is not embedded — a Type0 font over the CIDFontType0 `KozMinPr6N-Regular` of the Adobe-Japan1
 * collection with the predefined CMap `UniJIS-UTF16-H`, so text is written as UTF-16BE hex strings
 * and every conforming viewer draws it with its own Japanese font. A /ToUnicode CMap (identity over
 * UTF-16) lets text be extracted without the CMap files of the collection.
 *
 * Widths: CJK and full-width glyphs 1000/1000 em (the font's /DW); ASCII (CIDs 1–95) and half-width
 * katakana (CIDs 231–389) are given 500 so that the layout can measure text without font metrics.
 *
 * The file is ASCII except for the binary marker comment; content streams are not compressed.
 */

export interface PdfText {
  readonly x: number;
  readonly y: number;
  /** Font size in points. */
  readonly size: number;
  readonly text: string;
}

export interface PdfLine {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  /** Line width in points (default 0.5). */
  readonly width?: number;
}

/** A filled rectangle (gray level 0 black … 1 white). */
export interface PdfRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly gray: number;
}

export interface PdfPage {
  readonly texts: readonly PdfText[];
  readonly lines?: readonly PdfLine[];
  readonly rects?: readonly PdfRect[];
}

export interface PdfOptions {
  /** Page size in points; default A4 portrait. */
  readonly width?: number;
  readonly height?: number;
  readonly title?: string;
  /** The creation instant (the caller's clock). */
  readonly createdAt: Date;
}

export const A4 = { width: 595.28, height: 841.89 } as const;

const FONT_NAME = 'KozMinPr6N-Regular';
const FONT_CMAP = 'UniJIS-UTF16-H';

/** Advance width of one character in em (see the widths note above). */
function charWidth(codePoint: number): number {
  if (codePoint >= 0x20 && codePoint <= 0x7e) return 0.5;
  if (codePoint >= 0xff61 && codePoint <= 0xff9f) return 0.5;
  return 1;
}

/** Width of `text` in points at `size`. */
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const char of text) em += charWidth(char.codePointAt(0)!);
  return em * size;
}

/** `text` cut to fit `width` points at `size`, with '…' when cut. */
export function fitText(text: string, width: number, size: number): string {
  if (textWidth(text, size) <= width) return text;
  let out = '';
  let used = size; // room for the ellipsis
  for (const char of text) {
    const w = charWidth(char.codePointAt(0)!) * size;
    if (used + w > width) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}

/** UTF-16BE hex of a string (surrogate pairs as two code units). */
export function utf16Hex(text: string): string {
  let hex = '';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return hex.toUpperCase();
}

const num = (n: number) => (Math.round(n * 100) / 100).toString();

function contentStream(page: PdfPage): string {
  const ops: string[] = [];
  for (const r of page.rects ?? []) {
    ops.push(`${num(r.gray)} g ${num(r.x)} ${num(r.y)} ${num(r.width)} ${num(r.height)} re f`);
  }
  if ((page.rects ?? []).length > 0) ops.push('0 g');
  for (const l of page.lines ?? []) {
    ops.push(`${num(l.width ?? 0.5)} w ${num(l.x1)} ${num(l.y1)} m ${num(l.x2)} ${num(l.y2)} l S`);
  }
  for (const t of page.texts) {
    if (t.text === '') continue;
    ops.push(`BT /F1 ${num(t.size)} Tf ${num(t.x)} ${num(t.y)} Td <${utf16Hex(t.text)}> Tj ET`);
  }
  return `${ops.join('\n')}\n`;
}

function stream(dictionary: string, data: string): string {
  return `<< ${dictionary}/Length ${data.length} >>\nstream\n${data}endstream`;
}

/** The /ToUnicode CMap: every BMP code unit maps to itself; the surrogate pairs used, one by one. */
function toUnicodeCMap(pages: readonly PdfPage[]): string {
  const pairs = new Set<string>();
  for (const page of pages) {
    for (const t of page.texts) {
      for (const char of t.text) if (char.length === 2) pairs.add(utf16Hex(char));
    }
  }
  const ranges: string[] = [];
  for (let high = 0; high < 256; high++) {
    if (high >= 0xd8 && high <= 0xdf) continue;
    const h = high.toString(16).padStart(2, '0').toUpperCase();
    ranges.push(`<${h}00> <${h}FF> <${h}00>`);
  }
  const blocks: string[] = [];
  for (let i = 0; i < ranges.length; i += 100) {
    const chunk = ranges.slice(i, i + 100);
    blocks.push(`${chunk.length} beginbfrange\n${chunk.join('\n')}\nendbfrange`);
  }
  const chars = [...pairs].map((p) => `<${p}> <${p}>`);
  for (let i = 0; i < chars.length; i += 100) {
    const chunk = chars.slice(i, i + 100);
    blocks.push(`${chunk.length} beginbfchar\n${chunk.join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '3 begincodespacerange',
    '<0000> <D7FF>',
    '<D800DC00> <DBFFDFFF>',
    '<E000> <FFFF>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
    '',
  ].join('\n');
}

/** D:YYYYMMDDHHmmss+09'00' in JST. */
function pdfDate(at: Date): string {
  const jst = new Date(at.getTime() + 9 * 3600_000).toISOString();
  const digits = jst.slice(0, 19).replace(/[-T:]/g, '');
  return `D:${digits}+09'00'`;
}

/** The PDF file of the pages (at least one). */
export function writePdf(pages: readonly PdfPage[], options: PdfOptions): Uint8Array {
  if (pages.length === 0) throw new Error('a PDF needs at least one page');
  const width = options.width ?? A4.width;
  const height = options.height ?? A4.height;
  // Fixed objects 1–6, then a page and its content per page.
  const pageRef = (i: number) => 7 + i * 2;
  const objects: string[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${pageRef(i)} 0 R`).join(' ')}] /Count ${pages.length} >>`,
    `<< /Type /Font /Subtype /Type0 /BaseFont /${FONT_NAME}-${FONT_CMAP} /Encoding /${FONT_CMAP} /DescendantFonts [4 0 R] /ToUnicode 6 0 R >>`,
    `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /${FONT_NAME} /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 6 >> /FontDescriptor 5 0 R /DW 1000 /W [1 95 500 231 389 500] >>`,
    `<< /Type /FontDescriptor /FontName /${FONT_NAME} /Flags 6 /FontBBox [-437 -340 1147 1317] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 742 /StemV 80 >>`,
    stream('', toUnicodeCMap(pages)),
  ];
  pages.forEach((page, i) => {
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(width)} ${num(height)}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageRef(i) + 1} 0 R >>`,
      stream('', contentStream(page)),
    );
  });
  const info = `<< /Producer (onshi) /CreationDate (${pdfDate(options.createdAt)})${
    options.title === undefined ? '' : ` /Title <FEFF${utf16Hex(options.title)}>`
  } >>`;
  objects.push(info);
  const infoRef = objects.length;

  const header = '%PDF-1.7\n%\xE2\xE3\xCF\xD3\n';
  let body = header;
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(body, 'latin1');
  const entries = offsets.map((o) => `${o.toString().padStart(10, '0')} 00000 n \n`).join('');
  body +=
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}` +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${infoRef} 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
