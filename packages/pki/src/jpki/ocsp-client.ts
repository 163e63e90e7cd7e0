/**
 * The relying party's side of OCSP (RFC 6960): builds a request for one certificate with a fresh
 * nonce, hands it to a transport (in-process responder or HTTP), and accepts the answer only if it
 * is a successful BasicOCSPResponse signed by the issuer or by a responder the issuer certified for
 * OCSP signing, for the same CertID, current (thisUpdate/nextUpdate), and carrying the same nonce.
 */
import { randomBytes, verify, X509Certificate } from 'node:crypto';
import { type Clock, OnshiError } from '@onshi/core';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID_OCSP_SIGNING } from '../certs.ts';
import { type RevocationReason, reasonName } from '../revocation.ts';
import { assertValidAt, isIssuedBy } from '../verify/chain.ts';
import {
  certIdFor,
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
  let key = issuerKeys.get(issuer);
  if (key === undefined) {
    key = issuerKey(issuer);
    issuerKeys.set(issuer, key);
  }
  const certId = certIdFor(key, certificate.serialNumber);
  const nonce = options.nonce === false ? undefined : randomBytes(16);
  const request = new pkijs.OCSPRequest();
  request.tbsRequest.requestList = [new pkijs.Request({ reqCert: certId })];
  if (nonce !== undefined) request.tbsRequest.requestExtensions = [nonceExtension(nonce)];
  const basic = parseResponse(await transport(new Uint8Array(request.toSchema(true).toBER(false))));
  const now = options.clock.now();
  verifyResponseSignature(basic, issuer, key, now);
  const single = basic.tbsResponseData.responses.find((candidate) => candidate.certID.isEqual(certId));
  if (single === undefined) throw new OnshiError('PKI_OCSP_CERT_ID_MISMATCH');
  assertCurrent(single, now, options.skewMs ?? 300_000);
  if (
    nonce !== undefined &&
    !nonce.equals(nonceOf(basic.tbsResponseData.responseExtensions) ?? Buffer.alloc(0))
  ) {
    throw new OnshiError('PKI_OCSP_NONCE_MISMATCH');
  }
  return { ...decodeStatus(single.certStatus), thisUpdate: single.thisUpdate, nextUpdate: single.nextUpdate };
}

function parseResponse(der: Uint8Array): pkijs.BasicOCSPResponse {
  let response: pkijs.OCSPResponse;
  try {
    response = pkijs.OCSPResponse.fromBER(der);
  } catch (error) {
    throw new OnshiError('PKI_OCSP_RESPONSE_INVALID', { detail: 'not an OCSPResponse' }, { cause: error });
  }
  const status = response.responseStatus.valueBlock.valueDec;
  if (status !== 0) throw new OnshiError('PKI_OCSP_RESPONSE_INVALID', { detail: `responseStatus ${status}` });
  if (response.responseBytes?.responseType !== OID_OCSP_BASIC) {
    throw new OnshiError('PKI_OCSP_RESPONSE_INVALID', { detail: 'not a BasicOCSPResponse' });
  }
  try {
    return pkijs.BasicOCSPResponse.fromBER(response.responseBytes.response.valueBlock.valueHexView);
  } catch (error) {
    throw new OnshiError(
      'PKI_OCSP_RESPONSE_INVALID',
      { detail: 'unreadable BasicOCSPResponse' },
      { cause: error },
    );
  }
}

/** The signer is the issuer itself or a delegated responder it certified (RFC 6960 §4.2.2.2). */
function verifyResponseSignature(
  basic: pkijs.BasicOCSPResponse,
  issuer: X509Certificate,
  key: IssuerKey,
  now: Date,
) {
  const signer = responderCertificate(basic, issuer, key, now);
  const hash = signatureHashes[basic.signatureAlgorithm.algorithmId];
  const signature = basic.signature.valueBlock.valueHexView;
  if (hash === undefined || !verify(hash, basic.tbsResponseData.tbsView, signer.publicKey, signature)) {
    throw new OnshiError('PKI_OCSP_RESPONSE_INVALID', { detail: 'the signature does not verify' });
  }
}

function responderCertificate(
  basic: pkijs.BasicOCSPResponse,
  issuer: X509Certificate,
  key: IssuerKey,
  now: Date,
): X509Certificate {
  const id = basic.tbsResponseData.responderID;
  const matches = (candidate: IssuerKey): boolean =>
    id instanceof asn1js.OctetString
      ? Buffer.from(id.valueBlock.valueHexView).equals(candidate.keySha1)
      : id instanceof pkijs.RelativeDistinguishedNames &&
        Buffer.from(id.toSchema().toBER(false)).equals(Buffer.from(candidate.nameDer));
  if (matches(key)) return issuer;
  for (const embedded of basic.certs ?? []) {
    const candidate = new X509Certificate(Buffer.from(embedded.toSchema().toBER(false)));
    if (!matches(issuerKey(candidate))) continue;
    if (!isIssuedBy(candidate, issuer) || !(candidate.keyUsage ?? []).includes(OID_OCSP_SIGNING)) break;
    try {
      assertValidAt(candidate, now);
    } catch {
      break;
    }
    return candidate;
  }
  throw new OnshiError('PKI_OCSP_RESPONSE_INVALID', {
    detail: 'not signed by the issuer or its OCSP responder',
  });
}

function assertCurrent(single: pkijs.SingleResponse, now: Date, skewMs: number): void {
  const tooNew = single.thisUpdate.getTime() > now.getTime() + skewMs;
  const tooOld = single.nextUpdate !== undefined && single.nextUpdate.getTime() < now.getTime() - skewMs;
  if (tooNew || tooOld || single.nextUpdate === undefined) {
    throw new OnshiError('PKI_OCSP_RESPONSE_STALE', {
      thisUpdate: single.thisUpdate.toISOString(),
      nextUpdate: single.nextUpdate?.toISOString() ?? '-',
    });
  }
}

function decodeStatus(status: asn1js.BaseBlock): Pick<OcspResult, 'status' | 'revokedAt' | 'reason'> {
  const tag = status.idBlock.tagNumber;
  if (status.idBlock.tagClass === 3 && tag === 0) return { status: 'good' };
  if (status.idBlock.tagClass === 3 && tag === 2) return { status: 'unknown' };
  if (status.idBlock.tagClass === 3 && tag === 1 && status instanceof asn1js.Constructed) {
    const [time, reason] = status.valueBlock.value;
    const revokedAt = time instanceof asn1js.GeneralizedTime ? time.toDate() : undefined;
    const code = reason instanceof asn1js.Constructed ? reason.valueBlock.value[0] : undefined;
    return {
      status: 'revoked',
      revokedAt,
      reason: code instanceof asn1js.Enumerated ? reasonName(code.valueBlock.valueDec) : 'unspecified',
    };
  }
  throw new OnshiError('PKI_OCSP_RESPONSE_INVALID', { detail: 'unreadable certStatus' });
}
