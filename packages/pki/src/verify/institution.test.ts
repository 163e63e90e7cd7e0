import assert from 'node:assert/strict';
import type { X509Certificate } from 'node:crypto';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { institutionCodeCheckDigit } from '@onshi/core';
import { createAuthority, loadAuthority, loadCertificate } from '../authority.ts';
import { buildCrl } from '../ca/ca.crl.ts';
import { type CommonCa, createCaDirectory } from '../ca/common-ca.ts';
import { leafExtensions, OID_CLIENT_AUTH, randomSerialHex, signCertificate } from '../certs.ts';
import { generateRsaKeyPair, privateKeyPem } from '../keys.ts';
import { DAY_MS, TEST_PASSPHRASE, type TestDir, testClock, testDir } from '../test-support.ts';
import { x509 } from '../x509.ts';
import { type CrlWatcher, createCrlWatcher } from './crl-watcher.ts';
import { createInstitutionVerifier, institutionCodeOf } from './institution.ts';

const CODE = `131012345${institutionCodeCheckDigit('131012345')}`;

describe('institution certificates', () => {
  let dir: TestDir;
  let ca: CommonCa;
  let crl: CrlWatcher;
  const clock = testClock(new Date()); // real time: the TLS client checks the server certificate
  const errors: string[] = [];

  before(async () => {
    dir = await testDir();
    ca = await createCaDirectory(join(dir.path, 'ca'), dir.passphraseFile, { clock });
    crl = await createCrlWatcher(ca.crlPath, {
      issuer: ca.issuing,
      intervalMs: 60_000,
      onError: (error) => errors.push(error.code),
    });
  });
  after(async () => {
    crl.close();
    await dir.remove();
  });

  const verifier = () => createInstitutionVerifier({ trust: ca.bundlePem, crl, clock });
  const issue = async () =>
    (await ca.issuePkcs12({ institutionCode: CODE, institutionName: 'オンシ病院' })).certificate;

  it('names the institution of a valid certificate', async () => {
    const certificate = await issue();
    const identity = verifier().verify(certificate);
    assert.deepEqual(identity, {
      institutionCode: CODE,
      serial: certificate.serialNumber,
      notAfter: certificate.validToDate,
    });
  });

  it('refuses a missing certificate: PKI_CERT_MISSING', () => {
    assert.throws(() => verifier().verify(undefined), { code: 'PKI_CERT_MISSING' });
    assert.throws(
      () => verifier().verify({} as never),
      { code: 'PKI_CERT_MISSING' },
      'getPeerCertificate() gives {}',
    );
  });

  it('refuses an expired certificate, and one not yet valid, each with its own code', async () => {
    const certificate = await issue();
    const later = testClock(new Date(certificate.validToDate.getTime() + 1000));
    assert.throws(
      () => createInstitutionVerifier({ trust: ca.bundlePem, clock: later }).verify(certificate),
      {
        code: 'PKI_CERT_EXPIRED',
      },
    );
    const moving = testClock(new Date(certificate.validToDate.getTime() - 1000));
    const onConnection = createInstitutionVerifier({ trust: ca.bundlePem, clock: moving });
    const identity = onConnection.verify(certificate);
    moving.advance(2000);
    assert.throws(
      () => onConnection.recheck(identity),
      { code: 'PKI_CERT_EXPIRED' },
      'on a kept-alive connection',
    );
    const earlier = testClock(new Date(certificate.validFromDate.getTime() - 1000));
    assert.throws(
      () => createInstitutionVerifier({ trust: ca.bundlePem, clock: earlier }).verify(certificate),
      {
        code: 'PKI_CERT_NOT_YET_VALID',
      },
    );
  });

  it('refuses a certificate of another CA with the same names: PKI_CERT_UNKNOWN_CA', async () => {
    const other = await createAuthority({
      subject: [{ CN: ['onshi Common Issuing CA'] }],
      pathLength: 0,
      notBefore: clock.now(),
      years: 5,
    });
    const forged = await clientCertificate(other, [
      { C: ['JP'] },
      { O: ['x'] },
      { CN: [CODE] },
      { '2.5.4.5': [CODE] },
    ]);
    assert.throws(() => verifier().verify(forged), { code: 'PKI_CERT_UNKNOWN_CA' });
  });

  it('refuses a revoked certificate once the CRL is reloaded, without a restart', async () => {
    const certificate = await issue();
    const check = verifier();
    const identity = check.verify(certificate);
    assert.equal(identity.institutionCode, CODE);
    check.recheck(identity);
    await ca.revoke(certificate.serialNumber, 'keyCompromise');
    assert.equal(crl.isRevoked(certificate.serialNumber), false, 'not before the reload');
    assert.equal(await crl.reload(), true);
    assert.equal(crl.isRevoked(certificate.serialNumber.toLowerCase()), true);
    assert.throws(() => check.verify(certificate), { code: 'PKI_CERT_REVOKED' });
    assert.throws(() => check.recheck(identity), { code: 'PKI_CERT_REVOKED' }, 'a kept-alive connection too');
    assert.equal(await crl.reload(), false, 'unchanged file: nothing to do');
  });

  it('picks up a new CRL by polling within the interval', async () => {
    const certificate = await issue();
    const watcher = await createCrlWatcher(ca.crlPath, { issuer: ca.issuing, intervalMs: 20 });
    try {
      await ca.revoke(certificate.serialNumber, 'affiliationChanged');
      const deadline = Date.now() + 2_000;
      while (!watcher.isRevoked(certificate.serialNumber) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(watcher.isRevoked(certificate.serialNumber), true);
    } finally {
      watcher.close();
    }
  });

  it('keeps the CRL in force when a replacement is not signed by the issuing CA or is older', async () => {
    const before = crl.info();
    const saved = join(dir.path, 'crl.saved.pem');
    await copyFile(ca.crlPath, saved);
    const root = await loadAuthority(ca.dir, 'root', await loadCertificate(ca.dir, 'root'), TEST_PASSPHRASE);
    const forged = await buildCrl({
      issuer: root,
      entries: [],
      thisUpdate: clock.now(),
      nextUpdate: clock.now(),
      crlNumber: 99,
    });
    await writeFile(ca.crlPath, forged);
    await assert.rejects(crl.reload(), { code: 'PKI_CRL_UNAVAILABLE' });
    assert.deepEqual(crl.info(), before);
    await ca.writeCrl();
    assert.equal(await crl.reload(), true);
    await copyFile(saved, ca.crlPath);
    await assert.rejects(crl.reload(), { code: 'PKI_CRL_UNAVAILABLE' }, 'an older CRL is a rollback');
    await ca.writeCrl();
    await crl.reload();
  });

  it('refuses every certificate once the CRL is past its nextUpdate: PKI_CRL_STALE', async () => {
    const certificate = await issue();
    const late = testClock(new Date(crl.info().nextUpdate!.getTime() + DAY_MS));
    assert.throws(
      () => createInstitutionVerifier({ trust: ca.bundlePem, crl, clock: late }).verify(certificate),
      {
        code: 'PKI_CRL_STALE',
      },
    );
  });

  it('refuses a certificate of the CA without clientAuth or without an institution code', async () => {
    const { certificate: server } = await ca.issueServerCertificate();
    assert.throws(() => verifier().verify(server), { code: 'PKI_CERT_USAGE_INVALID' });
    const issuing = await loadAuthority(ca.dir, 'issuing', ca.issuing, TEST_PASSPHRASE);
    const noCode = await clientCertificate(issuing, [{ C: ['JP'] }, { O: ['オンシ病院'] }, { CN: [CODE] }]);
    assert.throws(() => verifier().verify(noCode), { code: 'PKI_CERT_NO_INSTITUTION' });
    const twoCodes = await clientCertificate(issuing, [
      { CN: [CODE] },
      { '2.5.4.5': [CODE] },
      { '2.5.4.5': [CODE] },
    ]);
    assert.throws(() => institutionCodeOf(twoCodes), { code: 'PKI_CERT_NO_INSTITUTION' });
    const disagreeing = await clientCertificate(issuing, [{ CN: ['2710345675'] }, { '2.5.4.5': [CODE] }]);
    assert.throws(() => institutionCodeOf(disagreeing), { code: 'PKI_CERT_NO_INSTITUTION' });
    const badCode = await clientCertificate(issuing, [{ CN: ['1310123450'] }, { '2.5.4.5': ['1310123450'] }]);
    assert.throws(() => institutionCodeOf(badCode), { code: 'PKI_CERT_NO_INSTITUTION' });
    const injected = await clientCertificate(issuing, [{ O: [`x\nserialNumber=${CODE}`] }, { CN: [CODE] }]);
    assert.throws(() => institutionCodeOf(injected), { code: 'PKI_CERT_NO_INSTITUTION' });
  });

  it('reads the code from a real mutual-TLS peer, in both of Node’s shapes', async () => {
    const issued = await ca.issuePkcs12({ institutionCode: CODE, institutionName: 'オンシ病院' });
    const server = await ca.issueServerCertificate();
    const peers = await handshake(ca.bundlePem, server, issued.pkcs12!);
    assert.equal(institutionCodeOf(peers.object), CODE);
    assert.equal(institutionCodeOf(peers.x509), CODE);
    const real = createInstitutionVerifier({ trust: ca.bundlePem, crl, clock });
    assert.equal(real.verify(peers.object).serial, issued.certificate.serialNumber);
    assert.equal(real.verify(peers.x509).institutionCode, CODE);
    assert.deepEqual(errors, []);
  });
});

async function clientCertificate(
  signer: { certificate: X509Certificate; privateKey: import('node:crypto').KeyObject },
  subject: x509.JsonName,
): Promise<X509Certificate> {
  const keys = await generateRsaKeyPair();
  const notBefore = new Date(Date.now() - DAY_MS);
  return signCertificate(
    {
      subject,
      publicKey: keys.publicKey,
      serial: randomSerialHex(),
      notBefore,
      notAfter: new Date(notBefore.getTime() + 365 * DAY_MS),
      extensions: leafExtensions(x509.KeyUsageFlags.digitalSignature, [OID_CLIENT_AUTH]),
    },
    signer,
  );
}

/** One TLS handshake with a client certificate; the server's two views of the peer. */
async function handshake(
  bundlePem: string,
  server: { certificate: X509Certificate; privateKey: import('node:crypto').KeyObject },
  pkcs12: { der: Uint8Array; oneTimePassword: string },
): Promise<{ object: ReturnType<TLSSocket['getPeerCertificate']>; x509: X509Certificate }> {
  const listener = createServer({
    key: privateKeyPem(server.privateKey),
    cert: server.certificate.toString(),
    ca: bundlePem,
    requestCert: true,
    rejectUnauthorized: false,
  });
  const peer = new Promise<{ object: ReturnType<TLSSocket['getPeerCertificate']>; x509: X509Certificate }>(
    (resolve) => {
      listener.on('secureConnection', (socket: TLSSocket) => {
        resolve({ object: socket.getPeerCertificate(), x509: socket.getPeerX509Certificate()! });
        socket.end();
      });
    },
  );
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as { port: number }).port;
  const client = connect({
    host: '127.0.0.1',
    port,
    servername: 'localhost',
    ca: bundlePem,
    pfx: Buffer.from(pkcs12.der),
    passphrase: pkcs12.oneTimePassword,
  });
  client.on('error', () => {});
  try {
    return await peer;
  } finally {
    client.destroy();
    listener.close();
  }
}
