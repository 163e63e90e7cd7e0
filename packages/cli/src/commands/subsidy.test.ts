/**
 * `onshi subsidy estimate` as a vendor runs it: one JSON object with `subsidy` in yen, a Japanese
 * summary without --json, another programme from a file, and bad input refused with exit code 2.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';

const bin = new URL('../../bin/onshi.js', import.meta.url).pathname;
const exampleProgramme = new URL(
  '../../../portal/src/subsidy/fixtures/example-programme.json',
  import.meta.url,
).pathname;
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'onshi-cli-subsidy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const hospital = [
  '--kind',
  'hospital',
  '--readers',
  '2',
  '--cost',
  '3,000,000',
  '--reader-applied-on',
  '2021-03-31',
  '--completed-on',
  '2021-09-30',
];

function onshi(...args: string[]) {
  return run(process.execPath, [bin, 'subsidy', 'estimate', ...args]);
}

async function refusedWith(args: string[], pattern: RegExp): Promise<void> {
  await assert.rejects(onshi(...args), (e: { code: number; stdout: string; stderr: string }) => {
    assert.equal(e.code, 2, e.stderr);
    assert.equal(e.stdout, '');
    assert.match(e.stderr, pattern);
    return true;
  });
}

describe('onshi subsidy estimate', () => {
  it('--json prints one object with the subsidy in yen and how it was reached', async () => {
    const { stdout } = await onshi(...hospital, '--json');
    const estimate = JSON.parse(stdout);
    assert.equal(estimate.subsidy, 2_002_000);
    assert.equal(estimate.cap, 2_002_000);
    assert.equal(estimate.rate, '10/10');
    assert.equal(estimate.rule.id, 'additional-support');
    assert.equal(estimate.costYen, 3_000_000);
    assert.deepEqual(estimate.reasons.map((r: { id: string }) => r.id).slice(0, 4), [
      'rule',
      'cap',
      'cost-over-cap',
      'rate',
    ]);
  });

  it('prints a Japanese summary without --json', async () => {
    const { stdout } = await onshi(
      ...['--kind', 'clinic', '--readers', '1', '--cost', '100001'],
      ...['--reader-applied-on', '2021-04-01', '--completed-on', '2022-01-31'],
    );
    assert.match(stdout, /^補助額の試算: /);
    assert.match(stdout, /補助率 +3\/4\n/);
    assert.match(stdout, /補助額 +75,000 円\n/);
    assert.match(stdout, /1 円未満切り捨て/);
  });

  it('answers 0 with the reason for no reader and for a missed deadline (exit 0)', async () => {
    const none = JSON.parse(
      (
        await onshi(
          '--kind',
          'dental',
          '--readers',
          '0',
          '--cost',
          '500000',
          '--completed-on',
          '2022-01-31',
          '--json',
        )
      ).stdout,
    );
    assert.equal(none.subsidy, 0);
    assert.equal(none.reasons[0].id, 'no-reader');
    const late = await onshi(...hospital, '--subsidy-applied-on', '2023-07-01');
    assert.match(late.stdout, /補助額 +0 円（補助対象外）/);
    assert.match(late.stdout, /期限 2023-06-30 より後のため、補助されません/);
  });

  it('uses another programme from --programme FILE', async () => {
    const { stdout } = await onshi(
      ...['--kind', 'clinic', '--readers', '1', '--cost', '500000'],
      ...['--reader-applied-on', '2026-07-01', '--completed-on', '2026-12-01'],
      ...['--programme', exampleProgramme, '--json'],
    );
    assert.equal(JSON.parse(stdout).subsidy, 133_000);
  });

  it('refuses bad input with a clear message and exit code 2', async () => {
    await refusedWith([...hospital, '--kind', 'vet'], /SUBSIDY_KIND_UNKNOWN: 種別 vet/);
    await refusedWith([...hospital, '--cost=-5'], /--cost: SUBSIDY_INPUT_INVALID/);
    await refusedWith([...hospital, '--cost', '12万'], /--cost: SUBSIDY_INPUT_INVALID/);
    await refusedWith([...hospital, '--readers', 'two'], /--readers: SUBSIDY_INPUT_INVALID/);
    await refusedWith([...hospital, '--completed-on', '2021-02-30'], /--completed-on: SUBSIDY_INPUT_INVALID/);
    await refusedWith([...hospital, '--completed-on', '2021-03-01'], /SUBSIDY_DATES_OUT_OF_ORDER/);
    await refusedWith(
      [...hospital, '--kind', 'pharmacy', '--monthly-prescriptions', '50000'],
      /SUBSIDY_KIND_MISMATCH/,
    );
    await refusedWith(['--kind', 'clinic', '--readers', '1'], /needs --cost, --completed-on/);
    await refusedWith([...hospital, '--readers', '1', '--colour'], /Unknown option '--colour'/);
  });

  it('refuses a programme file that is missing or broken with exit code 2', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ format: 'onshi-subsidy-programme/1', id: 'x' }));
    await refusedWith([...hospital, '--programme', broken], /SUBSIDY_PROGRAMME_INVALID: .*（\$\.name）/);
    await refusedWith([...hospital, '--programme', join(dir, 'none.json')], /cannot read --programme/);
  });
});
