/**
 * The reader channel (ADR 0004, `/reader/v1/…` on the terminal): the reader's calls forwarded to
 * central's card routes with the institution's client certificate. A confirmation's result is
 * written as a face file in the configured result encoding, recorded and pushed to the live feed;
 * central's refusals pass through as `{ code, message }` with central's status and are recorded as
 * failed sessions, as are the reader's own events (wrong PIN, no face match, …).
 */
import {
  type Clock,
  type ConsentFlag,
  characterCodeFor,
  consentFlags,
  decodeMessage,
  encodeMessage,
  messageToJson,
  OnshiError,
  parseJsonObject,
  type QualificationConfirmResult,
  qualificationConfirmResultSchema,
} from '@onshi/core';
import type { StationCentralClient } from './station.central.ts';
import { faceFileName, newSessionId, writeFaceFile } from './station.face.ts';
import { jstInstant, READER_TERMINAL_USER, terminalUserHeader } from './station.medinfo.ts';
import { cardCheckPaths } from './station.paths.ts';
import {
  type NewRecord,
  type ReaderRecords,
  type RecordSummary,
  readerEventKinds,
} from './station.records.ts';
import { resultView } from './station.result.ts';
import type { SettingsStore } from './station.settings.ts';

/** What a handler answers: a status and a JSON body (none for 204). */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

export interface ChannelDeps {
  readonly client: StationCentralClient;
  readonly settings: SettingsStore;
  readonly records: ReaderRecords;
  readonly faceDir: string;
  readonly institutionCode: string;
  readonly clock: Clock;
  /** Longest call to central (default 15 s). */
  readonly timeoutMs?: number;
}

