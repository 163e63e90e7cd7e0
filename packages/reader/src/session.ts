/**
 * One patient at the reader, from the card being placed to the end: the state machine behind the
 * touch screen. It holds the card (APDUs through {@link PlacedCard}), the terminal's settings and
 * the reader channel, and it has no HTTP of its own: the server (server.ts) maps the screen's
 * requests onto its actions and returns {@link ReaderSession.view}.
 *
 *   method ─┬─ pin ───────────┐            (wrong PIN: pin again, 残り N 回; 3rd wrong: pin-blocked)
 *           ├─ face ──────────┤            (no match: retry once, or switch to pin / visual)
 *           └─ visual ────────┤            (staff confirm: 目視確認)
 *                             ▼
 *           consent × n (settings.consentScreens, then 限度額) → prescription? → confirmation
 *                             │                                     │
 *                             ▼                                     ▼ CARD_NOT_REGISTERED
 *                           done                          register (PIN if not yet) → confirmation
 *
 * Every state before done can be cancelled (取り消し, reported as 'cancelled'); a session idle for
 * `timeoutMs` ends as timed-out. Final states: done, failed, cancelled, timed-out; the card is
 * released (reset) on entering one. Actions run one at a time.
 */
import { type ConsentFlag, type Consents, isOnshiError, OnshiError } from '@onshi/core';
import { PIN_TRIES } from '@onshi/pki';
import { type AuthMethod, cardProof, type PlacedCard } from './card-session.ts';
import type { ConfirmationBody, ReaderChannel, ReaderEvent, ReaderSettings } from './channel.ts';
import type { FaceCapture, FaceMatcher } from './face.ts';

export type ReaderState =
  | 'method'
  | 'pin'
  | 'pin-blocked'
  | 'face'
  | 'visual'
  | 'consent'
  | 'prescription'
  | 'register'
  | 'done'
  | 'failed'
  | 'cancelled'
  | 'timed-out';

export const finalStates: readonly ReaderState[] = ['done', 'failed', 'cancelled', 'timed-out'];

/** A consent screen: one of the institution's consent flags, or the 限度額 screen. */
export type ConsentScreen = ConsentFlag | 'limit';

/** How many face no-matches the patient gets before face authentication is no longer offered. */
export const FACE_ATTEMPTS = 2;
/** Default idle time before a session ends. */
export const SESSION_TIMEOUT_MS = 3 * 60_000;

export const consentTexts: Readonly<Record<ConsentScreen, { title: string; text: string }>> = {
  PharmacistsInfoConsFlg: {
    title: '薬剤情報の提供',
    text: '過去のお薬の情報を、この医療機関・薬局に提供することに同意しますか。',
  },
  SpecificHealthCheckupsInfoConsFlg: {
    title: '特定健診情報の提供',
    text: '過去の特定健診などの情報を、この医療機関・薬局に提供することに同意しますか。',
  },
  DiagnosisInfoConsFlg: {
    title: '診療情報の提供',
    text: '過去の診療の情報（受診歴・診療内容）を、この医療機関・薬局に提供することに同意しますか。',
  },
  OperationInfoConsFlg: {
    title: '手術情報の提供',
    text: '過去の手術の情報を、この医療機関・薬局に提供することに同意しますか。',
  },
  limit: {
    title: '限度額適用認定証関連情報の提供',
    text: '限度額適用認定証の情報を、この医療機関・薬局に提供することに同意しますか。',
  },
};

/** OQSCD017 処方箋発行形態, in the order shown. */
export const prescriptionOptions = [
  { value: '1', label: '電子処方箋' },
  { value: '2', label: '紙の処方箋' },
] as const;
export type PrescriptionSelect = (typeof prescriptionOptions)[number]['value'];

const BLOCKED_EXPLANATION =
  '暗証番号を3回続けて間違えたため、このカードの暗証番号はロックされています。' +
  '市区町村の窓口で暗証番号の初期化（再設定）を行ってください。';

