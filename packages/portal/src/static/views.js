// The logged-in screens of the portal. Each view(root, ctx) renders into its section.

import { validateInstitutionCode } from '/core/validators.ts';
import { api, errorBox } from '/shared/api.js';
import { clear, h } from '/shared/dom.js';
import { field, onSubmit, revokeControls } from './forms.js';
import { t } from './i18n.js';

const kinds = ['hospital', 'clinic', 'dental', 'pharmacy', 'large-chain-pharmacy'];

function select(testid, options, label, value) {
  return h(
    'select',
    { 'data-testid': testid },
    options.map((o) => h('option', { value: o, selected: o === value ? true : undefined }, label(o))),
  );
}

function needsProfile(root, ctx) {
  if (ctx.me.profile) return false;
  root.append(
    h('p', { class: 'error', 'data-testid': 'profile-required' }, t('profile.required')),
    h('a', { href: '#/profile' }, t('nav.profile')),
  );
  return true;
}

async function checklist(root) {
  const list = await api('/api/checklist');
  const marks = async (item, done) => {
    await api('/api/checklist/marks', { method: 'POST', body: { item, done } });
    clear(root);
    await checklist(root);
  };
  root.append(
    h(
      'section',
      { class: 'card' },
      h('h2', {}, t('check.title')),
      h(
        'p',
        { class: 'stage', 'data-testid': 'checklist-stage', 'data-stage': list.stage },
        t(`stage.${list.stage}`),
      ),
      h(
        'ol',
        { class: 'steps', 'data-testid': 'checklist' },
        list.steps.map((step) =>
          h(
            'li',
            {
              class: step.done ? 'done' : '',
              'data-testid': `step-${step.id}`,
              'data-done': String(step.done),
            },
            h('span', { class: 'tick' }, step.done ? '✓' : '・'),
            h('span', {}, t(`step.${step.id}`)),
            step.pending ? h('span', { class: 'status status-submitted' }, t('step.pending')) : null,
            step.at ? h('span', { class: 'hint' }, step.at.slice(0, 10)) : null,
            step.manual
              ? h(
                  'button',
                  {
                    type: 'button',
                    'data-testid': `mark-${step.id}`,
                    onclick: () => marks(step.id, !step.done),
                  },
                  step.done ? '↺' : t('step.mark'),
                )
              : null,
          ),
        ),
      ),
    ),
  );
}

async function profile(root, ctx) {
  const p = ctx.me.profile ?? {};
  const code = h('input', {
    'data-testid': 'profile-code',
    inputmode: 'numeric',
    maxlength: 10,
    value: p.institutionCode ?? '',
  });
  const codeHint = h('p', { class: 'hint', 'data-testid': 'profile-code-hint' });
  code.addEventListener('input', () => {
    const v = validateInstitutionCode(code.value.trim());
    codeHint.textContent = code.value === '' || v.ok ? '' : v.reason;
  });
  const name = h('input', { 'data-testid': 'profile-name', value: p.name ?? '' });
  const kind = select('profile-kind', kinds, (k) => t(`kind.${k}`), p.kind ?? 'clinic');
  const prescriptions = h('input', {
    'data-testid': 'profile-prescriptions',
    inputmode: 'numeric',
    value: p.monthlyPrescriptions ?? '',
  });
  const municipality = h('input', {
    'data-testid': 'profile-municipality',
    inputmode: 'numeric',
    value: p.municipalityCode ?? '',
  });
  const slot = h('div');
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'profile-form', novalidate: true },
    h('h2', {}, t('profile.title')),
    field('profile-code', t('profile.code'), code),
    codeHint,
    field('profile-name', t('profile.name'), name),
    field('profile-kind', t('profile.kind'), kind),
    field('profile-prescriptions', t('profile.prescriptions'), prescriptions),
    field('profile-municipality', t('profile.municipality'), municipality),
    slot,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'profile-submit' }, t('profile.save')),
  );
  onSubmit(form, slot, async () => {
    await api('/api/profile', {
      method: 'PUT',
      body: {
        institutionCode: code.value,
        name: name.value,
        kind: kind.value,
        monthlyPrescriptions: prescriptions.value === '' ? undefined : prescriptions.value,
        municipalityCode: municipality.value,
      },
    });
    await ctx.refresh();
    slot.append(h('p', { class: 'notice', 'data-testid': 'profile-saved' }, t('app.saved')));
  });
  root.append(form);
}

