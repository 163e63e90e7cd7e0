/**
 * RSA 2048 keys (RSASSA-PKCS1-v1_5 with SHA-256) and keys at rest: PKCS#8 PEM encrypted with
 * AES-256-CBC under a passphrase read from a file (PBES2/PBKDF2, as OpenSSL writes it).
 */
import { createPrivateKey, generateKeyPair, type KeyObject, type webcrypto } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { OnshiError } from '@onshi/core';

const generateKeyPairAsync = promisify(generateKeyPair);

/** The one signature algorithm of both PKIs, in WebCrypto form. */
export const RSA_SHA256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

export const RSA_MODULUS_BITS = 2048;

/** Shortest passphrase accepted for keys at rest. */
export const MIN_PASSPHRASE_LENGTH = 12;

export interface RsaKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** A fresh RSA 2048 key pair. Generated on the libuv thread pool, so calls in parallel use every core. */
export async function generateRsaKeyPair(): Promise<RsaKeyPair> {
  return generateKeyPairAsync('rsa', { modulusLength: RSA_MODULUS_BITS, publicExponent: 0x10001 });
}

/**
 * Reads a passphrase file: its first line, without the line break. Must be at least
 * MIN_PASSPHRASE_LENGTH characters. Throws PKI_PASSPHRASE_FILE_INVALID.
 */
export async function readPassphraseFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new OnshiError('PKI_PASSPHRASE_FILE_INVALID', { path, detail: 'cannot be read' }, { cause: error });
  }
  const passphrase = text.split(/\r?\n/, 1)[0] ?? '';
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new OnshiError('PKI_PASSPHRASE_FILE_INVALID', {
      path,
      detail: `the first line must hold at least ${MIN_PASSPHRASE_LENGTH} characters`,
    });
  }
  return passphrase;
}

/** The private key as PKCS#8 PEM encrypted with AES-256-CBC under `passphrase`. */
export function encryptPrivateKey(key: KeyObject, passphrase: string): string {
  return key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase }) as string;
}

/** The private key as unencrypted PKCS#8 PEM (for a virtual card's chip, or PKCS#12 packing). */
export function privateKeyPem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'pkcs8' }) as string;
}

/** Opens an encrypted PKCS#8 PEM. `name` labels the key in the error. Throws PKI_KEY_PASSPHRASE_WRONG. */
export function decryptPrivateKey(pem: string, passphrase: string, name: string): KeyObject {
  if (!pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
    throw new OnshiError('PKI_KEY_PASSPHRASE_WRONG', { name });
  }
  try {
    return createPrivateKey({ key: pem, format: 'pem', passphrase });
  } catch (error) {
    throw new OnshiError('PKI_KEY_PASSPHRASE_WRONG', { name }, { cause: error });
  }
}

/** The WebCrypto form of a private key, for signing certificates, CRLs and OCSP responses. */
export function signingKey(key: KeyObject): webcrypto.CryptoKey {
  return key.toCryptoKey(RSA_SHA256, false, ['sign']) as webcrypto.CryptoKey;
}

/** The WebCrypto form of a public key. */
export function verifyingKey(key: KeyObject): webcrypto.CryptoKey {
  return key.toCryptoKey(RSA_SHA256, true, ['verify']) as webcrypto.CryptoKey;
}