/** What the screen shows: the state and everything it needs to render it. */
export interface ReaderView {
  readonly sessionId: string;
  readonly state: ReaderState;
  readonly card: { readonly id: string; readonly label: string };
  /** The screen's heading. */
  readonly title: string;
  /** The line under it (status-message): what went wrong or what to do. */
  readonly message: string;
  readonly triesLeft: number;
  readonly blocked: boolean;
  /** The methods offered on this screen (method, pin-blocked, and face after a no-match). */
  readonly methods: { readonly pin: boolean; readonly face: boolean; readonly visual: boolean };
  readonly authMethod?: AuthMethod;
  /** pin: why the PIN is asked for. */
  readonly pinPurpose?: 'authenticate' | 'register';
  /** face: the no-matches so far. */
  readonly faceFailures: number;
  readonly consent?: {
    readonly screen: ConsentScreen;
    readonly index: number;
    readonly count: number;
    readonly title: string;
    readonly text: string;
  };
  readonly prescriptionOptions?: typeof prescriptionOptions;
  /** failed: the error behind it. */
  readonly error?: { readonly code: string; readonly message: string };
  /** done: the terminal's session id (no patient data is shown on the reader). */
  readonly terminalSessionId?: string;
  /** When the session ends if nothing happens (ISO 8601). */
  readonly expiresAt: string;
}

export interface ReaderSessionOptions {
  readonly id: string;
  readonly card: PlacedCard;
  readonly cardRef: { readonly id: string; readonly label: string };
  readonly channel: ReaderChannel;
  readonly settings: ReaderSettings;
  readonly faceMatcher: FaceMatcher;
  readonly clock?: { now(): Date };
  readonly timeoutMs?: number;
  /** Called when reporting an event to the terminal fails (the session goes on regardless). */
  readonly onReportError?: (error: unknown, event: ReaderEvent) => void;
}

/** Places the card's session on the reader: reads the PIN tries left, then shows the method screen. */
export async function openReaderSession(options: ReaderSessionOptions): Promise<ReaderSession> {
  return new ReaderSession(options, await options.card.triesLeft());
}

export class ReaderSession {
  readonly id: string;
  readonly #o: ReaderSessionOptions;
  readonly #clock: { now(): Date };
  readonly #timeoutMs: number;
  readonly #screens: readonly ConsentScreen[];
  #state: ReaderState = 'method';
  #queue: Promise<unknown> = Promise.resolve();
  #busy = 0;
  #lastActivity: Date;
  #message = '';
  #triesLeft: number;
  #pinPurpose: 'authenticate' | 'register' = 'authenticate';
  #pinVerified = false;
  #faceFailures = 0;
  #authMethod: AuthMethod | undefined;
  #consentIndex = 0;
  #consents: Consents = {};
  #limitConsent: '0' | '1' | undefined;
  #prescription: PrescriptionSelect | undefined;
  #registered = false;
  #error: { code: string; message: string } | undefined;
  #terminalSessionId: string | undefined;

