/**
 * `onshi card` end to end through the real binary: cards issued with `onshi ca`, their links
 * imported, central over HTTPS with mutual TLS (started in this process as `onshi central` starts
 * it, with the card-check routes), then checks and 初回登録 with the virtual card's PIN or face;
 * and the PIN counter through the reader's APDUs.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  type ConfiguredCardVerifier,
  cardCheckExtraRoutes,
  createCardCheckFromConfig,
  createLogger,
  insertPerson,
  insertQualification,
  loadConfig,
  migrate,
  openStore,
  type RunningCentral,
  startCentral,
  upsertInsurer,
} from '@onshi/central';
import { insurerNumberCheckDigit } from '@onshi/core';
import {
  openVirtualMyNumberCard,
  readVirtualCardFile,
  selectJpkiAp,
  signChallenge,
  verifyPin,
} from '@onshi/pki';
import { startCardSession } from '@onshi/reader';
import { demoTlsEnvironment, ensureDemoPki } from '../demo-pki.ts';

const bin = new URL('../../bin/onshi.js', import.meta.url).pathname;
const exec = promisify(execFile);
const insurer = `0613999${insurerNumberCheckDigit('0613999')}`;

async function seedStore(url: string): Promise<void> {
  const store = openStore(url);
  await migrate(store);
  await upsertInsurer(store, {
    insurerNumber: insurer,
    name: '霞が関健康保険組合',
    kind: 'kumiai',
    prefectureCode: '13',
  });
  for (const [name, cardNumber] of [
    ['番号　一郎', '501'],
    ['番号　二郎', '502'],
  ] as const) {
    const personId = await insertPerson(store, { name, nameKana: 'ﾊﾞﾝｺﾞｳ', sex: '1', birthdate: '1980-01-01' });
    await insertQualification(store, {
      personId,
      insurerNumber: insurer,
      cardSymbol: '',
      cardNumber,
      branchNumber: '',
      cardClassification: '01',
      personalFamily: '1',
      qualificationDate: '2020-04-01',
      incomeTier: 'general',
    });
  }
  await store.close();
}

describe('onshi card', () => {
  const dir = mkdtempSync(join(tmpdir(), 'onshi-card-cli-'));
  const storeUrl = `sqlite:${join(dir, 'central.db')}`;
  const cardFile = (person: number) => join(dir, 'cards', `person-${person}.card.json`);
  let central: RunningCentral;
  let verifier: ConfiguredCardVerifier;
  const onshi = (...args: string[]) => exec(process.execPath, [bin, ...args], { cwd: dir });
  const fails = async (...args: string[]): Promise<{ code: number; stderr: string }> => {
    try {
      await onshi(...args);
    } catch (error) {
      return error as { code: number; stderr: string };
    }
    assert.fail(`onshi ${args.join(' ')} succeeded`);
  };
  const connection = () => ['--url', central.url, '--dir', 'demo'];
  const check = (person: number, ...args: string[]) =>
    onshi('card', 'check', '--card', cardFile(person), ...connection(), ...args);
  const checkFails = (person: number, ...args: string[]) =>
    fails('card', 'check', '--card', cardFile(person), ...connection(), ...args);

  before(async () => {
    writeFileSync(join(dir, 'pass.txt'), 'card cli test passphrase\n');
    const ca = ['--dir', 'ca', '--passphrase-file', 'pass.txt'];
    await seedStore(storeUrl);
    await onshi('ca', 'init', ...ca);
    for (const person of ['1', '2'])
      await onshi('ca', 'issue-card', ...ca, '--person-id', person, '--pin', '1234');
    const pki = await ensureDemoPki(join(dir, 'demo'));
    const config = loadConfig({
      ONSHI_STORE: storeUrl,
      ONSHI_PORT: '0',
      ...demoTlsEnvironment(pki),
    });
    const clock = { now: () => new Date() };
    const jpkiDir = join(dir, 'ca', 'jpki');
    verifier = await createCardCheckFromConfig({ jpkiDir, jpkiPassphraseFile: join(dir, 'pass.txt'), clock });
    const extraRoutes = cardCheckExtraRoutes({ cardVerifier: verifier, maxBodyBytes: 65536 });
    central = await startCentral(config, { clock, logger: createLogger(() => {}), extraRoutes });
  });
  after(async () => {
    await central?.close();
    verifier?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the issuer’s links, setting the persons’ keys', async () => {
    const { stdout } = await onshi('card', 'links', 'import', 'cards/links.ndjson', '--store', storeUrl);
    assert.match(stdout, /^2 of 2 card links imported; 2 person keys set; 0 cards registered/);
  });

  it('refuses an unregistered card, registers it (初回登録) with the PIN and checks it', async () => {
    const refused = await checkFails(1, '--pin', '1234');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /CARD_NOT_REGISTERED/);
    const { stdout } = await check(1, '--pin', '1234', '--register', '--prescription', '1');
    assert.match(stdout, /健康保険証の利用登録が完了しました。/);
    assert.match(stdout, /照会区分: 1 マイナンバーカード/);
    assert.match(stdout, /処方箋発行形態: 電子処方箋/);
    assert.match(stdout, /資格有効性: 1 有効/);
    assert.match(stdout, /氏名: 番号　一郎/);
  });

  it('prints the tries left on a wrong PIN; a right PIN before blocking resets the counter', async () => {
    const wrong = await checkFails(1, '--pin', '9999');
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /CARD_PIN_WRONG: 暗証番号が違います。残り 2 回/);
    assert.equal((await readVirtualCardFile(cardFile(1))).triesLeft, 2);
    const { stdout } = await check(1, '--pin', '1234', '--json');
    assert.equal(JSON.parse(stdout).XmlMsg.MessageHeader.ReferenceClassification, '1');
    assert.equal((await readVirtualCardFile(cardFile(1))).triesLeft, 3);
  });

  it('blocks the PIN after 3 wrong tries; the blocked card still checks by face', async () => {
    await onshi('card', 'register', '--card', cardFile(2), '--pin', '1234', ...connection());
    assert.match((await checkFails(2, '--pin', '0000')).stderr, /残り 2 回/);
    assert.match((await checkFails(2, '--pin', '0000')).stderr, /残り 1 回/);
    assert.match(
      (await checkFails(2, '--pin', '0000')).stderr,
      /CARD_PIN_BLOCKED: 暗証番号がロックされています/,
    );
    assert.match((await checkFails(2, '--pin', '1234')).stderr, /暗証番号がロックされています/);
    assert.equal((await readVirtualCardFile(cardFile(2))).blocked, true);
    const { stdout } = await check(2, '--face', '--xml');
    assert.match(stdout, /<ReferenceClassification>1<\/ReferenceClassification>/);
    assert.match(stdout, /<Name>番号　二郎<\/Name>/);
  });

  it('a blocked card refuses to sign on the PIN path (APDUs)', async () => {
    const card = await openVirtualMyNumberCard(cardFile(2));
    await assert.rejects(startCardSession(card, { pin: '1234' }), { code: 'CARD_PIN_BLOCKED' });
    await selectJpkiAp(card);
    assert.deepEqual(await verifyPin(card, '1234'), { ok: false, blocked: true });
    await assert.rejects(signChallenge(card, new Uint8Array(32)), {
      code: 'CARD_SECURITY_STATUS_NOT_SATISFIED',
    });
  });

  it('shows the patient who accessed their data, proven by the card (the checks above)', async () => {
    const { stdout } = await onshi(
      'card',
      'access-log',
      '--card',
      cardFile(1),
      '--pin',
      '1234',
      ...connection(),
      '--json',
    );
    const accesses = JSON.parse(stdout) as { institutionCode: string; action: string }[];
    assert.ok(accesses.length >= 2, stdout);
    assert.ok(accesses.every((a) => a.institutionCode === '1310123458' && a.action === 'check-card'));
    const text = await onshi('card', 'access-log', '--card', cardFile(1), '--pin', '1234', ...connection());
    assert.match(text.stdout, /医療機関 1310123458 {2}マイナンバーカードで資格確認/);
    // The card still guards the log: a wrong PIN signs nothing.
    const wrongPin = await fails(
      'card',
      'access-log',
      '--card',
      cardFile(1),
      '--pin',
      '9999',
      ...connection(),
    );
    assert.match(wrongPin.stderr, /CARD_PIN_WRONG/);
  });

  it('lets the patient withdraw consents given to an institution', async () => {
    const checked = await check(1, '--pin', '1234', '--consent', 'YZK', '--consent', 'TKK', '--json');
    const result = JSON.parse(checked.stdout).XmlMsg.MessageBody.ResultList.ResultOfQualificationConfirmation;
    const first = Array.isArray(result) ? result[0] : result;
    assert.equal(first.PharmacistsInfoConsFlg, '1');
    const { stdout } = await onshi(
      'card',
      'revoke-consent',
      '--card',
      cardFile(1),
      '--pin',
      '1234',
      '--institution',
      '1310123458',
      ...connection(),
    );
    assert.match(
      stdout,
      /医療機関 1310123458 (への有効な同意はありませんでした|への同意 \d+ 件を取り消しました)/,
    );
    assert.equal((await fails('card', 'revoke-consent', '--card', cardFile(1), '--pin', '1234')).code, 2);
  });

  it('refuses bad usage with exit 2', async () => {
    assert.equal((await fails('card', 'check', '--card', cardFile(1), '--pin', '1234', '--face')).code, 2);
    assert.equal((await fails('card', 'register', '--card', cardFile(1), '--face')).code, 2);
    assert.equal((await fails('card', 'links')).code, 2);
  });
});