export interface ReaderChannel {
  settings(): Reply;
  challenge(body: Buffer): Promise<Reply>;
  confirm(body: Buffer): Promise<Reply>;
  register(body: Buffer): Promise<Reply>;
  event(body: Buffer): Reply;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Central's refusal as `{ code, message }`, from its JSON error body or its XML error result. */
function refusal(reply: { status: number; contentType: string; body: Uint8Array }): Reply {
  const raw = Buffer.from(reply.body);
  if (reply.contentType.includes('json')) {
    try {
      const parsed = JSON.parse(raw.toString('utf8')) as { code?: unknown; message?: unknown };
      if (typeof parsed.code === 'string') {
        return {
          status: reply.status,
          body: { code: parsed.code, message: text(parsed.message) ?? parsed.code },
        };
      }
    } catch {
      // falls through to the XML reading and then to "answer invalid"
    }
  }
  try {
    const header = decodeMessage(raw, qualificationConfirmResultSchema).MessageHeader;
    if (header.ErrorCode) {
      return {
        status: reply.status,
        body: { code: header.ErrorCode, message: header.ErrorMessage ?? header.ErrorCode },
      };
    }
  } catch {
    // not a result document
  }
  if (reply.status === 502 || reply.status === 503 || reply.status === 504) {
    throw new OnshiError('TERMINAL_CENTRAL_UNREACHABLE');
  }
  throw new OnshiError('CONNECTOR_CENTRAL_ANSWER_INVALID', { status: reply.status, detail: 'no error code' });
}

function summaryOf(result: QualificationConfirmResult, asked: Record<string, unknown>): RecordSummary {
  const rows = result.MessageBody.ResultList?.ResultOfQualificationConfirmation ?? [];
  const first = rows[0];
  const person = first && resultView(result).persons[0];
  const askedConsents = (typeof asked.consents === 'object' && asked.consents) || {};
  const consents: Partial<Record<ConsentFlag, string>> = {};
  for (const flag of consentFlags) {
    const value = person?.consents[flag] ?? text((askedConsents as Record<string, unknown>)[flag]);
    if (value !== undefined) consents[flag] = value;
  }
  const consentTimes: Record<string, { givenAt?: string; expiresAt?: string }> = {};
  for (const flag of consentFlags) {
    const stem = flag.slice(0, -'ConsFlg'.length);
    const row = first as Record<string, unknown> | undefined;
    const givenAt = jstInstant(text(row?.[`${stem}ConsTime`]));
    const expiresAt = jstInstant(text(row?.[`${stem}AvailableTime`]));
    if (givenAt || expiresAt) {
      consentTimes[flag] = { ...(givenAt ? { givenAt } : {}), ...(expiresAt ? { expiresAt } : {}) };
    }
  }
  const prescription = result.MessageBody.PrescriptionIssueSelect ?? text(asked.PrescriptionIssueSelect);
  const limitConsent =
    first?.LimitApplicationCertificateRelatedConsFlg ?? text(asked.LimitApplicationCertificateRelatedConsFlg);
  return {
    ...(person
      ? {
          name: person.name,
          ...(person.kana ? { kana: person.kana } : {}),
          ...(person.birthdate ? { birthdate: person.birthdate } : {}),
          ...(person.insurerNumber ? { insurerNumber: person.insurerNumber } : {}),
          insurerName: person.insurerName,
          ...(person.symbol ? { symbol: person.symbol } : {}),
          ...(person.number ? { number: person.number } : {}),
          ...(person.branch ? { branch: person.branch } : {}),
          ...(person.validFrom ? { validFrom: person.validFrom } : {}),
          ...(person.validTo ? { validTo: person.validTo } : {}),
          ...(person.copay ? { copay: person.copay.label.ja } : {}),
          ...(person.referenceNumber ? { referenceNumber: person.referenceNumber } : {}),
        }
      : {}),
    consents,
    ...(Object.keys(consentTimes).length > 0 ? { consentTimes } : {}),
    ...(limitConsent ? { limitConsent } : {}),
    ...(prescription ? { prescriptionIssueSelect: prescription } : {}),
  };
}

export function createReaderChannel(deps: ChannelDeps): ReaderChannel {
  const timeoutMs = deps.timeoutMs ?? 15_000;

  async function forward(path: string, body: Buffer, accept: string) {
    try {
      return await deps.client.send(path, {
        body,
        // The reader's calls speak for the patient at the reader, not for a staff login.
        headers: { 'content-type': 'application/json', accept, ...terminalUserHeader(READER_TERMINAL_USER) },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new OnshiError('TERMINAL_CENTRAL_UNREACHABLE', {}, { cause });
    }
  }

  /** Runs `work`; a refusal or a failure is recorded as a failed session before it is answered. */
  async function recorded(
    base: Omit<NewRecord, 'outcome' | 'summary' | 'errorCode' | 'faceFile'>,
    work: () => Promise<Reply>,
    summary: RecordSummary,
  ) {
    try {
      const reply = await work();
      if (reply.status >= 400) {
        const error = reply.body as { code: string; message: string };
        deps.records.add({
          ...base,
          outcome: 'error',
          faceFile: undefined,
          errorCode: error.code,
          summary: { ...summary, errorMessage: error.message },
        });
      }
      return reply;
    } catch (error) {
      const e =
        error instanceof OnshiError
          ? error
          : new OnshiError('SERVICE_INTERNAL', { requestId: base.id }, { cause: error });
      deps.records.add({
        ...base,
        outcome: 'error',
        faceFile: undefined,
        errorCode: e.code,
        summary: { ...summary, errorMessage: e.message },
      });
      throw e;
    }
  }

  return {
    settings() {
      const s = deps.settings.get();
      return {
        status: 200,
        body: {
          institutionCode: deps.institutionCode,
          consentScreens: s.consentScreens,
          limitConsentScreen: s.limitConsentScreen,
          prescriptionChoice: s.prescriptionChoice,
        },
      };
    },

    async challenge(body) {
      parseJsonObject(body.toString('utf8'));
      const reply = await forward(cardCheckPaths.challenges, Buffer.from('{}'), 'application/json');
      if (reply.status !== 200) return refusal(reply);
      return { status: 200, body: JSON.parse(Buffer.from(reply.body).toString('utf8')) };
    },

    async confirm(body) {
      const asked = parseJsonObject(body.toString('utf8'));
      const id = newSessionId();
      const authMethod = text(asked.authMethod);
      const askedConsents: Partial<Record<ConsentFlag, string>> = {};
      if (typeof asked.consents === 'object' && asked.consents !== null) {
        for (const flag of consentFlags) {
          const value = text((asked.consents as Record<string, unknown>)[flag]);
          if (value !== undefined) askedConsents[flag] = value;
        }
      }
      return recorded(
        { id, kind: 'confirmation', authMethod },
        async () => {
          const reply = await forward(cardCheckPaths.confirmations, body, 'application/xml');
          if (reply.status !== 200) return refusal(reply);
          let message: QualificationConfirmResult;
          try {
            message = decodeMessage(reply.body, qualificationConfirmResultSchema);
          } catch (error) {
            const detail = error instanceof OnshiError ? error.code : String(error);
            throw new OnshiError('CONNECTOR_CENTRAL_ANSWER_INVALID', { status: reply.status, detail });
          }
          const encoding = deps.settings.get().resultEncoding;
          const result: QualificationConfirmResult = {
            ...message,
            MessageHeader: { ...message.MessageHeader, CharacterCodeIdentifier: characterCodeFor(encoding) },
          };
          const bytes = encodeMessage(result, qualificationConfirmResultSchema, { encoding });
          const faceFile = faceFileName(deps.institutionCode, id, deps.clock.now());
          writeFaceFile(deps.faceDir, faceFile, bytes);
          const view = resultView(result);
          deps.records.add({
            id,
            kind: 'confirmation',
            authMethod,
            outcome: view.outcome,
            faceFile,
            errorCode: view.outcome === 'error' ? view.code : undefined,
            summary: summaryOf(result, asked),
          });
          return { status: 200, body: { sessionId: id, faceFile, result: messageToJson(result) } };
        },
        { consents: askedConsents },
      );
    },

    async register(body) {
      const asked = parseJsonObject(body.toString('utf8'));
      const id = newSessionId();
      return recorded(
        { id, kind: 'registration', authMethod: text(asked.authMethod) },
        async () => {
          const reply = await forward(cardCheckPaths.registrations, body, 'application/json');
          if (reply.status !== 200) return refusal(reply);
          const answer = JSON.parse(Buffer.from(reply.body).toString('utf8')) as Record<string, unknown>;
          deps.records.add({
            id,
            kind: 'registration',
            authMethod: text(asked.authMethod),
            outcome: 'registered',
            faceFile: undefined,
            errorCode: undefined,
            summary: {},
          });
          return { status: 200, body: answer };
        },
        {},
      );
    },

    event(body) {
      const value = parseJsonObject(body.toString('utf8'));
      const kind = value.kind;
      if (typeof kind !== 'string' || !(readerEventKinds as readonly string[]).includes(kind)) {
        throw new OnshiError('MSG_FIELD_INVALID', { field: 'kind', detail: readerEventKinds.join(', ') });
      }
      const triesLeft = value.triesLeft;
      if (
        triesLeft !== undefined &&
        !(Number.isInteger(triesLeft) && (triesLeft as number) >= 0 && (triesLeft as number) <= 99)
      ) {
        throw new OnshiError('MSG_FIELD_INVALID', {
          field: 'triesLeft',
          detail: '0 以上の整数である必要があります',
        });
      }
      const code = value.code;
      if (code !== undefined && !(typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code))) {
        throw new OnshiError('MSG_FIELD_INVALID', {
          field: 'code',
          detail: 'エラーコードの形式ではありません',
        });
      }
      deps.records.add({
        id: newSessionId(),
        kind: 'event',
        authMethod: undefined,
        outcome: kind,
        faceFile: undefined,
        errorCode: code,
        summary: triesLeft === undefined ? {} : { triesLeft: triesLeft as number },
      });
      return { status: 204 };
    },
  };
}
