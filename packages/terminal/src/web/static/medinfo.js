// 医療情報 (role 医療情報閲覧者): pick a patient — a recent reader session with a consent, or card
// data — then 薬剤情報 by month and institution (with filters) and 特定健診 as a table and trend
// charts, each with a print / PDF link. Central decides; its refusals are shown with their code
// and an explanation.

import { ApiError, api } from '/shared/api.js';
import { clear, h } from '/shared/dom.js';
import { trendChart } from './chart.js';
import { cardText } from './check.js';
import { birthdate, kana, paren } from './dates.js';
import { cardFields } from './fields.js';
import { lang, pick, t } from './i18n.js';
import { revokeControl } from './revoke.js';

const kinds = ['medications', 'checkups'];

function time(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(lang() === 'en' ? 'en-GB' : 'ja-JP', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** 同意あり（有効期限 …） / 期限切れ（…） / 同意なし / 不明. */
function consentText(consent) {
  const state = consent?.state ?? 'unknown';
  const base = t(`medinfo.consent.${state}`);
  if ((state === 'live' || state === 'expired') && consent.expiresAt) {
    return `${base}${paren(t('medinfo.consent.until', { time: time(consent.expiresAt) }))}`;
  }
  return base;
}

function consentBadge(kind, consent, testid) {
  const state = consent?.state ?? 'unknown';
  return h(
    'span',
    {
      class: `consent-badge consent-state-${state}`,
      'data-testid': testid,
      'data-kind': kind,
      'data-state': state,
      'data-expires-at': consent?.expiresAt ?? '',
    },
    `${t(`medinfo.kind.${kind}`)}: ${consentText(consent)}`,
  );
}

/** A refusal (or any error) with its code and the explanation in the current language. */
export function refusalBox(error, testid) {
  const code = error.code ?? '';
  const explanation = error.explanation ? pick(error.explanation) : '';
  const text =
    error instanceof ApiError && code === 'NETWORK'
      ? t('app.unreachable')
      : [explanation || error.message, code && `（${code}）`].filter(Boolean).join('');
  return h(
    'div',
    { class: 'error refusal', role: 'alert', 'data-testid': testid, 'data-code': code },
    h('strong', { 'data-testid': `${testid}-text` }, text),
    explanation && error.message && explanation !== error.message
      ? h('p', { class: 'muted', 'data-testid': `${testid}-message` }, error.message)
      : null,
  );
}

/** POST with the body; a refusal keeps the API's explanation and consent. */
async function ask(path, body) {
  try {
    return await api(path, { method: 'POST', body });
  } catch (error) {
    if (error instanceof ApiError && error.data) {
      error.explanation = error.data.explanation;
      error.consent = error.data.consent;
    }
    throw error;
  }
}

/** The query of a PDF link: the same fields as the JSON body. */
function pdfHref(kind, form) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) if (value) query.set(name, value);
  return `/api/${kind}/pdf?${query}`;
}

