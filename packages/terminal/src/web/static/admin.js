// 環境設定 (admin changes, others read), 利用者管理 (admin), 証明書 (everyone).

import { api, errorBox } from '/shared/api.js';
import { clear, h } from '/shared/dom.js';
import { t } from './i18n.js';

const consentOrder = [
  'PharmacistsInfoConsFlg',
  'SpecificHealthCheckupsInfoConsFlg',
  'DiagnosisInfoConsFlg',
  'OperationInfoConsFlg',
];

export async function renderSettings(view, { user, onAuthLost }) {
  const { settings } = await api('/api/settings');
  const admin = user.role === 'admin';
  const consent = {};
  const boxes = consentOrder.map((flag) => {
    consent[flag] = h('input', {
      type: 'checkbox',
      id: `settings-consent-${flag}`,
      'data-testid': `settings-consent-${flag}`,
      checked: settings.consentScreens.includes(flag),
      disabled: !admin,
    });
    return h(
      'label',
      { class: 'inline', for: `settings-consent-${flag}` },
      consent[flag],
      t(`consent.${flag}`),
    );
  });
  const limit = h('input', {
    type: 'checkbox',
    id: 'settings-limit',
    'data-testid': 'settings-limit-screen',
    checked: settings.limitConsentScreen,
    disabled: !admin,
  });
  const prescription = h('input', {
    type: 'checkbox',
    id: 'settings-prescription',
    'data-testid': 'settings-prescription',
    checked: settings.prescriptionChoice,
    disabled: !admin,
  });
  const encoding = h(
    'select',
    { id: 'settings-encoding', 'data-testid': 'settings-encoding', disabled: !admin },
    h('option', { value: 'utf-8' }, 'UTF-8'),
    h('option', { value: 'shift_jis' }, 'Shift_JIS'),
  );
  encoding.value = settings.resultEncoding;
  const message = h('div', {});
  const form = h(
    'form',
    { class: 'card settings', 'data-testid': 'settings-form' },
    h('fieldset', {}, h('legend', {}, t('settings.consents')), boxes),
    h('label', { class: 'inline', for: 'settings-limit' }, limit, t('settings.limit')),
    h('label', { class: 'inline', for: 'settings-prescription' }, prescription, t('settings.prescription')),
    h('div', { class: 'field' }, h('label', { for: 'settings-encoding' }, t('settings.encoding')), encoding),
    message,
    admin
      ? h(
          'div',
          { class: 'actions' },
          h(
            'button',
            { type: 'submit', class: 'primary', 'data-testid': 'settings-save' },
            t('settings.save'),
          ),
        )
      : h('p', { class: 'muted', 'data-testid': 'settings-readonly' }, t('settings.readonly')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(message);
    try {
      await api('/api/settings', {
        method: 'PUT',
        body: {
          consentScreens: consentOrder.filter((flag) => consent[flag].checked),
          limitConsentScreen: limit.checked,
          prescriptionChoice: prescription.checked,
          resultEncoding: encoding.value,
        },
      });
      message.append(
        h('p', { class: 'ok', role: 'status', 'data-testid': 'settings-saved' }, t('settings.saved')),
      );
    } catch (error) {
      if (!onAuthLost(error)) message.append(errorBox(error, 'settings-error'));
    }
  });
  view.append(h('h2', {}, t('settings.title')), form);
}

