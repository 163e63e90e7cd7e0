/** CRLReason (RFC 5280 §5.3.1), shared by the CRL of the common CA and the OCSP responder of JPKI. */
import { OnshiError } from '@onshi/core';

/** The reasons an operator may give; removeFromCRL (8) and aACompromise (10) are not offered. */
export const revocationReasons = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  privilegeWithdrawn: 9,
} as const;

export type RevocationReason = keyof typeof revocationReasons;

/** The reason named `name`; anything else throws PKI_REVOCATION_REASON_INVALID. */
export function revocationReason(name: string): RevocationReason {
  if (!Object.hasOwn(revocationReasons, name)) {
    throw new OnshiError('PKI_REVOCATION_REASON_INVALID', { reason: name });
  }
  return name as RevocationReason;
}

/** The name of a CRLReason code, or 'unspecified' for a code we do not name. */
export function reasonName(code: number): RevocationReason {
  const found = Object.entries(revocationReasons).find(([, value]) => value === code);
  return (found?.[0] as RevocationReason | undefined) ?? 'unspecified';
}
