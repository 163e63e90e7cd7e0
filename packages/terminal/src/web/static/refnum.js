// 照会番号登録: the institution's own patient number registered against a qualification.

import { api, errorBox } from '/shared/api.js';
import { clear, h } from '/shared/dom.js';
import { cardFields } from './fields.js';
import { t } from './i18n.js';

export function renderRefnum(view, { onAuthLost }) {
  const fields = cardFields('refnum', { birthdateRequired: false, withReference: true });
  const submit = h(
    'button',
    { type: 'submit', class: 'primary', 'data-testid': 'refnum-submit' },
    t('refnum.submit'),
  );
  const output = h('div', { class: 'output' });
  const form = h(
    'form',
    { class: 'card form-grid', 'data-testid': 'refnum-form', novalidate: true },
    fields.rows,
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!fields.validateAll()) return;
    clear(output);
    submit.disabled = true;
    try {
      const answer = await api('/api/reference-numbers', { method: 'POST', body: fields.values() });
      output.append(
        h(
          'section',
          {
            class: `result ${answer.ok ? 'outcome-valid' : 'outcome-error'}`,
            'data-testid': 'refnum-result',
            'data-ok': String(answer.ok),
          },
          h('p', { class: 'result-status' }, answer.ok ? t('refnum.done') : t('refnum.failed')),
          answer.ok ? h('p', {}, `${t('result.referenceNumber')}: ${answer.referenceNumber ?? ''}`) : null,
          answer.message
            ? h(
                'p',
                { class: 'result-message' },
                `${answer.message}${answer.code ? `（${answer.code}）` : ''}`,
              )
            : null,
        ),
      );
    } catch (error) {
      if (!onAuthLost(error)) output.append(errorBox(error, 'refnum-error'));
    } finally {
      submit.disabled = false;
    }
  });
  view.append(h('h2', {}, t('refnum.title')), form, output);
}
