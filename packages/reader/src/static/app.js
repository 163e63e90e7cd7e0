// The patient's touch screen of the reader simulator. It renders what GET/POST /api/sessions/…
// return (the server holds the state) and keeps only the PIN digits being typed. Every actionable
// element and state region has a data-testid (see packages/reader/README.md).

const screen = document.getElementById('screen');
const cancelButton = document.getElementById('cancel');

/** How often a session is re-read while it runs (to notice the idle timeout). */
const POLL_MS = 5000;
/** How long an end screen stays before the reader is ready for the next card. */
const END_SCREEN_MS = 20000;

let view; // the session's current view, or undefined when idle
let pin = '';
let busy = false;
let seq = 0; // bumped by every action, so that a poll answered late does not undo it
let pollTimer;
let endTimer;

/** Builds an element: h('button', { testid: 'pin-ok', onclick }, '確定'). */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (key === 'testid') el.dataset.testid = value;
    else if (key === 'class') el.className = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'disabled') el.disabled = true;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function button(testid, label, onclick, { kind = '', disabled = false, sub } = {}) {
  return h(
    'button',
    { type: 'button', testid, class: `big ${kind}`.trim(), onclick, disabled },
    h('span', { class: 'label' }, label),
    sub ? h('span', { class: 'sub' }, sub) : undefined,
  );
}

async function request(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const value = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(value.message ?? `HTTP ${response.status}`);
    error.code = value.code ?? 'HTTP_ERROR';
    throw error;
  }
  return value;
}

/** Runs one action of the screen; its answer (a view) is rendered and returned, an error shown. */
async function act(path, body) {
  if (busy || view === undefined) return;
  busy = true;
  seq += 1;
  screen.dataset.busy = 'true';
  try {
    const next = await request('POST', `/api/sessions/${view.sessionId}/${path}`, body);
    show(next);
    return next;
  } catch (error) {
    if (error.code === 'READER_SESSION_UNKNOWN') await idle(error.message);
    else showError(error);
  } finally {
    busy = false;
    delete screen.dataset.busy;
  }
}

function showError(error) {
  const status = screen.querySelector('[data-testid="status-message"]');
  if (status) {
    status.textContent = error.message;
    status.classList.add('alert');
  }
}

// --- idle: the cards to place on the reader

async function idle(notice = '') {
  view = undefined;
  pin = '';
  clearTimeout(endTimer);
  clearInterval(pollTimer);
  cancelButton.hidden = true;
  screen.dataset.state = 'idle';
  screen.replaceChildren(
    h('h1', { testid: 'title' }, 'マイナンバーカードを置いてください'),
    h(
      'p',
      { class: 'message', testid: 'status-message' },
      notice || 'カードを選んでください（シミュレーション）。',
    ),
  );
  let cards;
  try {
    cards = (await request('GET', '/api/cards')).cards;
  } catch (error) {
    showError(error);
    return;
  }
  if (cards.length === 0) {
    screen.append(h('p', { class: 'message' }, 'カードがありません。'));
    return;
  }
  screen.append(
    h(
      'div',
      { class: 'cards', testid: 'card-list' },
      cards.map((card) =>
        h(
          'button',
          {
            type: 'button',
            class: 'big card',
            testid: card.id,
            disabled: card.problem !== undefined,
            onclick: () => place(card.id),
          },
          h('span', { class: 'label' }, card.label),
          card.problem !== undefined
            ? h('span', { class: 'badge blocked', testid: `${card.id}-status` }, '読み取れません')
            : card.blocked
              ? h('span', { class: 'badge blocked', testid: `${card.id}-status` }, '暗証番号ロック中')
              : h(
                  'span',
                  { class: 'badge', testid: `${card.id}-status` },
                  `暗証番号 残り ${card.triesLeft} 回`,
                ),
        ),
      ),
    ),
  );
}

async function place(cardId) {
  if (busy) return;
  busy = true;
  seq += 1;
  try {
    show(await request('POST', '/api/sessions', { card: cardId }));
  } catch (error) {
    showError(error);
  } finally {
    busy = false;
  }
}

// --- a session

const finalStates = ['done', 'failed', 'cancelled', 'timed-out'];

function show(next) {
  const changed = view === undefined || view.state !== next.state || view.pinPurpose !== next.pinPurpose;
  view = next;
  if (changed) pin = '';
  screen.dataset.state = next.state;
  const final = finalStates.includes(next.state);
  cancelButton.hidden = final;
  clearInterval(pollTimer);
  clearTimeout(endTimer);
  if (final) endTimer = setTimeout(() => idle(), END_SCREEN_MS);
  else pollTimer = setInterval(poll, POLL_MS);
  screen.replaceChildren(
    h('p', { class: 'card-label', testid: 'card-label' }, next.card.label),
    h('h1', { testid: 'title' }, next.title),
    h(
      'p',
      {
        class: `message ${next.error || /違います|ロック/.test(next.message) ? 'alert' : ''}`,
        testid: 'status-message',
      },
      next.message,
    ),
    // A renderer's optional parts are undefined: replaceChildren would show them as text.
    ...(renderers[next.state] ?? (() => []))(next).filter((node) => node !== undefined),
  );
}

async function poll() {
  if (busy || view === undefined) return;
  const sent = seq;
  try {
    const next = await request('GET', `/api/sessions/${view.sessionId}`);
    if (sent === seq && !busy) show(next);
  } catch (error) {
    if (sent === seq && error.code === 'READER_SESSION_UNKNOWN') await idle(error.message);
  }
}

function triesLeft(v) {
  return v.blocked
    ? h('p', { class: 'tries blocked', testid: 'tries-left' }, '暗証番号ロック中')
    : h('p', { class: 'tries', testid: 'tries-left' }, `暗証番号 残り ${v.triesLeft} 回`);
}