function submittedNotice(slot, app) {
  slot.append(
    h(
      'p',
      { class: 'notice', 'data-testid': 'application-submitted', 'data-id': app.id },
      `${t(`appkind.${app.kind}`)} #${app.id}: ${t(`status.${app.status}`)}`,
    ),
  );
}

async function readers(root, ctx) {
  if (needsProfile(root, ctx)) return;
  const q = await api('/api/readers/quota');
  const quantity = h('input', {
    type: 'number',
    min: 1,
    value: Math.max(1, q.remaining),
    'data-testid': 'reader-quantity',
  });
  const slot = h('div');
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'reader-form', novalidate: true },
    h('h2', {}, t('readers.title')),
    h('p', { 'data-testid': 'reader-quota' }, t('readers.quota', q)),
    h('p', { class: 'hint', 'data-testid': 'reader-buy' }, t('readers.buy')),
    h('p', { class: 'hint', 'data-testid': 'reader-lead' }, t('readers.lead', { months: q.leadMonths })),
    field('reader-quantity', t('readers.quantity'), quantity),
    slot,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'reader-submit' }, t('readers.submit')),
  );
  onSubmit(form, slot, async () => {
    const app = await api('/api/applications/reader', {
      method: 'POST',
      body: { quantity: Number(quantity.value) },
    });
    submittedNotice(slot, app);
    slot.append(
      h(
        'p',
        { 'data-testid': 'reader-delivery' },
        t('apps.delivery', { date: app.payload.expectedDelivery }),
      ),
    );
  });
  root.append(form);
}

async function usage(root, ctx) {
  if (needsProfile(root, ctx)) return;
  const start = h('input', { type: 'date', 'data-testid': 'usage-start' });
  const test = h('input', { type: 'date', 'data-testid': 'usage-test' });
  const line = select(
    'usage-line',
    ['ip-vpn', 'ipsec-ike'],
    (l) => (l === 'ip-vpn' ? 'IP-VPN' : 'IPsec＋IKE'),
    'ip-vpn',
  );
  const customer = h('input', { 'data-testid': 'usage-customer-id', placeholder: 'CAF0000000000' });
  const customerField = field('usage-customer-id', t('usage.customerId'), customer);
  line.addEventListener('change', () => {
    customerField.hidden = line.value !== 'ip-vpn';
  });
  const slot = h('div');
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'usage-form', novalidate: true },
    h('h2', {}, t('usage.title')),
    field('usage-test', t('usage.test'), test),
    field('usage-start', t('usage.start'), start),
    field('usage-line', t('usage.line'), line),
    customerField,
    h('p', { class: 'hint' }, t('usage.customerHint')),
    slot,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'usage-submit' }, t('usage.submit')),
  );
  onSubmit(form, slot, async () => {
    submittedNotice(
      slot,
      await api('/api/applications/usage', {
        method: 'POST',
        body: {
          plannedStart: start.value,
          plannedTest: test.value,
          lineType: line.value,
          customerId: customer.value,
        },
      }),
    );
  });
  root.append(form);
}

function certificateForm(renewal) {
  const department = h('input', { 'data-testid': 'cert-department' });
  const phone = h('input', { type: 'tel', 'data-testid': 'cert-phone' });
  const terminal = h('input', { 'data-testid': 'cert-terminal' });
  const env = select(
    'cert-environment',
    ['connection-test', 'production'],
    (e) => t(`env.${e}`),
    'connection-test',
  );
  const delivery = select('cert-delivery', ['pkcs12', 'csr'], (d) => t(`delivery.${d}`), 'pkcs12');
  const csr = h('textarea', { 'data-testid': 'cert-csr' });
  const csrField = field('cert-csr', t('cert.csr'), csr);
  csrField.hidden = true;
  delivery.addEventListener('change', () => {
    csrField.hidden = delivery.value !== 'csr';
  });
  const slot = h('div');
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'cert-form', novalidate: true },
    h('h2', {}, renewal ? `${t('cert.renew')} (${renewal})` : t('cert.title')),
    field('cert-department', t('cert.department'), department),
    field('cert-phone', t('cert.phone'), phone),
    field('cert-terminal', t('cert.terminal'), terminal),
    renewal ? null : field('cert-environment', t('cert.environment'), env),
    field('cert-delivery', t('cert.delivery'), delivery),
    csrField,
    slot,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'cert-submit' }, t('cert.submit')),
  );
  onSubmit(form, slot, async () => {
    submittedNotice(
      slot,
      await api('/api/applications/certificate', {
        method: 'POST',
        body: {
          department: department.value,
          phone: phone.value,
          terminalName: terminal.value,
          environment: env.value,
          delivery: delivery.value,
          csr: csr.value,
          renewalOf: renewal ?? '',
        },
      }),
    );
  });
  return form;
}

