import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import type { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createAuthority, loadAuthority, loadCertificate } from '../authority.ts';
import { randomSerialHex, signCertificate, wholeSeconds } from '../certs.ts';
import { generateRsaKeyPair } from '../keys.ts';
import { TEST_PASSPHRASE, type TestDir, testClock, testDir } from '../test-support.ts';
import { userExtensions, userSubject } from './jpki.profiles.ts';
import type { JpkiCa } from './jpki.types.ts';
import { createJpkiDirectory } from './jpki-ca.ts';
import { checkOcsp, type OcspTransport } from './ocsp-client.ts';
import { createOcspResponder } from './ocsp-responder.ts';
import { type OcspService, openOcspService } from './ocsp-service.ts';

describe('OCSP for card certificates', () => {
  let dir: TestDir;
  let jpki: JpkiCa;
  let service: OcspService;
  const clock = testClock(new Date()); // real time: openssl checks the response against its own clock

  before(async () => {
    dir = await testDir();
    jpki = await createJpkiDirectory(join(dir.path, 'jpki'), dir.passphraseFile, { clock });
    service = await openOcspService(jpki.dir, dir.passphraseFile, { clock, intervalMs: 60_000 });
  });
  after(async () => {
    service.close();
    await dir.remove();
  });

  const transport: OcspTransport = (request) => service.respond(request);
  const check = (certificate: X509Certificate, via: OcspTransport = transport, at = clock) =>
    checkOcsp(certificate, jpki.cardCa, via, { clock: at });

  it('answers good for an issued certificate, valid for ten minutes', async () => {
    const { certificate } = await jpki.issueUserCertificate();
    await service.statusSource.reload();
    const result = await check(certificate);
    assert.equal(result.status, 'good');
    assert.equal(result.nextUpdate!.getTime() - result.thisUpdate.getTime(), 600_000);
    assert.equal(result.thisUpdate.getTime(), wholeSeconds(clock.now()).getTime());
  });

  it('answers revoked with the time and reason once the issuer revokes', async () => {
    const { certificate, serial } = await jpki.issueUserCertificate();
    const record = await jpki.revoke(serial, 'keyCompromise');
    await service.statusSource.reload();
    const result = await check(certificate);
    assert.deepEqual(
      { status: result.status, revokedAt: result.revokedAt, reason: result.reason },
      { status: 'revoked', revokedAt: new Date(record.revokedAt), reason: 'keyCompromise' },
    );
  });

  it('answers unknown for a certificate of the card CA that the issuer never recorded', async () => {
    const stray = await strayCertificate();
    assert.equal((await check(stray)).status, 'unknown');
  });

  it('refuses a tampered response: one flipped bit in the signed data or in the signature', async () => {
    const { certificate } = await jpki.issueUserCertificate();
    await service.statusSource.reload();
    for (const where of ['nonce', 'signature'] as const) {
      const tampering: OcspTransport = async (request) => {
        const response = Buffer.from(await service.respond(request));
        const nonce = Buffer.from(request.slice(-16));
        const at = where === 'nonce' ? response.indexOf(nonce) : response.length - 1;
        assert.ok(at > 0);
        response[at]! ^= 0x01;
        return response;
      };
      await assert.rejects(check(certificate, tampering), { code: 'PKI_OCSP_RESPONSE_INVALID' }, where);
    }
  });

  it('refuses a response signed by anyone but the card CA or its OCSP responder', async () => {
    const { certificate, privateKey } = await jpki.issueUserCertificate();
    const other = await createAuthority({
      subject: [{ CN: ['onshi JPKI OCSP Responder'] }],
      pathLength: 0,
      notBefore: clock.now(),
      years: 1,
    });
    const holder = { certificate, privateKey }; // a card holder's own key, certified by the card CA, but not for OCSP
    for (const signer of [other, holder]) {
      const forger = createOcspResponder({
        issuer: jpki.cardCa,
        signer,
        status: () => ({ status: 'good' }),
        clock,
      });
      await assert.rejects(check(certificate, forger.respond), { code: 'PKI_OCSP_RESPONSE_INVALID' });
    }
    const cardCa = await loadAuthority(jpki.dir, 'card-ca', jpki.cardCa, TEST_PASSPHRASE);
    const byCa = createOcspResponder({
      issuer: jpki.cardCa,
      signer: cardCa,
      status: () => ({ status: 'good' }),
      clock,
    });
    assert.equal((await check(certificate, byCa.respond)).status, 'good', 'the CA itself may sign');
  });

  it('refuses a replayed response (nonce) and an answer about another certificate', async () => {
    const { certificate } = await jpki.issueUserCertificate();
    const { certificate: another } = await jpki.issueUserCertificate();
    await service.statusSource.reload();
    let saved: Uint8Array | undefined;
    await check(certificate, async (request) => {
      saved = await service.respond(request);
      return saved;
    });
    await assert.rejects(
      check(certificate, async () => saved!),
      { code: 'PKI_OCSP_NONCE_MISMATCH' },
    );
    await assert.rejects(
      check(another, async () => saved!),
      { code: 'PKI_OCSP_CERT_ID_MISMATCH' },
    );
  });

  it('refuses a response past its nextUpdate, or from the future: PKI_OCSP_RESPONSE_STALE', async () => {
    const { certificate } = await jpki.issueUserCertificate();
    await service.statusSource.reload();
    const late = testClock(new Date(clock.now().getTime() + 20 * 60_000));
    await assert.rejects(check(certificate, transport, late), { code: 'PKI_OCSP_RESPONSE_STALE' });
    const signer = await loadAuthority(jpki.dir, 'ocsp', jpki.ocspResponder, TEST_PASSPHRASE);
    const ahead = testClock(new Date(clock.now().getTime() + 20 * 60_000));
    const fast = createOcspResponder({
      issuer: jpki.cardCa,
      signer,
      status: () => ({ status: 'good' }),
      clock: ahead,
    });
    await assert.rejects(check(certificate, fast.respond), { code: 'PKI_OCSP_RESPONSE_STALE' });
  });

  it('answers malformedRequest to garbage and unauthorized for another issuer', async () => {
    const garbage = pkijs.OCSPResponse.fromBER(
      await service.respond(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01)),
    );
    assert.equal(garbage.responseStatus.valueBlock.valueDec, 1);
    assert.equal(garbage.responseBytes, undefined);
    const { certificate } = await jpki.issueUserCertificate();
    await assert.rejects(checkOcsp(certificate, jpki.root, transport, { clock }), {
      code: 'PKI_OCSP_RESPONSE_INVALID',
      message: /responseStatus 6/,
    });
  });

  it('writes what pkijs reads: status, revocation time and reason, nonce, responder certificate', async () => {
    const { certificate, serial } = await jpki.issueUserCertificate();
    const record = await jpki.revoke(serial, 'affiliationChanged');
    await service.statusSource.reload();
    let exchange: { request: Uint8Array; response: Uint8Array } | undefined;
    await check(certificate, async (request) => {
      exchange = { request, response: await service.respond(request) };
      return exchange.response;
    });
    const request = pkijs.OCSPRequest.fromBER(exchange!.request);
    const response = pkijs.OCSPResponse.fromBER(exchange!.response);
    const basic = pkijs.BasicOCSPResponse.fromBER(response.responseBytes!.response.valueBlock.valueHexView);
    const [single] = basic.tbsResponseData.responses;
    assert.ok(single!.certID.isEqual(request.tbsRequest.requestList[0]!.reqCert));
    const status = single!.certStatus as asn1js.Constructed;
    assert.equal(status.idBlock.tagNumber, 1);
    const [time, reason] = status.valueBlock.value as [asn1js.GeneralizedTime, asn1js.Constructed];
    assert.deepEqual(time.toDate(), new Date(record.revokedAt));
    assert.equal((reason.valueBlock.value[0] as asn1js.Enumerated).valueBlock.valueDec, 3);
    const nonceIn = request.tbsRequest.requestExtensions![0]!.extnValue.valueBlock.valueHexView;
    const nonceOut = basic.tbsResponseData.responseExtensions![0]!.extnValue.valueBlock.valueHexView;
    assert.deepEqual(Buffer.from(nonceOut), Buffer.from(nonceIn));
    assert.deepEqual(Buffer.from(basic.certs![0]!.toSchema().toBER(false)), jpki.ocspResponder.raw);
  });

  it('interoperates with openssl: its request (SHA-1 CertID, nonce) in, our response verified by it', async () => {
    const { certificate } = await jpki.issueUserCertificate();
    await service.statusSource.reload();
    const files = {
      issuer: join(dir.path, 'card-ca.pem'),
      cert: join(dir.path, 'user.pem'),
      req: join(dir.path, 'req.der'),
      resp: join(dir.path, 'resp.der'),
    };
    await writeFile(files.issuer, jpki.cardCa.toString());
    await writeFile(files.cert, certificate.toString());
    execFileSync('openssl', ['ocsp', '-issuer', files.issuer, '-cert', files.cert, '-reqout', files.req]);
    await writeFile(files.resp, await service.respond(await readFile(files.req)));
    const args = [
      'ocsp',
      '-reqin',
      files.req,
      '-respin',
      files.resp,
      '-CAfile',
      join(jpki.dir, 'bundle.pem'),
    ];
    const run = spawnSync('openssl', [...args, '-resp_text'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /Response verify OK/, 'signature, responder chain and nonce');
    assert.match(run.stdout, /Hash Algorithm: sha1[\s\S]+Cert Status: good/);
  });

  async function strayCertificate(): Promise<X509Certificate> {
    const cardCa = await loadAuthority(
      jpki.dir,
      'card-ca',
      await loadCertificate(jpki.dir, 'card-ca'),
      TEST_PASSPHRASE,
    );
    const keys = await generateRsaKeyPair();
    const serial = randomSerialHex();
    const notBefore = wholeSeconds(clock.now());
    const notAfter = new Date(notBefore.getTime() + 86_400_000);
    return signCertificate(
      {
        subject: userSubject(serial),
        publicKey: keys.publicKey,
        serial,
        notBefore,
        notAfter,
        extensions: userExtensions(),
      },
      cardCa,
    );
  }
});
