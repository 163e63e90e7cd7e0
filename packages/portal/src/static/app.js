// The institution's portal: account pages (login, register, verify, reset, mailbox) and, once
// logged in, the checklist and the application screens (views.js).

import { ApiError, api, errorBox, setCsrf, setUnreachableText } from '/shared/api.js';
import { clear, h } from '/shared/dom.js';
import { field, onSubmit } from './forms.js';
import { lang, setLang, t, translate } from './i18n.js';
import { views } from './views.js';

const state = { me: undefined };
const main = () => document.getElementById('main');

function route() {
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return { name: name || (location.pathname === '/mailbox' ? 'mailbox' : ''), arg: rest.join('/') };
}

function renderHeader() {
  document.getElementById('lang-toggle').textContent = t('app.toggle');
  document.getElementById('current-account').textContent = state.me?.email ?? '';
  document.getElementById('logout').hidden = !state.me;
  document.getElementById('nav').hidden = !state.me;
  document.getElementById('mailbox-link').hidden = !(state.mailbox ?? true);
  for (const link of document.querySelectorAll('#nav a')) {
    link.classList.toggle('active', link.getAttribute('href') === `#/${route().name}`);
  }
  translate();
}

async function loadMe() {
  try {
    const me = await api('/api/me');
    setCsrf(me.csrf);
    state.me = me;
    state.mailbox = me.mailbox;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
    state.me = undefined;
  }
}

function passwordInput(testid, autocomplete = 'current-password') {
  return h('input', { type: 'password', autocomplete, required: true, 'data-testid': testid });
}

function loginView(root, notice) {
  const email = h('input', { type: 'email', autocomplete: 'username', 'data-testid': 'login-email' });
  const password = passwordInput('login-password');
  const slot = h('div');
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'login-form', novalidate: true },
    h('h2', {}, t('login.title')),
    notice ? h('p', { class: 'notice', 'data-testid': 'login-notice' }, notice) : null,
    field('login-email', t('login.email'), email),
    field('login-password', t('login.password'), password),
    slot,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'login-submit' }, t('login.submit')),
    h(
      'p',
      {},
      h('a', { href: '#/register', 'data-testid': 'link-register' }, t('login.register')),
      ' · ',
      h('a', { href: '#/reset', 'data-testid': 'link-reset' }, t('login.forgot')),
    ),
  );
  onSubmit(form, slot, async () => {
    const answer = await api('/api/login', {
      method: 'POST',
      body: { email: email.value, password: password.value },
    });
    setCsrf(answer.csrf);
    await loadMe();
    location.hash = state.me?.profile ? '#/checklist' : '#/profile';
    render();
  });
  root.append(form);
}

function registerView(root) {
  const email = h('input', { type: 'email', autocomplete: 'email', 'data-testid': 'register-email' });
  const password = passwordInput('register-password', 'new-password');
  const slot = h('div');
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'register-form', novalidate: true },
    h('h2', {}, t('register.title')),
    h('p', { class: 'hint' }, t('register.hint')),
    field('register-email', t('login.email'), email),
    field('register-password', t('login.password'), password),
    slot,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'register-submit' }, t('register.submit')),
  );
  onSubmit(form, slot, async () => {
    await api('/api/register', { method: 'POST', body: { email: email.value, password: password.value } });
    clear(form).append(h('p', { class: 'notice', 'data-testid': 'register-sent' }, t('register.sent')));
  });
  root.append(form);
}

async function verifyView(root, token) {
  const card = h('section', { class: 'card' }, h('h2', {}, t('verify.title')));
  root.append(card);
  try {
    await api('/api/verify', { method: 'POST', body: { token } });
    history.replaceState(null, '', '/#/login');
    loginView(root, t('verify.done'));
    card.remove();
  } catch (error) {
    card.append(errorBox(error, 'verify-error'));
  }
}

function resetView(root, token) {
  const slot = h('div');
  if (token) {
    const password = passwordInput('reset-password', 'new-password');
    const form = h(
      'form',
      { class: 'card', 'data-testid': 'reset-confirm-form', novalidate: true },
      h('h2', {}, t('reset.title')),
      field('reset-password', t('reset.newPassword'), password),
      slot,
      h(
        'button',
        { type: 'submit', class: 'primary', 'data-testid': 'reset-confirm-submit' },
        t('reset.submit'),
      ),
    );
    onSubmit(form, slot, async () => {
      await api('/api/password-reset/confirm', { method: 'POST', body: { token, password: password.value } });
      history.replaceState(null, '', '/#/login');
      clear(root);
      loginView(root, t('reset.done'));
    });
    root.append(form);
    return;
  }
  const email = h('input', { type: 'email', 'data-testid': 'reset-email' });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'reset-form', novalidate: true },
    h('h2', {}, t('reset.title')),
    field('reset-email', t('login.email'), email),
    slot,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'reset-submit' }, t('reset.request')),
  );
  onSubmit(form, slot, async () => {
    await api('/api/password-reset', { method: 'POST', body: { email: email.value } });
    clear(form).append(h('p', { class: 'notice', 'data-testid': 'reset-sent' }, t('reset.sent')));
  });
  root.append(form);
}

async function mailboxView(root) {
  const { mails } = await api('/api/mailbox');
  root.append(
    h(
      'section',
      { class: 'card', 'data-testid': 'mailbox' },
      h('h2', {}, t('mailbox.title')),
      mails.length === 0 ? h('p', {}, t('mailbox.empty')) : null,
      mails.map((mail) => {
        const link = /(https?:\/\/\S+)/.exec(mail.text)?.[1];
        return h(
          'article',
          { class: 'card', 'data-testid': 'mail', 'data-to': mail.to },
          h('div', {}, h('strong', {}, mail.subject)),
          h('div', { class: 'hint' }, `${mail.to} · ${mail.sentAt}`),
          h('div', { class: 'mail' }, mail.text),
          link ? h('a', { href: link, 'data-testid': 'mail-link' }, link) : null,
        );
      }),
    ),
  );
}

async function render() {
  renderHeader();
  const root = clear(main());
  const { name, arg } = route();
  try {
    if (name === 'mailbox') return await mailboxView(root);
    if (name === 'verify') return await verifyView(root, arg);
    if (name === 'register') return registerView(root);
    if (name === 'reset') return resetView(root, arg);
    if (!state.me) return loginView(root);
    const view = views[name] ?? views.checklist;
    const section = h('section', {
      class: 'view',
      'data-testid': `view-${views[name] ? name : 'checklist'}`,
    });
    root.append(section);
    await view(section, { me: state.me, refresh: loadMe });
  } catch (error) {
    if (error instanceof ApiError && error.code === 'PORTAL_SESSION_REQUIRED') {
      state.me = undefined;
      renderHeader();
      clear(root);
      return loginView(root);
    }
    root.append(errorBox(error));
  }
}

document.getElementById('lang-toggle').addEventListener('click', () => {
  setLang(lang() === 'ja' ? 'en' : 'ja');
  render();
});
document.getElementById('logout').addEventListener('click', async () => {
  await api('/api/logout', { method: 'POST' }).catch(() => undefined);
  state.me = undefined;
  location.hash = '#/login';
  render();
});
window.addEventListener('hashchange', render);
setUnreachableText(() => t('app.unreachable'));
setLang(lang());
await loadMe();
render();
