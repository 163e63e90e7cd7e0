/**
 * The reader's side of the reader channel (ADR 0004): HTTP JSON to the terminal's `/reader/v1/…`
 * with `Authorization: Bearer <reader token>`. The reader never talks to central itself.
 *
 * Errors: the terminal's `{ code, message }` becomes an OnshiError with that code (and the
 * terminal's message) when the catalogue has the code, else READER_TERMINAL_ERROR; a terminal that
 * cannot be reached (or does not answer in time) is READER_TERMINAL_UNREACHABLE.
 */
import {
  type ConsentFlag,
  type Consents,
  consentFlags,
  type ErrorCode,
  errorCatalogue,
  OnshiError,
} from '@onshi/core';
import type { CardProofBody } from './card-session.ts';

/** `GET /reader/v1/settings`. */
export interface ReaderSettings {
  readonly institutionCode: string;
  /** The consent screens the institution enabled, in display order. */
  readonly consentScreens: readonly ConsentFlag[];
  readonly limitConsentScreen: boolean;
  readonly prescriptionChoice: boolean;
}

/** `POST /reader/v1/challenges`: central's challenge (base64) and its expiry. */
export interface ReaderChallenge {
  readonly challenge: string;
  readonly expiresAt: string;
}

/** `POST /reader/v1/confirmations`: central's card-confirmation body. */
export interface ConfirmationBody extends CardProofBody {
  readonly LimitApplicationCertificateRelatedConsFlg?: '0' | '1';
  /** OQSCD017: '1' 電子処方箋, '2' 紙の処方箋. */
  readonly PrescriptionIssueSelect?: '1' | '2';
  readonly consents: Consents;
}

export interface ConfirmationAnswer {
  /** The terminal's session id (also in the face file's name). */
  readonly sessionId: string;
  readonly faceFile: string;
  /** JSON mirror of the OQS-IF-002 result. The reader does not show it (no patient data on screen). */
  readonly result: unknown;
}

export interface RegistrationAnswer {
  readonly registered: boolean;
  readonly registeredAt: string;
  readonly newlyRegistered: boolean;
}

export type ReaderEventKind = 'pin-wrong' | 'pin-blocked' | 'face-no-match' | 'cancelled' | 'error';

/** `POST /reader/v1/events`. */
export interface ReaderEvent {
  readonly kind: ReaderEventKind;
  readonly triesLeft?: number;
  readonly code?: string;
}

export interface ReaderChannel {
  settings(): Promise<ReaderSettings>;
  challenge(): Promise<ReaderChallenge>;
  confirm(body: ConfirmationBody): Promise<ConfirmationAnswer>;
  /** 初回登録: the proof must be by PIN (authMethod 'pin'). */
  register(proof: CardProofBody): Promise<RegistrationAnswer>;
  event(event: ReaderEvent): Promise<void>;
}

export const readerChannelPaths = {
  settings: '/reader/v1/settings',
  challenges: '/reader/v1/challenges',
  confirmations: '/reader/v1/confirmations',
  registrations: '/reader/v1/registrations',
  events: '/reader/v1/events',
} as const;

export interface ReaderChannelOptions {
  /** The terminal's base URL, e.g. http://127.0.0.1:8081 */
  readonly terminalUrl: string;
  /** The reader token, or a function reading it (e.g. from the token file) for each request. */
  readonly token: string | (() => string | Promise<string>);
  /** Per request; default 15 s (a confirmation goes on to central and back). */
  readonly timeoutMs?: number;
}

export function createReaderChannelClient(options: ReaderChannelOptions): ReaderChannel {
  const base = options.terminalUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const tokenOf = typeof options.token === 'function' ? options.token : () => options.token as string;

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    const token = (await tokenOf()).trim();
    const url = `${base}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new OnshiError('READER_TERMINAL_UNREACHABLE', { url, detail: describe(error) }, { cause: error });
    }
    if (!response.ok) throw await refusal(response);
    return response;
  }

  async function json(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<Record<string, unknown>> {
    const response = await call(method, path, body);
    let value: unknown;
    try {
      value = await response.json();
    } catch (error) {
      throw answerInvalid(response.status, `${path}: not JSON`, error);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw answerInvalid(response.status, `${path}: not a JSON object`);
    return value as Record<string, unknown>;
  }

  return {
    async settings() {
      const value = await json('GET', readerChannelPaths.settings);
      const screens = value.consentScreens;
      if (
        typeof value.institutionCode !== 'string' ||
        !Array.isArray(screens) ||
        !screens.every((flag) => (consentFlags as readonly unknown[]).includes(flag)) ||
        typeof value.limitConsentScreen !== 'boolean' ||
        typeof value.prescriptionChoice !== 'boolean'
      ) {
        throw answerInvalid(200, `${readerChannelPaths.settings}: not reader settings`);
      }
      return {
        institutionCode: value.institutionCode,
        consentScreens: screens as ConsentFlag[],
        limitConsentScreen: value.limitConsentScreen,
        prescriptionChoice: value.prescriptionChoice,
      };
    },
    async challenge() {
      const value = await json('POST', readerChannelPaths.challenges, {});
      if (typeof value.challenge !== 'string' || typeof value.expiresAt !== 'string')
        throw answerInvalid(200, `${readerChannelPaths.challenges}: no challenge`);
      return { challenge: value.challenge, expiresAt: value.expiresAt };
    },
    async confirm(body) {
      const value = await json('POST', readerChannelPaths.confirmations, body);
      if (typeof value.sessionId !== 'string' || typeof value.faceFile !== 'string')
        throw answerInvalid(200, `${readerChannelPaths.confirmations}: no sessionId or faceFile`);
      return { sessionId: value.sessionId, faceFile: value.faceFile, result: value.result };
    },
    async register(proof) {
      const value = await json('POST', readerChannelPaths.registrations, proof);
      if (typeof value.registered !== 'boolean' || typeof value.newlyRegistered !== 'boolean')
        throw answerInvalid(200, `${readerChannelPaths.registrations}: not a registration answer`);
      return {
        registered: value.registered,
        registeredAt: String(value.registeredAt ?? ''),
        newlyRegistered: value.newlyRegistered,
      };
    },
    async event(event) {
      const response = await call('POST', readerChannelPaths.events, event);
      await response.body?.cancel();
    },
  };
}

/** The terminal's `{ code, message }`: the catalogue's error when it knows the code. */
async function refusal(response: Response): Promise<OnshiError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return answerInvalid(response.status, text.slice(0, 200) || response.statusText);
  }
  const { code, message } = (typeof body === 'object' && body !== null ? body : {}) as {
    code?: unknown;
    message?: unknown;
  };
  if (typeof code === 'string' && Object.hasOwn(errorCatalogue, code)) {
    const error = new OnshiError(code as ErrorCode);
    if (typeof message === 'string' && message !== '') error.message = message;
    return error;
  }
  const detail = typeof code === 'string' ? `${code}: ${String(message ?? '')}` : text.slice(0, 200);
  return answerInvalid(response.status, detail);
}

function answerInvalid(status: number, detail: string, cause?: unknown): OnshiError {
  return new OnshiError('READER_TERMINAL_ERROR', { status, detail }, { cause });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    const cause = error.cause as { code?: unknown } | undefined;
    if (typeof cause?.code === 'string') return cause.code;
    return error.message;
  }
  return String(error);
}
