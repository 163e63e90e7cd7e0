/**
 * What both PKIs share on disk: a directory (mode 0700) holding CA certificates as `<name>.crt.pem`
 * and their keys as `<name>.key.pem` (encrypted PKCS#8, mode 0600), created once and opened later.
 */
import { type KeyObject, X509Certificate } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OnshiError } from '@onshi/core';
import {
  caExtensions,
  type NameSpec,
  randomSerialHex,
  type Signer,
  signCertificate,
  wholeSeconds,
} from './certs.ts';
import { writeFileAtomic } from './files.ts';
import { decryptPrivateKey, encryptPrivateKey, generateRsaKeyPair } from './keys.ts';
import type { x509 } from './x509.ts';

export interface Authority {
  readonly certificate: X509Certificate;
  readonly privateKey: KeyObject;
}

export interface AuthoritySpec {
  readonly subject: NameSpec;
  /** 1 for a root over one level of CAs, 0 for a CA that issues end entities only. */
  readonly pathLength: number;
  readonly notBefore: Date;
  readonly years: number;
  /** The CA that signs it; absent for a self-signed root. */
  readonly signer?: Authority | undefined;
  readonly extraExtensions?: readonly x509.Extension[] | undefined;
}

/** A new CA: fresh RSA 2048 key, random serial, `years` of validity. */
export async function createAuthority(spec: AuthoritySpec): Promise<Authority> {
  const keys = await generateRsaKeyPair();
  const notBefore = wholeSeconds(spec.notBefore);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + spec.years);
  const signer: Signer = spec.signer ?? { privateKey: keys.privateKey };
  const certificate = await signCertificate(
    {
      subject: spec.subject,
      publicKey: keys.publicKey,
      serial: randomSerialHex(),
      notBefore,
      notAfter,
      extensions: [...caExtensions(spec.pathLength), ...(spec.extraExtensions ?? [])],
    },
    signer,
  );
  return { certificate, privateKey: keys.privateKey };
}

/** Creates `dir` (0700) for a new CA; a directory that exists and is not empty is refused. */
export async function prepareEmptyDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if ((await readdir(dir)).length > 0) throw new OnshiError('PKI_CA_DIRECTORY_EXISTS', { dir });
}

/** Writes `<name>.crt.pem` and the encrypted `<name>.key.pem` (0600). */
export async function saveAuthority(
  dir: string,
  name: string,
  authority: Authority,
  passphrase: string,
): Promise<void> {
  await writeFileAtomic(
    join(dir, `${name}.key.pem`),
    encryptPrivateKey(authority.privateKey, passphrase),
    0o600,
  );
  await writeFileAtomic(join(dir, `${name}.crt.pem`), authority.certificate.toString());
}

/** Reads `<name>.crt.pem`. A missing or unreadable file throws PKI_CA_DIRECTORY_INVALID. */
export async function loadCertificate(dir: string, name: string): Promise<X509Certificate> {
  const path = join(dir, `${name}.crt.pem`);
  try {
    return new X509Certificate(await readFile(path));
  } catch (error) {
    throw new OnshiError(
      'PKI_CA_DIRECTORY_INVALID',
      { dir, detail: `${name}.crt.pem unreadable` },
      { cause: error },
    );
  }
}

/** Reads and decrypts `<name>.key.pem` and checks it belongs to `certificate`. */
export async function loadAuthority(
  dir: string,
  name: string,
  certificate: X509Certificate,
  passphrase: string,
): Promise<Authority> {
  let pem: string;
  try {
    pem = await readFile(join(dir, `${name}.key.pem`), 'utf8');
  } catch (error) {
    throw new OnshiError(
      'PKI_CA_DIRECTORY_INVALID',
      { dir, detail: `${name}.key.pem unreadable` },
      { cause: error },
    );
  }
  const privateKey = decryptPrivateKey(pem, passphrase, `${name}.key.pem`);
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new OnshiError('PKI_CA_DIRECTORY_INVALID', {
      dir,
      detail: `${name}.key.pem does not match ${name}.crt.pem`,
    });
  }
  return { certificate, privateKey };
}

/** Reads a JSON file of the CA directory; missing or malformed → PKI_CA_DIRECTORY_INVALID. */
export async function readJsonFile<T>(dir: string, file: string): Promise<T> {
  try {
    return JSON.parse(await readFile(join(dir, file), 'utf8')) as T;
  } catch (error) {
    throw new OnshiError('PKI_CA_DIRECTORY_INVALID', { dir, detail: `${file} unreadable` }, { cause: error });
  }
}

/** Writes a JSON file of the CA directory atomically. */
export async function writeJsonFile(dir: string, file: string, value: unknown): Promise<void> {
  await writeFileAtomic(join(dir, file), `${JSON.stringify(value, null, 2)}\n`);
}
