/**
 * The reservation CSV of 一括照会 (and 照会番号一括登録): decoding (UTF-8, with or without a BOM, or
 * Shift_JIS / Windows-31J as Excel saves it), RFC 4180 parsing (quotes, doubled quotes, CRLF or
 * LF), the header row by column name, and every data row validated with core's validators — each
 * problem named by its row (the spreadsheet's row number: the header is row 1) and its column.
 * Also the results CSV the screen exports (UTF-8 with a BOM, so that Excel opens it, or Shift_JIS).
 */
import { encodeCp932, fromWireDate, OnshiError, validateInsurerNumber } from '@onshi/core';

export type BatchKind = 'confirm' | 'register';

/** A row that passed validation, in the request's terms (dates ISO yyyy-MM-dd). */
export interface BatchRow {
  /** The row in the file (header = 1), or the position in the day's list (from 1). */
  readonly row: number;
  /** 資格確認日 (一括照会). */
  readonly date?: string | undefined;
  readonly referenceNumber?: string | undefined;
  readonly insurerNumber: string;
  readonly symbol?: string | undefined;
  readonly number: string;
  readonly branch?: string | undefined;
  readonly birthdate?: string | undefined;
  readonly limitConsent: boolean;
  /** 任意の識別子 (echoed by central as ArbitraryIdentifier). */
  readonly identifier?: string | undefined;
}

export interface RowProblem {
  readonly row: number;
  /** The column's header name as written in the file. */
  readonly column: string;
  readonly code: string;
  readonly message: string;
}

export interface CheckedCsv {
  readonly encoding: 'utf-8' | 'shift_jis';
  /** Data rows in the file (blank lines not counted). */
  readonly total: number;
  readonly rows: readonly BatchRow[];
  readonly problems: readonly RowProblem[];
  /** The rows with at least one problem, in file order. */
  readonly invalidRows: readonly number[];
}

type Column =
  | 'date'
  | 'referenceNumber'
  | 'insurerNumber'
  | 'symbol'
  | 'number'
  | 'branch'
  | 'birthdate'
  | 'limitConsent'
  | 'identifier';

/** Header names per column (the first is the documented one; the others are accepted too). */
const headerNames: Readonly<Record<Column, readonly string[]>> = {
  date: ['予約日', '資格確認日', '照会日'],
  referenceNumber: ['照会番号'],
  insurerNumber: ['保険者番号'],
  symbol: ['記号', '被保険者証記号'],
  number: ['番号', '被保険者証番号'],
  branch: ['枝番'],
  birthdate: ['生年月日'],
  limitConsent: ['限度額同意', '限度額適用認定証同意'],
  identifier: ['任意の識別子', '識別子', '患者ID'],
};

const columnsOf: Readonly<Record<BatchKind, { required: Column[]; optional: Column[] }>> = {
  confirm: {
    required: ['date', 'insurerNumber', 'number', 'birthdate'],
    optional: ['symbol', 'branch', 'limitConsent', 'identifier'],
  },
  register: {
    required: ['referenceNumber', 'insurerNumber', 'number'],
    optional: ['symbol', 'branch', 'birthdate', 'identifier'],
  },
};

/** The file's text: UTF-8 when it is valid UTF-8 (a BOM is dropped), else Shift_JIS (Windows-31J). */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'shift_jis' } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'utf-8' };
  } catch {
    // not UTF-8: below
  }
  try {
    return { text: new TextDecoder('shift_jis', { fatal: true }).decode(bytes), encoding: 'shift_jis' };
  } catch {
    throw new OnshiError('TERMINAL_CSV_ENCODING');
  }
}

