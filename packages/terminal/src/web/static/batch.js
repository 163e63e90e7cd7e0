// 一括照会 and 照会番号一括登録 (roles 管理者, 一般利用者): start a batch from a CSV (checked row by
// row before anything is sent) or, for 一括照会, from the day's reader sessions, follow its
// progress, then read the results with the problems first, filter them and export them as CSV. The
// batches are kept by the terminal, so a reload finds the running ones. The outcomes, their order
// and their labels come from the server (station.batch.ts), as the CSV export writes them.

import { ApiError, api, errorBox } from '/shared/api.js';
import { clear, h } from '/shared/dom.js';
import { lang, pick, t } from './i18n.js';

const POLL_MS = 1000;

/** What differs between the two screens. */
const kinds = {
  confirm: {
    prefix: 'batch',
    example:
      '予約日,保険者番号,記号,番号,枝番,生年月日,限度額同意,任意の識別子\n2026-04-02,06139992,12,1001,00,1990-05-05,1,P-0001',
    columns: ['row', 'outcome', 'identifier', 'date', 'card', 'birthdate', 'name', 'message'],
  },
  register: {
    prefix: 'refbatch',
    example:
      '照会番号,保険者番号,記号,番号,枝番,生年月日,任意の識別子\nP-0001,06139992,12,1001,00,1990-05-05,受付-1',
    columns: ['row', 'outcome', 'identifier', 'reference', 'card', 'birthdate', 'message'],
  },
};

/** Rows of the results table shown at once (filters apply first; the CSV export has them all). */
const RESULTS_PER_PAGE = 500;

function time(iso) {
  return new Date(iso).toLocaleString(lang() === 'en' ? 'en-GB' : 'ja-JP', { timeZone: 'Asia/Tokyo' });
}

/** yyyy-MM-dd of today in Japan, and of the next day. */
function jstDay(offsetDays = 0) {
  const d = new Date(Date.now() + 9 * 3600_000 + offsetDays * 86_400_000);
  return d.toISOString().slice(0, 10);
}

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export function renderBatch(view, context) {
  return renderBatchScreen(view, context, 'confirm');
}

export function renderRefBatch(view, context) {
  return renderBatchScreen(view, context, 'register');
}