export async function renderUsers(view, { user: me, onAuthLost }) {
  const list = h('tbody', { 'data-testid': 'users-list' });
  const message = h('div', { 'data-testid': 'users-message' });
  const fail = (error) => {
    if (!onAuthLost(error)) message.append(errorBox(error, 'users-error'));
  };
  const ok = (text) => message.append(h('p', { class: 'ok', role: 'status' }, text));

  async function load() {
    const { users } = await api('/api/users');
    clear(list);
    for (const user of users) list.append(userRow(user));
  }

  function userRow(user) {
    const password = h('input', {
      type: 'password',
      autocomplete: 'new-password',
      placeholder: t('users.newPassword'),
      'aria-label': `${user.login}: ${t('users.newPassword')}`,
      'data-testid': 'user-new-password',
    });
    const self = user.login === me.login;
    return h(
      'tr',
      { 'data-testid': 'user-row', 'data-login': user.login, 'data-disabled': String(user.disabled) },
      h('td', { class: 'mono' }, user.login),
      h('td', {}, user.displayName),
      h('td', {}, t(`role.${user.role}`)),
      h('td', { 'data-testid': 'user-state' }, user.disabled ? t('users.disabled') : t('users.enabled')),
      h(
        'td',
        {},
        self
          ? null
          : h(
              'button',
              {
                type: 'button',
                'data-testid': 'user-toggle',
                onclick: async () => {
                  clear(message);
                  try {
                    await api(`/api/users/${encodeURIComponent(user.login)}`, {
                      method: 'PATCH',
                      body: { disabled: !user.disabled },
                    });
                    await load();
                  } catch (error) {
                    fail(error);
                  }
                },
              },
              user.disabled ? t('users.enable') : t('users.disable'),
            ),
      ),
      h(
        'td',
        { class: 'reset' },
        password,
        h(
          'button',
          {
            type: 'button',
            'data-testid': 'user-reset-submit',
            onclick: async () => {
              clear(message);
              try {
                await api(`/api/users/${encodeURIComponent(user.login)}`, {
                  method: 'PATCH',
                  body: { password: password.value },
                });
                password.value = '';
                ok(t('users.resetDone'));
              } catch (error) {
                fail(error);
              }
            },
          },
          t('users.reset'),
        ),
      ),
    );
  }

  const login = h('input', {
    id: 'user-login',
    'data-testid': 'user-login-input',
    autocomplete: 'off',
    required: true,
  });
  const name = h('input', { id: 'user-name', 'data-testid': 'user-name-input', autocomplete: 'off' });
  const role = h(
    'select',
    { id: 'user-role', 'data-testid': 'user-role-select' },
    ['clerk', 'viewer', 'admin'].map((r) => h('option', { value: r }, t(`role.${r}`))),
  );
  const password = h('input', {
    id: 'user-password',
    type: 'password',
    autocomplete: 'new-password',
    'data-testid': 'user-password-input',
    required: true,
  });
  const form = h(
    'form',
    { class: 'card form-grid', 'data-testid': 'user-add-form' },
    h('div', { class: 'field' }, h('label', { for: 'user-login' }, t('users.login')), login),
    h('div', { class: 'field' }, h('label', { for: 'user-name' }, t('users.name')), name),
    h('div', { class: 'field' }, h('label', { for: 'user-role' }, t('users.role')), role),
    h('div', { class: 'field' }, h('label', { for: 'user-password' }, t('users.password')), password),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'user-add-submit' }, t('users.add')),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(message);
    try {
      await api('/api/users', {
        method: 'POST',
        body: { login: login.value, displayName: name.value, role: role.value, password: password.value },
      });
      form.reset();
      ok(t('users.added'));
      await load();
    } catch (error) {
      fail(error);
    }
  });
  const table = h(
    'table',
    { class: 'users' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [t('users.login'), t('users.name'), t('users.role'), t('users.state'), '', t('users.reset')].map(
          (c) => h('th', { scope: 'col' }, c),
        ),
      ),
    ),
    list,
  );
  view.append(h('h2', {}, t('users.title')), form, message, table);
  await load();
}

export async function renderCerts(view) {
  const { certificate: c } = await api('/api/certificate');
  view.append(h('h2', {}, t('certs.title')));
  if (!c) {
    view.append(h('p', { class: 'error', 'data-testid': 'cert-missing' }, t('certs.none')));
    return;
  }
  const severity = c.warning.severity;
  const row = (label, value, testid) =>
    h('tr', {}, h('th', { scope: 'row' }, label), h('td', { 'data-testid': testid }, value));
  view.append(
    h(
      'p',
      { class: `cert-status banner-${severity}`, 'data-testid': 'cert-status', 'data-severity': severity },
      severity === 'none'
        ? t('certs.ok')
        : severity === 'expired'
          ? t('certs.expired', { date: c.notAfter.slice(0, 10) })
          : t('certs.banner', { days: c.daysLeft, date: c.notAfter.slice(0, 10) }),
    ),
    h(
      'table',
      { class: 'person card' },
      h(
        'tbody',
        {},
        row(t('certs.subject'), c.subject, 'cert-subject'),
        row(t('certs.institution'), c.institutionCode ?? '', 'cert-institution'),
        row(t('certs.issuer'), c.issuer, 'cert-issuer'),
        row(t('certs.serial'), c.serial, 'cert-serial'),
        row(t('certs.notBefore'), c.notBefore.slice(0, 10), 'cert-not-before'),
        row(t('certs.notAfter'), c.notAfter.slice(0, 10), 'cert-not-after'),
        row(t('certs.daysLeft'), String(c.daysLeft), 'cert-days-left'),
      ),
    ),
  );
}
