// The portal's forms: a labelled field, a submit handler that shows the call's error, and the
// controls that revoke a certificate (both pages).
import { api, errorBox } from '/shared/api.js';
import { h } from '/shared/dom.js';
import { t } from './i18n.js';

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

/**
 * A reason select and the button that revokes certificate `serial` with it (test ids
 * `<prefix>-revoke-reason-<serial>`, `<prefix>-revoke-<serial>`); then `after()`, or its error in `slot`.
 */
export function revokeControls(prefix, serial, reasons, slot, after) {
  const reason = h(
    'select',
    { 'data-testid': `${prefix}-revoke-reason-${serial}` },
    reasons.map((r) => h('option', { value: r }, r)),
  );
  const button = h(
    'button',
    {
      type: 'button',
      class: 'danger',
      'data-testid': `${prefix}-revoke-${serial}`,
      onclick: async () => {
        try {
          await api(`/api/certificates/${serial}/revoke`, { method: 'POST', body: { reason: reason.value } });
          await after();
        } catch (error) {
          slot.append(errorBox(error));
        }
      },
    },
    t('cert.revoke'),
  );
  return [reason, button];
}
