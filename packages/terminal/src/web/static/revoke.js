// 同意を取り消す: the institution revokes the patient's consents to view medical information
// (central, OQSCD031 1 医療機関による取消) after an inline confirmation. Used by the viewer's patient
// header and by the reception feed.

import { ApiError, api } from '/shared/api.js';
import { clear, h } from '/shared/dom.js';
import { pick, t } from './i18n.js';

/**
 * A control for the card `card` ({ insurerNumber, symbol, number, branch, birthdate }; the birth
 * date may be given later through `card.birthdate` being set before the click). `onRevoked(answer)`
 * runs after central revoked.
 */
export function revokeControl(card, { onRevoked, testid = 'consent-revoke' } = {}) {
  const box = h('span', { class: 'revoke', 'data-testid': testid });
  const message = h('span', { 'data-testid': `${testid}-message` });

  function idle() {
    clear(box).append(
      h(
        'button',
        { type: 'button', class: 'danger', 'data-testid': `${testid}-button`, onclick: ask },
        t('revoke.button'),
      ),
      message,
    );
  }

  function ask() {
    clear(message);
    if (!card.birthdate) {
      message.append(h('span', { class: 'error' }, t('revoke.noBirthdate')));
      return;
    }
    clear(box).append(
      h('span', { class: 'revoke-question' }, t('revoke.confirm')),
      h(
        'button',
        { type: 'button', class: 'danger', 'data-testid': `${testid}-confirm`, onclick: send },
        t('revoke.yes'),
      ),
      h('button', { type: 'button', 'data-testid': `${testid}-cancel`, onclick: idle }, t('revoke.no')),
      message,
    );
  }

  async function send() {
    clear(message);
    try {
      const answer = await api('/api/consents/revocations', {
        method: 'POST',
        body: {
          insurerNumber: card.insurerNumber,
          symbol: card.symbol,
          number: card.number,
          branch: card.branch,
          birthdate: card.birthdate,
        },
      });
      clear(box).append(
        h(
          'span',
          { class: 'consent-badge consent-state-revoked', 'data-testid': `${testid}-done` },
          t('revoke.done'),
        ),
      );
      onRevoked?.(answer);
    } catch (error) {
      idle();
      const explanation = error instanceof ApiError ? pick(error.data?.explanation) : '';
      message.append(
        h(
          'span',
          { class: 'error', role: 'alert', 'data-testid': `${testid}-error`, 'data-code': error.code ?? '' },
          `${explanation || error.message}（${error.code ?? ''}）`,
        ),
      );
    }
  }

  idle();
  return box;
}
