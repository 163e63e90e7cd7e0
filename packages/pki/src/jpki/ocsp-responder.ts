/**
 * An OCSP responder (RFC 6960) for the card-issuing CA: parses an OCSPRequest, answers each CertID
 * good / revoked (time and reason) / unknown, echoes the nonce, and signs a BasicOCSPResponse with
 * the delegated responder key (sha256WithRSAEncryption, ResponderID byKey, its certificate
 * included). Never throws: a request it cannot read gets a `malformedRequest` response, a CertID of
 * another issuer `unauthorized`.
 */
import { type KeyObject, sign, type X509Certificate } from 'node:crypto';
import type { Clock } from '@onshi/core';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { wholeSeconds } from '../certs.ts';
import { revocationReasons } from '../revocation.ts';
import type { CardStatus } from './jpki.registry.ts';
import {
  type IssuerKey,
  issuerHashes,
  issuerKey,
  nonceExtension,
  nonceOf,
  OID_OCSP_BASIC,
  OID_SHA256_WITH_RSA,
  responseStatus,
  serialHexOf,
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
  const signerKey = issuerKey(options.signer.certificate);
  const delegated = !options.signer.certificate.raw.equals(options.issuer.raw);
  const signerCertificate = pkijs.Certificate.fromBER(options.signer.certificate.raw);
  const validityMs = options.validityMs ?? 600_000;
  return {
    async respond(body) {
      const parsed = parseRequest(body);
      if (parsed === undefined) return statusOnly(responseStatus.malformedRequest);
      const now = wholeSeconds(options.clock.now());
      const responses: pkijs.SingleResponse[] = [];
      for (const request of parsed.tbsRequest.requestList) {
        const single = answer(request.reqCert, issuer, options.status, now, validityMs);
        if (typeof single === 'number') return statusOnly(single);
        responses.push(single);
      }
      const data = new pkijs.ResponseData({
        responderID: new asn1js.OctetString({ valueHex: signerKey.keySha1 }),
        producedAt: now,
        responses,
      });
      const nonce = nonceOf(parsed.tbsRequest.requestExtensions);
      if (nonce !== undefined) data.responseExtensions = [nonceExtension(nonce)];
      return signed(data, options.signer.privateKey, delegated ? [signerCertificate] : undefined);
    },
  };
}

function parseRequest(body: Uint8Array): pkijs.OCSPRequest | undefined {
  try {
    const request = pkijs.OCSPRequest.fromBER(body);
    const count = request.tbsRequest.requestList.length;
    return count >= 1 && count <= MAX_REQUESTS ? request : undefined;
  } catch {
    return undefined;
  }
}

/** The SingleResponse for one CertID, or a response status to answer the whole request with. */
function answer(
  certId: pkijs.CertID,
  issuer: IssuerKey,
  status: OcspResponderOptions['status'],
  now: Date,
  validityMs: number,
): pkijs.SingleResponse | number {
  const hashes = issuerHashes(issuer, certId.hashAlgorithm.algorithmId);
  if (hashes === undefined) return responseStatus.malformedRequest;
  const nameHash = Buffer.from(certId.issuerNameHash.valueBlock.valueHexView);
  const keyHash = Buffer.from(certId.issuerKeyHash.valueBlock.valueHexView);
  if (!nameHash.equals(hashes.name) || !keyHash.equals(hashes.key)) return responseStatus.unauthorized;
  return new pkijs.SingleResponse({
    certID: certId,
    certStatus: certStatusAsn1(status(serialHexOf(certId))),
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + validityMs),
  });
}

/** CertStatus ::= CHOICE { good [0] NULL, revoked [1] RevokedInfo, unknown [2] NULL } (implicit tags). */
function certStatusAsn1(status: CardStatus): asn1js.BaseBlock {
  if (status.status === 'good') return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
  if (status.status === 'unknown') return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
  return new asn1js.Constructed({
    idBlock: { tagClass: 3, tagNumber: 1 },
    value: [
      new asn1js.GeneralizedTime({ valueDate: status.revokedAt }),
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [new asn1js.Enumerated({ value: revocationReasons[status.reason] })],
      }),
    ],
  });
}

function signed(
  data: pkijs.ResponseData,
  key: KeyObject,
  certs: pkijs.Certificate[] | undefined,
): Uint8Array {
  const tbs = new Uint8Array(data.toSchema(true).toBER(false));
  data.tbsView = tbs;
  const basic = new pkijs.BasicOCSPResponse({
    tbsResponseData: data,
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: OID_SHA256_WITH_RSA,
      algorithmParams: new asn1js.Null(),
    }),
    signature: new asn1js.BitString({ valueHex: sign('sha256', tbs, key) }),
    ...(certs === undefined ? {} : { certs }),
  });
  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: responseStatus.successful }),
    responseBytes: new pkijs.ResponseBytes({
      responseType: OID_OCSP_BASIC,
      response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }),
    }),
  });
  return new Uint8Array(response.toSchema().toBER(false));
}

function statusOnly(status: number): Uint8Array {
  const response = new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: status }) });
  return new Uint8Array(response.toSchema().toBER(false));
}
