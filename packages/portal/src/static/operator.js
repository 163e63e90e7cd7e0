// The operator console: login (operator realm), application queue with approve / reject,
// certificates with revocation, disaster mode, statistics with SVG charts.

import { ApiError, api, errorBox, setCsrf, setUnreachableText } from '/shared/api.js';
import { clear, h } from '/shared/dom.js';
import { field, onSubmit, revokeControls } from './forms.js';
import { lang, setLang, t, translate } from './i18n.js';

const state = { me: undefined };
const main = () => document.getElementById('main');
const routeName = () => location.hash.replace(/^#\/?/, '').split('/')[0] || 'queue';
/** An auditor (監査・閲覧) reads only; the server refuses their changes anyway (ADR 0005). */
const mayChange = () => state.me?.role === 'approver';
const readOnlyNote = () =>
  mayChange() ? null : h('p', { class: 'hint', 'data-testid': 'op-read-only' }, t('op.readOnly'));

function header() {
  document.getElementById('lang-toggle').textContent = t('app.toggle');
  document.getElementById('current-operator').textContent = state.me
    ? `${state.me.displayName ?? state.me.login}（${t(`op.role.${state.me.role}`)}）`
    : '';
  document.getElementById('current-operator').dataset.role = state.me?.role ?? '';
  document.getElementById('logout').hidden = !state.me;
  document.getElementById('nav').hidden = !state.me;
  for (const a of document.querySelectorAll('#nav a'))
    a.classList.toggle('active', a.getAttribute('href') === `#/${routeName()}`);
  translate();
}

function login(root) {
  const user = h('input', { autocomplete: 'username', 'data-testid': 'op-login' });
  const password = h('input', {
    type: 'password',
    autocomplete: 'current-password',
    'data-testid': 'op-password',
  });
  const slot = h('div');
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'op-login-form', novalidate: true },
    h('h2', {}, t('login.title')),
    field('op-login', t('op.login'), user),
    field('op-password', t('login.password'), password),
    slot,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'op-login-submit' }, t('login.submit')),
  );
  onSubmit(form, slot, async () => {
    setCsrf(
      (await api('/api/login', { method: 'POST', body: { login: user.value, password: password.value } }))
        .csrf,
    );
    await loadMe();
    render();
  });
  root.append(form);
}

function summary(a) {
  const p = a.payload;
  if (a.kind === 'reader')
    return `${t('op.units', { n: p.quantity })} · ${t('apps.delivery', { date: p.expectedDelivery })}`;
  if (a.kind === 'usage')
    return `${p.plannedTest} → ${p.plannedStart} · ${p.lineType}${p.customerId ? ` · ${p.customerId}` : ''}`;
  if (a.kind === 'certificate')
    return `${t(`env.${p.environment}`)} · ${p.terminalName} · ${p.department} · ${p.phone} · ${p.delivery}${p.renewalOf ? ` · renew ${p.renewalOf}` : ''}${p.serial ? ` · ${p.serial}` : ''}`;
  if (a.kind === 'subsidy')
    return `${t('op.yen', { yen: yen(p.costYen) })} → ${t('subsidy.amountIs', { yen: yen(p.subsidyYen) })}`;
  return '';
}

const yen = (value) => Number(value).toLocaleString('ja-JP');

/** A time in Japan, in the page's language. */
const jst = (iso) =>
  new Date(iso).toLocaleString(lang() === 'en' ? 'en-GB' : 'ja-JP', {
    timeZone: 'Asia/Tokyo',
    dateStyle: 'medium',
    timeStyle: 'short',
  });

