/**
 * The `onshi` binary end to end, as a user runs it: seed a store, import a feed, start the
 * central service, check a card from the feed, and get coded errors for bad usage.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { insurerNumberCheckDigit } from '@onshi/core';
import { ensureDemoPki } from './demo-pki.ts';

const bin = new URL('../bin/onshi.js', import.meta.url).pathname;
const run = promisify(execFile);

function onshi(...args: string[]) {
  return run(process.execPath, [bin, ...args], { env: { ...process.env, ONSHI_STORE: '' } });
}

async function fails(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    await onshi(...args);
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
  assert.fail(`onshi ${args.join(' ')} succeeded`);
}

const insurer = `0613999${insurerNumberCheckDigit('0613999')}`;
const feed = [
  { format: 'onshi-qualification-feed/1', fileId: 'cli-test-1', createdAt: '2026-03-01T00:00:00+09:00' },
  {
    kind: 'insurer',
    insurerNumber: insurer,
    name: '霞が関健康保険組合',
    insurerKind: 'kumiai',
    prefectureCode: '13',
  },
  {
    kind: 'acquire',
    insurerNumber: insurer,
    cardSymbol: '77',
    cardNumber: '123',
    branchNumber: '00',
    qualificationDate: '2020-04-01',
    name: '試験　一郎',
    nameKana: 'ｼｹﾝ ｲﾁﾛｳ',
    sex: '1',
    birthdate: '1980-01-01',
    cardClassification: '01',
    personalFamily: '1',
    incomeTier: 'general',
  },
  {
    kind: 'lose',
    insurerNumber: insurer,
    cardNumber: '999',
    disqualificationDate: '2026-01-01',
    reasonOfLoss: '03',
  },
];

describe('onshi CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'onshi-cli-'));
  const store = `sqlite:${join(dir, 'central.db')}`;
  let central: ChildProcess;
  let url = '';

  before(async () => {
    await onshi('seed', '--persons', '300', '--store', store);
    writeFileSync(join(dir, 'feed.ndjson'), feed.map((r) => JSON.stringify(r)).join('\n'));
  });
  after(() => {
    central?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a feed and reports the rejected line with exit 1', async () => {
    const { code, stderr } = await fails(['import', join(dir, 'feed.ndjson'), '--store', store]);
    assert.equal(code, 1, stderr);
    const again = await fails(['import', join(dir, 'feed.ndjson'), '--store', store, '--json']);
    assert.equal(again.code, 1);
  });

  it('starts the central service and checks a card from the feed', async () => {
    const pki = await ensureDemoPki(dir);
    central = spawn(process.execPath, [
      bin,
      'central',
      '--store',
      store,
      '--port',
      '0',
      '--quiet',
      '--tls-key',
      pki.serverKeyFile,
      '--tls-cert',
      pki.serverCertFile,
      '--tls-key-passphrase',
      pki.passphraseFile,
      '--client-ca',
      pki.clientCaFile,
      '--crl',
      pki.crlFile,
    ]);
    url = await new Promise<string>((resolve, reject) => {
      central.stdout?.on('data', (chunk: Buffer) => {
        const match = /listening on (\S+)/.exec(chunk.toString());
        if (match) resolve(match[1]!);
      });
      central.once('exit', (code) => reject(new Error(`central exited ${code}`)));
    });
    assert.match(url, /^https:/);
    const { stdout } = await onshi(
      'check',
      '--dir',
      dir,
      '--url',
      url,
      '--insurer',
      insurer,
      '--symbol',
      '77',
      '--number',
      '123',
      '--branch',
      '00',
      '--birthdate',
      '19800101',
      '--date',
      '20260301',
    );
    assert.match(stdout, /資格有効性: 1 有効/);
    assert.match(stdout, /試験　一郎/);
    const json = JSON.parse(
      (
        await onshi(
          'check',
          '--dir',
          dir,
          '--url',
          url,
          '--insurer',
          insurer,
          '--number',
          '404',
          '--birthdate',
          '19800101',
          '--json',
        )
      ).stdout,
    );
    assert.equal(json.XmlMsg.MessageBody.QualificationValidity, '4');
  });

  it('exits 1 when central refuses the check, printing the refusal as the result', async () => {
    const refused = ['check', '--dir', dir, '--url', url, '--number', '123', '--birthdate', '19800101'];
    // A 保険者番号 whose check digit is wrong: central answers 処理結果区分 9 with the code.
    const badInsurer = `0613999${(insurerNumberCheckDigit('0613999') + 1) % 10}`;
    const plain = await fails([...refused, '--insurer', badInsurer]);
    assert.equal(plain.code, 1, plain.stderr);
    assert.match(plain.stdout, /処理結果: 異常終了 INSURER_NUMBER_INVALID/);
    for (const format of ['--json', '--xml']) {
      const other = await fails([...refused, '--insurer', badInsurer, format]);
      assert.equal(other.code, 1, format);
      assert.match(other.stdout, /INSURER_NUMBER_INVALID/);
    }
  });

  it('answers bad usage with exit 2 and bad values with a catalogue code', async () => {
    assert.equal((await fails(['nonsense'])).code, 2);
    assert.equal((await fails(['seed', '--persons', 'many'])).code, 2);
    assert.equal((await fails(['check', '--insurer', '1'])).code, 2);
    const bad = await fails(['migrate', '--store', 'mysql://x']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /CONFIG_INVALID/);
  });
});
