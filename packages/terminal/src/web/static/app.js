// The staff page: login, navigation by role, the certificate banner, and the screens.

import { ApiError, api, errorBox, setCsrf, setUnreachableText } from '/shared/api.js';
import { clear, h } from '/shared/dom.js';
import { renderCerts, renderSettings, renderUsers } from './admin.js';
import { renderBatch, renderRefBatch } from './batch.js';
import { renderCheck } from './check.js';
import { paren } from './dates.js';
import { renderDisaster } from './disaster.js';
import { renderFeed } from './feed.js';
import { lang, setLang, t, translate } from './i18n.js';
import { renderMedinfo } from './medinfo.js';
import { renderRefnum } from './refnum.js';

const routes = {
  check: { roles: ['admin', 'clerk'], render: renderCheck },
  feed: { roles: ['admin', 'clerk', 'viewer'], render: renderFeed },
  refnum: { roles: ['admin', 'clerk'], render: renderRefnum },
  batch: { roles: ['admin', 'clerk'], render: renderBatch },
  refbatch: { roles: ['admin', 'clerk'], render: renderRefBatch },
  medinfo: { roles: ['viewer'], render: renderMedinfo },
  disaster: { roles: ['viewer'], render: renderDisaster },
  settings: { roles: ['admin', 'clerk', 'viewer'], nav: ['admin'], render: renderSettings },
  users: { roles: ['admin'], render: renderUsers },
  certs: { roles: ['admin', 'clerk', 'viewer'], render: renderCerts },
};

const state = { user: undefined, status: undefined, cleanup: undefined };
const main = () => document.getElementById('main');

function formatDate(iso) {
  return iso ? iso.slice(0, 10) : '';
}

function renderBanner() {
  const banner = document.getElementById('cert-banner');
  const cert = state.status?.certificate;
  const severity = cert?.warning?.severity ?? 'none';
  banner.hidden = !cert || severity === 'none';
  if (banner.hidden) return;
  banner.dataset.severity = severity;
  banner.className = `banner banner-${severity}`;
  banner.textContent =
    severity === 'expired'
      ? t('certs.expired', { date: formatDate(cert.notAfter) })
      : t('certs.banner', { days: cert.daysLeft, date: formatDate(cert.notAfter) });
}

function renderHeader() {
  document.getElementById('lang-toggle').textContent = t('app.toggle');
  document.querySelector('[data-testid="institution-code"]').textContent =
    state.status?.institutionCode ?? '';
  const user = state.user;
  document.querySelector('[data-testid="current-user"]').textContent = user
    ? `${user.displayName}${paren(t(`role.${user.role}`))}`
    : '';
  document.getElementById('logout').hidden = !user;
  const nav = document.getElementById('nav');
  nav.hidden = !user;
  for (const link of nav.querySelectorAll('a[data-route]')) {
    const route = routes[link.dataset.route];
    link.hidden = !user || !(route.nav ?? route.roles).includes(user.role);
    link.classList.toggle('active', currentRoute() === link.dataset.route);
  }
  translate();
  renderBanner();
}

function currentRoute() {
  const name = location.hash.replace(/^#\/?/, '');
  return name in routes ? name : undefined;
}

function defaultRoute() {
  return state.user?.role === 'viewer' ? 'medinfo' : 'check';
}

async function render() {
  state.cleanup?.();
  state.cleanup = undefined;
  renderHeader();
  const root = clear(main());
  if (!state.user) {
    root.append(loginForm());
    return;
  }
  const name = currentRoute() ?? defaultRoute();
  const route = routes[name];
  if (!route.roles.includes(state.user.role)) {
    location.hash = `#/${defaultRoute()}`;
    return;
  }
  const view = h('section', { class: 'view', 'data-testid': `view-${name}` });
  root.append(view);
  try {
    state.cleanup = await route.render(view, { user: state.user, onAuthLost });
  } catch (error) {
    if (!onAuthLost(error)) view.append(errorBox(error));
  }
}

/** A 401 from the API: back to the login form. Returns true when handled. */
function onAuthLost(error) {
  if (error instanceof ApiError && error.status === 401 && error.code === 'TERMINAL_SESSION_REQUIRED') {
    state.user = undefined;
    render();
    return true;
  }
  return false;
}

function loginForm() {
  const user = h('input', {
    id: 'login-user',
    name: 'login',
    autocomplete: 'username',
    required: true,
    'data-testid': 'login-user',
  });
  const password = h('input', {
    id: 'login-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    'data-testid': 'login-password',
  });
  const message = h('div', { 'data-testid': 'login-message' });
  const form = h(
    'form',
    { class: 'card login', 'data-testid': 'login-form', novalidate: true },
    h('h2', {}, t('login.title')),
    h('label', { for: 'login-user' }, t('login.user')),
    user,
    h('label', { for: 'login-password' }, t('login.password')),
    password,
    message,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'login-submit' }, t('login.submit')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(message);
    try {
      const answer = await api('/api/login', {
        method: 'POST',
        body: { login: user.value, password: password.value },
      });
      setCsrf(answer.csrf);
      state.user = answer.user;
      if (!currentRoute()) location.hash = `#/${defaultRoute()}`;
      render();
    } catch (error) {
      password.value = '';
      message.append(errorBox(error, 'login-error'));
    }
  });
  queueMicrotask(() => user.focus());
  return form;
}

async function start() {
  setUnreachableText(() => t('app.unreachable'));
  document.documentElement.lang = lang();
  document.getElementById('lang-toggle').addEventListener('click', () => {
    setLang(lang() === 'ja' ? 'en' : 'ja');
    render();
  });
  document.getElementById('logout').addEventListener('click', async () => {
    await api('/api/logout', { method: 'POST' }).catch(() => {});
    state.user = undefined;
    setCsrf('');
    render();
  });
  window.addEventListener('hashchange', render);
  state.status = await api('/api/status').catch(() => undefined);
  try {
    const me = await api('/api/me');
    setCsrf(me.csrf);
    state.user = me.user;
  } catch {
    state.user = undefined;
  }
  render();
  // The banner follows the certificate as days pass without a reload.
  setInterval(async () => {
    state.status = await api('/api/status').catch(() => state.status);
    renderBanner();
  }, 3600_000);
}

start();