async function queue(root) {
  const status = new URLSearchParams(location.hash.split('?')[1] ?? '').get('status') ?? 'submitted';
  const filter = h(
    'select',
    { 'data-testid': 'op-filter' },
    ['submitted', 'approved', 'rejected', ''].map((s) =>
      h(
        'option',
        { value: s, selected: s === status ? true : undefined },
        s ? t(`status.${s}`) : t('op.all'),
      ),
    ),
  );
  filter.addEventListener('change', () => {
    location.hash = `#/queue?status=${filter.value}`;
  });
  const { applications } = await api(`/api/applications?status=${status}`);
  const rows = applications.map((a) => {
    const slot = h('div');
    const reason = h('input', {
      'data-testid': `op-reason-${a.id}`,
      placeholder: t('op.reason'),
      'aria-label': t('op.reason'),
    });
    const delivery = h('input', {
      type: 'date',
      id: `op-delivery-${a.id}`,
      'data-testid': `op-delivery-${a.id}`,
    });
    const act = (path, body) => async () => {
      clear(slot);
      try {
        await api(`/api/applications/${a.id}/${path}`, { method: 'POST', body });
        clear(root);
        await queue(root);
      } catch (error) {
        slot.append(errorBox(error, `op-error-${a.id}`));
      }
    };
    return h(
      'tr',
      { 'data-testid': `op-application-${a.id}`, 'data-kind': a.kind, 'data-status': a.status },
      h('td', {}, `#${a.id}`, h('br'), t(`appkind.${a.kind}`)),
      h(
        'td',
        {},
        a.institution ? `${a.institution.institutionCode} ${a.institution.name}` : '',
        h('br'),
        h('span', { class: 'hint' }, a.email ?? ''),
      ),
      h(
        'td',
        {},
        summary(a),
        a.documents.map((d) =>
          h(
            'div',
            {},
            h('a', { href: `/api/documents/${d.id}`, target: '_blank' }, `${d.kind}: ${d.fileName}`),
          ),
        ),
      ),
      h(
        'td',
        {},
        h('span', { class: `status status-${a.status}` }, t(`status.${a.status}`)),
        a.reason ? h('div', { class: 'hint' }, a.reason) : null,
      ),
      h(
        'td',
        {},
        a.status !== 'submitted' || !mayChange()
          ? null
          : [
              a.kind === 'reader'
                ? h(
                    'label',
                    { class: 'inline', for: `op-delivery-${a.id}` },
                    `${t('op.deliveryDate')} `,
                    delivery,
                  )
                : null,
              h(
                'button',
                {
                  type: 'button',
                  class: 'primary',
                  'data-testid': `op-approve-${a.id}`,
                  onclick: act('approve', a.kind === 'reader' ? { deliveryDate: delivery.value } : {}),
                },
                t('op.approve'),
              ),
              reason,
              h(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  'data-testid': `op-reject-${a.id}`,
                  onclick: () => act('reject', { reason: reason.value })(),
                },
                t('op.reject'),
              ),
            ],
        slot,
      ),
    );
  });
  root.append(
    h(
      'section',
      { class: 'card' },
      h('h2', {}, t('op.queue')),
      readOnlyNote(),
      field('op-filter', t('op.filter'), filter),
      rows.length === 0 ? h('p', { class: 'hint', 'data-testid': 'op-queue-empty' }, t('op.none')) : null,
      h(
        'table',
        { 'data-testid': 'op-queue' },
        rows.length === 0
          ? null
          : h(
              'tr',
              {},
              ['application', 'institution', 'detail', 'status', 'action'].map((c) =>
                h('th', { scope: 'col' }, c === 'status' ? t('op.filter') : t(`op.col.${c}`)),
              ),
            ),
        rows,
      ),
    ),
  );
}

async function certificates(root) {
  const { certificates: list, revocationReasons } = await api('/api/certificates');
  root.append(
    h(
      'section',
      { class: 'card' },
      h('h2', {}, t('op.certificates')),
      h(
        'table',
        { 'data-testid': 'op-cert-list' },
        list.map((c) => {
          const slot = h('div');
          return h(
            'tr',
            { 'data-testid': `op-cert-${c.serial}` },
            h('td', {}, c.serial),
            h('td', {}, c.institutionCode),
            h('td', {}, t(`env.${c.environment}`)),
            h('td', {}, c.notAfter.slice(0, 10)),
            h(
              'td',
              {},
              c.revokedAt
                ? `${t('cert.revoked')} (${c.revokeReason})`
                : !mayChange()
                  ? null
                  : revokeControls('op', c.serial, revocationReasons, slot, async () => {
                      clear(root);
                      await certificates(root);
                    }),
              slot,
            ),
          );
        }),
      ),
    ),
  );
}