export async function renderMedinfo(view, { onAuthLost }) {
  const patientsList = h('ul', { class: 'patient-list', 'data-testid': 'medinfo-patients' });
  const patientsEmpty = h(
    'p',
    { class: 'muted', 'data-testid': 'medinfo-patients-empty', hidden: true },
    t('medinfo.noPatients'),
  );
  const fields = cardFields('medinfo', { birthdateRequired: false });
  const cardForm = h(
    'form',
    { class: 'card form-grid', 'data-testid': 'medinfo-card-form', novalidate: true },
    h('h3', { class: 'field-wide' }, t('medinfo.byCard')),
    fields.rows,
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'submit', class: 'primary', 'data-testid': 'medinfo-card-submit' },
        t('medinfo.open'),
      ),
    ),
  );
  const patientPanel = h('div', { class: 'medinfo-patient', 'data-testid': 'medinfo-patient-panel' });

  cardForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!fields.validateAll()) return;
    const v = fields.values();
    openPatient(
      {
        insurerNumber: v.insurerNumber,
        symbol: v.symbol,
        number: v.number,
        branch: v.branch,
        birthdate: v.birthdate,
      },
      undefined,
    );
  });

  async function loadPatients() {
    const { patients } = await api('/api/medinfo/patients');
    clear(patientsList);
    patientsEmpty.hidden = patients.length > 0;
    for (const p of patients) {
      const form = {
        insurerNumber: p.insurerNumber,
        symbol: p.symbol,
        number: p.number,
        branch: p.branch,
        birthdate: p.birthdate,
      };
      patientsList.append(
        h(
          'li',
          {
            class: 'patient-item',
            'data-testid': 'medinfo-patient',
            'data-record-id': p.recordId,
            'data-consent-medications': p.consents.medications.state,
            'data-consent-checkups': p.consents.checkups.state,
          },
          h(
            'button',
            {
              type: 'button',
              class: 'patient-open',
              'data-testid': 'medinfo-patient-open',
              onclick: () => openPatient(form, p),
            },
            h('strong', { 'data-testid': 'medinfo-patient-item-name' }, p.name ?? ''),
            p.kana ? ` ${kana(p.kana)}` : '',
            p.birthdate ? ` ／ ${birthdate(p.birthdate)}` : '',
          ),
          h(
            'time',
            { datetime: p.at, 'data-testid': 'medinfo-patient-time' },
            `${t('medinfo.readerAt')} ${time(p.at)}`,
          ),
          h(
            'span',
            { class: 'badges' },
            kinds.map((kind) => consentBadge(kind, p.consents[kind], 'medinfo-patient-consent')),
          ),
        ),
      );
    }
  }

  /** The patient's panel: header with consent state, then both kinds of information. */
  function openPatient(form, picked) {
    clear(patientPanel).append(
      ...patientView(form, picked, { onAuthLost, onClose: () => clear(patientPanel) }),
    );
    patientPanel.scrollIntoView({ block: 'start' });
  }

  view.append(
    h('h2', {}, t('medinfo.title')),
    h(
      'section',
      { class: 'card picker', 'data-testid': 'medinfo-picker' },
      h('h3', {}, t('medinfo.recent')),
      h('p', { class: 'muted' }, t('medinfo.recentHelp')),
      patientsEmpty,
      patientsList,
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          'data-testid': 'medinfo-refresh',
          onclick: () => loadPatients().catch(onAuthLost),
        },
        t('medinfo.refresh'),
      ),
    ),
    cardForm,
    patientPanel,
  );
  await loadPatients();
}

/**
 * The patient's header (name, kana, birth date, card or 災害時, consent state, 同意を取り消す) and
 * both kinds of information, for card data or for a disaster search's person
 * (`{ disasterPersonId, reason }`). Returns the nodes.
 */
