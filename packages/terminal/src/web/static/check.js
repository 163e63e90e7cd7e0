// 資格確認 by card data: the form (validated as you type) and a result that says what to do next.

import { api, errorBox } from '/shared/api.js';
import { clear, h } from '/shared/dom.js';
import { birthdate, kana, paren } from './dates.js';
import { cardFields } from './fields.js';
import { lang, pick, t } from './i18n.js';

export function renderCheck(view, { onAuthLost }) {
  const fields = cardFields('check');
  const limit = h('input', {
    id: 'check-limit-consent',
    type: 'checkbox',
    'data-testid': 'check-limit-consent',
  });
  const submit = h(
    'button',
    { type: 'submit', class: 'primary', 'data-testid': 'check-submit' },
    t('check.submit'),
  );
  const output = h('div', { class: 'output', 'data-testid': 'check-output' });
  const form = h(
    'form',
    { class: 'card form-grid', 'data-testid': 'check-form', novalidate: true },
    fields.rows,
    h(
      'div',
      { class: 'field field-wide' },
      h('label', { class: 'inline', for: 'check-limit-consent' }, limit, t('check.limitConsent')),
    ),
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!fields.validateAll()) return;
    clear(output);
    submit.disabled = true;
    submit.textContent = t('check.sending');
    try {
      const answer = await api('/api/checks', {
        method: 'POST',
        body: { ...fields.values(), limitConsent: limit.checked },
      });
      output.append(resultPanel(answer.view));
    } catch (error) {
      if (!onAuthLost(error)) output.append(errorBox(error, 'check-error'));
    } finally {
      submit.disabled = false;
      submit.textContent = t('check.submit');
    }
  });
  view.append(h('h2', {}, t('check.title')), form, output);
}

function row(label, value, testid) {
  if (value === undefined || value === null || value === '') return null;
  return h('tr', {}, h('th', { scope: 'row' }, label), h('td', { 'data-testid': testid }, value));
}

function range(from, to) {
  return from || to ? `${from ?? ''} 〜 ${to ?? ''}` : '';
}

/** The result of a check (also used for face files): outcome, next step, each matching row. */
export function resultPanel(result) {
  const message = result.code
    ? h(
        'p',
        { class: 'result-message', 'data-testid': 'result-message' },
        `${result.message ?? ''}${paren(result.code)}`,
      )
    : null;
  return h(
    'section',
    { class: `result outcome-${result.outcome}`, 'data-testid': 'result', 'data-outcome': result.outcome },
    h('h3', {}, t('result.title')),
    h(
      'p',
      { class: 'result-status', 'data-testid': 'result-status', 'data-outcome': result.outcome },
      pick(result.label),
    ),
    h(
      'p',
      { class: 'result-next', 'data-testid': 'result-next' },
      h('strong', {}, `${t('result.next')}${lang() === 'en' ? ': ' : '：'}`),
      pick(result.next),
    ),
    message,
    result.persons.map((person, index) => personTable(person, index)),
  );
}

/** 男 / 女 from central, in the page's language. */
function sexText(sex) {
  if (lang() !== 'en') return sex;
  return { 男: 'Male', 女: 'Female' }[sex] ?? sex;
}

/** 記号 974 ・ 番号 1 ・ 枝番 00, as the card prints them (a missing part left out with its name). */
export function cardText(p) {
  return [
    ['check.symbol', p.symbol],
    ['check.number', p.number],
    ['check.branch', p.branch],
  ]
    .filter(([, value]) => value)
    .map(([label, value]) => `${t(label)} ${value}`)
    .join(' ・ ');
}

function personTable(p, index) {
  const copay = p.copay ? pick(p.copay.label) : t('result.none');
  const elderly = p.elderly
    ? `${p.elderly.tenths !== undefined ? `${p.elderly.tenths}割` : ''} ${range(p.elderly.from, p.elderly.to)}`.trim()
    : t('result.none');
  const limit = p.limit
    ? [p.limit.classification, p.limit.category && `（${p.limit.category}）`, range(p.limit.from, p.limit.to)]
        .filter(Boolean)
        .join(' ')
    : t('result.none');
  const specific = p.specificDiseases
    .map((d) => [d.category, d.selfPay && `${d.selfPay}円`].filter(Boolean).join(' '))
    .join('、');
  return h(
    'table',
    { class: 'person', 'data-testid': 'result-person', 'data-index': index },
    h(
      'tbody',
      {},
      row(t('result.name'), p.name, 'result-name'),
      row(t('result.kana'), kana(p.kana), 'result-kana'),
      row(t('result.birthdate'), birthdate(p.birthdate), 'result-birthdate'),
      row(t('result.sex'), sexText(p.sex), 'result-sex'),
      row(t('result.insurer'), [p.insurerNumber, p.insurerName].filter(Boolean).join(' '), 'result-insurer'),
      row(t('result.card'), cardText(p), 'result-card'),
      row(t('result.personalFamily'), p.personalFamily, 'result-personal-family'),
      row(t('result.copay'), copay, 'result-copay'),
      row(t('result.elderly'), elderly, 'result-elderly'),
      row(t('result.limit'), limit, 'result-limit'),
      row(t('result.specific'), specific, 'result-specific'),
      row(
        t('result.validity'),
        range(p.qualificationDate ?? p.validFrom, p.disqualificationDate ?? p.validTo),
        'result-validity-period',
      ),
      row(t('result.disqualified'), p.reasonOfLoss, 'result-reason-of-loss'),
      row(t('result.referenceNumber'), p.referenceNumber, 'result-reference-number'),
    ),
  );
}
