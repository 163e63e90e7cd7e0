// 災害時 (role 医療情報閲覧者): search a person without a card — 氏名（カナ）, 生年月日, 性別, 住所
// (optional) and the reason (required; central records it with every search and view) — then open
// the person's 薬剤情報 / 特定健診 through the disaster path. Central decides whether disaster mode
// is open for this institution; its refusals are shown with their code and an explanation.

import { ApiError, api } from '/shared/api.js';
import { clear, h } from '/shared/dom.js';
import { t } from './i18n.js';
import { patientView, refusalBox } from './medinfo.js';

export async function renderDisaster(view, { onAuthLost }) {
  const input = (name, attrs = {}) =>
    h('input', {
      id: `disaster-${name}`,
      name,
      'data-testid': `disaster-${name}`,
      autocomplete: 'off',
      ...attrs,
    });
  const kana = input('kana', { required: true, placeholder: 'ヤマダ タロウ' });
  const birthdate = input('birthdate', { type: 'date', required: true });
  const sex = h(
    'select',
    { id: 'disaster-sex', name: 'sex', 'data-testid': 'disaster-sex' },
    h('option', { value: '' }, t('disaster.sexAny')),
    h('option', { value: '1' }, t('disaster.male')),
    h('option', { value: '2' }, t('disaster.female')),
  );
  const address = input('address', { placeholder: t('disaster.addressHint') });
  const reason = h('textarea', {
    id: 'disaster-reason',
    name: 'reason',
    rows: 2,
    required: true,
    maxlength: 500,
    'data-testid': 'disaster-reason',
  });
  const fieldError = (name) =>
    h('span', { class: 'field-error', 'data-testid': `field-error-disaster-${name}` });
  const errors = {
    kana: fieldError('kana'),
    birthdate: fieldError('birthdate'),
    reason: fieldError('reason'),
  };
  const output = h('div', { 'data-testid': 'disaster-output' });
  const panel = h('div', { class: 'medinfo-patient', 'data-testid': 'disaster-patient-panel' });
  const row = (label, control, error) =>
    h('div', { class: 'field' }, h('label', { for: control.id }, label), control, error ?? null);
  const form = h(
    'form',
    { class: 'card form-grid', 'data-testid': 'disaster-form', novalidate: true },
    row(t('disaster.kana'), kana, errors.kana),
    row(t('check.birthdate'), birthdate, errors.birthdate),
    row(t('result.sex'), sex),
    row(t('disaster.address'), address),
    h(
      'div',
      { class: 'field field-wide' },
      h('label', { for: 'disaster-reason' }, t('disaster.reason')),
      reason,
      errors.reason,
    ),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'submit', class: 'primary', 'data-testid': 'disaster-submit' },
        t('disaster.search'),
      ),
    ),
  );

  function validate() {
    let ok = true;
    for (const [name, control] of [
      ['kana', kana],
      ['birthdate', birthdate],
      ['reason', reason],
    ]) {
      const empty = control.value.trim() === '';
      errors[name].textContent = empty ? t('field.required') : '';
      control.setAttribute('aria-invalid', String(empty));
      if (empty) ok = false;
    }
    return ok;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(output);
    clear(panel);
    if (!validate()) return;
    const body = {
      nameKana: kana.value,
      birthdate: birthdate.value,
      sex: sex.value,
      address: address.value,
      reason: reason.value,
    };
    output.append(h('p', { class: 'muted' }, t('app.loading')));
    try {
      const answer = await api('/api/disaster-searches', { method: 'POST', body });
      clear(output).append(results(answer));
    } catch (error) {
      clear(output);
      if (onAuthLost(error)) return;
      if (error instanceof ApiError && error.data) error.explanation = error.data.explanation;
      output.append(refusalBox(error, 'disaster-error'));
    }
  });

  function results(answer) {
    if (answer.persons.length === 0) {
      return h('p', { class: 'muted', 'data-testid': 'disaster-empty' }, t('disaster.none'));
    }
    return h(
      'ul',
      { class: 'patient-list', 'data-testid': 'disaster-results', 'data-declaration': answer.declarationId },
      answer.persons.map((p) =>
        h(
          'li',
          { class: 'patient-item', 'data-testid': 'disaster-person', 'data-person-id': p.personId },
          h(
            'button',
            {
              type: 'button',
              class: 'patient-open',
              'data-testid': 'disaster-person-open',
              onclick: () => {
                clear(panel).append(
                  ...patientView(
                    { disasterPersonId: String(p.personId), reason: answer.reason },
                    { name: p.name, kana: p.nameKana, birthdate: p.birthdate },
                    { onAuthLost, onClose: () => clear(panel) },
                  ),
                );
                panel.scrollIntoView({ block: 'start' });
              },
            },
            h('strong', { 'data-testid': 'disaster-person-name' }, p.name),
            ` ${p.nameKana}`,
            ` ／ ${p.birthdate}`,
            ` ／ ${t(`disaster.sex.${p.sex}`)}`,
          ),
          h('span', { class: 'muted', 'data-testid': 'disaster-person-address' }, p.address ?? ''),
        ),
      ),
    );
  }

  view.append(
    h('h2', {}, t('disaster.title')),
    h('p', { class: 'muted' }, t('disaster.help')),
    form,
    output,
    panel,
  );
  queueMicrotask(() => kana.focus());
}
