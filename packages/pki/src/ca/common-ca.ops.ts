/** The operations of the common CA over its directory state: issue, renew, revoke, CRL. */
import type { KeyObject, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { type Clock, OnshiError } from '@onshi/core';
import type { Authority } from '../authority.ts';
import { type NameSpec, signCertificate, wholeSeconds } from '../certs.ts';
import { writeFileAtomic } from '../files.ts';
import { generateRsaKeyPair } from '../keys.ts';
import { buildPkcs12, oneTimePassword } from '../pkcs12.ts';
import type { RevocationReason } from '../revocation.ts';
import type { x509 } from '../x509.ts';
import { buildCrl } from './ca.crl.ts';
import { type CaIndex, entryFor, findEntry, type IssuedEntry, uniqueSerial, writeIndex } from './ca.index.ts';
import {
  institutionExtensions,
  institutionNotAfter,
  institutionSubject,
  publicKeyFromCsr,
  SERVER_VALIDITY_DAYS,
  serverExtensions,
  serverSubject,
} from './ca.profiles.ts';
import type { CommonCa, InstitutionRequest, IssuedCertificate } from './common-ca.ts';

export const CRL_FILE = 'crl.pem';

export interface CaSettings {
  readonly format: 'onshi-common-ca/1';
  readonly createdAt: string;
  /** nextUpdate of each CRL = thisUpdate + this many days. */
  readonly crlValidityDays: number;
}

export interface CaState {
  readonly dir: string;
  readonly settings: CaSettings;
  readonly root: X509Certificate;
  readonly issuing: Authority;
  index: CaIndex;
  readonly clock: Clock;
}

export async function issueInstitution(
  state: CaState,
  request: InstitutionRequest,
  csrKey: KeyObject | undefined,
  renewalOf: string | undefined,
): Promise<IssuedCertificate> {
  const subject = institutionSubject(request.institutionCode, request.institutionName);
  const generated = csrKey === undefined ? await generateRsaKeyPair() : undefined;
  const notBefore = wholeSeconds(state.clock.now());
  const certificate = await issueLeaf(state, {
    subject,
    publicKey: csrKey ?? generated!.publicKey,
    notBefore,
    notAfter: institutionNotAfter(notBefore),
    extensions: institutionExtensions(),
  });
  const entry = await record(state, certificate, {
    kind: 'institution',
    keyDelivery: generated === undefined ? 'csr' : 'pkcs12',
    institutionCode: request.institutionCode,
    institutionName: request.institutionName.trim(),
    renewalOf,
  });
  if (generated === undefined) return { certificate, entry };
  const password = oneTimePassword();
  const chain = [certificate, state.issuing.certificate, state.root];
  const der = buildPkcs12(
    generated.privateKey,
    chain,
    password,
    `${request.institutionCode} ${entry.serial}`,
  );
  return { certificate, entry, pkcs12: { der, oneTimePassword: password } };
}

interface LeafSpec {
  readonly subject: NameSpec;
  readonly publicKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: readonly x509.Extension[];
}

/** Signs a leaf with the issuing CA; its notAfter never passes the issuing CA's. */
async function issueLeaf(state: CaState, spec: LeafSpec): Promise<X509Certificate> {
  const caEnd = state.issuing.certificate.validToDate;
  return signCertificate(
    {
      ...spec,
      serial: uniqueSerial(state.index),
      notAfter: new Date(Math.min(spec.notAfter.getTime(), caEnd.getTime())),
    },
    state.issuing,
  );
}

async function record(
  state: CaState,
  certificate: X509Certificate,
  fields: Parameters<typeof entryFor>[1],
): Promise<IssuedEntry> {
  const entry = entryFor(certificate, fields, state.clock.now());
  await writeFileAtomic(join(state.dir, 'issued', `${entry.serial}.crt.pem`), certificate.toString());
  const next: CaIndex = { ...state.index, certificates: [...state.index.certificates, entry] };
  await writeIndex(state.dir, next);
  state.index = next;
  return entry;
}

export async function renew(
  state: CaState,
  serial: string,
  options: { readonly csr?: string | Uint8Array | undefined; readonly revokeOld?: boolean | undefined },
): Promise<IssuedCertificate> {
  const old = findEntry(state.index, serial);
  if (old.kind !== 'institution' || old.institutionCode === undefined || old.institutionName === undefined) {
    throw new OnshiError('PKI_SERIAL_UNKNOWN', { serial });
  }
  if (old.revoked !== undefined) throw new OnshiError('PKI_CERT_ALREADY_REVOKED', { serial: old.serial });
  const request = { institutionCode: old.institutionCode, institutionName: old.institutionName };
  const csrKey =
    options.csr === undefined ? undefined : await publicKeyFromCsr(options.csr, old.institutionCode);
  const issued = await issueInstitution(state, request, csrKey, old.serial);
  if (options.revokeOld === true) await revoke(state, old.serial, 'superseded');
  return issued;
}

export async function revoke(state: CaState, serial: string, reason: RevocationReason): Promise<IssuedEntry> {
  const entry = findEntry(state.index, serial);
  if (entry.revoked !== undefined) throw new OnshiError('PKI_CERT_ALREADY_REVOKED', { serial: entry.serial });
  const revoked: IssuedEntry = {
    ...entry,
    revoked: { at: wholeSeconds(state.clock.now()).toISOString(), reason },
  };
  const certificates = state.index.certificates.map((candidate) =>
    candidate === entry ? revoked : candidate,
  );
  state.index = { ...state.index, certificates };
  await writeIndex(state.dir, state.index);
  await writeCrl(state);
  return revoked;
}

export async function writeCrl(state: CaState): Promise<string> {
  const thisUpdate = wholeSeconds(state.clock.now());
  const nextUpdate = new Date(thisUpdate.getTime() + state.settings.crlValidityDays * 86_400_000);
  const crlNumber = state.index.crlNumber + 1;
  const entries = state.index.certificates.flatMap((entry) =>
    entry.revoked === undefined
      ? []
      : [{ serial: entry.serial, revokedAt: new Date(entry.revoked.at), reason: entry.revoked.reason }],
  );
  const pem = await buildCrl({ issuer: state.issuing, entries, thisUpdate, nextUpdate, crlNumber });
  const path = join(state.dir, CRL_FILE);
  await writeFileAtomic(path, pem);
  state.index = { ...state.index, crlNumber };
  await writeIndex(state.dir, state.index);
  return path;
}

export async function issueServer(
  state: CaState,
  options: Parameters<CommonCa['issueServerCertificate']>[0] & object,
): Promise<IssuedCertificate & { readonly privateKey: KeyObject }> {
  const keys = await generateRsaKeyPair();
  const notBefore = wholeSeconds(state.clock.now());
  const certificate = await issueLeaf(state, {
    subject: serverSubject(options.commonName ?? 'localhost'),
    publicKey: keys.publicKey,
    notBefore,
    notAfter: new Date(notBefore.getTime() + SERVER_VALIDITY_DAYS * 86_400_000),
    extensions: serverExtensions(options.dnsNames ?? ['localhost'], options.ipAddresses ?? ['127.0.0.1']),
  });
  const entry = await record(state, certificate, { kind: 'server', keyDelivery: 'server' });
  return { certificate, entry, privateKey: keys.privateKey };
}
