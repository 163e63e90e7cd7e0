// 受付（顔認証）: reader sessions as they happen (Server-Sent Events), newest first, with the
// consent state per category, the auth method, the outcome and the face file's content.

import { api, errorBox } from '/shared/api.js';
import { clear, h } from '/shared/dom.js';
import { resultPanel } from './check.js';
import { birthdate, kana, paren } from './dates.js';
import { pick, t } from './i18n.js';
import { revokeControl } from './revoke.js';

const consentOrder = [
  'PharmacistsInfoConsFlg',
  'SpecificHealthCheckupsInfoConsFlg',
  'DiagnosisInfoConsFlg',
  'OperationInfoConsFlg',
];

function time(iso) {
  const date = new Date(iso);
  return date.toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'ja-JP', {
    timeZone: 'Asia/Tokyo',
  });
}

/** An event kind's words are the page's (i18n.js); a result outcome's come with the record. */
function outcomeText(record) {
  const key = `outcome.${record.outcome}`;
  const text = t(key);
  if (text !== key) return text;
  return pick(record.outcomeLabel) || record.outcome;
}

function consents(record) {
  const given = record.summary.consents ?? {};
  const revoked = Boolean(record.revokedAt);
  return h(
    'ul',
    { class: 'consents', 'data-testid': 'feed-item-consents' },
    consentOrder.map((flag) =>
      h(
        'li',
        {
          class: `consent consent-${given[flag] ?? 'none'}`,
          'data-flag': flag,
          'data-value': given[flag] ?? '',
        },
        `${t(`consent.${flag}`)}: ${t(`consent.${given[flag] ?? 'none'}`)}`,
        revoked && given[flag] === '1' ? paren(t('revoke.revoked')) : '',
      ),
    ),
  );
}

/** 取消 when this institution revoked the card's consents after the session; else the control. */
function revocation(record) {
  const s = record.summary ?? {};
  if (record.kind !== 'confirmation' || !Object.values(s.consents ?? {}).includes('1')) return null;
  if (record.revokedAt) {
    return h(
      'span',
      {
        class: 'consent-badge consent-state-revoked',
        'data-testid': 'feed-item-revoked',
        'data-revoked-at': record.revokedAt,
      },
      t('revoke.revoked'),
    );
  }
  return revokeControl(
    {
      insurerNumber: s.insurerNumber,
      symbol: s.symbol,
      number: s.number,
      branch: s.branch,
      birthdate: s.birthdate,
    },
    { testid: 'feed-item-revoke' },
  );
}

function item(record, openFace) {
  const s = record.summary ?? {};
  const failed = record.outcome === 'error' || record.kind === 'event';
  return h(
    'li',
    {
      class: `feed-item ${failed ? 'failed' : ''} outcome-${record.outcome}`,
      'data-testid': 'feed-item',
      'data-record-id': record.id,
      'data-outcome': record.outcome,
      'data-kind': record.kind,
    },
    h(
      'div',
      { class: 'feed-head' },
      h('span', { class: 'badge', 'data-testid': 'feed-item-outcome' }, outcomeText(record)),
      h('span', { class: 'kind' }, t(`kind.${record.kind}`)),
      record.authMethod
        ? h('span', { class: 'auth', 'data-testid': 'feed-item-auth' }, t(`auth.${record.authMethod}`))
        : null,
      h('time', { datetime: record.at, 'data-testid': 'feed-item-time' }, time(record.at)),
    ),
    s.name
      ? h(
          'div',
          { class: 'feed-person', 'data-testid': 'feed-item-person' },
          h('strong', { 'data-testid': 'feed-item-name' }, s.name),
          s.kana ? ` ${kana(s.kana)}` : '',
          s.birthdate ? ` ／ ${birthdate(s.birthdate)}` : '',
          s.insurerName ? ` ／ ${s.insurerName}` : '',
          s.copay ? ` ／ ${t('result.copay')} ${s.copay}` : '',
        )
      : null,
    record.kind === 'confirmation' || Object.keys(s.consents ?? {}).length > 0 ? consents(record) : null,
    revocation(record),
    s.prescriptionIssueSelect
      ? h(
          'div',
          { 'data-testid': 'feed-item-prescription' },
          `${t('feed.prescription')}: ${t(`prescription.${s.prescriptionIssueSelect}`)}`,
        )
      : null,
    s.triesLeft !== undefined ? h('div', {}, `${t('feed.triesLeft')}: ${s.triesLeft}`) : null,
    record.errorCode || s.errorMessage
      ? h(
          'div',
          { class: 'error', 'data-testid': 'feed-item-error' },
          [s.errorMessage, record.errorCode && paren(record.errorCode)].filter(Boolean).join(''),
        )
      : null,
    record.faceFile
      ? h(
          'button',
          {
            type: 'button',
            class: 'link',
            'data-testid': 'feed-item-face',
            onclick: () => openFace(record.id),
          },
          t('feed.face'),
        )
      : null,
  );
}

export async function renderFeed(view, { onAuthLost }) {
  const list = h('ul', { class: 'feed-list', 'data-testid': 'feed-list' });
  // 読み込み中… until the first list has come, then the empty state if there is nothing yet.
  const empty = h('p', { class: 'muted', 'data-testid': 'feed-empty' }, t('app.loading'));
  const panel = h('div', { class: 'face-panel' });
  const seen = new Set();

  async function openFace(id) {
    clear(panel);
    try {
      const { record, face } = await api(`/api/records/${id}`);
      const close = h(
        'button',
        { type: 'button', class: 'link', 'data-testid': 'face-view-close', onclick: () => clear(panel) },
        t('feed.close'),
      );
      panel.append(
        h(
          'section',
          { class: 'card face-view', 'data-testid': 'face-view', 'data-record-id': record.id },
          h('h3', { class: 'with-action' }, t('feed.faceTitle'), close),
          h('p', { class: 'mono', 'data-testid': 'face-view-name' }, record.faceFile),
          face?.available
            ? [resultPanel(face.view), h('pre', { class: 'xml', 'data-testid': 'face-view-xml' }, face.xml)]
            : h('p', { class: 'muted' }, t('feed.faceGone')),
        ),
      );
      panel.scrollIntoView({ block: 'nearest' });
    } catch (error) {
      if (!onAuthLost(error)) panel.append(errorBox(error));
    }
  }

  /** Adds a record once, newest first (by time, so that a record fetched late still lands in place). */
  function add(record) {
    if (seen.has(record.id)) return;
    seen.add(record.id);
    const node = item(record, openFace);
    node.dataset.at = record.at;
    const after = [...list.children].find((other) => other.dataset.at < record.at);
    list.insertBefore(node, after ?? null);
    empty.hidden = true;
  }

  async function catchUp() {
    const { records } = await api('/api/records?limit=100');
    for (const record of records) add(record);
    empty.textContent = t('feed.empty');
  }

  view.append(h('h2', {}, t('feed.title')), h('p', { class: 'muted' }, t('feed.live')), panel, empty, list);
  // Records added between the list's fetch and the stream's (re)connection would be missed:
  // fetch the list again each time the stream opens; `add` drops the ones already shown.
  const source = new EventSource('/api/feed');
  source.addEventListener('record', (event) => add(JSON.parse(event.data)));
  source.addEventListener('open', () => catchUp().catch((error) => onAuthLost(error)));
  await catchUp();
  return () => source.close();
}