export function patientView(form, picked, { onAuthLost, onClose }) {
  const disaster = Boolean(form.disasterPersonId);
  const header = {
    name: h('strong', { 'data-testid': 'medinfo-patient-name' }, picked?.name ?? ''),
    kana: h('span', { 'data-testid': 'medinfo-patient-kana' }, kana(picked?.kana)),
    birthdate: h('span', { 'data-testid': 'medinfo-patient-birthdate' }, birthdate(picked?.birthdate)),
    card: disaster
      ? h(
          'span',
          { class: 'badge disaster-badge', 'data-testid': 'medinfo-patient-disaster' },
          t('disaster.badge'),
        )
      : h(
          'span',
          { 'data-testid': 'medinfo-patient-card' },
          [form.insurerNumber && `${t('check.insurer')} ${form.insurerNumber}`, cardText(form)]
            .filter(Boolean)
            .join(' ・ '),
        ),
  };
  const consentLine = h('div', { class: 'badges', 'data-testid': 'medinfo-consent' });
  const consents = { ...(picked?.consents ?? {}) };
  const showConsents = () => {
    clear(consentLine);
    if (disaster) {
      consentLine.append(
        h('span', { 'data-testid': 'medinfo-disaster-reason' }, `${t('disaster.reason')}: ${form.reason}`),
      );
      return;
    }
    for (const kind of kinds)
      consentLine.append(consentBadge(kind, consents[kind], `medinfo-consent-${kind}`));
  };
  showConsents();
  // The card for the revocation; the birth date may come with central's answer.
  const card = {
    insurerNumber: form.insurerNumber,
    symbol: form.symbol,
    number: form.number,
    branch: form.branch,
    birthdate: form.birthdate || picked?.birthdate,
  };
  const setPatient = (patient) => {
    if (!patient) return;
    if (patient.name) header.name.textContent = patient.name;
    if (patient.kana) header.kana.textContent = kana(patient.kana);
    if (patient.birthdate) {
      header.birthdate.textContent = birthdate(patient.birthdate);
      card.birthdate ||= patient.birthdate;
    }
  };
  const onConsent = (kind, consent, code) => {
    if (disaster) return;
    if (consent) consents[kind] = consent;
    if (code === 'MEDINFO_CONSENT_EXPIRED') consents[kind] = { ...(consents[kind] ?? {}), state: 'expired' };
    if (code === 'MEDINFO_CONSENT_NONE') consents[kind] = { state: 'none' };
    if (code === 'MEDINFO_CONSENT_REVOKED') consents[kind] = { ...(consents[kind] ?? {}), state: 'revoked' };
    showConsents();
  };
  const onRevoked = (answer) => {
    for (const kind of kinds)
      consents[kind] = { ...(consents[kind] ?? {}), state: 'revoked', revokedAt: answer.revokedAt };
    showConsents();
  };
  const context = { form, setPatient, onConsent, onAuthLost };
  return [
    h(
      'section',
      { class: 'card patient-view', 'data-testid': 'medinfo-patient-view' },
      h(
        'div',
        { class: 'patient-head' },
        h('span', { class: 'patient-name' }, header.name, ' ', header.kana),
        h('span', {}, `${t('check.birthdate')} `, header.birthdate),
        header.card,
      ),
      consentLine,
      h(
        'div',
        { class: 'actions' },
        disaster ? null : revokeControl(card, { onRevoked, testid: 'medinfo-revoke' }),
        h(
          'button',
          { type: 'button', class: 'link', 'data-testid': 'medinfo-close', onclick: onClose },
          t('feed.close'),
        ),
      ),
    ),
    medicationsSection(context),
    checkupsSection(context),
  ];
}

// ------------------------------------------------------------------------------ 薬剤情報

