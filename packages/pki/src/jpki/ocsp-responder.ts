/**
 * An OCSP responder (RFC 6960) for the card-issuing CA: parses an OCSPRequest, answers each CertID
 * good / revoked (time and reason) / unknown, echoes the nonce, and signs a BasicOCSPResponse with
 * the delegated responder key (sha256WithRSAEncryption, ResponderID byKey, its certificate
 * included). Never throws: a request it cannot read gets a `malformedRequest` response, a CertID of
 * another issuer `unauthorized`.
 */
import { type KeyObject, sign, type X509Certificate } from 'node:crypto';
import type { Clock } from '@onshi/core';
import { wholeSeconds } from '../certs.ts';
import {
  bitString,
  children,
  expectTag,
  explicit,
  explicitInner,
  generalizedTime,
  nullValue,
  octetString,
  oid,
  readRoot,
  sequence,
  smallInteger,
  TAG,
  type Tlv,
  tlv,
} from '../der.ts';
import { revocationReasons } from '../revocation.ts';
import type { CardStatus } from './jpki.registry.ts';
import {
  type CertId,
  type IssuerKey,
  issuerHashes,
  issuerKey,
  nonceExtension,
  nonceOf,
  OID_OCSP_BASIC,
  OID_SHA256_WITH_RSA,
  readCertId,
  responseStatus,
} from './ocsp.common.ts';

/** Most CertIDs answered in one request. */
const MAX_REQUESTS = 8;

export interface OcspResponderOptions {
  /** The CA whose certificates this responder answers for (the card-issuing CA). */
  readonly issuer: X509Certificate;
  /** Who signs: a delegated responder certified by `issuer` (or the issuer itself). */
  readonly signer: { readonly certificate: X509Certificate; readonly privateKey: KeyObject };
  readonly status: (serialHex: string) => CardStatus;
  readonly clock: Clock;
  /** nextUpdate − thisUpdate of each answer; default 10 minutes. */
  readonly validityMs?: number | undefined;
}

export interface OcspResponder {
  /** DER OCSPRequest in, DER OCSPResponse out: the body of `POST /ocsp` both ways. */
  respond(request: Uint8Array): Promise<Uint8Array>;
}

export function createOcspResponder(options: OcspResponderOptions): OcspResponder {
  const issuer = issuerKey(options.issuer);
  const responderId = explicit(2, octetString(issuerKey(options.signer.certificate).keySha1));
  const delegated = !options.signer.certificate.raw.equals(options.issuer.raw);
  const certs = delegated ? [explicit(0, sequence(new Uint8Array(options.signer.certificate.raw)))] : [];
  const validityMs = options.validityMs ?? 600_000;
  return {
    async respond(body) {
      const request = parseRequest(body);
      if (request === undefined) return statusOnly(responseStatus.malformedRequest);
      const now = wholeSeconds(options.clock.now());
      const singles: Uint8Array[] = [];
      for (const certId of request.certIds) {
        const single = answer(certId, issuer, options.status, now, validityMs);
        if (typeof single === 'number') return statusOnly(single);
        singles.push(single);
      }
      const extensions =
        request.nonce === undefined ? [] : [explicit(1, sequence(nonceExtension(request.nonce)))];
      const data = sequence(responderId, generalizedTime(now), sequence(...singles), ...extensions);
      const signature = sign('sha256', data, options.signer.privateKey);
      const basic = sequence(
        data,
        sequence(oid(OID_SHA256_WITH_RSA), nullValue()),
        bitString(signature),
        ...certs,
      );
      return sequence(
        smallInteger(responseStatus.successful, TAG.enumerated),
        explicit(0, sequence(oid(OID_OCSP_BASIC), octetString(basic))),
      );
    },
  };
}

/**
 * OCSPRequest ::= SEQUENCE { tbsRequest, [0] optionalSignature } — unsigned requests are taken;
 * TBSRequest ::= SEQUENCE { [0] version, [1] requestorName, requestList, [2] requestExtensions }.
 */
function parseRequest(body: Uint8Array): { certIds: CertId[]; nonce: Buffer | undefined } | undefined {
  try {
    const [tbs] = children(readRoot(body, TAG.sequence));
    const parts = children(expectTag(tbs, TAG.sequence));
    let index = 0;
    if (parts[index]?.tag === 0xa0) index++;
    if (parts[index]?.tag === 0xa1) index++;
    const list = children(expectTag(parts[index++], TAG.sequence));
    const extensions: Tlv | undefined = parts[index]?.tag === 0xa2 ? explicitInner(parts[index]!) : undefined;
    if (list.length < 1 || list.length > MAX_REQUESTS) return undefined;
    const certIds = list.map((request) => readCertId(children(expectTag(request, TAG.sequence))[0]!));
    return { certIds, nonce: nonceOf(extensions) };
  } catch {
    return undefined;
  }
}

/** The SingleResponse for one CertID, or a response status to answer the whole request with. */
function answer(
  certId: CertId,
  issuer: IssuerKey,
  status: OcspResponderOptions['status'],
  now: Date,
  validityMs: number,
): Uint8Array | number {
  const hashes = issuerHashes(issuer, certId.hashOid);
  if (hashes === undefined) return responseStatus.malformedRequest;
  if (!certId.nameHash.equals(hashes.name) || !certId.keyHash.equals(hashes.key))
    return responseStatus.unauthorized;
  const nextUpdate = new Date(now.getTime() + validityMs);
  return sequence(
    certId.der,
    certStatus(status(certId.serialHex)),
    generalizedTime(now),
    explicit(0, generalizedTime(nextUpdate)),
  );
}

/** CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT NULL }. */
function certStatus(status: CardStatus): Uint8Array {
  if (status.status === 'good') return Uint8Array.of(0x80, 0x00);
  if (status.status === 'unknown') return Uint8Array.of(0x82, 0x00);
  const reason = explicit(0, smallInteger(revocationReasons[status.reason], TAG.enumerated));
  return tlv(0xa1, generalizedTime(wholeSeconds(status.revokedAt)), reason);
}

function statusOnly(status: number): Uint8Array {
  return sequence(smallInteger(status, TAG.enumerated));
}
