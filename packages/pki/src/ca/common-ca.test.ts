import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSecureContext } from 'node:tls';
import { institutionCodeCheckDigit } from '@onshi/core';
import { addMonths, OID_CLIENT_AUTH } from '../certs.ts';
import { decryptPrivateKey, generateRsaKeyPair } from '../keys.ts';
import { openPkcs12 } from '../pkcs12.ts';
import { DAY_MS, type TestDir, testClock, testDir } from '../test-support.ts';
import { parseCrl } from './ca.crl.ts';
import { type CommonCa, createCaDirectory, openCa } from './common-ca.ts';
import { createInstitutionCsr } from './csr.ts';

const code = (body: string): string => `${body}${institutionCodeCheckDigit(body)}`;
const CODE = code('131012345');
const OTHER_CODE = code('271034567');

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('common CA directory', () => {
  let dir: TestDir;
  let ca: CommonCa;
  const clock = testClock('2026-12-01T09:00:00Z');

  before(async () => {
    dir = await testDir();
    ca = await createCaDirectory(join(dir.path, 'ca'), dir.passphraseFile, { clock });
  });
  after(() => dir.remove());

  it('keeps its keys encrypted: they open with the passphrase only, and only the owner may read them', async () => {
    const pem = await readFile(join(ca.dir, 'issuing.key.pem'), 'utf8');
    assert.match(pem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    assert.throws(() => decryptPrivateKey(pem, 'not the passphrase!', 'issuing'), {
      code: 'PKI_KEY_PASSPHRASE_WRONG',
    });
    assert.ok(ca.issuing.checkPrivateKey(decryptPrivateKey(pem, 'correct horse battery staple', 'issuing')));
    assert.equal((await stat(join(ca.dir, 'root.key.pem'))).mode & 0o777, 0o600);
    const wrong = join(dir.path, 'wrong.txt');
    await writeFile(wrong, 'another passphrase of length\n');
    await assert.rejects(openCa(ca.dir, wrong), { code: 'PKI_KEY_PASSPHRASE_WRONG' });
  });

  it('refuses to create a CA over a directory in use', async () => {
    await assert.rejects(createCaDirectory(ca.dir, dir.passphraseFile), { code: 'PKI_CA_DIRECTORY_EXISTS' });
  });

  it('chains the issuing CA to the root, and openssl agrees', () => {
    assert.ok(ca.issuing.checkIssued(ca.root) && ca.issuing.verify(ca.root.publicKey));
    assert.ok(ca.root.ca && ca.issuing.ca);
    const at = String(clock.now().getTime() / 1000 + 60);
    const args = [
      'verify',
      '-attime',
      at,
      '-CAfile',
      join(ca.dir, 'root.crt.pem'),
      join(ca.dir, 'issuing.crt.pem'),
    ];
    assert.match(openssl(args), /OK/);
  });

  it('issues from a CSR: the key stays with the requester, the CA writes the subject', async () => {
    const keys = await generateRsaKeyPair();
    const csr = await createInstitutionCsr(CODE, keys);
    const { certificate, entry, pkcs12 } = await ca.issueFromCsr({
      institutionCode: CODE,
      institutionName: '医療法人 オンシ会 オンシ病院',
      csr,
    });
    assert.equal(pkcs12, undefined);
    assert.ok(certificate.checkPrivateKey(keys.privateKey));
    assert.deepEqual(certificate.subject.split('\n'), [
      'C=JP',
      'O=医療法人 オンシ会 オンシ病院',
      `CN=${CODE}`,
      `serialNumber=${CODE}`,
    ]);
    assert.deepEqual(certificate.keyUsage, [OID_CLIENT_AUTH]);
    assert.equal(certificate.ca, false);
    assert.equal(entry.keyDelivery, 'csr');
    assert.equal(entry.serial, certificate.serialNumber);
    const leaf = join(dir.path, 'leaf.pem');
    await writeFile(leaf, certificate.toString());
    const untrusted = join(ca.dir, 'issuing.crt.pem');
    const chain = ['verify', '-CAfile', join(ca.dir, 'root.crt.pem'), '-untrusted', untrusted];
    const at = ['-attime', String(clock.now().getTime() / 1000 + 60), '-purpose', 'sslclient', leaf];
    assert.match(openssl([...chain, ...at]), /OK/);
  });

  it('is valid for 3 years and 3 months from issuance', async () => {
    const { certificate } = await ca.issueFromCsr({
      institutionCode: CODE,
      institutionName: 'オンシ病院',
      csr: await createInstitutionCsr(CODE, await generateRsaKeyPair()),
    });
    assert.equal(certificate.validFromDate.toISOString(), '2026-12-01T09:00:00.000Z');
    assert.equal(certificate.validToDate.toISOString(), '2030-03-01T09:00:00.000Z');
    assert.deepEqual(addMonths(new Date('2027-11-30T00:00:00Z'), 39), new Date('2031-02-28T00:00:00Z'));
  });

  it('refuses a CSR whose signature does not verify, whose CN is another code, or an invalid code', async () => {
    const keys = await generateRsaKeyPair();
    const csr = await createInstitutionCsr(CODE, keys);
    const der = Buffer.from(csr.replace(/-----[^-]+-----/g, '').replaceAll(/\s/g, ''), 'base64');
    der[der.length - 10]! ^= 0x01;
    const request = { institutionCode: CODE, institutionName: 'オンシ病院' };
    await assert.rejects(ca.issueFromCsr({ ...request, csr: der }), { code: 'PKI_CSR_INVALID' });
    await assert.rejects(ca.issueFromCsr({ ...request, csr: 'garbage' }), { code: 'PKI_CSR_INVALID' });
    const other = await createInstitutionCsr(OTHER_CODE, keys);
    await assert.rejects(ca.issueFromCsr({ ...request, csr: other }), { code: 'PKI_CSR_INVALID' });
    await assert.rejects(ca.issueFromCsr({ ...request, institutionCode: '1310123450', csr }), {
      code: 'INSTITUTION_CODE_INVALID',
    });
  });

  it('delivers a generated key as PKCS#12 that opens with the one-time password only', async () => {
    const { certificate, entry, pkcs12 } = await ca.issuePkcs12({
      institutionCode: OTHER_CODE,
      institutionName: 'オンシ薬局',
    });
    assert.ok(pkcs12 !== undefined);
    assert.equal(entry.keyDelivery, 'pkcs12');
    assert.match(pkcs12.oneTimePassword, /^[A-HJKMNP-Z2-9]{20}$/);
    const opened = openPkcs12(pkcs12.der, pkcs12.oneTimePassword);
    assert.ok(certificate.checkPrivateKey(opened.privateKey));
    assert.deepEqual(
      opened.certificates.map((c) => c.serialNumber),
      [certificate.serialNumber, ca.issuing.serialNumber, ca.root.serialNumber],
    );
    assert.throws(() => openPkcs12(pkcs12.der, 'WRONGPASSWORD2345678'), {
      code: 'PKI_PKCS12_PASSWORD_WRONG',
    });
    createSecureContext({ pfx: Buffer.from(pkcs12.der), passphrase: pkcs12.oneTimePassword });
    assert.throws(() => createSecureContext({ pfx: Buffer.from(pkcs12.der), passphrase: 'WRONG' }));
    const index = JSON.parse(await readFile(join(ca.dir, 'index.json'), 'utf8'));
    assert.ok(!JSON.stringify(index).includes(pkcs12.oneTimePassword), 'the one-time password is not stored');
  });

  it('gives every certificate a random, unique 128-bit serial', async () => {
    const serials = ca.entries().map((entry) => entry.serial);
    assert.ok(serials.length >= 3);
    assert.equal(new Set(serials).size, serials.length);
    for (const serial of serials) assert.match(serial, /^[1-7][0-9A-F]{31}$/);
  });

  it('renews with the same subject and a new key, and can revoke the old one as superseded', async () => {
    const first = await ca.issuePkcs12({ institutionCode: CODE, institutionName: 'オンシ病院' });
    clock.advance(1000 * DAY_MS);
    const keys = await generateRsaKeyPair();
    const renewed = await ca.renew(first.entry.serial, {
      csr: await createInstitutionCsr(CODE, keys),
      revokeOld: true,
    });
    clock.set('2026-12-01T09:00:00Z');
    assert.equal(renewed.certificate.subject, first.certificate.subject);
    assert.notEqual(renewed.entry.serial, first.entry.serial);
    assert.equal(renewed.entry.renewalOf, first.entry.serial);
    assert.ok(renewed.certificate.checkPrivateKey(keys.privateKey));
    assert.ok(renewed.certificate.validToDate > first.certificate.validToDate);
    const crl = await parseCrl(await readFile(ca.crlPath), ca.issuing);
    assert.equal(crl?.revoked.get(first.entry.serial)?.reason, 4);
    const again = await ca.renew(renewed.entry.serial);
    assert.ok(again.pkcs12 !== undefined);
    await assert.rejects(ca.renew(first.entry.serial), { code: 'PKI_CERT_ALREADY_REVOKED' });
  });

  it('revokes with a reason into a signed CRL with nextUpdate, refusing unknown and repeated serials', async () => {
    const { entry } = await ca.issuePkcs12({ institutionCode: CODE, institutionName: 'オンシ病院' });
    const revoked = await ca.revoke(entry.serial, 'keyCompromise');
    assert.deepEqual(revoked.revoked, { at: '2026-12-01T09:00:00.000Z', reason: 'keyCompromise' });
    const crl = await parseCrl(await readFile(ca.crlPath), ca.issuing);
    assert.ok(crl !== undefined);
    assert.deepEqual(crl.revoked.get(entry.serial), {
      revokedAt: new Date('2026-12-01T09:00:00Z'),
      reason: 1,
    });
    assert.equal(crl.nextUpdate?.getTime(), crl.thisUpdate.getTime() + 7 * DAY_MS);
    assert.equal(await parseCrl(await readFile(ca.crlPath), ca.root), undefined, 'not signed by the root');
    const text = openssl([
      'crl',
      '-in',
      ca.crlPath,
      '-CAfile',
      join(ca.dir, 'bundle.pem'),
      '-noout',
      '-text',
    ]);
    assert.match(text, new RegExp(`Serial Number: ${entry.serial}[\\s\\S]+Key Compromise`));
    assert.match(text, /X509v3 CRL Number:\s+\d+/);
    await assert.rejects(ca.revoke(entry.serial, 'superseded'), { code: 'PKI_CERT_ALREADY_REVOKED' });
    await assert.rejects(ca.revoke('7F00', 'superseded'), { code: 'PKI_SERIAL_UNKNOWN' });
  });

  it('issues a server certificate for localhost and 127.0.0.1', async () => {
    const { certificate, privateKey } = await ca.issueServerCertificate();
    assert.ok(certificate.checkPrivateKey(privateKey));
    assert.equal(certificate.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');
    assert.deepEqual(certificate.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.ok(
      certificate.checkHost('localhost') !== undefined && certificate.checkIP('127.0.0.1') !== undefined,
    );
  });

  it('reopens with the same state', async () => {
    const reopened = await openCa(ca.dir, dir.passphraseFile, { clock });
    assert.deepEqual(reopened.entries(), ca.entries());
    assert.equal(new X509Certificate(reopened.bundlePem).serialNumber, ca.issuing.serialNumber);
  });
});
