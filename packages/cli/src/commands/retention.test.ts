/**
 * `onshi retention run` as a user runs it, on a SQLite store: the report per kind, as text and as
 * JSON, with today's cut-off dates.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { addYears, jstDate } from '@onshi/core';

const bin = new URL('../../bin/onshi.js', import.meta.url).pathname;
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'onshi-cli-retention-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function onshi(...args: string[]) {
  return run(process.execPath, [bin, ...args, '--store', `sqlite:${join(dir, 'central.db')}`], {
    env: { ...process.env, ONSHI_STORE: '' },
  });
}

describe('onshi retention run', () => {
  it('purges once and prints what was deleted per kind', async () => {
    await onshi('migrate');
    const today = jstDate(new Date());
    const text = (await onshi('retention', 'run')).stdout;
    assert.match(text, new RegExp(`^qualifications lost before ${addYears(today, -10)}: 0 deleted$`, 'm'));
    assert.match(text, /^persons left without a qualification: 0 deleted$/m);
    assert.match(text, new RegExp(`^medications before ${addYears(today, -3)}: 0 deleted$`, 'm'));
    assert.match(text, new RegExp(`^特定健診 results before ${addYears(today, -5)}: 0 deleted$`, 'm'));
    assert.match(text, /^batch jobs past their result period: 0 deleted$/m);
    const json = JSON.parse((await onshi('retention', 'run', '--json')).stdout);
    assert.deepEqual(Object.keys(json).sort(), [
      'batchJobsDeleted',
      'checkupCutoff',
      'checkupResultsDeleted',
      'cutoff',
      'medicationCutoff',
      'medicationsDeleted',
      'personsDeleted',
      'qualificationsDeleted',
    ]);
    assert.equal(json.medicationCutoff, addYears(today, -3));
  });

  it('refuses anything but run (exit 2)', async () => {
    await assert.rejects(onshi('retention', 'now'), (e: { code: number }) => e.code === 2);
  });
});
