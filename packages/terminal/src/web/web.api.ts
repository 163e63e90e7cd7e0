/**
 * The staff UI's API (`/api/…`): login with a session cookie (HttpOnly, SameSite=Strict) and a
 * CSRF token that state-changing calls echo in `x-onshi-csrf`; roles decide what each call may do
 * (see the package README for the table). Checks and reference-number registrations go to central
 * through the terminal's shared client as OQS XML, like the connector's; 薬剤情報 and 特定健診情報
 * (viewers only) as YZK / TKK JSON. Every call to central names the logged-in user in
 * `x-onshi-terminal-user`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type CheckupInformationResult,
  type Clock,
  decodeMessage,
  detectEncoding,
  jstDate,
  type MedicationInformationResult,
  messageToJson,
  OnshiError,
  type QualificationConfirmResult,
  qualificationConfirmResultSchema,
  referenceNumberRegistrationResultSchema,
} from '@onshi/core';
import {
  asObject,
  cookieValue,
  field,
  readJson,
  sameText,
  securityHeaders,
  sendJson,
  sessionCookie,
} from '@onshi/web';
import { centralPaths } from '../connector/connector.client.ts';
import type { RequestKind } from '../connector/connector.names.ts';
import { type BatchKind, checkCsv, csvDate } from '../station/station.batch.csv.ts';
import { type Batches, dayRows, nextDay } from '../station/station.batch.ts';
import type { StationCentralClient } from '../station/station.central.ts';
import { certificateInfo, readCertificate } from '../station/station.certs.ts';
import {
  disasterPaths,
  disasterSearchBody,
  postCentralJson,
  type Revocations,
  revocationBody,
  revocationCardKey,
} from '../station/station.disaster.ts';
import { faceFilePattern, readFaceFile } from '../station/station.face.ts';
import {
  askCentral,
  centralRefusal,
  checkupsView,
  consentForCard,
  type MedinfoForm,
  type MedinfoKind,
  medicationsView,
  medinfoFormFields,
  medinfoRequest,
  pickerPatients,
  revokedSince,
  terminalUserHeader,
} from '../station/station.medinfo.ts';
import type { ReaderRecord, ReaderRecords } from '../station/station.records.ts';
import {
  encodeQualificationRequest,
  encodeReferenceNumberRequest,
  qualificationRequest,
  referenceNumberRequest,
} from '../station/station.requests.ts';
import { outcomeLabels, resultView, type Text } from '../station/station.result.ts';
import type { SettingsStore } from '../station/station.settings.ts';
import { assertRole, type Role, roleLabels, type UiSession, type Users } from '../station/station.users.ts';

export const SESSION_COOKIE = 'onshi_terminal_session';
/** A batch upload from the screen: a CSV of MAX_BATCH_ROWS rows in base64 fits. */
const BATCH_BODY_LIMIT = 8 * 1024 * 1024;

/** yyyy-MM-dd of a real date (a form's date input). */
function csvDay(value: string, name: string): string {
  try {
    return csvDate(value);
  } catch {
    throw new OnshiError('MSG_FIELD_INVALID', {
      field: name,
      detail: '日付（yyyy-MM-dd）で入力してください',
    });
  }
}
export const CSRF_HEADER = 'x-onshi-csrf';

export interface UiApiDeps {
  readonly users: Users;
  readonly settings: SettingsStore;
  readonly records: ReaderRecords;
  readonly revocations: Revocations;
  readonly batches: Batches;
  readonly client: StationCentralClient;
  readonly institutionCode: string;
  readonly certFile: string | undefined;
  readonly faceDir: string;
  readonly clock: Clock;
  readonly timeoutMs: number;
}

/** Who may call a route: anyone (`public`), or a logged-in user of one of the roles. */
export type RouteAccess = 'public' | readonly Role[];

interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The caller's session (every route that is not `public`). */
  readonly session: UiSession;
  /** The path's match (a string path: the path itself). */
  readonly match: RegExpExecArray;
}

