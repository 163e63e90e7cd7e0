/** The terminal's side of CSR issuance: a PKCS#10 request for a key that stays on the terminal. */
import { assertInstitutionCode } from '@onshi/core';
import { RSA_SHA256, type RsaKeyPair, signingKey, verifyingKey } from '../keys.ts';
import { x509 } from '../x509.ts';

/** PEM of a PKCS#10 request with subject CN=<institution code>, signed by the key pair. */
export async function createInstitutionCsr(institutionCode: string, keys: RsaKeyPair): Promise<string> {
  const code = assertInstitutionCode(institutionCode);
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [code] }],
    keys: { privateKey: signingKey(keys.privateKey), publicKey: verifyingKey(keys.publicKey) },
    signingAlgorithm: RSA_SHA256,
  });
  return request.toString('pem');
}
