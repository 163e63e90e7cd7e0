// Card-data fields (保険者番号, 記号, 番号, 枝番, 生年月日) validated as the user types, with core's
// own validators (packages/core/src/validators.ts, served with its types stripped).
import { validateInsurerNumber } from '/core/validators.ts';
import { h } from '/shared/dom.js';
import { wareki } from './dates.js';
import { t } from './i18n.js';

/** The message for a 保険者番号 (or '' when valid). `partial`: the user is still typing. */
export function insurerMessage(value, partial) {
  if (value === '') return partial ? '' : t('field.required');
  if (partial && /^\d{1,5}$/.test(value)) return '';
  const result = validateInsurerNumber(value);
  if (result.ok) return '';
  if (result.reason.includes('検証番号'))
    return `${t('field.insurerCheckDigit')}${checkDigitHint(result.reason)}`;
  if (result.reason.includes('都道府県')) return t('field.insurerPrefecture');
  return t('field.insurerFormat');
}

function checkDigitHint(reason) {
  const expected = /期待値 (\d)/.exec(reason)?.[1];
  return expected === undefined ? '' : `（${expected}）`;
}

function realDate(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value && Number(match[1]) >= 1900;
}

const checks = {
  insurer: (value, partial) => insurerMessage(value, partial),
  number: (value, partial) => (value === '' && !partial ? t('field.required') : ''),
  branch: (value) => (value === '' || /^\d{2}$/.test(value) ? '' : t('field.branch')),
  birthdate: (value, partial, required) =>
    value === ''
      ? required && !partial
        ? t('field.required')
        : ''
      : realDate(value)
        ? ''
        : t('field.birthdate'),
  reference: (value, partial) =>
    value === '' ? (partial ? '' : t('field.required')) : [...value].length > 50 ? t('field.reference') : '',
};

/**
 * Inputs with their error lines. `prefix` names the test ids (`check-insurer`, `field-error-insurer`
 * for the check screen; `refnum-insurer`, `field-error-refnum-insurer` for the reference number).
 */
export function cardFields(prefix, { birthdateRequired = true, withReference = false } = {}) {
  const errorId = (name) => (prefix === 'check' ? `field-error-${name}` : `field-error-${prefix}-${name}`);
  const specs = [
    ...(withReference ? [['reference', 'refnum.reference', { maxlength: 50 }]] : []),
    ['insurer', 'check.insurer', { inputmode: 'numeric', maxlength: 8, autocomplete: 'off' }],
    ['symbol', 'check.symbol', { maxlength: 38, autocomplete: 'off' }],
    ['number', 'check.number', { maxlength: 38, autocomplete: 'off' }],
    ['branch', 'check.branch', { inputmode: 'numeric', maxlength: 2, autocomplete: 'off' }],
    ['birthdate', 'check.birthdate', { type: 'date', min: '1900-01-01' }],
  ];
  const inputs = {};
  const errors = {};
  const rows = specs.map(([name, label, attrs]) => {
    const id = `${prefix}-${name}`;
    const input = h('input', { id, name, 'data-testid': id, ...attrs });
    const error = h('div', {
      class: 'field-error',
      'data-testid': errorId(name),
      id: `${id}-error`,
      hidden: true,
    });
    // The birth date's 和暦 under the field, as the card prints it (昭和53年4月24日).
    const hint =
      name === 'birthdate'
        ? h('div', { class: 'field-hint', id: `${id}-hint`, 'aria-live': 'polite' })
        : null;
    input.setAttribute('aria-describedby', hint ? `${hint.id} ${error.id}` : error.id);
    inputs[name] = input;
    errors[name] = error;
    const run = (partial) => {
      show(name, partial);
      if (hint) hint.textContent = wareki(input.value);
    };
    input.addEventListener('input', () => run(true));
    input.addEventListener('change', () => {
      if (hint) hint.textContent = wareki(input.value);
    });
    input.addEventListener('blur', () => run(false));
    return h('div', { class: `field field-${name}` }, h('label', { for: id }, t(label)), input, hint, error);
  });

  function show(name, partial) {
    const check = checks[name];
    if (!check) return '';
    const message = check(inputs[name].value.trim(), partial, name !== 'birthdate' || birthdateRequired);
    errors[name].textContent = message;
    errors[name].hidden = message === '';
    inputs[name].setAttribute('aria-invalid', message === '' ? 'false' : 'true');
    return message;
  }

  return {
    rows,
    inputs,
    /** Validates every field as on submit; focuses the first invalid one; true when all are valid. */
    validateAll() {
      let first;
      for (const name of Object.keys(inputs)) if (show(name, false) && !first) first = inputs[name];
      first?.focus();
      return first === undefined;
    },
    values() {
      const v = (name) => inputs[name].value.trim();
      return {
        ...(withReference ? { referenceNumber: v('reference') } : {}),
        insurerNumber: v('insurer'),
        symbol: v('symbol'),
        number: v('number'),
        branch: v('branch'),
        birthdate: v('birthdate'),
      };
    },
  };
}