function medicationsSection({ form, setPatient, onConsent, onAuthLost }) {
  const from = h('input', { type: 'month', id: 'medinfo-filter-from', 'data-testid': 'medinfo-filter-from' });
  const to = h('input', { type: 'month', id: 'medinfo-filter-to', 'data-testid': 'medinfo-filter-to' });
  const institution = h('select', {
    id: 'medinfo-filter-institution',
    'data-testid': 'medinfo-filter-institution',
  });
  const drug = h('input', {
    type: 'search',
    id: 'medinfo-filter-drug',
    'data-testid': 'medinfo-filter-drug',
    autocomplete: 'off',
  });
  const print = h(
    'a',
    {
      class: 'button',
      target: '_blank',
      rel: 'noopener',
      'data-testid': 'medinfo-print-medications',
      hidden: true,
    },
    t('medinfo.print'),
  );
  const period = h('p', { class: 'muted', 'data-testid': 'medinfo-medications-period' });
  const output = h('div', { 'data-testid': 'medinfo-medications-output' });
  let answer;

  const filters = h(
    'form',
    { class: 'filters', 'data-testid': 'medinfo-filters', novalidate: true },
    // Each label stays with its control when the line wraps.
    h(
      'span',
      { class: 'group' },
      h('label', { for: 'medinfo-filter-from' }, t('medinfo.from')),
      from,
      h('label', { for: 'medinfo-filter-to' }, '〜', h('span', { class: 'sr-only' }, t('medinfo.to'))),
      to,
      h('button', { type: 'submit', 'data-testid': 'medinfo-filter-apply' }, t('medinfo.apply')),
    ),
    h(
      'span',
      { class: 'group' },
      h('label', { for: 'medinfo-filter-institution' }, t('medinfo.institution')),
      institution,
    ),
    h('span', { class: 'group' }, h('label', { for: 'medinfo-filter-drug' }, t('medinfo.drugFilter')), drug),
  );
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  institution.addEventListener('change', show);
  drug.addEventListener('input', show);

  function show() {
    clear(output);
    if (!answer) return;
    const wanted = institution.value;
    const text = drug.value.trim().toLowerCase();
    let shown = 0;
    for (const month of answer.view.months) {
      if (wanted && month.institution !== wanted && month.prescriber !== wanted) continue;
      const rows = month.rows.filter(
        (r) =>
          !text || r.drug.toLowerCase().includes(text) || (r.ingredient ?? '').toLowerCase().includes(text),
      );
      if (rows.length === 0) continue;
      shown += rows.length;
      const kind = month.institutionKind
        ? pick(institutionKindLabels[month.institutionKind] ?? { ja: '', en: '' })
        : '';
      output.append(
        h(
          'section',
          {
            class: 'month',
            'data-testid': 'medinfo-month',
            'data-month': month.month,
            'data-institution': month.institution ?? '',
          },
          h(
            'h4',
            {},
            lang() === 'en' ? `${month.month}  ` : `${month.month.replace('-', '年')}月　`,
            `${kind} ${month.institution ?? ''}`,
            month.prescriber && month.prescriber !== month.institution
              ? `　${t('medinfo.prescriber')} ${month.prescriber}`
              : '',
          ),
          h(
            'table',
            { class: 'data' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                [
                  'date',
                  'prescribed',
                  'drug',
                  'quantity',
                  'unit',
                  'days',
                  'usage',
                  'prescriberCol',
                  'dispenser',
                ].map((c) => h('th', { scope: 'col' }, t(`medinfo.col.${c}`))),
              ),
            ),
            h(
              'tbody',
              {},
              rows.map((r) =>
                h(
                  'tr',
                  {
                    'data-testid': 'medinfo-med-row',
                    'data-drug-code': r.drugCode ?? '',
                    'data-date': r.date,
                  },
                  h('td', { class: 'nowrap', 'data-testid': 'medinfo-med-date' }, r.date),
                  h('td', { class: 'nowrap' }, r.prescribedDate ?? ''),
                  h(
                    'td',
                    { 'data-testid': 'medinfo-med-drug' },
                    r.drug,
                    r.ingredient && r.ingredient !== r.drug
                      ? h('small', { class: 'muted' }, ` ${r.ingredient}`)
                      : null,
                  ),
                  h('td', { class: 'num', 'data-testid': 'medinfo-med-quantity' }, r.quantity ?? ''),
                  h('td', { 'data-testid': 'medinfo-med-unit' }, r.unit ?? ''),
                  h('td', { class: 'num', 'data-testid': 'medinfo-med-days' }, r.days ?? ''),
                  h('td', { 'data-testid': 'medinfo-med-usage' }, r.usage ?? ''),
                  h(
                    'td',
                    { class: 'mono', 'data-testid': 'medinfo-med-prescriber' },
                    month.prescriber ?? month.institution ?? '',
                  ),
                  h('td', { class: 'mono', 'data-testid': 'medinfo-med-dispenser' }, month.institution ?? ''),
                ),
              ),
            ),
          ),
        ),
      );
    }
    if (shown === 0) {
      output.append(
        h(
          'p',
          { class: 'muted', 'data-testid': 'medinfo-med-empty' },
          answer.view.months.length === 0 ? t('medinfo.noMedications') : t('medinfo.noneMatch'),
        ),
      );
    }
  }

  async function load() {
    const body = { ...form, from: from.value, to: to.value };
    clear(output);
    print.hidden = true;
    output.append(h('p', { class: 'muted' }, t('app.loading')));
    try {
      answer = await ask('/api/medications', body);
      setPatient(answer.view.patient);
      onConsent('medications', answer.consent);
      const { from: f, to: e } = answer.view.period;
      period.textContent = f && e ? t('medinfo.period', { from: f, to: e }) : '';
      const chosen = institution.value;
      clear(institution).append(
        h('option', { value: '' }, t('medinfo.allInstitutions')),
        answer.view.institutions.map((code) => h('option', { value: code }, code)),
      );
      institution.value = answer.view.institutions.includes(chosen) ? chosen : '';
      print.href = pdfHref('medications', body);
      print.hidden = false;
      show();
    } catch (error) {
      answer = undefined;
      clear(output);
      if (onAuthLost(error)) return;
      onConsent('medications', error.consent, error.code);
      output.append(refusalBox(error, 'medinfo-medications-error'));
    }
  }

  load();
  return h(
    'section',
    { class: 'card', 'data-testid': 'medinfo-medications' },
    h('h3', {}, t('medinfo.kind.medications'), ' ', print),
    period,
    filters,
    output,
  );
}