interface UiRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  readonly path: string | RegExp;
  readonly access: RouteAccess;
  readonly handler: (ctx: RouteContext) => void | Promise<void>;
}

export interface UiApi {
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  /** The routes and their access rules (the role tests walk them). */
  readonly routes: readonly Pick<UiRoute, 'method' | 'path' | 'access'>[];
  /** Ends the open live-feed streams (server shutdown). */
  closeStreams(): void;
}

const everyone: readonly Role[] = ['admin', 'clerk', 'viewer'];
const staff: readonly Role[] = ['admin', 'clerk'];
const admins: readonly Role[] = ['admin'];
/** 医療情報閲覧者 only: an administrator or a clerk gets TERMINAL_ROLE_FORBIDDEN. */
const viewers: readonly Role[] = ['viewer'];

/** A percent-encoded path segment, decoded; a malformed one is a field error, not a crash. */
function pathSegment(segment: string, name: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new OnshiError('MSG_FIELD_INVALID', { field: name, detail: 'URL エンコードが正しくありません' });
  }
}

function publicUser(session: UiSession) {
  const { login, displayName, role } = session.user;
  return { login, displayName, role, roleLabel: roleLabels[role] };
}

export function createUiApi(deps: UiApiDeps): UiApi {
  const streams = new Set<ServerResponse>();

  function sessionOf(req: IncomingMessage): UiSession | undefined {
    return deps.users.session(cookieValue(req, SESSION_COOKIE));
  }

  /** The caller's session, checked for role and (for state changes) the CSRF header. */
  function authorize(req: IncomingMessage, allowed: readonly Role[]): UiSession {
    const session = sessionOf(req);
    if (session === undefined) throw new OnshiError('TERMINAL_SESSION_REQUIRED');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const given = req.headers[CSRF_HEADER];
      if (typeof given !== 'string' || !sameText(given, session.csrf))
        throw new OnshiError('TERMINAL_CSRF_INVALID');
    }
    if (!allowed.includes(session.user.role)) {
      throw new OnshiError('TERMINAL_ROLE_FORBIDDEN', {
        required: allowed.map((role) => roleLabels[role]).join('・'),
      });
    }
    return session;
  }

  /** An OQS XML request to central for the logged-in user (x-onshi-terminal-user: their login). */
  async function central(kind: RequestKind, xml: Uint8Array, session: UiSession) {
    const path = centralPaths[kind];
    if (path === undefined) throw new OnshiError('CONNECTOR_INTERFACE_NOT_AVAILABLE', { interface: kind });
    try {
      return await deps.client.send(path, {
        body: xml,
        headers: { 'content-type': 'application/xml', ...terminalUserHeader(session.user.login) },
        signal: AbortSignal.timeout(deps.timeoutMs),
      });
    } catch (cause) {
      throw new OnshiError('TERMINAL_CENTRAL_UNREACHABLE', {}, { cause });
    }
  }

  /**
   * 薬剤情報 / 特定健診情報 for a viewer: the form (JSON body, or the query of a PDF link) as a YZK /
   * TKK request to central with the user and role headers; central's answer as the screen's view,
   * its PDF as it is, its refusal with the code and the explanation. The consent state the
   * terminal knows for the card (its latest reader session) goes with the answer.
   */
  async function medinfo({ req, res, session }: RouteContext, kind: MedinfoKind, pdf: boolean) {
    let form: MedinfoForm;
    if (pdf) {
      const query = new URL(req.url ?? '', 'http://x').searchParams;
      form = Object.fromEntries(
        medinfoFormFields.map((name) => [name, query.get(name)?.trim() || undefined]),
      ) as MedinfoForm;
    } else {
      const body = asObject(await readJson(req));
      form = Object.fromEntries(medinfoFormFields.map((name) => [name, field(body, name)])) as MedinfoForm;
    }
    const message = medinfoRequest(kind, form, deps.institutionCode);
    const reply = await askCentral(
      deps.client,
      kind,
      message,
      { login: session.user.login, role: session.user.role },
      { accept: pdf ? 'application/pdf' : 'application/json', timeoutMs: deps.timeoutMs },
    );
    const consent = consentForCard(
      deps.records.recent(500),
      form,
      kind,
      deps.clock.now(),
      deps.revocations.latest(),
    );
    const withConsent = consent ? { consent } : {};
    if (reply.status !== 200) {
      const refusal = centralRefusal(reply);
      return sendJson(res, refusal.status, { ...refusal.body, ...withConsent });
    }
    if (pdf) {
      const body = Buffer.from(reply.body);
      if (
        !reply.contentType.startsWith('application/pdf') ||
        !body.subarray(0, 5).equals(Buffer.from('%PDF-'))
      ) {
        throw new OnshiError('CONNECTOR_CENTRAL_ANSWER_INVALID', {
          status: reply.status,
          detail: 'not a PDF',
        });
      }
      // No CSP here: the browser's PDF viewer renders the answer as a document of its own.
      res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="${kind === 'medications' ? 'yakuzai' : 'tokutei-kenshin'}.pdf"`,
        'content-length': String(body.length),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      res.end(body);
      return;
    }
    let result: MedicationInformationResult | CheckupInformationResult;
    try {
      result = (JSON.parse(Buffer.from(reply.body).toString('utf8')) as { XmlMsg: typeof result }).XmlMsg;
      if (typeof result?.MessageBody !== 'object') throw new Error('no MessageBody');
    } catch (error) {
      throw new OnshiError('CONNECTOR_CENTRAL_ANSWER_INVALID', {
        status: reply.status,
        detail: String(error),
      });
    }
    const view =
      kind === 'medications'
        ? medicationsView(result as MedicationInformationResult)
        : checkupsView(result as CheckupInformationResult);
    return sendJson(res, 200, { view, result: messageToJson(result), ...withConsent });
  }

  /**
   * The rows of a batch request: a CSV file (`content` base64, validated row by row) or the day's
   * list (`day`: the reader confirmations of that JST day, checked on `confirmationDate`).
   */
  function batchRows(body: Record<string, unknown>) {
    const kind: BatchKind | undefined =
      body.kind === 'register'
        ? 'register'
        : body.kind === 'confirm' || body.kind === undefined
          ? 'confirm'
          : undefined;
    if (kind === undefined)
      throw new OnshiError('MSG_FIELD_INVALID', { field: 'kind', detail: 'confirm か register です' });
    const source = field(body, 'source') ?? 'csv';
    if (source === 'day') {
      if (kind !== 'confirm')
        throw new OnshiError('MSG_FIELD_INVALID', { field: 'source', detail: '受付一覧は一括照会だけです' });
      const now = deps.clock.now();
      const day = csvDay(field(body, 'day') ?? jstDate(now), 'day');
      const confirmationDate = csvDay(field(body, 'confirmationDate') ?? nextDay(now), 'confirmationDate');
      const from = Date.parse(`${day}T00:00:00+09:00`);
      const rows = dayRows(deps.records.between(from, from + 86_400_000));
      return {
        kind,
        source: 'day' as const,
        label: `受付一覧 ${day}`,
        confirmationDate,
        rows,
        problems: [],
        check: {
          encoding: null,
          total: rows.length,
          valid: rows.length,
          problems: [],
          invalidRows: [],
          dates: [{ date: confirmationDate, rows: rows.length }],
          day,
        },
      };
    }
    const content = field(body, 'content', true);
    const bytes = Buffer.from(content, 'base64');
    const checked = checkCsv(kind, new Uint8Array(bytes));
    const dates = new Map<string, number>();
    for (const row of checked.rows) if (row.date) dates.set(row.date, (dates.get(row.date) ?? 0) + 1);
    return {
      kind,
      source: 'csv' as const,
      label: field(body, 'fileName') ?? 'CSV',
      confirmationDate: undefined,
      rows: checked.rows,
      problems: checked.problems,
      check: {
        encoding: checked.encoding,
        total: checked.total,
        valid: checked.rows.length,
        problems: checked.problems,
        invalidRows: checked.invalidRows,
        dates: [...dates.entries()].sort().map(([date, rows]) => ({ date, rows })),
      },
    };
  }

  function decodeAnswer<T>(reply: { status: number; body: Uint8Array }, decode: (body: Uint8Array) => T): T {
    try {
      return decode(reply.body);
    } catch (error) {
      if (reply.status >= 502) throw new OnshiError('TERMINAL_CENTRAL_UNREACHABLE');
      const detail = error instanceof OnshiError ? error.code : String(error);
      throw new OnshiError('CONNECTOR_CENTRAL_ANSWER_INVALID', { status: reply.status, detail });
    }
  }

  function certificate() {
    if (deps.certFile === undefined) return undefined;
    try {
      return certificateInfo(readCertificate(deps.certFile), deps.clock.now());
    } catch {
      return undefined;
    }
  }

  /** The face file of a record, read back and decoded (it may have been taken by the EMR). */
  function faceOf(record: ReaderRecord) {
    const name = record.faceFile;
    if (name === undefined || !faceFilePattern.test(name)) return undefined;
    const bytes = readFaceFile(deps.faceDir, name);
    if (bytes === undefined) return { name, available: false as const };
    const encoding = detectEncoding(bytes);
    const result = decodeMessage(bytes, qualificationConfirmResultSchema);
    return {
      name,
      available: true as const,
      encoding,
      xml: new TextDecoder(encoding === 'shift_jis' ? 'shift_jis' : 'utf-8').decode(bytes),
      view: resultView(result),
    };
  }

  /** A record with the label of its result outcome (valid, invalid, …) as the desk shows it. */
  function labelled(record: ReaderRecord): ReaderRecord & { outcomeLabel?: Text } {
    const label = (outcomeLabels as Readonly<Record<string, Text>>)[record.outcome];
    return label ? { ...record, outcomeLabel: label } : record;
  }

  /** The feed's event for a record, serialized once for all the open streams (each gets the same object). */
  let lastEvent: { readonly record: ReaderRecord; readonly text: string } | undefined;
  function feedEvent(record: ReaderRecord): string {
    if (lastEvent?.record !== record)
      lastEvent = { record, text: `event: record\ndata: ${JSON.stringify(labelled(record))}\n\n` };
    return lastEvent.text;
  }

  function stream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...securityHeaders,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write('retry: 2000\n\n');
    const unsubscribe = deps.records.subscribe((record) => res.write(feedEvent(record)));
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    streams.add(res);
    const end = () => {
      clearInterval(ping);
      unsubscribe();
      streams.delete(res);
    };
    req.on('close', end);
    res.on('close', end);
  }

  /**
   * Every route of the API with who may call it. The access rule is part of the route: `authorize`
   * runs before the handler for every route that is not `public`, so a route cannot forget it.
   */
  const routes: UiRoute[] = [
    {
      method: 'POST',
      path: '/api/login',
      access: 'public',
      handler: async ({ req, res }) => {
        const body = asObject(await readJson(req));
        const { id, session } = await deps.users.login(
          field(body, 'login', true),
          String(body.password ?? ''),
        );
        // The session the browser came with (if any) ends: a login always starts a fresh one.
        deps.users.logout(cookieValue(req, SESSION_COOKIE));
        const maxAge = Math.max(1, Math.floor((session.expiresAt - deps.clock.now().getTime()) / 1000));
        sendJson(
          res,
          200,
          { user: publicUser(session), csrf: session.csrf },
          { 'set-cookie': sessionCookie(SESSION_COOKIE, id, maxAge) },
        );
      },
    },
    {
      method: 'POST',
      path: '/api/logout',
      access: everyone,
      handler: ({ req, res }) => {
        deps.users.logout(cookieValue(req, SESSION_COOKIE));
        sendJson(res, 204, undefined, { 'set-cookie': sessionCookie(SESSION_COOKIE, '', 0) });
      },
    },
    {
      method: 'GET',
      path: '/api/status',
      access: 'public',
      handler: ({ res }) => {
        const cert = certificate();
        sendJson(res, 200, {
          institutionCode: deps.institutionCode,
          certificate: cert && { notAfter: cert.notAfter, daysLeft: cert.daysLeft, warning: cert.warning },
        });
      },
    },
    {
      method: 'GET',
      path: '/api/me',
      access: everyone,
      handler: ({ res, session }) =>
        sendJson(res, 200, {
          user: publicUser(session),
          csrf: session.csrf,
          institutionCode: deps.institutionCode,
        }),
    },
    {
      method: 'GET',
      path: '/api/certificate',
      access: everyone,
      handler: ({ res }) => sendJson(res, 200, { certificate: certificate() ?? null }),
    },
    {
      method: 'POST',
      path: '/api/checks',
      access: staff,
      handler: async ({ req, res, session }) => {
        const body = asObject(await readJson(req));
        const request = qualificationRequest(
          {
            insurerNumber: field(body, 'insurerNumber', true),
            symbol: field(body, 'symbol'),
            number: field(body, 'number', true),
            branch: field(body, 'branch'),
            birthdate: field(body, 'birthdate', true),
            limitConsent: body.limitConsent === true,
          },
          deps.institutionCode,
          deps.clock,
        );
        const reply = await central('qualification', encodeQualificationRequest(request), session);
        const result = decodeAnswer(
          reply,
          (bytes): QualificationConfirmResult => decodeMessage(bytes, qualificationConfirmResultSchema),
        );
        sendJson(res, 200, { view: resultView(result), result: messageToJson(result) });
      },
    },
    {
      method: 'POST',
      path: '/api/reference-numbers',
      access: staff,
      handler: async ({ req, res, session }) => {
        const body = asObject(await readJson(req));
        const request = referenceNumberRequest(
          {
            referenceNumber: field(body, 'referenceNumber', true),
            insurerNumber: field(body, 'insurerNumber', true),
            symbol: field(body, 'symbol'),
            number: field(body, 'number', true),
            branch: field(body, 'branch'),
            birthdate: field(body, 'birthdate'),
          },
          deps.institutionCode,
        );
        const reply = await central('referenceNumber', encodeReferenceNumberRequest(request), session);
        const result = decodeAnswer(reply, (bytes) =>
          decodeMessage(bytes, referenceNumberRegistrationResultSchema),
        );
        const header = result.MessageHeader;
        const ok = header.SegmentOfResult === '1' && result.MessageBody.ProcessingResultStatus === '1';
        sendJson(res, 200, {
          ok,
          referenceNumber: result.MessageBody.ReferenceNumber,
          code: header.ErrorCode ?? result.MessageBody.ProcessingResultCode,
          message: header.ErrorMessage ?? result.MessageBody.ProcessingResultMessage,
          result: messageToJson(result),
        });
      },
    },
    {
      method: 'GET',
      path: '/api/medinfo/patients',
      access: viewers,
      handler: ({ res }) => {
        const now = deps.clock.now();
        sendJson(res, 200, {
          now: now.toISOString(),
          patients: pickerPatients(deps.records.recent(200), now, deps.revocations.latest()),
        });
      },
    },
    {
      method: 'POST',
      path: '/api/medications',
      access: viewers,
      handler: (ctx) => medinfo(ctx, 'medications', false),
    },
    {
      method: 'POST',
      path: '/api/checkups',
      access: viewers,
      handler: (ctx) => medinfo(ctx, 'checkups', false),
    },
    {
      method: 'GET',
      path: '/api/medications/pdf',
      access: viewers,
      handler: (ctx) => medinfo(ctx, 'medications', true),
    },
    {
      method: 'GET',
      path: '/api/checkups/pdf',
      access: viewers,
      handler: (ctx) => medinfo(ctx, 'checkups', true),
    },
    {
      method: 'POST',
      path: '/api/disaster-searches',
      access: viewers,
      handler: async ({ req, res, session }) => {
        const body = asObject(await readJson(req));
        const search = disasterSearchBody(
          Object.fromEntries(
            ['nameKana', 'birthdate', 'sex', 'address', 'reason'].map((name) => [name, field(body, name)]),
          ),
        );
        const reply = await postCentralJson(
          deps.client,
          disasterPaths.searches,
          search,
          session.user,
          deps.timeoutMs,
        );
        if (reply.status !== 200) {
          const refusal = centralRefusal(reply);
          return sendJson(res, refusal.status, refusal.body);
        }
        const found = JSON.parse(Buffer.from(reply.body).toString('utf8')) as {
          declarationId: number;
          persons: unknown[];
        };
        sendJson(res, 200, {
          declarationId: found.declarationId,
          reason: search.reason,
          persons: found.persons,
        });
      },
    },
    {
      method: 'POST',
      path: '/api/consents/revocations',
      access: everyone,
      handler: async ({ req, res, session }) => {
        const body = asObject(await readJson(req));
        const revocation = revocationBody(
          Object.fromEntries(
            ['insurerNumber', 'symbol', 'number', 'branch', 'birthdate'].map((name) => [
              name,
              field(body, name),
            ]),
          ),
        );
        const reply = await postCentralJson(
          deps.client,
          disasterPaths.revocations,
          revocation,
          session.user,
          deps.timeoutMs,
        );
        if (reply.status !== 200) {
          const refusal = centralRefusal(reply);
          return sendJson(res, refusal.status, refusal.body);
        }
        const answer = JSON.parse(Buffer.from(reply.body).toString('utf8')) as {
          revoked: number;
          revokedAt: string;
        };
        deps.revocations.add({
          cardKey: revocationCardKey(revocation),
          revokedAt: answer.revokedAt,
          login: session.user.login,
        });
        sendJson(res, 200, { revoked: answer.revoked, revokedAt: answer.revokedAt });
      },
    },
    {
      method: 'POST',
      path: '/api/batches/check',
      access: staff,
      handler: async ({ req, res }) =>
        sendJson(res, 200, batchRows(asObject(await readJson(req, BATCH_BODY_LIMIT))).check),
    },
    {
      method: 'POST',
      path: '/api/batches',
      access: staff,
      handler: async ({ req, res, session }) => {
        const body = asObject(await readJson(req, BATCH_BODY_LIMIT));
        const { check, rows, problems, label, source, kind, confirmationDate } = batchRows(body);
        if (problems.length > 0 && body.sendValidOnly !== true) {
          const error = new OnshiError('TERMINAL_BATCH_ROWS_INVALID', { count: check.invalidRows.length });
          return sendJson(res, error.status, { code: error.code, message: error.message, ...check });
        }
        const batch = await deps.batches.start({
          kind,
          source,
          label,
          rows,
          problems,
          confirmationDate,
          login: session.user.login,
        });
        sendJson(res, 201, { batch });
      },
    },
    {
      method: 'GET',
      path: '/api/batches',
      access: staff,
      handler: async ({ res }) => sendJson(res, 200, { batches: await deps.batches.list() }),
    },
    {
      method: 'GET',
      path: /^\/api\/batches\/([0-9a-f]{20})$/,
      access: staff,
      handler: async ({ res, match }) => sendJson(res, 200, { batch: await deps.batches.get(match[1]!) }),
    },
    {
      method: 'GET',
      path: /^\/api\/batches\/([0-9a-f]{20})\/csv$/,
      access: staff,
      handler: ({ req, res, match }) => {
        const id = match[1]!;
        const query = new URL(req.url ?? '', 'http://x').searchParams;
        const encoding = query.get('encoding') === 'shift_jis' ? 'shift_jis' : 'utf-8';
        const bytes = deps.batches.csv(id, { encoding, filter: query.get('filter') ?? undefined });
        res.writeHead(200, {
          ...securityHeaders,
          'content-type': `text/csv; charset=${encoding === 'shift_jis' ? 'Shift_JIS' : 'utf-8'}`,
          'content-disposition': `attachment; filename="ikkatsu-${id}${encoding === 'shift_jis' ? '-sjis' : ''}.csv"`,
          'content-length': String(bytes.length),
          'cache-control': 'no-store',
        });
        res.end(bytes);
      },
    },
    {
      method: 'GET',
      path: '/api/records',
      access: everyone,
      handler: ({ req, res }) => {
        const limit = Number(new URL(req.url ?? '', 'http://x').searchParams.get('limit') ?? 50);
        const revoked = deps.revocations.latest();
        const records = deps.records.recent(Math.min(500, Math.max(1, limit || 50))).map((record) => {
          const revokedAt = revokedSince(record, revoked);
          return revokedAt ? { ...labelled(record), revokedAt } : labelled(record);
        });
        sendJson(res, 200, { records });
      },
    },
    {
      method: 'GET',
      path: /^\/api\/records\/([0-9a-f]{20})$/,
      access: everyone,
      handler: ({ res, match }) => {
        const record = deps.records.get(match[1]!);
        if (record === undefined) throw new OnshiError('TERMINAL_RECORD_UNKNOWN', { id: match[1]! });
        sendJson(res, 200, { record: labelled(record), face: faceOf(record) ?? null });
      },
    },
    { method: 'GET', path: '/api/feed', access: everyone, handler: ({ req, res }) => stream(req, res) },
    {
      method: 'GET',
      path: '/api/settings',
      access: everyone,
      handler: ({ res }) => sendJson(res, 200, { settings: deps.settings.get() }),
    },
    {
      method: 'PUT',
      path: '/api/settings',
      access: admins,
      handler: async ({ req, res }) =>
        sendJson(res, 200, { settings: deps.settings.update(await readJson(req)) }),
    },
    {
      method: 'GET',
      path: '/api/users',
      access: admins,
      handler: ({ res }) => sendJson(res, 200, { users: deps.users.list() }),
    },
    {
      method: 'POST',
      path: '/api/users',
      access: admins,
      handler: async ({ req, res }) => {
        const body = asObject(await readJson(req));
        const user = await deps.users.create({
          login: field(body, 'login', true),
          displayName: field(body, 'displayName'),
          role: assertRole(body.role),
          password: String(body.password ?? ''),
        });
        sendJson(res, 201, { user });
      },
    },
    {
      method: 'PATCH',
      path: /^\/api\/users\/([^/]+)$/,
      access: admins,
      handler: async ({ req, res, session, match }) => {
        const login = pathSegment(match[1]!, 'login');
        const body = asObject(await readJson(req));
        if (deps.users.get(login) === undefined) throw new OnshiError('TERMINAL_USER_UNKNOWN', { login });
        if (body.disabled !== undefined && typeof body.disabled !== 'boolean') {
          throw new OnshiError('MSG_FIELD_INVALID', {
            field: 'disabled',
            detail: 'true か false である必要があります',
          });
        }
        if (
          login === session.user.login &&
          (body.disabled === true || (body.role !== undefined && body.role !== 'admin'))
        ) {
          throw new OnshiError('MSG_FIELD_INVALID', {
            field: 'login',
            detail: '自分自身を無効化・降格することはできません',
          });
        }
        if (body.password !== undefined) await deps.users.resetPassword(login, String(body.password));
        const user = deps.users.update(login, {
          ...(body.role !== undefined ? { role: assertRole(body.role) } : {}),
          ...(typeof body.displayName === 'string' ? { displayName: body.displayName } : {}),
          ...(typeof body.disabled === 'boolean' ? { disabled: body.disabled } : {}),
        });
        sendJson(res, 200, { user });
      },
    },
  ];

  async function route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    for (const candidate of routes) {
      if (candidate.method !== method) continue;
      const match =
        typeof candidate.path === 'string'
          ? candidate.path === path
            ? ([path] as unknown as RegExpExecArray)
            : null
          : candidate.path.exec(path);
      if (match === null) continue;
      const session = candidate.access === 'public' ? undefined : authorize(req, candidate.access);
      await candidate.handler({ req, res, session: session as UiSession, match });
      return;
    }
    throw new OnshiError('HTTP_NOT_FOUND', { path });
  }

  return {
    handle: route,
    routes: routes.map(({ method, path, access }) => ({ method, path, access })),
    closeStreams() {
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}
