/**
 * PKCS#12 delivery of a generated key with its certificate, protected by a one-time password
 * (the "発行通知書" route: the password travels separately and is never stored by the CA).
 * Built with node-forge: AES-256 (PBES2) for the shrouded key and the certificate bag, an
 * HMAC-SHA1 MAC (what forge writes; OpenSSL 3, Node's `tls` `pfx` option and Windows read it).
 */
import { createPrivateKey, type KeyObject, randomInt, X509Certificate } from 'node:crypto';
import { OnshiError } from '@onshi/core';
import forge from 'node-forge';
import { privateKeyPem } from './keys.ts';

/** No 0/O, 1/I/L: easy to read aloud and type from a printed notice. */
const OTP_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A one-time password of `length` characters (20 → ~99 bits). Returned once, never stored. */
export function oneTimePassword(length = 20): string {
  let password = '';
  for (let i = 0; i < length; i++) password += OTP_ALPHABET[randomInt(OTP_ALPHABET.length)];
  return password;
}

/** DER of a PKCS#12 holding `privateKey`, its certificate and then the chain, under `password`. */
export function buildPkcs12(
  privateKey: KeyObject,
  chain: readonly X509Certificate[],
  password: string,
  friendlyName: string,
): Uint8Array {
  const key = forge.pki.privateKeyFromPem(privateKeyPem(privateKey));
  const certificates = chain.map((certificate) => forge.pki.certificateFromPem(certificate.toString()));
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certificates, password, {
    algorithm: 'aes256',
    count: 10_000,
    friendlyName,
    generateLocalKeyId: true,
  });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

export interface Pkcs12Contents {
  readonly privateKey: KeyObject;
  /** The certificate of the key first, then the rest of the chain. */
  readonly certificates: readonly X509Certificate[];
}

/** Opens a PKCS#12 with its password. A wrong password throws PKI_PKCS12_PASSWORD_WRONG. */
export function openPkcs12(der: Uint8Array, password: string): Pkcs12Contents {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary')));
    pfx = forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
  } catch (error) {
    throw new OnshiError('PKI_PKCS12_PASSWORD_WRONG', {}, { cause: error });
  }
  const keyBags = pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[
    forge.pki.oids.pkcs8ShroudedKeyBag!
  ];
  const key = keyBags?.[0]?.key;
  if (key === undefined) throw new OnshiError('PKI_PKCS12_PASSWORD_WRONG', {});
  const certBags = pfx.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  const certificates = certBags.flatMap((bag) =>
    bag.cert === undefined ? [] : [new X509Certificate(forge.pki.certificateToPem(bag.cert))],
  );
  const privateKey = createPrivateKey(forge.pki.privateKeyToPem(key));
  const ownIndex = certificates.findIndex((certificate) => certificate.checkPrivateKey(privateKey));
  if (ownIndex > 0) certificates.unshift(...certificates.splice(ownIndex, 1));
  return { privateKey, certificates };
}
