import assert from 'node:assert/strict';
import { createHash, privateEncrypt, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCaDirectory } from '../ca/common-ca.ts';
import { DAY_MS, type TestDir, testClock, testDir } from '../test-support.ts';
import { createCardVerifier } from './card-verifier.ts';
import type { IssuedUserCertificate, JpkiCa } from './jpki.types.ts';
import { createJpkiDirectory } from './jpki-ca.ts';
import { type OcspService, openOcspService } from './ocsp-service.ts';

const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** What the card does in COMPUTE DIGITAL SIGNATURE: PKCS#1 v1.5 type 1 over DigestInfo(SHA-256(challenge)). */
function cardSign(card: IssuedUserCertificate, challenge: Uint8Array): Buffer {
  const digest = createHash('sha256').update(challenge).digest();
  return privateEncrypt(card.privateKey, Buffer.concat([SHA256_DIGEST_INFO, digest]));
}

describe('card signature verification', () => {
  let dir: TestDir;
  let jpki: JpkiCa;
  let ocsp: OcspService;
  let card: IssuedUserCertificate;
  const clock = testClock('2026-12-01T09:00:00Z');

  before(async () => {
    dir = await testDir();
    jpki = await createJpkiDirectory(join(dir.path, 'jpki'), dir.passphraseFile, { clock });
    ocsp = await openOcspService(jpki.dir, dir.passphraseFile, { clock, intervalMs: 60_000 });
    card = await jpki.issueUserCertificate();
    await ocsp.statusSource.reload();
  });
  after(async () => {
    ocsp.close();
    await dir.remove();
  });

  const verifier = (at = clock) =>
    createCardVerifier({ trust: jpki.bundlePem, clock: at, ocsp: ocsp.respond });
  const input = (signer: IssuedUserCertificate, challenge: Uint8Array, signed = challenge) => ({
    certificateDer: signer.certificateDer,
    challenge,
    signature: cardSign(signer, signed),
  });

  it('accepts the card’s signature over the challenge and names the certificate', async () => {
    const challenge = randomBytes(32);
    const verified = await verifier().verifyCardSignature(input(card, challenge));
    assert.equal(verified.serial, card.serial);
    assert.equal(jpki.record(verified.serial)?.pseudonymousId, card.pseudonymousId);
  });

  it('refuses a forged signature and a signature over another challenge: PKI_CARD_SIGNATURE_INVALID', async () => {
    const challenge = randomBytes(32);
    const forged = { ...input(card, challenge), signature: randomBytes(256) };
    await assert.rejects(verifier().verifyCardSignature(forged), { code: 'PKI_CARD_SIGNATURE_INVALID' });
    const flipped = input(card, challenge);
    flipped.signature[100]! ^= 0x01;
    await assert.rejects(verifier().verifyCardSignature(flipped), { code: 'PKI_CARD_SIGNATURE_INVALID' });
    const other = input(card, challenge, randomBytes(32));
    await assert.rejects(verifier().verifyCardSignature(other), { code: 'PKI_CARD_SIGNATURE_INVALID' });
    const otherCard = await jpki.issueUserCertificate();
    const swapped = { ...input(otherCard, challenge), certificateDer: card.certificateDer };
    await assert.rejects(verifier().verifyCardSignature(swapped), { code: 'PKI_CARD_SIGNATURE_INVALID' });
  });

  it('refuses an expired card certificate and one not yet valid', async () => {
    const challenge = randomBytes(32);
    const later = testClock(new Date(card.certificate.validToDate.getTime() + DAY_MS));
    const noOcsp = (at: typeof clock) => createCardVerifier({ trust: jpki.bundlePem, clock: at });
    await assert.rejects(noOcsp(later).verifyCardSignature(input(card, challenge)), {
      code: 'PKI_CERT_EXPIRED',
    });
    const earlier = testClock(new Date(card.certificate.validFromDate.getTime() - 1000));
    await assert.rejects(noOcsp(earlier).verifyCardSignature(input(card, challenge)), {
      code: 'PKI_CERT_NOT_YET_VALID',
    });
  });

  it('refuses a certificate from another CA — another JPKI, or the common CA: PKI_CERT_UNKNOWN_CA', async () => {
    const otherJpki = await createJpkiDirectory(join(dir.path, 'other-jpki'), dir.passphraseFile, { clock });
    const stranger = await otherJpki.issueUserCertificate();
    const challenge = randomBytes(32);
    await assert.rejects(verifier().verifyCardSignature(input(stranger, challenge)), {
      code: 'PKI_CERT_UNKNOWN_CA',
    });
    const common = await createCaDirectory(join(dir.path, 'common'), dir.passphraseFile, { clock });
    const { certificate, privateKey } = await common.issueServerCertificate();
    const asCard = {
      certificate,
      certificateDer: new Uint8Array(certificate.raw),
      privateKey,
    } as IssuedUserCertificate;
    await assert.rejects(verifier().verifyCardSignature(input(asCard, challenge)), {
      code: 'PKI_CERT_UNKNOWN_CA',
    });
    await assert.rejects(
      verifier().verifyCardSignature({ ...input(card, challenge), certificateDer: Uint8Array.of(1, 2, 3) }),
      { code: 'PKI_CERT_MALFORMED' },
    );
  });

  it('refuses the OCSP responder’s own certificate posing as a card: PKI_CERT_USAGE_INVALID', async () => {
    const challenge = randomBytes(32);
    const posing = { ...input(card, challenge), certificateDer: new Uint8Array(jpki.ocspResponder.raw) };
    await assert.rejects(verifier().verifyCardSignature(posing), { code: 'PKI_CERT_USAGE_INVALID' });
  });

  it('refuses a revoked card through OCSP, and a card the issuer does not know', async () => {
    const revoked = await jpki.issueUserCertificate();
    await jpki.revoke(revoked.serial, 'cessationOfOperation');
    await ocsp.statusSource.reload();
    const challenge = randomBytes(32);
    await assert.rejects(verifier().verifyCardSignature(input(revoked, challenge)), {
      code: 'PKI_CERT_REVOKED',
    });
    const unknown = await jpki.issueUserCertificate(); // not yet seen by the responder
    await assert.rejects(verifier().verifyCardSignature(input(unknown, challenge)), {
      code: 'PKI_OCSP_STATUS_UNKNOWN',
    });
  });

  it('reuses a good OCSP answer within ocspCacheMs only, so a revocation still lands in bounded time', async () => {
    const cached = await jpki.issueUserCertificate();
    await ocsp.statusSource.reload();
    let asked = 0;
    const counting = (request: Uint8Array) => {
      asked++;
      return ocsp.respond(request);
    };
    const local = testClock('2026-12-01T09:00:00Z');
    const caching = createCardVerifier({
      trust: jpki.bundlePem,
      clock: local,
      ocsp: counting,
      ocspCacheMs: 60_000,
    });
    const challenge = randomBytes(32);
    await caching.verifyCardSignature(input(cached, challenge));
    await caching.verifyCardSignature(input(cached, challenge));
    assert.equal(asked, 1);
    await jpki.revoke(cached.serial, 'keyCompromise');
    await ocsp.statusSource.reload();
    await caching.verifyCardSignature(input(cached, challenge));
    local.advance(60_001);
    await assert.rejects(caching.verifyCardSignature(input(cached, challenge)), { code: 'PKI_CERT_REVOKED' });
    assert.equal(asked, 2);
  });
});