async function certificates(root, ctx) {
  if (needsProfile(root, ctx)) return;
  const { certificates: list, revocationReasons } = await api('/api/certificates');
  const formSlot = h('div');
  formSlot.append(certificateForm());
  const rows = list.map((c) => {
    const actions = h('td', {});
    const otpSlot = h('div');
    if (c.revokedAt === null) {
      if (c.keyDelivery === 'pkcs12') {
        actions.append(
          h(
            'a',
            {
              href: `/api/certificates/${c.serial}/pkcs12`,
              download: `${c.serial}.p12`,
              'data-testid': `cert-download-${c.serial}`,
            },
            t('cert.download'),
          ),
          ' ',
        );
      }
      actions.append(
        h(
          'a',
          {
            href: `/api/certificates/${c.serial}/pem`,
            download: `${c.serial}.pem`,
            'data-testid': `cert-pem-${c.serial}`,
          },
          t('cert.pem'),
        ),
      );
      if (c.passwordPending) {
        actions.append(
          h(
            'button',
            {
              type: 'button',
              'data-testid': `cert-show-password-${c.serial}`,
              onclick: async (event) => {
                try {
                  const { oneTimePassword } = await api(`/api/certificates/${c.serial}/password`, {
                    method: 'POST',
                  });
                  event.target.remove();
                  otpSlot.append(
                    h('span', { class: 'otp', 'data-testid': `cert-password-${c.serial}` }, oneTimePassword),
                  );
                } catch (error) {
                  otpSlot.append(errorBox(error));
                }
              },
            },
            t('cert.showPassword'),
          ),
        );
      }
      actions.append(
        h(
          'button',
          {
            type: 'button',
            'data-testid': `cert-renew-${c.serial}`,
            onclick: () => {
              clear(formSlot).append(certificateForm(c.serial));
            },
          },
          t('cert.renew'),
        ),
      );
      actions.append(
        ...revokeControls('cert', c.serial, revocationReasons, otpSlot, async () => {
          clear(root);
          await certificates(root, ctx);
        }),
      );
    }
    actions.append(otpSlot);
    return h(
      'tr',
      { 'data-testid': `cert-row-${c.serial}`, 'data-environment': c.environment },
      h('td', {}, c.serial),
      h('td', {}, t(`env.${c.environment}`)),
      h('td', {}, c.terminalName),
      h('td', {}, c.notAfter.slice(0, 10)),
      h('td', {}, c.revokedAt ? `${t('cert.revoked')} (${c.revokeReason})` : t('cert.valid')),
      actions,
    );
  });
  root.append(
    formSlot,
    h(
      'section',
      { class: 'card' },
      h('h2', {}, t('cert.list')),
      list.length === 0 ? h('p', { class: 'hint', 'data-testid': 'cert-list-empty' }, t('cert.none')) : null,
      h(
        'table',
        { 'data-testid': 'cert-list' },
        h(
          'tr',
          {},
          [
            t('cert.serial'),
            t('cert.environment'),
            t('cert.terminal'),
            t('cert.validity'),
            t('cert.state'),
            '',
          ].map((x) => h('th', {}, x)),
        ),
        rows,
      ),
    ),
  );
}

function readFileBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',', 2)[1] ?? '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

