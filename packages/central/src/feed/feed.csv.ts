/**
 * The CSV form of the insurer feed (packages/central/docs/insurer-feed.md, "CSV"): RFC 4180 text
 * whose first row names the columns with the NDJSON field names (`kind`, `insurerNumber`, …; dotted
 * names such as `set.address` or `certificate.type` build the nested objects). Each later row is
 * turned into the same object an NDJSON line would carry, and from there the import is identical.
 * Empty cells are absent fields.
 */
import { OnshiError } from '@onshi/core';

export interface CsvRow {
  /** 1-based line on which the row starts. */
  readonly line: number;
  readonly cells: readonly string[];
}

/** Splits RFC 4180 CSV (quoted fields may hold commas, quotes as "", and line breaks). */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = (): void => {
    cells.push(cell);
    if (cells.length > 1 || cells[0] !== '') rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
    rowLine = line;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      line++;
      endRow();
    } else cell += ch;
  }
  if (quoted) throw new OnshiError('FEED_ROW_INVALID', { line: rowLine, detail: '引用符が閉じていません' });
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}

/** Fields whose CSV text is a number in the NDJSON form. */
const numericFields = new Set(['contributionRatio', 'selfPay']);

/** One CSV row as the record object an NDJSON line would hold. */
export function rowToObject(columns: readonly string[], cells: readonly string[]): Record<string, unknown> {
  if (cells.length > columns.length) {
    throw new OnshiError('FEED_ROW_INVALID', {
      detail: `列が多すぎます（${cells.length} > ${columns.length}）`,
    });
  }
  const record: Record<string, unknown> = {};
  cells.forEach((value, index) => {
    if (value === '') return;
    const path = columns[index]!.split('.');
    let target = record;
    for (const key of path.slice(0, -1)) {
      if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    const field = path.at(-1)!;
    target[field] = numericFields.has(field) && /^\d+$/.test(value) ? Number(value) : value;
  });
  return record;
}

/** The column row: names as in NDJSON, `kind` required, no duplicates. */
export function csvColumns(row: CsvRow | undefined): string[] {
  const columns = row?.cells.map((cell) => cell.trim()) ?? [];
  if (!columns.includes('kind')) {
    throw new OnshiError('FEED_HEADER_INVALID', {
      detail: 'CSVの1行目は kind を含む列名である必要があります',
    });
  }
  const duplicate = columns.find((name, index) => columns.indexOf(name) !== index);
  if (duplicate !== undefined)
    throw new OnshiError('FEED_HEADER_INVALID', { detail: `列名 ${duplicate} が重複しています` });
  return columns;
}
