/**
 * The terminal user a request speaks for: the `x-onshi-terminal-user` header the terminal sets
 * from its own login (the institution's certificate vouches for the terminal, the terminal for its
 * user). Absent → undefined. URI-encoded (so a Japanese user name survives HTTP headers); at most
 * 128 characters, no control characters; anything else → AUTH_TERMINAL_USER_INVALID.
 */
import { OnshiError } from '@onshi/core';
import { type HttpRequest, TERMINAL_USER_HEADER } from '../http/types.ts';

const MAX_LENGTH = 128;

export function terminalUserOf(request: Pick<HttpRequest, 'headers'>): string | undefined {
  const raw = request.headers[TERMINAL_USER_HEADER];
  if (raw === undefined || raw === '') return undefined;
  if (Array.isArray(raw)) throw new OnshiError('AUTH_TERMINAL_USER_INVALID');
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch (error) {
    throw new OnshiError('AUTH_TERMINAL_USER_INVALID', {}, { cause: error });
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (value.length > MAX_LENGTH || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new OnshiError('AUTH_TERMINAL_USER_INVALID');
  }
  return value;
}