function methodButtons(v) {
  return h(
    'div',
    { class: 'choices' },
    v.methods.face ? button('method-face', '顔認証', () => act('method', { method: 'face' })) : undefined,
    v.methods.pin
      ? button('method-pin', '暗証番号', () => act('method', { method: 'pin' }), {
          sub: v.blocked ? 'ロック中' : undefined,
        })
      : undefined,
    v.methods.visual
      ? button('method-visual', '目視確認', () => act('method', { method: 'visual' }), {
          sub: '係員が確認します',
        })
      : undefined,
  );
}

function pinPad(v) {
  const display = h('p', { class: 'pin-display', testid: 'pin-display', 'aria-label': '入力した桁数' });
  // The digits are cleared once sent: a wrong PIN is typed again from the start.
  const ok = button(
    'pin-ok',
    '確定',
    () => {
      const entered = pin;
      pin = '';
      update();
      act('pin', { pin: entered });
    },
    { kind: 'primary', disabled: true },
  );
  const update = () => {
    display.textContent = '●'.repeat(pin.length) + '○'.repeat(4 - pin.length);
    ok.disabled = pin.length !== 4;
  };
  const key = (digit) =>
    button(`pin-key-${digit}`, String(digit), () => {
      if (pin.length < 4) pin += String(digit);
      update();
    });
  update();
  return [
    triesLeft(v),
    display,
    h(
      'div',
      { class: 'keypad', testid: 'pin-pad' },
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map(key),
      button('pin-clear', '訂正', () => {
        pin = '';
        update();
      }),
      key(0),
      ok,
    ),
  ];
}

const renderers = {
  method: (v) => [
    triesLeft(v),
    v.blocked
      ? h('span', { class: 'badge blocked', testid: 'blocked-badge' }, '暗証番号ロック中')
      : undefined,
    methodButtons(v),
  ],
  pin: (v) => [
    ...pinPad(v),
    v.pinPurpose === 'authenticate'
      ? h('p', { class: 'hint' }, '暗証番号を忘れた方は「取り消し」を押して係員にお声がけください。')
      : undefined,
  ],
  'pin-blocked': (v) => [
    h('span', { class: 'badge blocked', testid: 'blocked-badge' }, '暗証番号ロック中'),
    h('p', { class: 'hint' }, '下の方法で受付を続けられます。'),
    methodButtons(v),
  ],
  face: (v) => [
    h('div', { class: 'camera', testid: 'face-camera' }, cameraIcon(), h('span', {}, 'カメラを見てください')),
    h(
      'div',
      { class: 'simulation', testid: 'face-simulation' },
      h('p', { class: 'sim-label' }, 'シミュレーション：顔認証の結果を選んでください'),
      h(
        'div',
        { class: 'choices' },
        button('face-match', '顔認証 一致', () => act('face', { outcome: 'match' }), {
          sub: '（シミュレーション）',
        }),
        button('face-nomatch', '顔認証 不一致', () => act('face', { outcome: 'no-match' }), {
          sub: '（シミュレーション）',
        }),
      ),
    ),
    v.faceFailures > 0 ? methodButtons(v) : undefined,
  ],
  visual: () => [
    h('p', { class: 'hint' }, '係員がマイナンバーカードの顔写真とご本人を確認します。'),
    h(
      'div',
      { class: 'choices' },
      button('visual-confirm', '本人確認しました', () => act('visual', {}), { sub: '係員用', kind: 'staff' }),
    ),
  ],
  consent: (v) => [
    h('p', { class: 'progress', testid: 'consent-progress' }, `${v.consent.index + 1} / ${v.consent.count}`),
    h(
      'p',
      { class: 'consent-text', testid: 'consent-text', 'data-screen': v.consent.screen },
      v.consent.text,
    ),
    h(
      'div',
      { class: 'choices' },
      button('consent-yes', '同意する', () => act('consent', { agree: true }), { kind: 'primary' }),
      button('consent-no', '同意しない', () => act('consent', { agree: false })),
    ),
  ],
  prescription: () => [
    h(
      'div',
      { class: 'choices' },
      button('prescription-electronic', '電子処方箋', () => act('prescription', { select: '1' })),
      button('prescription-paper', '紙の処方箋', () => act('prescription', { select: '2' })),
    ),
  ],
  register: () => [
    h(
      'div',
      { class: 'choices' },
      button('register-yes', '登録する', () => act('register', { register: true }), { kind: 'primary' }),
      button('register-no', '登録しない', () => act('register', { register: false })),
    ),
  ],
  done: () => [h('div', { class: 'done', testid: 'done' }, '✓'), restart()],
  failed: (v) => [h('p', { class: 'code', testid: 'error-code' }, v.error?.code ?? ''), restart()],
  cancelled: () => [restart()],
  'timed-out': () => [restart()],
};

/** A camera drawn inline (the reader's fonts may have no emoji). */
function cameraIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 48 36');
  svg.setAttribute('width', '48');
  svg.setAttribute('height', '36');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute(
    'd',
    'M4 9h9l4-5h14l4 5h9a2 2 0 0 1 2 2v21a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V11a2 2 0 0 1 2-2zm20 4a8 8 0 1 0 0 16a8 8 0 1 0 0-16z',
  );
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('fill-rule', 'evenodd');
  svg.append(path);
  return svg;
}

function restart() {
  return h(
    'div',
    { class: 'choices' },
    button('restart', '最初の画面に戻る', () => idle()),
  );
}

// 取り消し: back to the cards straight away, with the reader's message.
cancelButton.addEventListener('click', async () => {
  const ended = await act('cancel', {});
  if (ended?.state === 'cancelled') await idle(ended.message);
});
idle();
