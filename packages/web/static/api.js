// The JSON API of the page's own server, for the terminal's staff UI and the portal: the session
// cookie goes by itself, the CSRF token is echoed on every state-changing call. A coded error is
// thrown as ApiError { status, code, message, data }. Served at /shared/api.js.
import { h } from './dom.js';

let csrf = '';
/** The text for "the server cannot be reached", in the page's language (the app sets it). */
let unreachable = () => '';

export function setCsrf(token) {
  csrf = token ?? '';
}

/** `text()` gives the app's own (translated) words for a network failure. */
export function setUnreachableText(text) {
  unreachable = text;
}

export class ApiError extends Error {
  constructor(status, code, message, data) {
    super(message);
    this.status = status;
    this.code = code;
    /** The whole error body (e.g. a refusal's explanation and consent state). */
    this.data = data;
  }
}

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-onshi-csrf'] = csrf;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', unreachable());
  }
  if (response.status === 204) return undefined;
  const data = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new ApiError(response.status, data.code ?? 'HTTP', data.message ?? String(response.status), data);
  return data;
}

/** An error as an alert paragraph with its code (`data-code`); a network failure in the current language. */
export function errorBox(error, testid = 'error') {
  const message =
    error instanceof ApiError && error.code === 'NETWORK' ? unreachable() || error.message : error.message;
  return h(
    'p',
    { class: 'error', role: 'alert', 'data-testid': testid, 'data-code': error.code ?? '' },
    message,
  );
}
