/**
 * Who is calling. Institutions prove themselves with a client certificate of the common CA over
 * mutual TLS: the certificate is verified once per TLS connection (chain, validity, usage, CRL,
 * 医療機関コード) and re-checked cheaply on every request, so that a revocation published in the CRL
 * reaches kept-alive connections within the CRL reload interval. Insurer feeds and the operator
 * API carry bearer tokens (each its own).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { OnshiError } from '@onshi/core';
import type { InstitutionIdentity, InstitutionVerifier } from '@onshi/pki';

export interface Authenticator {
  /** The institution behind the request's TLS client certificate, or a coded refusal. */
  institution(req: IncomingMessage): { readonly code: string; readonly serial: string };
  /** Refuses a request without the insurer-feed token. */
  feed(req: IncomingMessage): void;
  /** Refuses a request without the operator token (支払基金・国保中央会: disaster mode …). */
  operator(req: IncomingMessage): void;
}

export interface AuthenticatorOptions {
  /** Absent: no client certificates are accepted (every institution route answers PKI_CERT_MISSING). */
  readonly institutions?: InstitutionVerifier | undefined;
  /** Absent: the insurer-feed routes are closed (AUTH_FEED_DISABLED). */
  readonly feedToken?: string | undefined;
  /** Absent: the operator routes are closed (AUTH_OPERATOR_DISABLED). */
  readonly operatorToken?: string | undefined;
}

/** Compares the request's bearer token with `token` in constant time. */
function bearerMatches(req: IncomingMessage, token: Buffer): boolean {
  const header = req.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  return given.length === token.length && timingSafeEqual(given, token);
}

type SocketVerdict = { readonly identity: InstitutionIdentity } | { readonly error: unknown };

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const verdicts = new WeakMap<object, SocketVerdict>();
  const feedToken = options.feedToken === undefined ? undefined : Buffer.from(options.feedToken);
  const operatorToken = options.operatorToken === undefined ? undefined : Buffer.from(options.operatorToken);

  function verdictFor(socket: TLSSocket, verifier: InstitutionVerifier): SocketVerdict {
    let verdict = verdicts.get(socket);
    if (verdict === undefined) {
      try {
        verdict = { identity: verifier.verify(socket.getPeerX509Certificate?.()) };
      } catch (error) {
        verdict = { error };
      }
      verdicts.set(socket, verdict);
    }
    return verdict;
  }

  return {
    institution(req) {
      const socket = req.socket as TLSSocket;
      if (options.institutions === undefined || socket.encrypted !== true) {
        throw new OnshiError('PKI_CERT_MISSING');
      }
      const verdict = verdictFor(socket, options.institutions);
      if ('error' in verdict) throw verdict.error;
      options.institutions.recheck(verdict.identity);
      return { code: verdict.identity.institutionCode, serial: verdict.identity.serial };
    },
    feed(req) {
      if (feedToken === undefined) throw new OnshiError('AUTH_FEED_DISABLED');
      if (!bearerMatches(req, feedToken)) throw new OnshiError('AUTH_FEED_TOKEN_INVALID');
    },
    operator(req) {
      if (operatorToken === undefined) throw new OnshiError('AUTH_OPERATOR_DISABLED');
      if (!bearerMatches(req, operatorToken)) throw new OnshiError('AUTH_OPERATOR_TOKEN_INVALID');
    },
  };
}