async function subsidy(root, ctx) {
  if (needsProfile(root, ctx)) return;
  const categories = ['terminal-pc', 'network', 'system-changes'];
  const items = categories.map((c) => ({
    category: c,
    description: h('input', { 'data-testid': `subsidy-desc-${c}`, value: t(`cat.${c}`) }),
    amount: h('input', { type: 'number', min: 0, 'data-testid': `subsidy-amount-${c}` }),
  }));
  const completed = h('input', { type: 'date', 'data-testid': 'subsidy-completed' });
  const docs = ['receipt', 'receiptBreakdown', 'completionReport'].map((d) => ({
    key: d,
    input: h('input', {
      type: 'file',
      accept: 'application/pdf,image/jpeg,image/png',
      'data-testid': `subsidy-doc-${d}`,
    }),
  }));
  const result = h('div', { 'data-testid': 'subsidy-estimate' });
  const slot = h('div');
  const body = async (withDocs) => {
    const documents = {};
    if (withDocs) {
      for (const d of docs) {
        const file = d.input.files?.[0];
        if (file) documents[d.key] = { name: file.name, data: await readFileBase64(file) };
      }
    }
    return {
      completedOn: completed.value,
      items: items
        .filter((i) => i.amount.value !== '')
        .map((i) => ({
          category: i.category,
          description: i.description.value,
          amountYen: Number(i.amount.value),
        })),
      documents,
    };
  };
  const showEstimate = (e) => {
    clear(result).append(
      h(
        'p',
        { class: 'stage', 'data-testid': 'subsidy-amount', 'data-yen': e.subsidy },
        t('subsidy.amountIs', { yen: e.subsidy.toLocaleString('ja-JP') }),
      ),
      h(
        'ul',
        {},
        e.reasons.map((r) => h('li', {}, r[document.documentElement.lang === 'en' ? 'en' : 'ja'])),
      ),
    );
  };
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'subsidy-form', novalidate: true },
    h('h2', {}, t('subsidy.title')),
    h('h3', {}, t('subsidy.items')),
    h(
      'table',
      { class: 'subsidy-items' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['category', 'description', 'amount'].map((c) => h('th', { scope: 'col' }, t(`subsidy.col.${c}`))),
        ),
      ),
      h(
        'tbody',
        {},
        items.map((i) => {
          // Each input named by its row and column (the table has no <label> per cell).
          const category = t(`cat.${i.category}`);
          i.description.setAttribute('aria-label', `${category}: ${t('subsidy.col.description')}`);
          i.amount.setAttribute('aria-label', `${category}: ${t('subsidy.col.amount')}`);
          i.amount.setAttribute('inputmode', 'numeric');
          return h(
            'tr',
            {},
            h('th', { scope: 'row' }, category),
            h('td', {}, i.description),
            h('td', {}, i.amount),
          );
        }),
      ),
    ),
    field('subsidy-completed', t('subsidy.completed'), completed),
    h('h3', {}, t('subsidy.docs')),
    docs.map((d) => field(`subsidy-doc-${d.key}`, t(`doc.${d.key}`), d.input)),
    result,
    slot,
    h(
      'button',
      {
        type: 'button',
        'data-testid': 'subsidy-estimate-button',
        onclick: async () => {
          clear(slot);
          try {
            showEstimate(await api('/api/subsidy/estimate', { method: 'POST', body: await body(false) }));
          } catch (error) {
            slot.append(errorBox(error, 'subsidy-form-error'));
          }
        },
      },
      t('subsidy.estimate'),
    ),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'subsidy-submit' }, t('subsidy.submit')),
  );
  onSubmit(form, slot, async () => {
    submittedNotice(slot, await api('/api/applications/subsidy', { method: 'POST', body: await body(true) }));
  });
  root.append(form);
}

async function applications(root) {
  const { applications: list } = await api('/api/applications');
  root.append(
    h(
      'section',
      { class: 'card' },
      h('h2', {}, t('apps.title')),
      list.length === 0
        ? h('p', {}, t('apps.none'))
        : h(
            'table',
            { 'data-testid': 'application-list' },
            h(
              'tr',
              {},
              [t('apps.kind'), t('apps.submitted'), t('apps.status'), t('apps.detail')].map((x) =>
                h('th', {}, x),
              ),
            ),
            list.map((a) =>
              h(
                'tr',
                { 'data-testid': `application-${a.id}`, 'data-kind': a.kind, 'data-status': a.status },
                h('td', {}, `#${a.id} ${t(`appkind.${a.kind}`)}`),
                h('td', {}, a.submittedAt.slice(0, 10)),
                h(
                  'td',
                  {},
                  h(
                    'span',
                    { class: `status status-${a.status}`, 'data-testid': `application-status-${a.id}` },
                    t(`status.${a.status}`),
                  ),
                ),
                h(
                  'td',
                  {},
                  a.kind === 'reader' ? t('apps.delivery', { date: a.payload.expectedDelivery }) : '',
                  a.kind === 'subsidy'
                    ? t('subsidy.amountIs', { yen: Number(a.payload.subsidyYen).toLocaleString('ja-JP') })
                    : '',
                  a.reason
                    ? h('div', { class: 'error', 'data-testid': `application-reason-${a.id}` }, a.reason)
                    : null,
                ),
              ),
            ),
          ),
    ),
  );
}

export const views = {
  checklist,
  profile,
  readers,
  usage,
  certificates,
  subsidy,
  applications,
};