  constructor(options: ReaderSessionOptions, triesLeft: number) {
    this.id = options.id;
    this.#o = options;
    this.#clock = options.clock ?? { now: () => new Date() };
    this.#timeoutMs = options.timeoutMs ?? SESSION_TIMEOUT_MS;
    this.#lastActivity = this.#clock.now();
    this.#triesLeft = triesLeft;
    this.#screens = [
      ...options.settings.consentScreens,
      ...(options.settings.limitConsentScreen ? ['limit' as const] : []),
    ];
    if (triesLeft === 0)
      this.#message = '暗証番号がロックされています。顔認証または目視確認をお選びください。';
  }

  get state(): ReaderState {
    return this.#state;
  }

  get final(): boolean {
    return finalStates.includes(this.#state);
  }

  /** 顔認証 / 暗証番号 / 目視確認 chosen (also to switch from one to another before authenticating). */
  chooseMethod(method: AuthMethod): Promise<ReaderView> {
    return this.#act('method', ['method', 'pin-blocked', 'face', 'visual', 'pin'], async () => {
      if (this.#state === 'pin' && this.#pinPurpose !== 'authenticate') throw this.#stepInvalid('method');
      if (method === 'pin') {
        if (this.#triesLeft === 0) {
          await this.#blocked();
          return;
        }
        this.#go('pin', '');
        this.#pinPurpose = 'authenticate';
      } else if (method === 'face') {
        if (this.#faceFailures >= FACE_ATTEMPTS) throw this.#stepInvalid('method');
        this.#go('face', 'カメラの方を見てください。');
      } else {
        this.#go('visual', '係員がご本人であることを確認します。係員をお呼びください。');
      }
    });
  }

  /** The PIN from the keypad (4 digits): to authenticate, or for 初回登録. */
  enterPin(pin: string): Promise<ReaderView> {
    return this.#act('pin', ['pin'], async () => {
      const answer = await this.#o.card.verifyPin(pin);
      if (answer.ok) {
        this.#pinVerified = true;
        this.#triesLeft = PIN_TRIES;
        if (this.#pinPurpose === 'register') await this.#register();
        else {
          this.#authMethod = 'pin';
          await this.#authenticated();
        }
        return;
      }
      if (answer.blocked) {
        await this.#blocked();
        return;
      }
      this.#triesLeft = answer.triesLeft;
      this.#message = `暗証番号が違います。残り ${answer.triesLeft} 回`;
      await this.#report({ kind: 'pin-wrong', triesLeft: answer.triesLeft });
    });
  }

  /** The camera's capture, matched by the face matcher. */
  face(capture: FaceCapture): Promise<ReaderView> {
    return this.#act('face', ['face'], async () => {
      const answer = await this.#o.faceMatcher.match({ certificate: this.#o.card.certificate }, capture);
      if (answer.matched) {
        this.#o.card.authorise('face');
        this.#authMethod = 'face';
        await this.#authenticated();
        return;
      }
      this.#faceFailures += 1;
      await this.#report({ kind: 'face-no-match' });
      if (this.#faceFailures < FACE_ATTEMPTS) {
        this.#message =
          '顔認証できませんでした。もう一度お試しいただくか、暗証番号または目視確認をお選びください。';
      } else {
        this.#go('method', '顔認証できませんでした。暗証番号または目視確認をお選びください。');
      }
    });
  }

  /** The staff member confirmed the patient against the card's face photo (目視確認). */
  confirmVisual(): Promise<ReaderView> {
    return this.#act('visual', ['visual'], async () => {
      this.#o.card.authorise('visual');
      this.#authMethod = 'visual';
      await this.#authenticated();
    });
  }

  /** 同意する / 同意しない on the current consent screen. */
  consent(agree: boolean): Promise<ReaderView> {
    return this.#act('consent', ['consent'], async () => {
      const screen = this.#screens[this.#consentIndex]!;
      const flag = agree ? '1' : '0';
      if (screen === 'limit') this.#limitConsent = flag;
      else this.#consents = { ...this.#consents, [screen]: flag };
      this.#consentIndex += 1;
      if (this.#consentIndex < this.#screens.length) this.#go('consent', '');
      else await this.#consentsDone();
    });
  }

  /** OQSCD017: '1' 電子処方箋, '2' 紙の処方箋. */
  prescription(select: PrescriptionSelect): Promise<ReaderView> {
    return this.#act('prescription', ['prescription'], async () => {
      if (!prescriptionOptions.some((option) => option.value === select)) {
        throw new OnshiError('MSG_FIELD_INVALID', { field: 'select', detail: '1 または 2 です' });
      }
      this.#prescription = select;
      await this.#confirm();
    });
  }

  /** 初回登録: 登録する (the PIN is asked for if this card session has not verified it) / 登録しない. */
  register(yes: boolean): Promise<ReaderView> {
    return this.#act('register', ['register'], async () => {
      if (!yes) {
        this.#fail(
          {
            code: 'CARD_NOT_REGISTERED',
            message: '健康保険証として利用登録されていないため、受付できません。',
          },
          'cancelled',
        );
        await this.#report({ kind: 'cancelled', code: 'CARD_NOT_REGISTERED' });
        return;
      }
      if (this.#pinVerified) {
        await this.#register();
        return;
      }
      this.#triesLeft = await this.#o.card.triesLeft();
      if (this.#triesLeft === 0) {
        this.#fail({
          code: 'CARD_PIN_BLOCKED',
          message: `暗証番号がロックされているため、利用登録できません。${BLOCKED_EXPLANATION}`,
        });
        await this.#report({ kind: 'pin-blocked', triesLeft: 0 });
        return;
      }
      this.#pinPurpose = 'register';
      this.#go('pin', '利用登録には暗証番号の入力が必要です。');
    });
  }

  /** 取り消し: ends the session from any state before the end; reported as 'cancelled'. */
  cancel(): Promise<ReaderView> {
    return this.#serially(async () => {
      if (this.final) return this.view();
      this.#touch();
      this.#end('cancelled', '取り消しました。カードをお取りください。');
      await this.#report({ kind: 'cancelled' });
      return this.view();
    });
  }

  /**
   * Ends the session if it has been idle for the timeout (not while an action runs). Returns
   * whether it ended now; reported as 'cancelled' with READER_SESSION_TIMEOUT.
   */
  async expireIfIdle(): Promise<boolean> {
    const idle = () =>
      !this.final &&
      this.#busy === 0 &&
      this.#clock.now().getTime() - this.#lastActivity.getTime() >= this.#timeoutMs;
    if (!idle()) return false;
    return this.#serially(async () => {
      if (!idle()) return false;
      const timeout = new OnshiError('READER_SESSION_TIMEOUT');
      this.#error = { code: timeout.code, message: timeout.message };
      this.#end('timed-out', timeout.message);
      await this.#report({ kind: 'cancelled', code: timeout.code });
      return true;
    });
  }

  view(): ReaderView {
    const state = this.#state;
    const screen = state === 'consent' ? this.#screens[this.#consentIndex] : undefined;
    const offersMethods =
      state === 'method' || state === 'pin-blocked' || (state === 'face' && this.#faceFailures > 0);
    return {
      sessionId: this.id,
      state,
      card: this.#o.cardRef,
      title: this.#title(screen),
      message: this.#message,
      triesLeft: this.#triesLeft,
      blocked: this.#triesLeft === 0,
      methods: {
        pin: offersMethods && state !== 'pin-blocked',
        face: offersMethods && state !== 'face' && this.#faceFailures < FACE_ATTEMPTS,
        visual: offersMethods,
      },
      ...(this.#authMethod === undefined ? {} : { authMethod: this.#authMethod }),
      ...(state === 'pin' ? { pinPurpose: this.#pinPurpose } : {}),
      faceFailures: this.#faceFailures,
      ...(screen === undefined
        ? {}
        : {
            consent: {
              screen,
              index: this.#consentIndex,
              count: this.#screens.length,
              ...consentTexts[screen],
            },
          }),
      ...(state === 'prescription' ? { prescriptionOptions } : {}),
      ...(this.#error === undefined ? {} : { error: this.#error }),
      ...(this.#terminalSessionId === undefined ? {} : { terminalSessionId: this.#terminalSessionId }),
      expiresAt: new Date(this.#lastActivity.getTime() + this.#timeoutMs).toISOString(),
    };
  }

  #title(screen: ConsentScreen | undefined): string {
    switch (this.#state) {
      case 'method':
        return '本人確認の方法を選んでください';
      case 'pin':
        return this.#pinPurpose === 'register'
          ? '利用登録のため、暗証番号（4桁）を入力してください'
          : '暗証番号（4桁）を入力してください';
      case 'pin-blocked':
        return '暗証番号がロックされています';
      case 'face':
        return '顔認証';
      case 'visual':
        return '目視確認';
      case 'consent':
        return screen === undefined ? '' : consentTexts[screen].title;
      case 'prescription':
        return '処方箋の受け取り方法を選んでください';
      case 'register':
        return '健康保険証として利用登録しますか';
      case 'done':
        return '受付が完了しました';
      case 'failed':
        return '受付できませんでした';
      case 'cancelled':
        return '取り消しました';
      case 'timed-out':
        return '受付を終了しました';
    }
  }

  // --- steps

  async #authenticated(): Promise<void> {
    this.#consentIndex = 0;
    if (this.#screens.length > 0) this.#go('consent', '');
    else await this.#consentsDone();
  }

  async #consentsDone(): Promise<void> {
    if (this.#o.settings.prescriptionChoice) this.#go('prescription', '');
    else await this.#confirm();
  }

  /** A fresh challenge signed by the card, with the answers, to the terminal. */
  async #confirm(): Promise<void> {
    const authMethod = this.#authMethod!;
    try {
      const body: ConfirmationBody = {
        ...(await this.#proof(authMethod)),
        ...(this.#limitConsent === undefined
          ? {}
          : { LimitApplicationCertificateRelatedConsFlg: this.#limitConsent }),
        ...(this.#prescription === undefined ? {} : { PrescriptionIssueSelect: this.#prescription }),
        consents: this.#consents,
      };
      const answer = await this.#o.channel.confirm(body);
      this.#terminalSessionId = answer.sessionId;
      this.#end('done', 'カードをお取りください。');
    } catch (error) {
      if (isOnshiError(error) && error.code === 'CARD_NOT_REGISTERED' && !this.#registered) {
        this.#go(
          'register',
          'このマイナンバーカードは健康保険証として利用登録されていません。' +
            '登録すると、マイナンバーカードで受付できます（登録には暗証番号が必要です）。',
        );
        return;
      }
      await this.#failWith(error);
    }
  }

  /** 初回登録 with the PIN verified in this card session, then the confirmation again. */
  async #register(): Promise<void> {
    try {
      await this.#o.channel.register(await this.#proof('pin'));
      this.#registered = true;
    } catch (error) {
      await this.#failWith(error);
      return;
    }
    await this.#confirm();
  }

  async #proof(authMethod: AuthMethod) {
    const { challenge } = await this.#o.channel.challenge();
    return cardProof(this.#o.card.session(authMethod), Buffer.from(challenge, 'base64'));
  }

  async #blocked(): Promise<void> {
    this.#triesLeft = 0;
    if (this.#pinPurpose === 'register') {
      this.#fail({
        code: 'CARD_PIN_BLOCKED',
        message: `暗証番号がロックされたため、利用登録できません。${BLOCKED_EXPLANATION}`,
      });
    } else {
      this.#go('pin-blocked', `${BLOCKED_EXPLANATION}本日の受付は、顔認証または目視確認で行えます。`);
    }
    await this.#report({ kind: 'pin-blocked', triesLeft: 0 });
  }

  async #failWith(error: unknown): Promise<void> {
    const known = isOnshiError(error) ? error : undefined;
    const code = known?.code ?? 'SERVICE_INTERNAL';
    this.#fail({ code, message: known?.message ?? '内部エラーが発生しました。' });
    await this.#report({ kind: 'error', code });
  }

  #fail(error: { code: string; message: string }, state: 'failed' | 'cancelled' = 'failed'): void {
    this.#error = error;
    this.#end(state, `${error.message}受付窓口にお申し出ください。`);
  }

  // --- plumbing

  #go(state: ReaderState, message: string): void {
    this.#state = state;
    this.#message = message;
  }

  #end(state: ReaderState, message: string): void {
    this.#go(state, message);
    this.#o.card.release().catch(() => {});
  }

  async #report(event: ReaderEvent): Promise<void> {
    try {
      await this.#o.channel.event(event);
    } catch (error) {
      this.#o.onReportError?.(error, event);
    }
  }

  #touch(): void {
    this.#lastActivity = this.#clock.now();
  }

  #stepInvalid(action: string): OnshiError {
    return new OnshiError('READER_STEP_INVALID', { state: this.#state, action });
  }

  #act(action: string, allowed: readonly ReaderState[], work: () => Promise<void>): Promise<ReaderView> {
    return this.#serially(async () => {
      if (!allowed.includes(this.#state)) throw this.#stepInvalid(action);
      this.#touch();
      this.#busy += 1;
      try {
        await work();
      } finally {
        this.#busy -= 1;
        this.#touch();
      }
      return this.view();
    });
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}
