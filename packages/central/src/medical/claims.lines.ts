/**
 * Bytes of a claims file → its records: lines split on LF (CR LF or LF; a trailing EOF mark 0x1A
 * and the empty line after the last line end are dropped), each line decoded as CP932 on its own so
 * that a bad byte is reported with its line. Splitting on bytes is safe: 0x0A is never a CP932
 * trail byte.
 *
 * A line that is valid UTF-8 with Japanese characters in it is refused as UTF-8 (such text also
 * decodes as CP932 — into garbage — more often than not), as is a UTF-8 byte-order mark.
 */
import type { ErrorCode, ErrorParams } from '@onshi/core';

export interface ClaimProblem {
  readonly line: number;
  readonly code: ErrorCode;
  readonly params: ErrorParams;
}

export interface ClaimLine {
  readonly line: number;
  readonly fields: readonly string[];
}

const sjis = new TextDecoder('shift_jis', { fatal: true });
const utf8 = new TextDecoder('utf-8', { fatal: true });
const JAPANESE = /[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff60]/;

function lineRanges(content: Uint8Array): [start: number, end: number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  for (let i = content.indexOf(0x0a); i >= 0; i = content.indexOf(0x0a, start)) {
    ranges.push([start, i > start && content[i - 1] === 0x0d ? i - 1 : i]);
    start = i + 1;
  }
  let end = content.length;
  if (end > start && content[end - 1] === 0x1a) end--;
  if (end > start) ranges.push([start, end]);
  return ranges;
}

function hasHighBytes(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return true;
  return false;
}

function looksUtf8(bytes: Uint8Array): boolean {
  try {
    return JAPANESE.test(utf8.decode(bytes));
  } catch {
    return false;
  }
}

/** Decodes one line; a problem when it is not CP932. */
function decodeLine(bytes: Uint8Array, line: number): string | ClaimProblem {
  if (!hasHighBytes(bytes)) return sjis.decode(bytes);
  const invalid = (detail: string): ClaimProblem => ({
    line,
    code: 'CLAIM_ENCODING_INVALID',
    params: { line, detail },
  });
  if (line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return invalid('UTF-8 のバイト順マークがあります');
  }
  if (looksUtf8(bytes)) return invalid('UTF-8 で書かれています');
  try {
    return sjis.decode(bytes);
  } catch {
    return invalid('CP932 として読めないバイト列があります');
  }
}

/** The file's lines as fields, or the encoding problems found (then no line is returned). */
export function claimLines(content: Uint8Array): { lines: ClaimLine[]; problems: ClaimProblem[] } {
  const lines: ClaimLine[] = [];
  const problems: ClaimProblem[] = [];
  lineRanges(content).forEach(([start, end], index) => {
    const decoded = decodeLine(content.subarray(start, end), index + 1);
    if (typeof decoded === 'string') lines.push({ line: index + 1, fields: decoded.split(',') });
    else problems.push(decoded);
  });
  return problems.length > 0 ? { lines: [], problems } : { lines, problems };
}