/** RFC 4180 records with the row number each starts on (1-based). */
export function parseCsv(text: string): { row: number; cells: string[] }[] {
  const records: { row: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let afterQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"') {
      if (cell !== '' || afterQuote) {
        throw new OnshiError('TERMINAL_CSV_MALFORMED', {
          row: line,
          detail: '引用符の位置が正しくありません',
        });
      }
      quoted = true;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
      afterQuote = false;
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      records.push({ row: start, cells });
      cells = [];
      cell = '';
      afterQuote = false;
      line++;
      start = line;
    } else {
      if (afterQuote) {
        throw new OnshiError('TERMINAL_CSV_MALFORMED', { row: line, detail: '引用符の後に文字があります' });
      }
      cell += c;
    }
  }
  if (quoted)
    throw new OnshiError('TERMINAL_CSV_MALFORMED', { row: start, detail: '引用符が閉じていません' });
  if (cell !== '' || cells.length > 0 || afterQuote) {
    cells.push(cell);
    records.push({ row: start, cells });
  }
  return records.filter((r) => r.cells.some((c) => c.trim() !== ''));
}

const problemOf = (row: number, column: string, error: OnshiError): RowProblem => ({
  row,
  column,
  code: error.code,
  message: error.message,
});

/** yyyy-MM-dd, yyyy/M/d (Excel's), yyyy.M.d or yyyyMMdd of a real date → yyyy-MM-dd. */
export function csvDate(value: string): string {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(value) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  const iso = m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : undefined;
  if (iso === undefined || fromWireDate(iso.replaceAll('-', '')) === undefined) {
    throw new OnshiError('DATE_INVALID', { value });
  }
  return iso;
}

const invalid = (field: string, detail: string) => new OnshiError('MSG_FIELD_INVALID', { field, detail });

/**
 * 保険者番号: 8 digits, or 6 for 市町村国保. A spreadsheet drops the leading zero of a number such
 * as 06139994, so 7 digits get it back (the check digit still has to match).
 */
export function csvInsurerNumber(value: string): string {
  const digits = /^\d{7}$/.test(value) ? `0${value}` : value;
  const checked = validateInsurerNumber(digits);
  if (!checked.ok) throw new OnshiError('INSURER_NUMBER_INVALID', { value, detail: checked.reason });
  return checked.insurerNumber;
}

/** 枝番: 2 digits; one digit is a spreadsheet's 01 → 1 and gets its zero back. */
function csvBranch(value: string, column: string): string {
  const digits = /^\d$/.test(value) ? `0${value}` : value;
  if (!/^\d{2}$/.test(digits)) throw invalid(column, '2桁の数字で入力してください');
  return digits;
}

const yes = new Set(['1', 'あり', '有', '同意', '同意あり', 'yes', 'true']);
const no = new Set(['', '0', 'なし', '無', '同意なし', 'no', 'false']);

function text(value: string, column: string, max: number): string {
  if ([...value].length > max) throw invalid(column, `${max}文字以内で入力してください`);
  if (/\p{Cc}/u.test(value)) throw invalid(column, '制御文字は使えません');
  return value;
}

/** Reads the header row: each column's index, or TERMINAL_CSV_HEADER_INVALID. */
function headerOf(kind: BatchKind, cells: readonly string[]): Map<Column, { index: number; name: string }> {
  const found = new Map<Column, { index: number; name: string }>();
  cells.forEach((raw, index) => {
    const name = raw.trim();
    for (const [column, names] of Object.entries(headerNames) as [Column, readonly string[]][]) {
      if (names.includes(name) && !found.has(column)) found.set(column, { index, name });
    }
  });
  const { required, optional } = columnsOf[kind];
  const missing = required.filter((c) => !found.has(c)).map((c) => headerNames[c].slice(0, 2).join('／'));
  if (missing.length > 0) {
    throw new OnshiError('TERMINAL_CSV_HEADER_INVALID', { detail: `${missing.join('、')} の列がありません` });
  }
  for (const column of found.keys()) {
    if (!required.includes(column) && !optional.includes(column)) found.delete(column);
  }
  return found;
}