async function disaster(root) {
  const { declarations } = await api('/api/disaster');
  const name = h('input', { 'data-testid': 'disaster-name' });
  const municipalities = h('input', {
    'data-testid': 'disaster-municipalities',
    placeholder: '172049, 17205',
  });
  const from = h('input', { type: 'datetime-local', 'data-testid': 'disaster-from' });
  const until = h('input', { type: 'datetime-local', 'data-testid': 'disaster-until' });
  const slot = h('div');
  const iso = (local) => (local ? new Date(local).toISOString() : undefined);
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'disaster-form', novalidate: true },
    h('h2', {}, t('op.disaster')),
    field('disaster-name', t('op.disasterName'), name),
    field('disaster-municipalities', t('op.municipalities'), municipalities),
    field('disaster-from', t('op.from'), from),
    field('disaster-until', t('op.until'), until),
    slot,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'disaster-open' }, t('op.open')),
  );
  onSubmit(form, slot, async () => {
    await api('/api/disaster', {
      method: 'POST',
      body: {
        name: name.value,
        municipalities: municipalities.value,
        startsAt: iso(from.value),
        endsAt: iso(until.value) ?? '',
      },
    });
    clear(root);
    await disaster(root);
  });
  root.append(
    mayChange() ? form : readOnlyNote(),
    h(
      'section',
      { class: 'card' },
      h(
        'table',
        { 'data-testid': 'disaster-list' },
        declarations.map((d) =>
          h(
            'tr',
            { 'data-testid': `disaster-${d.declarationId}`, 'data-open': String(d.open) },
            h('td', {}, d.name),
            h('td', {}, d.municipalities.join(', ')),
            h('td', {}, `${jst(d.startsAt)} – ${jst(d.endsAt)}`),
            h('td', {}, d.open ? t('op.isOpen') : t('op.isClosed')),
            h(
              'td',
              {},
              d.open && mayChange()
                ? h(
                    'button',
                    {
                      type: 'button',
                      'data-testid': `disaster-close-${d.declarationId}`,
                      onclick: async () => {
                        await api(`/api/disaster/${d.declarationId}/close`, { method: 'POST' });
                        clear(root);
                        await disaster(root);
                      },
                    },
                    t('op.close'),
                  )
                : null,
            ),
          ),
        ),
      ),
    ),
  );
}

async function stats(root) {
  const s = await api('/api/stats?days=30');
  const stamp = Date.now();
  root.append(
    h(
      'section',
      { class: 'card', 'data-testid': 'stats' },
      h('h2', {}, t('op.stats')),
      h(
        'p',
        { 'data-testid': 'stats-in-operation' },
        t('op.inOperation', { n: s.rollout.institutionsInOperation }),
      ),
      ['checks-by-method', 'checks-by-kind', 'batch', 'readers'].map((c) =>
        h(
          'p',
          {},
          h('img', {
            class: 'chart',
            alt: t(`op.chart.${c}`),
            src: `/api/charts/${c}.svg?days=30&t=${stamp}`,
            'data-testid': `chart-${c}`,
          }),
        ),
      ),
    ),
  );
}

const views = { queue, certificates, disaster, stats };

async function loadMe() {
  try {
    const me = await api('/api/me');
    setCsrf(me.csrf);
    state.me = me;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
    state.me = undefined;
  }
}

async function render() {
  header();
  const root = clear(main());
  if (!state.me) return login(root);
  const name = routeName() in views ? routeName() : 'queue';
  const section = h('section', { class: 'view', 'data-testid': `view-${name}` });
  root.append(section);
  try {
    await views[name](section);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'PORTAL_SESSION_REQUIRED') {
      state.me = undefined;
      return render();
    }
    section.append(errorBox(error));
  }
}

document.getElementById('lang-toggle').addEventListener('click', () => {
  setLang(lang() === 'ja' ? 'en' : 'ja');
  render();
});
document.getElementById('logout').addEventListener('click', async () => {
  await api('/api/logout', { method: 'POST' }).catch(() => undefined);
  state.me = undefined;
  render();
});
window.addEventListener('hashchange', render);
setUnreachableText(() => t('app.unreachable'));
setLang(lang());
await loadMe();
render();
