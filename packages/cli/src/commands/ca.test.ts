/** `onshi ca …` end to end through the real binary: CA files, PKCS#12 + OTP, CRL, cards, errors. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { checkVirtualCard, createCrlWatcher, openPkcs12, readCardLinks } from '@onshi/pki';

const bin = new URL('../../bin/onshi.js', import.meta.url).pathname;
const run = promisify(execFile);

describe('onshi ca', () => {
  let dir: string;
  let ca: string[];
  const onshi = (...args: string[]) => run(process.execPath, [bin, ...args], { cwd: dir });
  const fails = async (args: string[]): Promise<{ code: number; stderr: string }> => {
    try {
      await onshi(...args);
    } catch (error) {
      return error as { code: number; stderr: string };
    }
    assert.fail(`onshi ${args.join(' ')} succeeded`);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onshi-ca-cli-'));
    writeFileSync(join(dir, 'pass.txt'), 'cli test passphrase\n');
    ca = ['--dir', 'ca', '--passphrase-file', 'pass.txt'];
    await onshi('ca', 'init', ...ca);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('issues a PKCS#12 whose one-time password is printed once and opens it', async () => {
    const { stdout } = await onshi(
      'ca',
      'issue',
      ...ca,
      '--institution',
      '1310123458',
      '--name',
      'オンシ病院',
      '--pkcs12',
      'i.p12',
    );
    const password = /one-time password \(shown once, not stored\): (\S+)/.exec(stdout)?.[1];
    assert.ok(password !== undefined);
    const opened = openPkcs12(readFileSync(join(dir, 'i.p12')), password);
    assert.match(opened.certificates[0]!.subject, /serialNumber=1310123458/);
    assert.ok(!readFileSync(join(dir, 'ca/common/index.json'), 'utf8').includes(password));
  });

  it('revokes into the CRL and refuses a second revocation with its code', async () => {
    const { stdout } = await onshi(
      'ca',
      'issue',
      ...ca,
      '--institution',
      '1310123458',
      '--name',
      'x',
      '--pkcs12',
      'j.p12',
    );
    const serial = /issued ([0-9A-F]+)/.exec(stdout)![1]!;
    await onshi('ca', 'revoke', ...ca, '--serial', serial, '--reason', 'keyCompromise');
    const issuer = new X509Certificate(readFileSync(join(dir, 'ca/common/issuing.crt.pem')));
    const crl = await createCrlWatcher(join(dir, 'ca/common/crl.pem'), { issuer });
    crl.close();
    assert.equal(crl.isRevoked(serial), true);
    const again = await fails(['ca', 'revoke', ...ca, '--serial', serial, '--reason', 'keyCompromise']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /PKI_CERT_ALREADY_REVOKED/);
    assert.match(
      (await fails(['ca', 'revoke', ...ca, '--serial', serial, '--reason', 'because'])).stderr,
      /PKI_REVOCATION_REASON_INVALID/,
    );
  });

  it('writes the server certificate with its chain and an encrypted key', async () => {
    await onshi('ca', 'server-cert', ...ca, '--out-cert', 'server.pem', '--out-key', 'server.key');
    const pem = readFileSync(join(dir, 'server.pem'), 'utf8');
    assert.equal(new X509Certificate(pem).subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');
    assert.equal(pem.match(/BEGIN CERTIFICATE/g)?.length, 2);
    assert.match(readFileSync(join(dir, 'server.key'), 'utf8'), /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  });

  it('issues a card file for a person and links it to a pseudonymous id, kept on renewal', async () => {
    await onshi('ca', 'issue-card', ...ca, '--person-id', '7', '--pin', '1234');
    await onshi('ca', 'issue-card', ...ca, '--person-id', '7', '--pin', '1234');
    const card = JSON.parse(readFileSync(join(dir, 'cards/person-7.card.json'), 'utf8'));
    assert.equal(checkVirtualCard(card), undefined);
    assert.equal(card.pin, '1234');
    const links = await readCardLinks(join(dir, 'cards/links.ndjson'));
    assert.equal(links.length, 2);
    assert.equal(links[0]!.pseudonymousId, links[1]!.pseudonymousId);
    assert.notEqual(links[0]!.serial, links[1]!.serial);
    assert.equal(
      new X509Certificate(Buffer.from(card.userCertificate, 'base64')).serialNumber,
      links[1]!.serial,
    );
  });

  it('issues cards in a batch for persons of a seeded store, skipping persons that have one', async () => {
    await onshi('seed', '--persons', '6', '--store', 'sqlite:s.db');
    const out = ['--out-dir', 'batch'];
    await onshi(
      'ca',
      'issue-cards',
      ...ca,
      ...out,
      '--store',
      'sqlite:s.db',
      '--limit',
      '3',
      '--concurrency',
      '2',
    );
    await onshi('ca', 'issue-cards', ...ca, ...out, '--store', 'sqlite:s.db', '--limit', '2');
    const links = await readCardLinks(join(dir, 'batch/links.ndjson'));
    const persons = links.map((link) => link.personId).sort((a, b) => a - b);
    assert.equal(new Set(persons).size, 5);
    assert.equal(new Set(links.map((link) => link.pseudonymousId)).size, 5);
    for (const personId of persons) {
      const card = JSON.parse(readFileSync(join(dir, `batch/person-${personId}.card.json`), 'utf8'));
      assert.equal(checkVirtualCard(card), undefined);
    }
  });

  it('refuses a wrong passphrase with a code, and usage errors with exit 2', async () => {
    writeFileSync(join(dir, 'wrong.txt'), 'not the passphrase at all\n');
    const wrong = await fails(['ca', 'crl', '--dir', 'ca', '--passphrase-file', 'wrong.txt']);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /PKI_KEY_PASSPHRASE_WRONG/);
    assert.equal((await fails(['ca', 'crl', '--dir', 'ca'])).code, 2);
    assert.equal((await fails(['ca', 'nonsense', ...ca])).code, 2);
  });
});
