/**
 * Certificate profiles of the common CA (オンライン請求ネットワーク関連システム共通認証局): names,
 * validity and extensions of its CAs, institution client certificates and the server certificate.
 *
 * An institution certificate carries its 医療機関コード twice in the subject: as CN (what people
 * read) and as the X.520 serialNumber attribute (OID 2.5.4.5, what `institutionCodeOf` reads: exactly
 * one such attribute, ten digits with a valid 検証番号, equal to CN).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { assertInstitutionCode, OnshiError } from '@onshi/core';
import { addMonths, leafExtensions, type NameSpec, OID_CLIENT_AUTH, OID_SERVER_AUTH } from '../certs.ts';
import { RSA_MODULUS_BITS } from '../keys.ts';
import { x509 } from '../x509.ts';

/** 3 years 3 months, as the real common CA issues them. */
export const INSTITUTION_VALIDITY_MONTHS = 39;
/** 397 days: the longest a TLS server certificate is commonly accepted for. */
export const SERVER_VALIDITY_DAYS = 397;

export const ROOT_SUBJECT: NameSpec = [
  { C: ['JP'] },
  { O: ['onshi (synthetic)'] },
  { OU: ['オンライン請求ネットワーク関連システム共通認証局'] },
  { CN: ['onshi Common Root CA'] },
];

export const ISSUING_SUBJECT: NameSpec = [
  { C: ['JP'] },
  { O: ['onshi (synthetic)'] },
  { OU: ['オンライン請求ネットワーク関連システム共通認証局'] },
  { CN: ['onshi Common Issuing CA'] },
];

/** Checks the code and the name; the subject C=JP, O=<name>, CN=<code>, serialNumber=<code>. */
export function institutionSubject(institutionCode: string, institutionName: string): NameSpec {
  const code = assertInstitutionCode(institutionCode);
  const name = institutionName.trim();
  if (name === '' || name.length > 64) {
    throw new OnshiError('MSG_FIELD_INVALID', { field: 'institutionName', detail: '1–64 characters' });
  }
  return [{ C: ['JP'] }, { O: [name] }, { CN: [code] }, { '2.5.4.5': [code] }];
}

export function institutionExtensions(): x509.Extension[] {
  return leafExtensions(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, [
    OID_CLIENT_AUTH,
  ]);
}

export function institutionNotAfter(notBefore: Date): Date {
  return addMonths(notBefore, INSTITUTION_VALIDITY_MONTHS);
}

export function serverSubject(commonName: string): NameSpec {
  return [{ C: ['JP'] }, { O: ['onshi (synthetic)'] }, { CN: [commonName] }];
}

export function serverExtensions(
  dnsNames: readonly string[],
  ipAddresses: readonly string[],
): x509.Extension[] {
  const names = [
    ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...ipAddresses.map((value) => ({ type: 'ip' as const, value })),
  ];
  return [
    ...leafExtensions(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, [
      OID_SERVER_AUTH,
    ]),
    new x509.SubjectAlternativeNameExtension(names, false),
  ];
}

/**
 * Parses a PKCS#10 request (PEM or DER), verifies its self-signature, requires an RSA key of at
 * least 2048 bits and, when the request names a CN, that it is `institutionCode`. Only the public
 * key is taken from it: the CA writes the subject itself. Throws PKI_CSR_INVALID.
 */
export async function publicKeyFromCsr(
  csr: string | Uint8Array,
  institutionCode: string,
): Promise<KeyObject> {
  assertInstitutionCode(institutionCode);
  let request: x509.Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(typeof csr === 'string' ? csr : Buffer.from(csr));
  } catch (error) {
    throw new OnshiError('PKI_CSR_INVALID', { detail: 'not a PKCS#10 request' }, { cause: error });
  }
  if (!(await request.verify().catch(() => false))) {
    throw new OnshiError('PKI_CSR_INVALID', { detail: 'its signature does not verify' });
  }
  const key = createPublicKey({ key: Buffer.from(request.publicKey.rawData), format: 'der', type: 'spki' });
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < RSA_MODULUS_BITS) {
    throw new OnshiError('PKI_CSR_INVALID', {
      detail: `an RSA key of at least ${RSA_MODULUS_BITS} bits is required`,
    });
  }
  const commonNames = request.subjectName.getField('CN');
  if (commonNames.some((cn) => cn !== institutionCode)) {
    throw new OnshiError('PKI_CSR_INVALID', {
      detail: `its CN is not the institution code ${institutionCode}`,
    });
  }
  return key;
}
