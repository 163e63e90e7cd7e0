// The portal's forms: a labelled field, and a submit handler that shows the call's error.
import { errorBox } from '/shared/api.js';
import { h } from '/shared/dom.js';

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