const institutionKindLabels = {
  1: { ja: '医科', en: 'Medical' },
  3: { ja: '歯科', en: 'Dental' },
  4: { ja: '調剤', en: 'Pharmacy' },
};

// ------------------------------------------------------------------------------ 特定健診

function checkupsSection({ form, setPatient, onConsent, onAuthLost }) {
  const print = h(
    'a',
    {
      class: 'button',
      target: '_blank',
      rel: 'noopener',
      'data-testid': 'medinfo-print-checkups',
      hidden: true,
    },
    t('medinfo.print'),
  );
  const output = h('div', { 'data-testid': 'medinfo-checkups-output' });

  function table(view) {
    const byExam = view.exams.map((exam) => new Map(exam.items.map((i) => [i.code, i])));
    const range = (code) => {
      for (const items of byExam) {
        const item = items.get(code);
        if (item && (item.low !== undefined || item.high !== undefined))
          return `${item.low ?? ''}〜${item.high ?? ''}`;
      }
      return '';
    };
    return h(
      'table',
      { class: 'data checkup-table', 'data-testid': 'medinfo-checkup-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('medinfo.col.item')),
          h('th', { scope: 'col' }, t('medinfo.col.unit')),
          h('th', { scope: 'col' }, t('medinfo.col.range')),
          view.exams.map((exam) =>
            h(
              'th',
              {
                scope: 'col',
                'data-testid': 'medinfo-checkup-date',
                'data-date': exam.date,
                title: exam.institution ?? '',
              },
              exam.date,
            ),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        view.items.map((item) =>
          h(
            'tr',
            { 'data-testid': 'medinfo-checkup-row', 'data-item': item.code },
            h('th', { scope: 'row' }, item.name),
            h('td', {}, item.unit ?? ''),
            h('td', { class: 'num' }, range(item.code)),
            view.exams.map((exam, index) => {
              const found = byExam[index].get(item.code);
              return h(
                'td',
                {
                  class: `num ${found?.flag ? `out-of-range ${found.flag}` : ''}`.trim(),
                  'data-testid': 'medinfo-checkup-value',
                  'data-date': exam.date,
                  'data-item': item.code,
                  'data-flag': found?.flag ?? '',
                },
                found ? (found.display ?? found.value ?? '') : '',
                found?.flag ? h('span', { class: 'flag' }, found.flag === 'high' ? ' H' : ' L') : null,
              );
            }),
          ),
        ),
      ),
    );
  }

  function charts(view) {
    return h(
      'div',
      { class: 'charts', 'data-testid': 'medinfo-checkup-charts' },
      view.series.map((series) =>
        h(
          'figure',
          {
            class: 'chart-figure',
            'data-testid': `checkup-chart-${series.code}`,
            'data-points': series.points.length,
          },
          h('figcaption', {}, series.name, series.unit ? paren(series.unit) : ''),
          trendChart(series),
        ),
      ),
    );
  }

  async function load() {
    clear(output);
    print.hidden = true;
    output.append(h('p', { class: 'muted' }, t('app.loading')));
    try {
      const answer = await ask('/api/checkups', form);
      setPatient(answer.view.patient);
      onConsent('checkups', answer.consent);
      clear(output);
      print.href = pdfHref('checkups', form);
      print.hidden = false;
      if (answer.view.exams.length === 0) {
        output.append(
          h('p', { class: 'muted', 'data-testid': 'medinfo-checkup-empty' }, t('medinfo.noCheckups')),
        );
        return;
      }
      output.append(table(answer.view), h('h4', {}, t('medinfo.trends')), charts(answer.view));
    } catch (error) {
      clear(output);
      if (onAuthLost(error)) return;
      onConsent('checkups', error.consent, error.code);
      output.append(refusalBox(error, 'medinfo-checkups-error'));
    }
  }

  load();
  return h(
    'section',
    { class: 'card', 'data-testid': 'medinfo-checkups' },
    h('h3', {}, t('medinfo.kind.checkups'), ' ', print),
    output,
  );
}
