/**
 * The relying party's side of OCSP (RFC 6960): builds a request for one certificate with a fresh
 * nonce, hands it to a transport (in-process responder or HTTP), and accepts the answer only if it
 * is a successful BasicOCSPResponse signed by the issuer or by a responder the issuer certified for
 * OCSP signing, for the same CertID, current (thisUpdate/nextUpdate), and carrying the same nonce.
 */
import { randomBytes, verify, X509Certificate } from 'node:crypto';
import { type Clock, OnshiError } from '@onshi/core';
import { OID_OCSP_SIGNING } from '../certs.ts';
import {
  children,
  contents,
  DerError,
  encoded,
  expectTag,
  explicit,
  explicitInner,
  readBitString,
  readGeneralizedTime,
  readOid,
  readRoot,
  readSmallInteger,
  sequence,
  TAG,
  type Tlv,
} from '../der.ts';
import { type RevocationReason, reasonName } from '../revocation.ts';
import { isIssuedBy } from '../verify/chain.ts';
import {
  certIdDer,
  type IssuerKey,
  issuerKey,
  nonceExtension,
  nonceOf,
  OID_OCSP_BASIC,
} from './ocsp.common.ts';

/** Sends a DER OCSPRequest, resolves to the DER OCSPResponse. */
export type OcspTransport = (request: Uint8Array) => Promise<Uint8Array>;

export interface OcspCheckOptions {
  readonly clock: Clock;
  /** Send and require a nonce (default true). */
  readonly nonce?: boolean | undefined;
  /** Clock difference tolerated between responder and relying party; default 5 minutes. */
  readonly skewMs?: number | undefined;
}

export interface OcspResult {
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly revokedAt?: Date | undefined;
  readonly reason?: RevocationReason | undefined;
}

/** RSA signature algorithms accepted on responses → digest. */
const signatureHashes: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

const issuerKeys = new WeakMap<X509Certificate, IssuerKey>();
/** Delegated responder certificates seen in responses, parsed once; with the issuers that certified them. */
interface ResponderEntry {
  readonly certificate: X509Certificate;
  readonly key: IssuerKey;
  readonly certifiedBy: WeakSet<X509Certificate>;
}
const responderCache = new Map<string, ResponderEntry>();

function keyOf(certificate: X509Certificate): IssuerKey {
  let key = issuerKeys.get(certificate);
  if (key === undefined) {
    key = issuerKey(certificate);
    issuerKeys.set(certificate, key);
  }
  return key;
}

/**
 * The OCSP status of `certificate` issued by `issuer`. A response that cannot be trusted throws
 * PKI_OCSP_RESPONSE_INVALID, PKI_OCSP_CERT_ID_MISMATCH, PKI_OCSP_RESPONSE_STALE or
 * PKI_OCSP_NONCE_MISMATCH; revoked and unknown are results, not errors.
 */
export async function checkOcsp(
  certificate: X509Certificate,
  issuer: X509Certificate,
  transport: OcspTransport,
  options: OcspCheckOptions,
): Promise<OcspResult> {
  const certId = certIdDer(keyOf(issuer), certificate.serialNumber);
  const nonce = options.nonce === false ? undefined : randomBytes(16);
  const extensions = nonce === undefined ? [] : [explicit(2, sequence(nonceExtension(nonce)))];
  const request = sequence(sequence(sequence(sequence(certId)), ...extensions));
  const response = parseResponse(await transport(request));
  const now = options.clock.now();
  const signer = responderCertificate(response, issuer, now);
  const hash = signatureHashes[response.signatureOid];
  if (hash === undefined || !verify(hash, response.tbs, signer.publicKey, response.signature)) {
    throw new OnshiError('PKI_OCSP_RESPONSE_INVALID', { detail: 'the signature does not verify' });
  }
  const single = response.singles.find((candidate) => Buffer.from(candidate.certId).equals(certId));
  if (single === undefined) throw new OnshiError('PKI_OCSP_CERT_ID_MISMATCH');
  assertCurrent(single, now, options.skewMs ?? 300_000);
  if (nonce !== undefined && !nonce.equals(response.nonce ?? Buffer.alloc(0))) {
    throw new OnshiError('PKI_OCSP_NONCE_MISMATCH');
  }
  const { status, revokedAt, reason, thisUpdate, nextUpdate } = single;
  return { status, revokedAt, reason, thisUpdate, nextUpdate };
}

interface Single extends OcspResult {
  readonly certId: Uint8Array;
}

interface ParsedResponse {
  /** DER of ResponseData: what the signature covers. */
  readonly tbs: Uint8Array;
  readonly signatureOid: string;
  readonly signature: Uint8Array;
  readonly certs: readonly Uint8Array[];
  readonly responderId: { readonly byKey?: Buffer; readonly byName?: Buffer };
  readonly singles: readonly Single[];
  readonly nonce: Buffer | undefined;
}

function parseResponse(der: Uint8Array): ParsedResponse {
  let parts: Tlv[];
  try {
    parts = children(readRoot(der, TAG.sequence));
    const status = readSmallInteger(parts[0]!, TAG.enumerated);
    if (status !== 0)
      throw new OnshiError('PKI_OCSP_RESPONSE_INVALID', { detail: `responseStatus ${status}` });
    const [type, body] = children(expectTag(explicitInner(expectTag(parts[1], 0xa0)), TAG.sequence));
    if (readOid(type!) !== OID_OCSP_BASIC) throw new DerError('not a BasicOCSPResponse');
    return parseBasic(contents(expectTag(body, TAG.octetString)));
  } catch (error) {
    if (error instanceof OnshiError) throw error;
    throw new OnshiError('PKI_OCSP_RESPONSE_INVALID', { detail: 'unreadable response' }, { cause: error });
  }
}

