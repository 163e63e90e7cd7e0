// The JSON API of the page's own server: the session cookie goes by itself, the CSRF token is
// echoed on every state-changing call. A coded error is thrown as ApiError { status, code, message }.
import { h } from '/shared/dom.js';
import { t } from './i18n.js';

let csrf = '';

export function setCsrf(token) {
  csrf = token ?? '';
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
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
    throw new ApiError(0, 'NETWORK', t('app.unreachable'));
  }
  if (response.status === 204) return undefined;
  const data = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new ApiError(response.status, data.code ?? 'HTTP', data.message ?? String(response.status));
  return data;
}

export function errorBox(error, testid = 'error') {
  return h(
    'p',
    { class: 'error', role: 'alert', 'data-testid': testid, 'data-code': error.code ?? '' },
    error.message,
  );
}

/** A labelled field: h('input'|'select', …) with its label. */
export function field(id, label, control) {
  control.id = id;
  return h('div', {}, h('label', { for: id }, label), control);
}

/** Runs `fn` on submit; shows its error (with its code) in `slot`. */
export function onSubmit(form, slot, fn) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    while (slot.firstChild) slot.firstChild.remove();
    const button = form.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    try {
      await fn();
    } catch (error) {
      slot.append(errorBox(error, `${form.dataset.testid ?? 'form'}-error`));
    } finally {
      if (button) button.disabled = false;
    }
  });
}
