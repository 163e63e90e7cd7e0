import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OnshiError } from '@onshi/core';
import { csvColumns, parseCsv, rowToObject } from './feed.csv.ts';

describe('feed CSV', () => {
  it('splits quoted fields, doubled quotes, CRLF and line breaks inside quotes', () => {
    const rows = parseCsv('a,b,c\r\n"x,1","say ""hi""",\n"two\nlines",y,z\n\n');
    assert.deepEqual(rows, [
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x,1', 'say "hi"', ''] },
      { line: 3, cells: ['two\nlines', 'y', 'z'] },
    ]);
    assert.deepEqual(parseCsv('k\nlast'), [
      { line: 1, cells: ['k'] },
      { line: 2, cells: ['last'] },
    ]);
  });

  it('refuses an unclosed quote', () => {
    assert.throws(
      () => parseCsv('a\n"open'),
      (e: unknown) => e instanceof OnshiError && e.code === 'FEED_ROW_INVALID',
    );
  });

  it('builds nested objects from dotted column names, leaves empty cells out, converts numeric fields', () => {
    const columns = [
      'kind',
      'cardNumber',
      'certificate.type',
      'certificate.contributionRatio',
      'set.address',
    ];
    assert.deepEqual(rowToObject(columns, ['certificate', '0012', 'elderly', '20', '']), {
      kind: 'certificate',
      cardNumber: '0012',
      certificate: { type: 'elderly', contributionRatio: 20 },
    });
    assert.throws(
      () => rowToObject(['kind'], ['a', 'b']),
      (e: unknown) => e instanceof OnshiError && e.code === 'FEED_ROW_INVALID',
    );
  });

  it('requires a kind column and unique names', () => {
    assert.deepEqual(csvColumns({ line: 1, cells: [' kind ', 'name'] }), ['kind', 'name']);
    for (const cells of [['name'], ['kind', 'name', 'name']]) {
      assert.throws(
        () => csvColumns({ line: 1, cells }),
        (e: unknown) => e instanceof OnshiError && e.code === 'FEED_HEADER_INVALID',
      );
    }
  });
});