async function renderBatchScreen(view, { onAuthLost }, kind) {
  const { prefix, example, columns } = kinds[kind];
  /** A text of this screen: its own key when it has one, else the 一括照会 one. */
  const tt = (key, params) => {
    const own = `${prefix}.${key}`;
    const text = t(own, params);
    return text === own ? t(`batch.${key}`, params) : text;
  };
  let timer;
  let openId;
  let stopped = false;
  const list = h('ul', { class: 'batch-list', 'data-testid': 'batch-list' });
  const detail = h('section', { class: 'card batch-detail', 'data-testid': 'batch-detail', hidden: true });
  const fail = (error, where, testid) => {
    if (onAuthLost(error)) return;
    where.append(errorBox(error, testid));
  };

  // ---------------------------------------------------------------- from a CSV file
  const file = h('input', {
    type: 'file',
    accept: '.csv,text/csv',
    id: 'batch-file',
    'data-testid': 'batch-file',
  });
  const checkOutput = h('div', { 'data-testid': 'batch-check-output' });
  let upload;

  file.addEventListener('change', async () => {
    clear(checkOutput);
    upload = undefined;
    const chosen = file.files?.[0];
    if (!chosen) return;
    try {
      upload = { kind, source: 'csv', fileName: chosen.name, content: await readBase64(chosen) };
      const check = await api('/api/batches/check', { method: 'POST', body: upload });
      showCheck(check);
    } catch (error) {
      fail(error, checkOutput, 'batch-check-error');
    }
  });

  function showCheck(check) {
    const problems = check.problems;
    const send = (validOnly) =>
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-testid': validOnly ? 'batch-send-valid' : 'batch-send',
          onclick: () => start({ ...upload, sendValidOnly: validOnly }, checkOutput),
        },
        validOnly ? tt('sendValid', { rows: check.valid }) : tt('send', { rows: check.valid }),
      );
    checkOutput.append(
      h(
        'p',
        { 'data-testid': 'batch-check', 'data-total': check.total, 'data-valid': check.valid },
        tt('checked', {
          total: check.total,
          valid: check.valid,
          invalid: check.invalidRows.length,
          encoding: check.encoding === 'shift_jis' ? 'Shift_JIS' : 'UTF-8',
        }),
        ' ',
        check.dates.map((d) => t('batch.dateRows', { date: d.date, rows: d.rows })).join('、'),
      ),
      problems.length > 0
        ? h(
            'div',
            {
              class: 'error',
              role: 'alert',
              'data-testid': 'batch-problems',
              'data-count': check.invalidRows.length,
            },
            h('strong', {}, t('batch.problems', { rows: check.invalidRows.length })),
            h(
              'table',
              { class: 'data' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['row', 'column', 'message'].map((c) => h('th', { scope: 'col' }, t(`batch.col.${c}`))),
                ),
              ),
              h(
                'tbody',
                {},
                problems.map((p) =>
                  h(
                    'tr',
                    {
                      'data-testid': 'batch-problem',
                      'data-row': p.row,
                      'data-column': p.column,
                      'data-code': p.code,
                    },
                    h('td', { class: 'num' }, p.row),
                    h('td', {}, p.column),
                    h('td', {}, `${p.message}（${p.code}）`),
                  ),
                ),
              ),
            ),
          )
        : null,
      h(
        'div',
        { class: 'actions' },
        problems.length === 0 ? send(false) : check.valid > 0 ? send(true) : null,
      ),
    );
  }

  // ---------------------------------------------------------------- from the day's list
  const day = h('input', { type: 'date', id: 'batch-day', 'data-testid': 'batch-day', value: jstDay() });
  const dayDate = h('input', {
    type: 'date',
    id: 'batch-day-date',
    'data-testid': 'batch-day-date',
    value: jstDay(1),
  });
  const dayOutput = h('div', { 'data-testid': 'batch-day-output' });
  const dayForm = h(
    'form',
    { class: 'filters', 'data-testid': 'batch-day-form', novalidate: true },
    h('label', { for: 'batch-day' }, t('batch.day')),
    day,
    h('label', { for: 'batch-day-date' }, t('batch.dayDate')),
    dayDate,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'batch-day-send' }, t('batch.daySend')),
  );
  dayForm.addEventListener('submit', (event) => {
    event.preventDefault();
    start({ kind: 'confirm', source: 'day', day: day.value, confirmationDate: dayDate.value }, dayOutput);
  });

  async function start(body, where) {
    clear(where);
    try {
      const { batch } = await api('/api/batches', { method: 'POST', body });
      file.value = '';
      clear(checkOutput);
      await loadList();
      open(batch.id);
    } catch (error) {
      if (error instanceof ApiError && error.data?.problems) {
        showCheck(error.data);
      }
      fail(error, where, 'batch-start-error');
    }
  }

  // ---------------------------------------------------------------- the list and one batch
  async function loadList() {
    const batches = (await api('/api/batches')).batches.filter((b) => b.kind === kind);
    clear(list);
    if (batches.length === 0)
      list.append(h('li', { class: 'muted', 'data-testid': 'batch-list-empty' }, tt('noBatches')));
    for (const b of batches) {
      list.append(
        h(
          'li',
          {
            class: `batch-item state-${b.state}`,
            'data-testid': 'batch-item',
            'data-batch-id': b.id,
            'data-state': b.state,
          },
          h(
            'button',
            { type: 'button', class: 'link', 'data-testid': 'batch-item-open', onclick: () => open(b.id) },
            b.label,
          ),
          ` ${time(b.createdAt)} ／ ${t(`batch.state.${b.state}`)} ／ ${b.answered}/${b.total}`,
          b.rejected ? ` ／ ${t('batch.rejectedCount', { rows: b.rejected })}` : '',
        ),
      );
    }
  }

  async function open(id) {
    openId = id;
    clearTimeout(timer);
    try {
      const { batch } = await api(`/api/batches/${id}`);
      if (stopped || openId !== id) return;
      showDetail(batch);
      if (batch.state === 'sending' || batch.state === 'processing') {
        timer = setTimeout(() => open(id), POLL_MS);
      } else {
        loadList().catch(() => {});
      }
    } catch (error) {
      detail.hidden = false;
      clear(detail);
      fail(error, detail, 'batch-error');
    }
  }

  function showDetail(batch) {
    detail.hidden = false;
    detail.dataset.state = batch.state;
    detail.dataset.batchId = batch.id;
    const filter = detail.querySelector('[data-testid="batch-filter"]')?.value ?? 'all';
    // Element.append writes null as the text "null": the parts a batch may not have are left out.
    const parts = [
      h('h3', { 'data-testid': 'batch-detail-label' }, batch.label),
      h(
        'p',
        { 'data-testid': 'batch-receptions' },
        `${t('batch.state.label')}: `,
        h('strong', { 'data-testid': 'batch-state' }, t(`batch.state.${batch.state}`)),
        ' ／ ',
        t('batch.receptions'),
        ' ',
        batch.receptions.map((r) => `${r.receptionNumber ?? '—'}${r.date ? `（${r.date}）` : ''}`).join('、'),
      ),
      h('progress', {
        'data-testid': 'batch-progress',
        value: batch.answered,
        max: batch.total || 1,
        'aria-label': t('batch.progress'),
      }),
      h(
        'p',
        { 'data-testid': 'batch-progress-text', 'data-answered': batch.answered, 'data-total': batch.total },
        t('batch.progressText', { answered: batch.answered, total: batch.total, errors: batch.errors }),
      ),
      batch.error
        ? h(
            'p',
            { class: 'error', role: 'alert', 'data-testid': 'batch-failed', 'data-code': batch.error.code },
            `${batch.error.message}（${batch.error.code}）`,
          )
        : null,
      batch.results ? results(batch, filter) : null,
    ];
    clear(detail).append(...parts.filter(Boolean));
  }

  function results(batch, initial) {
    const label = new Map(batch.outcomes.map((o) => [o.outcome, pick(o.label)]));
    const select = h('select', { id: 'batch-filter', 'data-testid': 'batch-filter' });
    select.append(
      h('option', { value: 'all' }, t('batch.filter.all', { rows: batch.results.length })),
      h(
        'option',
        { value: 'problems' },
        t('batch.filter.problems', { rows: batch.results.filter((r) => r.problem).length }),
      ),
      ...batch.outcomes
        .filter(({ outcome }) => batch.counts?.[outcome])
        .map(({ outcome }) =>
          h('option', { value: outcome }, `${label.get(outcome)}（${batch.counts[outcome]}）`),
        ),
    );
    select.value = [...select.options].some((o) => o.value === initial) ? initial : 'all';
    const tbody = h('tbody', {});
    const exportUtf8 = h(
      'a',
      { class: 'button', 'data-testid': 'batch-export-utf8', download: '' },
      t('batch.exportUtf8'),
    );
    const exportSjis = h(
      'a',
      { class: 'button', 'data-testid': 'batch-export-sjis', download: '' },
      t('batch.exportSjis'),
    );
    const cell = (column, r) => {
      switch (column) {
        case 'row':
          return h('td', { class: 'num', 'data-testid': 'batch-result-row' }, r.row);
        case 'outcome':
          return h('td', { 'data-testid': 'batch-result-outcome' }, label.get(r.outcome) ?? r.outcome);
        case 'identifier':
          return h('td', { 'data-testid': 'batch-result-identifier' }, r.identifier ?? '');
        case 'date':
          return h('td', { class: 'nowrap' }, r.date ?? '');
        case 'reference':
          return h('td', { 'data-testid': 'batch-result-reference' }, r.referenceNumber ?? '');
        case 'card':
          return h(
            'td',
            { class: 'mono', 'data-testid': 'batch-result-card' },
            [r.insurerNumber, r.symbol, r.number, r.branch].filter(Boolean).join(' ・ '),
          );
        case 'birthdate':
          return h('td', { class: 'nowrap' }, r.birthdate ?? '');
        case 'name':
          return h('td', { class: 'nowrap', 'data-testid': 'batch-result-name' }, r.name ?? '');
        default:
          return h(
            'td',
            { 'data-testid': 'batch-result-message' },
            [r.message, r.code && `（${r.code}）`].filter(Boolean).join(''),
          );
      }
    };
    // A large batch is shown a page at a time, so that the table stays quick (the export has every row).
    let page = 0;
    const prev = h('button', { type: 'button', 'data-testid': 'batch-page-prev' }, t('batch.page.prev'));
    const next = h('button', { type: 'button', 'data-testid': 'batch-page-next' }, t('batch.page.next'));
    const range = h('span', { 'data-testid': 'batch-page-range', 'aria-live': 'polite' });
    const pager = h('div', { class: 'pager', 'data-testid': 'batch-pager' }, prev, range, next);
    const show = () => {
      const wanted = select.value;
      const matching = batch.results.filter((r) =>
        wanted === 'all' ? true : wanted === 'problems' ? r.problem : r.outcome === wanted,
      );
      const pages = Math.max(1, Math.ceil(matching.length / RESULTS_PER_PAGE));
      page = Math.min(page, pages - 1);
      const from = page * RESULTS_PER_PAGE;
      const rows = matching.slice(from, from + RESULTS_PER_PAGE);
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
      pager.hidden = pages === 1;
      range.textContent = t('batch.page.range', {
        from: (from + 1).toLocaleString(),
        to: (from + rows.length).toLocaleString(),
        total: matching.length.toLocaleString(),
      });
      exportUtf8.href = `/api/batches/${batch.id}/csv?filter=${wanted}&encoding=utf-8`;
      exportSjis.href = `/api/batches/${batch.id}/csv?filter=${wanted}&encoding=shift_jis`;
      clear(tbody).append(
        ...rows.map((r) =>
          h(
            'tr',
            {
              class: `outcome-${r.outcome} ${r.problem ? 'problem' : ''}`.trim(),
              'data-testid': 'batch-result',
              'data-row': r.row,
              'data-outcome': r.outcome,
              'data-problem': String(r.problem),
            },
            columns.map((c) => cell(c, r)),
          ),
        ),
      );
    };
    select.addEventListener('change', () => {
      page = 0;
      show();
    });
    prev.addEventListener('click', () => {
      page -= 1;
      show();
    });
    next.addEventListener('click', () => {
      page += 1;
      show();
    });
    show();
    return h(
      'div',
      { 'data-testid': 'batch-results-panel' },
      h(
        'div',
        { class: 'filters' },
        h('label', { for: 'batch-filter' }, t('batch.filter')),
        select,
        exportUtf8,
        exportSjis,
      ),
      pager,
      // A page of hundreds of rows scrolls inside its box, under a header that stays.
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'data batch-results', 'data-testid': 'batch-results' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              columns.map((c) => h('th', { scope: 'col' }, t(`batch.col.${c}`))),
            ),
          ),
          tbody,
        ),
      ),
    );
  }

  view.append(
    h('h2', {}, tt('title')),
    h(
      'section',
      { class: 'card', 'data-testid': 'batch-csv', 'data-kind': kind },
      h('h3', {}, tt('fromCsv')),
      h(
        'details',
        { 'data-testid': 'batch-format' },
        h('summary', {}, t('batch.format')),
        h('p', {}, tt('formatText')),
        h('pre', { class: 'mono' }, example),
      ),
      h('div', { class: 'field' }, h('label', { for: 'batch-file' }, t('batch.file')), file),
      checkOutput,
    ),
    kind === 'confirm'
      ? h(
          'section',
          { class: 'card', 'data-testid': 'batch-day-section' },
          h('h3', {}, t('batch.fromDay')),
          h('p', { class: 'muted' }, t('batch.dayHelp')),
          dayForm,
          dayOutput,
        )
      : null,
    h('section', { class: 'card' }, h('h3', {}, tt('list')), list),
    detail,
  );
  await loadList();
  const running = [...list.querySelectorAll('[data-testid="batch-item"]')].find(
    (item) => item.dataset.state === 'sending' || item.dataset.state === 'processing',
  );
  if (running) open(running.dataset.batchId);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
