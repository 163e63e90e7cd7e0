/**
 * `onshi disaster` and `onshi audit verify` as a user runs them, on a SQLite store: a declaration
 * opened, listed and closed (each an audit record); the chain verified; then a record edited in the
 * file and verify exits 1 with AUDIT_RECORD_EDITED and its seq.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';

const bin = new URL('../../bin/onshi.js', import.meta.url).pathname;
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'onshi-cli-disaster-'));
const file = join(dir, 'central.db');
after(() => rmSync(dir, { recursive: true, force: true }));

function onshi(...args: string[]) {
  return run(process.execPath, [bin, ...args, '--store', `sqlite:${file}`], {
    env: { ...process.env, ONSHI_STORE: '' },
  });
}

describe('onshi disaster and onshi audit verify', () => {
  it('opens, lists and closes a declaration', async () => {
    const opened = await onshi(
      'disaster',
      'open',
      '--name',
      '能登半島地震',
      '--municipalities',
      '172049,17205',
      '--from',
      '2024-01-01T16:10:00+09:00',
      '--until',
      '2099-01-08T00:00:00+09:00',
    );
    assert.match(opened.stdout, /^declaration 1 open from 2024-01-01T07:10:00.000Z .* for 17204 17205/);
    assert.match((await onshi('disaster', 'list')).stdout, /^1\topen\t/);
    assert.match((await onshi('disaster', 'locate', '1710000116', '17204')).stdout, /is in 17204/);
    assert.match((await onshi('disaster', 'close', '1')).stdout, /^declaration 1 closed at /);
    assert.match((await onshi('disaster', 'list')).stdout, /^1\tclosed\t/);
    await assert.rejects(onshi('disaster', 'close', '9'), (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 1);
      assert.match(e.stderr, /DISASTER_DECLARATION_NOT_FOUND/);
      return true;
    });
  });

  it('verifies the chain, then reports an edited record with its code and exit 1', async () => {
    assert.match(
      (await onshi('audit', 'verify')).stdout,
      /^audit chain intact: 2 records, head [0-9a-f]{64}\n$/,
    );
    const db = new DatabaseSync(file);
    db.exec("update audit_records set reason = 'rewritten' where seq = 1");
    db.close();
    await assert.rejects(onshi('audit', 'verify'), (e: { code: number; stdout: string }) => {
      assert.equal(e.code, 1);
      assert.match(e.stdout, /^AUDIT_RECORD_EDITED: 監査記録 1 /);
      return true;
    });
  });
});
