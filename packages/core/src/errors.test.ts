import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { type ErrorCode, errorCatalogue, OnshiError, renderMessage } from './errors.ts';

const docPath = new URL('../../../docs/errors.md', import.meta.url);

/**
 * Rows whose first cell is a back-quoted code: "| `CODE` | status | message |" anywhere in
 * docs/errors.md. Cells are trimmed, so the formatter may pad the columns.
 */
function documentedCodes(): Map<string, { status: number; message: string }> {
  const rows = new Map<string, { status: number; message: string }>();
  for (const line of readFileSync(docPath, 'utf8').split('\n')) {
    const cells = line
      .trim()
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const code = /^`([A-Z0-9_]+)`$/.exec(cells[0] ?? '')?.[1];
    if (code === undefined) continue;
    assert.equal(cells.length, 3, `docs/errors.md row for ${code} must have 3 cells`);
    assert.match(cells[1]!, /^\d{3}$/, `docs/errors.md status of ${code}`);
    assert.ok(!rows.has(code), `docs/errors.md lists ${code} twice`);
    rows.set(code, { status: Number(cells[1]), message: cells[2]! });
  }
  return rows;
}

function row(code: string): string {
  const { status, message } = errorCatalogue[code as ErrorCode];
  return `| \`${code}\` | ${status} | ${message} |`;
}

describe('error catalogue', () => {
  it('names every code AREA_SUBJECT_PROBLEM-style with a real HTTP status', () => {
    for (const [code, { status }] of Object.entries(errorCatalogue)) {
      assert.match(code, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/, code);
      assert.ok(status >= 200 && status <= 599, code);
    }
  });

  it('is documented row for row in docs/errors.md', () => {
    const documented = documentedCodes();
    const missing = Object.keys(errorCatalogue).filter((code) => !documented.has(code));
    assert.deepEqual(missing.map(row), [], 'add these rows to docs/errors.md');
    const stale = [...documented.keys()].filter((code) => !Object.hasOwn(errorCatalogue, code));
    assert.deepEqual(stale, [], 'codes in docs/errors.md that the catalogue does not have');
    for (const [code, doc] of documented) {
      const { status, message } = errorCatalogue[code as ErrorCode];
      assert.deepEqual(doc, { status, message }, `docs/errors.md row is stale; expected: ${row(code)}`);
    }
  });

  it('renders messages from params and leaves unknown placeholders visible', () => {
    assert.equal(
      renderMessage('INSURER_NUMBER_INVALID', { value: '01040014', detail: 'x' }),
      '保険者番号 01040014 が正しくありません: x',
    );
    assert.equal(renderMessage('CODE_UNKNOWN', { value: '7' }), '{table} に存在しないコードです: 7');
    const error = new OnshiError('HTTP_NOT_FOUND', { path: '/x' });
    assert.equal(error.status, 404);
    assert.equal(error.message, '/x は存在しません。');
  });
});