/** Decodes, parses and validates a CSV file; every problem of every row, nothing thrown for a row. */
export function checkCsv(kind: BatchKind, bytes: Uint8Array): CheckedCsv {
  const { text: content, encoding } = decodeCsv(bytes);
  const records = parseCsv(content);
  const head = records.shift();
  if (head === undefined) throw new OnshiError('TERMINAL_CSV_HEADER_INVALID', { detail: '空のファイルです' });
  const header = headerOf(kind, head.cells);
  const rows: BatchRow[] = [];
  const problems: RowProblem[] = [];
  const invalidRows: number[] = [];
  for (const record of records) {
    const before = problems.length;
    const cell = (column: Column) => {
      const at = header.get(column);
      return at === undefined ? '' : (record.cells[at.index] ?? '').trim();
    };
    const name = (column: Column) => header.get(column)?.name ?? headerNames[column][0]!;
    const read = <T>(column: Column, fn: (value: string) => T, required: boolean): T | undefined => {
      const value = cell(column);
      if (value === '' && required) {
        problems.push(
          problemOf(record.row, name(column), new OnshiError('MSG_FIELD_REQUIRED', { field: name(column) })),
        );
        return undefined;
      }
      if (value === '') return undefined;
      try {
        return fn(value);
      } catch (error) {
        if (!(error instanceof OnshiError)) throw error;
        problems.push(problemOf(record.row, name(column), error));
        return undefined;
      }
    };
    const confirm = kind === 'confirm';
    const date = confirm ? read('date', csvDate, true) : undefined;
    const referenceNumber = confirm
      ? undefined
      : read('referenceNumber', (v) => text(v, name('referenceNumber'), 50), true);
    const insurerNumber = read('insurerNumber', csvInsurerNumber, true);
    const symbol = read('symbol', (v) => text(v, name('symbol'), 38), false);
    const number = read('number', (v) => text(v, name('number'), 38), true);
    const branch = read('branch', (v) => csvBranch(v, name('branch')), false);
    const birthdate = read('birthdate', csvDate, confirm);
    const limitConsent = read(
      'limitConsent',
      (v) => {
        const lower = v.toLowerCase();
        if (yes.has(lower)) return true;
        if (no.has(lower)) return false;
        throw invalid(name('limitConsent'), '1（同意あり）か 0（同意なし）で入力してください');
      },
      false,
    );
    const identifier = read('identifier', (v) => text(v, name('identifier'), 100), false);
    if (problems.length > before) {
      invalidRows.push(record.row);
      continue;
    }
    rows.push({
      row: record.row,
      ...(date ? { date } : {}),
      ...(referenceNumber ? { referenceNumber } : {}),
      insurerNumber: insurerNumber!,
      ...(symbol ? { symbol } : {}),
      number: number!,
      ...(branch ? { branch } : {}),
      ...(birthdate ? { birthdate } : {}),
      limitConsent: limitConsent ?? false,
      ...(identifier ? { identifier } : {}),
    });
  }
  return { encoding, total: records.length, rows, problems, invalidRows };
}

// ------------------------------------------------------------------------------ export

function cp932Has(c: string): boolean {
  try {
    encodeCp932(c);
    return true;
  } catch {
    return false;
  }
}

/**
 * A text cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, a tab or CR first, or their
 * full-width forms): the identifier column is whatever the uploaded CSV said, and names and messages
 * come from central, so such a cell gets a leading `'` (Excel and LibreOffice then show it as text).
 */
const formulaStart = /^[=+\-@\t\r＝＋－＠]/;

function csvCell(value: string | number | undefined): string {
  let s = value === undefined ? '' : String(value);
  if (typeof value === 'string' && formulaStart.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Rows as CSV text (CRLF, as Excel writes it). */
export function toCsv(rows: readonly (readonly (string | number | undefined)[])[]): string {
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** UTF-8 with a BOM (Excel then reads it as UTF-8), or Shift_JIS (Windows-31J). */
export function encodeCsv(text: string, encoding: 'utf-8' | 'shift_jis'): Uint8Array {
  if (encoding === 'shift_jis') {
    try {
      return encodeCp932(text);
    } catch {
      // A character Windows-31J lacks (a rare kanji of a name): '?' for it, as Excel does.
      return encodeCp932([...text].map((c) => (cp932Has(c) ? c : '?')).join(''));
    }
  }
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}
