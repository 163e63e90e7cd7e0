import { OnshiError } from '@onshi/core';
import type { HttpRequest } from './types.ts';

/** The calling institution's code, as the server set it from the client certificate. */
export function institutionOf(request: HttpRequest): string {
  const code = request.institution?.code;
  if (code === undefined) throw new OnshiError('PKI_CERT_MISSING');
  return code;
}