/**
 * BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm, signature, [0] certs }
 * ResponseData ::= SEQUENCE { [0] version, responderID ([1] byName | [2] byKey), producedAt,
 * responses, [1] responseExtensions }
 */
function parseBasic(der: Uint8Array): ParsedResponse {
  const [tbs, algorithm, signature, certs] = children(readRoot(der, TAG.sequence));
  const fields = children(expectTag(tbs, TAG.sequence));
  let index = fields[0]?.tag === 0xa0 ? 1 : 0;
  const responder = fields[index++]!;
  const inner = explicitInner(responder);
  const responderId =
    responder.tag === 0xa2
      ? { byKey: Buffer.from(contents(expectTag(inner, TAG.octetString))) }
      : { byName: Buffer.from(encoded(expectTag(inner, TAG.sequence))) };
  readGeneralizedTime(fields[index++]!);
  const singles = children(expectTag(fields[index++], TAG.sequence)).map(readSingle);
  const extensions = fields[index]?.tag === 0xa1 ? explicitInner(fields[index]!) : undefined;
  return {
    tbs: encoded(tbs!),
    signatureOid: readOid(children(expectTag(algorithm, TAG.sequence))[0]!),
    signature: readBitString(signature!),
    certs: certs?.tag === 0xa0 ? children(explicitInner(certs)).map(encoded) : [],
    responderId,
    singles,
    nonce: nonceOf(extensions),
  };
}

/** SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, [0] nextUpdate, [1] singleExtensions } */
function readSingle(node: Tlv): Single {
  const [certId, status, thisUpdate, ...rest] = children(expectTag(node, TAG.sequence));
  const next = rest.find((field) => field.tag === 0xa0);
  return {
    certId: encoded(expectTag(certId, TAG.sequence)),
    ...readStatus(status!),
    thisUpdate: readGeneralizedTime(thisUpdate!),
    nextUpdate: next === undefined ? undefined : readGeneralizedTime(explicitInner(next)),
  };
}

/** good [0] IMPLICIT NULL | revoked [1] IMPLICIT SEQUENCE { time, [0] EXPLICIT reason } | unknown [2]. */
function readStatus(node: Tlv): Pick<OcspResult, 'status' | 'revokedAt' | 'reason'> {
  if (node.tag === 0x80) return { status: 'good' };
  if (node.tag === 0x82) return { status: 'unknown' };
  if (node.tag !== 0xa1) throw new DerError('bad certStatus');
  const [time, reason] = children(node);
  return {
    status: 'revoked',
    revokedAt: readGeneralizedTime(time!),
    reason:
      reason?.tag === 0xa0
        ? reasonName(readSmallInteger(explicitInner(reason), TAG.enumerated))
        : 'unspecified',
  };
}

/** The issuer itself, or a responder it certified for OCSP signing, valid now (RFC 6960 §4.2.2.2). */
function responderCertificate(response: ParsedResponse, issuer: X509Certificate, now: Date): X509Certificate {
  const { byKey, byName } = response.responderId;
  const matches = (key: IssuerKey): boolean =>
    byKey !== undefined ? byKey.equals(key.keySha1) : (byName?.equals(key.nameDer) ?? false);
  if (matches(keyOf(issuer))) return issuer;
  const embedded = response.certs.map(parsedResponder).find((candidate) => matches(candidate.key));
  const certificate = embedded?.certificate;
  if (
    embedded !== undefined &&
    !embedded.certifiedBy.has(issuer) &&
    isIssuedBy(embedded.certificate, issuer)
  ) {
    embedded.certifiedBy.add(issuer);
  }
  const authorized =
    certificate !== undefined &&
    embedded!.certifiedBy.has(issuer) &&
    (certificate.keyUsage ?? []).includes(OID_OCSP_SIGNING) &&
    certificate.validFromDate <= now &&
    now <= certificate.validToDate;
  if (!authorized) {
    throw new OnshiError('PKI_OCSP_RESPONSE_INVALID', {
      detail: 'not signed by the issuer or its OCSP responder',
    });
  }
  return certificate;
}

function parsedResponder(der: Uint8Array): ResponderEntry {
  const id = Buffer.from(der).toString('base64');
  let entry = responderCache.get(id);
  if (entry === undefined) {
    const certificate = new X509Certificate(der);
    entry = { certificate, key: issuerKey(certificate), certifiedBy: new WeakSet() };
    if (responderCache.size >= 16) responderCache.clear();
    responderCache.set(id, entry);
  }
  return entry;
}

function assertCurrent(single: Single, now: Date, skewMs: number): void {
  const tooNew = single.thisUpdate.getTime() > now.getTime() + skewMs;
  const tooOld = single.nextUpdate !== undefined && single.nextUpdate.getTime() < now.getTime() - skewMs;
  if (tooNew || tooOld || single.nextUpdate === undefined) {
    throw new OnshiError('PKI_OCSP_RESPONSE_STALE', {
      thisUpdate: single.thisUpdate.toISOString(),
      nextUpdate: single.nextUpdate?.toISOString() ?? '-',
    });
  }
}
