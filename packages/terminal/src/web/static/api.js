import { h } from '/shared/dom.js';
import { t } from './i18n.js';

// The UI API: JSON in and out, the session cookie sent by the browser, the CSRF token echoed on
// every state-changing call. A coded error is thrown as ApiError { status, code, message }.

let csrf = '';

export function setCsrf(token) {
  csrf = token ?? '';
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
    throw new ApiError(0, 'NETWORK', '');
  }
  if (response.status === 204) return undefined;
  const data = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new ApiError(response.status, data.code ?? 'HTTP', data.message ?? String(response.status), data);
  return data;
}

export function errorBox(error, testid = 'error') {
  const message =
    error instanceof ApiError && error.code === 'NETWORK' ? t('app.unreachable') : error.message;
  return h(
    'p',
    { class: 'error', role: 'alert', 'data-testid': testid, 'data-code': error.code ?? '' },
    message,
  );
}
