/**
 * The card verifier as the central service configures it.
 *
 * - Trust: the JPKI bundle (card CA + root) from `cardTrustFile`, else `<jpkiDir>/bundle.pem`.
 * - Revocation (required): an OCSP responder over HTTP at `ocspUrl` (production: POST
 *   application/ocsp-request, RFC 6960 appendix A), else an in-process responder over the JPKI
 *   directory (`openOcspService(jpkiDir, jpkiPassphraseFile)`, the demo: it needs only the
 *   delegated responder key `ocsp.key.pem`, not the card CA key).
 * A configuration that would check no revocation is refused (CONFIG_INVALID).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, OnshiError } from '@onshi/core';
import {
  type CardVerifier,
  createCardVerifier,
  OCSP_REQUEST_TYPE,
  OCSP_RESPONSE_TYPE,
  type OcspTransport,
  openOcspService,
} from '@onshi/pki';

export interface CardCheckPkiConfig {
  /** JPKI directory of `onshi ca init` (`<dir>/jpki`): trust and the in-process OCSP responder. */
  readonly jpkiDir?: string | undefined;
  /** Passphrase file of the JPKI directory's keys (needed for the in-process responder). */
  readonly jpkiPassphraseFile?: string | undefined;
  /** PEM bundle of the card PKI; default `<jpkiDir>/bundle.pem`. */
  readonly cardTrustFile?: string | undefined;
  /** URL of the card CA's OCSP responder; when set, used instead of the in-process one. */
  readonly ocspUrl?: string | undefined;
  readonly clock: Clock;
  /** Reuse a "good" OCSP answer for this long (see createCardVerifier); default 0. */
  readonly ocspCacheMs?: number | undefined;
  /** Timeout of one HTTP OCSP exchange; default 5 s. */
  readonly ocspTimeoutMs?: number | undefined;
}

/** A card verifier that owns resources (the in-process responder's file watcher). */
export interface ConfiguredCardVerifier extends CardVerifier {
  close(): void;
}

export async function createCardCheckFromConfig(config: CardCheckPkiConfig): Promise<ConfiguredCardVerifier> {
  const trustFile =
    config.cardTrustFile ?? (config.jpkiDir === undefined ? undefined : join(config.jpkiDir, 'bundle.pem'));
  if (trustFile === undefined) {
    throw new OnshiError('CONFIG_INVALID', {
      name: 'ONSHI_CARD_TRUST_FILE/ONSHI_JPKI_DIR',
      detail: 'the card PKI trust (JPKI bundle) is needed for the check by My Number card',
    });
  }
  const trust = await readTrust(trustFile);
  let close = () => {};
  let ocsp: OcspTransport;
  if (config.ocspUrl !== undefined) {
    ocsp = httpOcspTransport(config.ocspUrl, config.ocspTimeoutMs ?? 5000);
  } else if (config.jpkiDir !== undefined && config.jpkiPassphraseFile !== undefined) {
    const service = await openOcspService(config.jpkiDir, config.jpkiPassphraseFile, { clock: config.clock });
    ocsp = service.respond;
    close = () => service.close();
  } else {
    throw new OnshiError('CONFIG_INVALID', {
      name: 'ONSHI_OCSP_URL/ONSHI_JPKI_PASSPHRASE_FILE',
      detail:
        'card revocation must be checked: give an OCSP URL, or a JPKI directory with its passphrase file',
    });
  }
  const verifier = createCardVerifier({ trust, clock: config.clock, ocsp, ocspCacheMs: config.ocspCacheMs });
  return { verifyCardSignature: verifier.verifyCardSignature, close };
}

async function readTrust(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new OnshiError(
      'CONFIG_INVALID',
      { name: path, detail: 'cannot read the card PKI bundle' },
      { cause: error },
    );
  }
}

/** OCSP over HTTP POST (RFC 6960 A.1). Failures are PKI_OCSP_RESPONSE_INVALID: the card is then refused. */
export function httpOcspTransport(url: string, timeoutMs: number): OcspTransport {
  return async (request) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': OCSP_REQUEST_TYPE, accept: OCSP_RESPONSE_TYPE },
        body: request,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new OnshiError(
        'PKI_OCSP_RESPONSE_INVALID',
        { detail: `no answer from ${url}` },
        { cause: error },
      );
    }
    const type = (response.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
    if (response.status !== 200 || type !== OCSP_RESPONSE_TYPE) {
      await response.body?.cancel();
      throw new OnshiError('PKI_OCSP_RESPONSE_INVALID', {
        detail: `HTTP ${response.status} ${type} from ${url}`,
      });
    }
    return new Uint8Array(await response.arrayBuffer());
  };
}
