/**
 * The common CA (オンライン請求ネットワーク関連システム共通認証局) as a directory: a root and an
 * issuing CA with encrypted keys, the index of issued certificates and the current CRL. See
 * packages/pki/README.md for the files. One operator process at a time uses a directory; within a
 * process, changes are serialised.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, OnshiError } from '@onshi/core';
import {
  createAuthority,
  loadAuthority,
  loadCertificate,
  prepareEmptyDirectory,
  readJsonFile,
  saveAuthority,
  writeJsonFile,
} from '../authority.ts';
import { writeFileAtomic } from '../files.ts';
import { readPassphraseFile } from '../keys.ts';
import type { RevocationReason } from '../revocation.ts';
import { emptyIndex, type IssuedEntry, readIndex, writeIndex } from './ca.index.ts';
import { ISSUING_SUBJECT, publicKeyFromCsr, ROOT_SUBJECT } from './ca.profiles.ts';
import {
  type CaSettings,
  type CaState,
  CRL_FILE,
  issueInstitution,
  issueServer,
  renew,
  revoke,
  writeCrl,
} from './common-ca.ops.ts';

const SETTINGS_FILE = 'ca.json';
const SETTINGS_FORMAT = 'onshi-common-ca/1';

export { CRL_FILE };
export const BUNDLE_FILE = 'bundle.pem';

export interface CommonCaOptions {
  readonly clock?: Clock | undefined;
}

export interface CreateCommonCaOptions extends CommonCaOptions {
  /** Default 7. */
  readonly crlValidityDays?: number | undefined;
}

export interface IssuedCertificate {
  readonly certificate: X509Certificate;
  readonly entry: IssuedEntry;
  /** Only when the CA generated the key: the PKCS#12 and its one-time password (shown once). */
  readonly pkcs12?: { readonly der: Uint8Array; readonly oneTimePassword: string } | undefined;
}

export interface InstitutionRequest {
  readonly institutionCode: string;
  readonly institutionName: string;
}

export interface CommonCa {
  readonly dir: string;
  readonly root: X509Certificate;
  readonly issuing: X509Certificate;
  /** PEM of the issuing CA then the root: what a verifier trusts (also `bundle.pem`). */
  readonly bundlePem: string;
  /** Path of the current CRL (`crl.pem`). */
  readonly crlPath: string;
  /** Issues for a key that never leaves the terminal: the public key comes from a PKCS#10 CSR. */
  issueFromCsr(
    request: InstitutionRequest & { readonly csr: string | Uint8Array },
  ): Promise<IssuedCertificate>;
  /** Generates the key here and delivers it as PKCS#12 under a one-time password. */
  issuePkcs12(request: InstitutionRequest): Promise<IssuedCertificate>;
  /** A new certificate with the same subject: for the CSR's key, or a new generated key (PKCS#12). */
  renew(
    serial: string,
    options?: { readonly csr?: string | Uint8Array | undefined; readonly revokeOld?: boolean | undefined },
  ): Promise<IssuedCertificate>;
  /** Revokes and rewrites the CRL. */
  revoke(serial: string, reason: RevocationReason): Promise<IssuedEntry>;
  /** Rewrites the CRL (new thisUpdate/nextUpdate and CRL Number); returns its path. */
  writeCrl(): Promise<string>;
  /** TLS server certificate for the central service (serverAuth, SAN DNS and IP names). */
  issueServerCertificate(options?: {
    readonly commonName?: string | undefined;
    readonly dnsNames?: readonly string[] | undefined;
    readonly ipAddresses?: readonly string[] | undefined;
  }): Promise<IssuedCertificate & { readonly privateKey: KeyObject }>;
  entries(): readonly IssuedEntry[];
}

const systemClock: Clock = { now: () => new Date() };

/** Creates a new CA in `dir` (which must be empty or absent), writes its first CRL and opens it. */
export async function createCaDirectory(
  dir: string,
  passphraseFile: string,
  options: CreateCommonCaOptions = {},
): Promise<CommonCa> {
  const passphrase = await readPassphraseFile(passphraseFile);
  const clock = options.clock ?? systemClock;
  await prepareEmptyDirectory(dir);
  const now = clock.now();
  const root = await createAuthority({ subject: ROOT_SUBJECT, pathLength: 1, notBefore: now, years: 20 });
  const issuing = await createAuthority({
    subject: ISSUING_SUBJECT,
    pathLength: 0,
    notBefore: now,
    years: 10,
    signer: root,
  });
  await saveAuthority(dir, 'root', root, passphrase);
  await saveAuthority(dir, 'issuing', issuing, passphrase);
  await writeFileAtomic(
    join(dir, BUNDLE_FILE),
    `${issuing.certificate.toString()}${root.certificate.toString()}`,
  );
  const settings: CaSettings = {
    format: SETTINGS_FORMAT,
    createdAt: now.toISOString(),
    crlValidityDays: options.crlValidityDays ?? 7,
  };
  await writeJsonFile(dir, SETTINGS_FILE, settings);
  await writeIndex(dir, emptyIndex());
  await mkdir(join(dir, 'issued'), { mode: 0o700 });
  const ca = await openCa(dir, passphraseFile, options);
  await ca.writeCrl();
  return ca;
}

/** Opens an existing CA directory; the issuing key is decrypted now (wrong passphrase fails here). */
export async function openCa(
  dir: string,
  passphraseFile: string,
  options: CommonCaOptions = {},
): Promise<CommonCa> {
  const passphrase = await readPassphraseFile(passphraseFile);
  const settings = await readJsonFile<CaSettings>(dir, SETTINGS_FILE);
  if (settings.format !== SETTINGS_FORMAT) {
    throw new OnshiError('PKI_CA_DIRECTORY_INVALID', {
      dir,
      detail: `${SETTINGS_FILE} is not ${SETTINGS_FORMAT}`,
    });
  }
  const root = await loadCertificate(dir, 'root');
  const issuing = await loadAuthority(dir, 'issuing', await loadCertificate(dir, 'issuing'), passphrase);
  const index = await readIndex(dir);
  return commonCa({ dir, settings, root, issuing, index, clock: options.clock ?? systemClock });
}

function commonCa(state: CaState): CommonCa {
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => {});
    return run;
  };
  return {
    dir: state.dir,
    root: state.root,
    issuing: state.issuing.certificate,
    bundlePem: `${state.issuing.certificate.toString()}${state.root.toString()}`,
    crlPath: join(state.dir, CRL_FILE),
    issueFromCsr: (request) =>
      exclusive(async () => {
        const publicKey = await publicKeyFromCsr(request.csr, request.institutionCode);
        return issueInstitution(state, request, publicKey, undefined);
      }),
    issuePkcs12: (request) => exclusive(() => issueInstitution(state, request, undefined, undefined)),
    renew: (serial, options = {}) => exclusive(() => renew(state, serial, options)),
    revoke: (serial, reason) => exclusive(() => revoke(state, serial, reason)),
    writeCrl: () => exclusive(() => writeCrl(state)),
    issueServerCertificate: (options = {}) => exclusive(() => issueServer(state, options)),
    entries: () => state.index.certificates,
  };
}
