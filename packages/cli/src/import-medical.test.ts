/**
 * `onshi seed --medical` and `onshi import claims|checkups` end to end: the seed writes real files,
 * importing them again changes nothing, a broken file is rejected with its lines and exit code 1.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';

const bin = new URL('../bin/onshi.js', import.meta.url).pathname;
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'onshi-medical-cli-'));
const store = `sqlite:${join(dir, 'central.db')}`;
const out = join(dir, 'files');

function onshi(...args: string[]) {
  return run(process.execPath, [bin, ...args], { env: { ...process.env, ONSHI_STORE: '' } });
}

describe('onshi seed --medical, onshi import claims|checkups', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds medical files for the population and imports them; the same files again change nothing', async () => {
    const seeded = await onshi(
      'seed',
      '--persons',
      '80',
      '--medical',
      '--medical-out',
      out,
      '--store',
      store,
    );
    assert.match(seeded.stdout, /medical: \d+ claims files \(\d+ medications\), \d+ 特定健診 files/);
    const files = readdirSync(out);
    const claims = files.filter((f) => f.startsWith('claims-')).map((f) => join(out, f));
    const checkups = files.filter((f) => f.startsWith('checkup-')).map((f) => join(out, f));
    assert.ok(claims.length > 0 && checkups.length > 0);
    const again = await onshi('import', 'claims', ...claims.slice(0, 3), '--store', store);
    assert.equal(again.stdout.match(/already imported; nothing changed/g)?.length, 3);
    const json = await onshi('import', 'checkups', checkups[0]!, '--store', store, '--json');
    assert.equal(JSON.parse(json.stdout)[0].duplicate, true);
  });

  it('rejects a broken claims file with its lines and exit code 1', async () => {
    const claims = readdirSync(out).find((f) => f.startsWith('claims-'))!;
    const lines = readFileSync(join(out, claims), 'latin1').split('\r\n');
    lines.splice(1, 0, 'ZZ,1');
    const broken = join(dir, 'broken.uke');
    writeFileSync(broken, lines.join('\r\n'), 'latin1');
    await assert.rejects(
      onshi('import', 'claims', broken, '--store', store),
      (error: { code: number; stdout: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stdout, /rejected, 0 rows\n {2}line 2: CLAIM_RECORD_UNKNOWN/);
        return true;
      },
    );
  });
});
