import assert from 'node:assert/strict';
import { createSign, privateEncrypt } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OID_CLIENT_AUTH, OID_OCSP_SIGNING } from '../certs.ts';
import { decryptPrivateKey } from '../keys.ts';
import { DAY_MS, type TestDir, testClock, testDir } from '../test-support.ts';
import { isIssuedBy } from '../verify/chain.ts';
import { ISSUED_FILE, watchCardStatus } from './jpki.registry.ts';
import type { JpkiCa } from './jpki.types.ts';
import { createJpkiDirectory, openJpki } from './jpki-ca.ts';

describe('JPKI-like card PKI', () => {
  let dir: TestDir;
  let jpki: JpkiCa;
  const clock = testClock('2026-12-01T09:00:00Z');

  before(async () => {
    dir = await testDir();
    jpki = await createJpkiDirectory(join(dir.path, 'jpki'), dir.passphraseFile, { clock });
  });
  after(() => dir.remove());

  it('chains root → card CA → OCSP responder, with id-kp-OCSPSigning on the responder', () => {
    assert.ok(isIssuedBy(jpki.cardCa, jpki.root) && isIssuedBy(jpki.root, jpki.root));
    assert.ok(isIssuedBy(jpki.ocspResponder, jpki.cardCa));
    assert.deepEqual(jpki.ocspResponder.keyUsage, [OID_OCSP_SIGNING]);
    assert.equal(jpki.ocspResponder.ca, false);
  });

  it('issues a user-authentication certificate with no personal data, for ~5 years, and a pseudonymous id', async () => {
    const issued = await jpki.issueUserCertificate();
    const { certificate } = issued;
    assert.ok(isIssuedBy(certificate, jpki.cardCa));
    assert.deepEqual(certificate.subject.split('\n'), ['C=JP', `CN=${issued.serial}`]);
    assert.equal(certificate.subjectAltName, undefined);
    assert.deepEqual(certificate.keyUsage, [OID_CLIENT_AUTH]);
    assert.equal(certificate.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(certificate.validToDate.toISOString(), '2031-12-01T09:00:00.000Z');
    assert.ok(certificate.checkPrivateKey(issued.privateKey));
    assert.match(issued.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
    assert.match(issued.pseudonymousId, /^[0-9a-f]{32}$/);
    assert.deepEqual(Buffer.from(issued.certificateDer), certificate.raw);
    assert.equal(jpki.record(issued.serial)?.pseudonymousId, issued.pseudonymousId);
    const records = await readFile(join(jpki.dir, ISSUED_FILE), 'utf8');
    assert.ok(!records.includes('PRIVATE KEY'), 'the issuer keeps no copy of the card key');
  });

  it('signs like a card: PKCS#1 v1.5 over DigestInfo(SHA-256) equals RSASSA-PKCS1-v1_5/SHA-256', async () => {
    const issued = await jpki.issueUserCertificate();
    const challenge = Buffer.from('challenge-123');
    const digestInfoPrefix = Buffer.from('3031300d060960864801650304020105000420', 'hex');
    const digest = (await import('node:crypto')).createHash('sha256').update(challenge).digest();
    const cardSignature = privateEncrypt(issued.privateKey, Buffer.concat([digestInfoPrefix, digest]));
    const standard = createSign('sha256').update(challenge).sign(issued.privateKey);
    assert.deepEqual(cardSignature, standard);
  });

  it('keeps a person’s pseudonymous id on a renewed card, and ids are random otherwise', async () => {
    const first = await jpki.issueUserCertificate();
    const renewed = await jpki.issueUserCertificate({ pseudonymousId: first.pseudonymousId });
    const other = await jpki.issueUserCertificate();
    assert.equal(renewed.pseudonymousId, first.pseudonymousId);
    assert.notEqual(renewed.serial, first.serial);
    assert.notEqual(other.pseudonymousId, first.pseudonymousId);
  });

  it('issues in batches, concurrently, recording every card once', async () => {
    const seen: string[] = [];
    await jpki.issueUserCertificates(
      6,
      (issued, index) => {
        assert.ok(index >= 0 && index < 6);
        seen.push(issued.serial);
      },
      { concurrency: 3 },
    );
    assert.equal(new Set(seen).size, 6);
    const reopened = await openJpki(jpki.dir, dir.passphraseFile, { clock });
    for (const serial of seen) assert.ok(reopened.record(serial) !== undefined);
  });

  it('records revocations, which the status source picks up after a reload', async () => {
    const issued = await jpki.issueUserCertificate();
    const status = await watchCardStatus(jpki.dir, { intervalMs: 60_000 });
    try {
      assert.deepEqual(status.status(issued.serial), { status: 'good' });
      assert.deepEqual(status.status('7ABCDEF'), { status: 'unknown' });
      clock.advance(DAY_MS);
      await jpki.revoke(issued.serial, 'keyCompromise');
      assert.deepEqual(status.status(issued.serial), { status: 'good' });
      assert.equal(await status.reload(), true);
      assert.deepEqual(status.status(issued.serial.toLowerCase()), {
        status: 'revoked',
        revokedAt: new Date('2026-12-02T09:00:00Z'),
        reason: 'keyCompromise',
      });
      const later = await jpki.issueUserCertificate();
      assert.deepEqual(status.status(later.serial), { status: 'unknown' });
      await status.reload();
      assert.deepEqual(status.status(later.serial), { status: 'good' });
    } finally {
      status.close();
    }
    await assert.rejects(jpki.revoke(issued.serial, 'superseded'), { code: 'PKI_CERT_ALREADY_REVOKED' });
    await assert.rejects(jpki.revoke('not hex', 'superseded'), { code: 'PKI_SERIAL_UNKNOWN' });
  });

  it('keeps its CA keys encrypted under the passphrase', async () => {
    const pem = await readFile(join(jpki.dir, 'card-ca.key.pem'), 'utf8');
    assert.throws(() => decryptPrivateKey(pem, 'wrong passphrase!!', 'card-ca'), {
      code: 'PKI_KEY_PASSPHRASE_WRONG',
    });
    const wrong = join(dir.path, 'wrong.txt');
    await writeFile(wrong, 'a different passphrase\n');
    await assert.rejects(openJpki(jpki.dir, wrong), { code: 'PKI_KEY_PASSPHRASE_WRONG' });
  });
});
