/**
 * The operator console's JSON API (`/api/…` on the operator port), behind its own session cookie
 * `onshi_operator_session` (realm 'operator': an institution session is never accepted here).
 */
import type { DisasterService, Store } from '@onshi/central';
import { type Clock, OnshiError } from '@onshi/core';
import { sessionCookie } from '@onshi/web';
import type { OperatorRole } from '../accounts/accounts.repo.ts';
import type { Accounts } from '../accounts/accounts.service.ts';
import type { Sessions } from '../accounts/sessions.ts';
import { findDocument, listDocuments } from '../applications/applications.repo.ts';
import type { Applications } from '../applications/applications.service.ts';
import { readStored } from '../applications/uploads.ts';
import { type Certificates, revocationReasonsOffered } from '../certificates/certificates.ts';
import { findProfile } from '../institutions/institutions.ts';
import { barChartSvg } from '../operator/charts.ts';
import { batchVolumes, checksByKind, checksByMethod, readerRollout } from '../operator/stats.ts';
import { type ApiRoute, createRouter, logoutRoute, type Router } from './router.ts';

export const OPERATOR_COOKIE = 'onshi_operator_session';

export interface OperatorApiDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly sessions: Sessions;
  readonly accounts: Accounts;
  readonly applications: Applications;
  readonly certificates: Certificates;
  readonly disaster: DisasterService;
  readonly dataDir: string;
}

const palette = ['#1f6feb', '#d97706', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#64748b'];

const seriesNames: Readonly<Record<string, string>> = {
  'check-card-data': '保険証情報 / card data',
  'check-card': 'マイナンバーカード / My Number card',
  batch: '一括照会 / batch',
  hospital: '病院',
  clinic: '診療所',
  dental: '歯科',
  pharmacy: '薬局',
  'large-chain-pharmacy': '大型チェーン薬局',
  'table-1': '医科（未登録）',
  'table-3': '歯科（未登録）',
  'table-4': '調剤（未登録）',
};

function chartOf(
  title: string,
  days: readonly string[],
  series: Readonly<Record<string, readonly number[]>>,
) {
  return barChartSvg({
    title,
    labels: days.map((d) => d.slice(5)),
    series: Object.entries(series).map(([key, values], i) => ({
      name: seriesNames[key] ?? key,
      color: palette[i % palette.length]!,
      values,
    })),
  });
}

function days(query: URLSearchParams): number {
  const n = Number(query.get('days') ?? 30);
  return Number.isSafeInteger(n) && n >= 1 && n <= 366 ? n : 30;
}

function isoInstant(value: unknown, field: string): Date {
  const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime()))
    throw new OnshiError('MSG_FIELD_INVALID', { field, detail: 'ISO 8601 日時' });
  return date;
}

/**
 * Roles (ADR 0005): every state-changing route is the approver's; an auditor reads queues,
 * documents, certificates, disaster mode and statistics. Enforced here, not in the page.
 */
const approverOnly: readonly OperatorRole[] = ['approver'];

export function operatorApi(deps: OperatorApiDeps): Router {
  const { store, applications, certificates, disaster, clock } = deps;
  const routes: ApiRoute[] = [
    {
      method: 'POST',
      path: '/api/login',
      session: false,
      handler: async (ctx) => {
        const { cookie, session } = await deps.accounts.operatorLogin(await ctx.body());
        return {
          json: { csrf: session.csrf, login: session.subject },
          headers: { 'set-cookie': sessionCookie(OPERATOR_COOKIE, cookie, deps.sessions.ttlMs / 1000) },
        };
      },
    },
    logoutRoute(deps.sessions, OPERATOR_COOKIE),
    {
      method: 'GET',
      path: '/api/me',
      handler: async (ctx) => {
        const row = await deps.accounts.operator(ctx.session.subject);
        return {
          json: {
            login: ctx.session.subject,
            displayName: row?.displayName,
            role: row?.role,
            csrf: ctx.session.csrf,
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/applications',
      handler: async (ctx) => {
        const status = ctx.query.get('status') || undefined;
        const kind = ctx.query.get('kind') || undefined;
        const apps = await applications.queue({ status: status as never, kind: kind as never });
        const rows = await Promise.all(
          apps.map(async (a) => {
            const account = await deps.accounts.account(a.accountId);
            const { csr: _csr, estimate: _estimate, ...payload } = a.payload;
            return {
              ...a,
              payload,
              email: account?.email,
              institution: (await findProfile(store, a.accountId)) ?? null,
              documents: await listDocuments(store, a.id),
            };
          }),
        );
        return { json: { applications: rows } };
      },
    },
    {
      method: 'POST',
      path: '/api/applications/:id/approve',
      roles: approverOnly,
      handler: async (ctx) => ({
        json: await applications.approve(Number(ctx.params.id), ctx.session.subject, await ctx.body()),
      }),
    },
    {
      method: 'POST',
      path: '/api/applications/:id/reject',
      roles: approverOnly,
      handler: async (ctx) => ({
        json: await applications.reject(
          Number(ctx.params.id),
          ctx.session.subject,
          (await ctx.body()).reason,
        ),
      }),
    },
    {
      method: 'GET',
      path: '/api/certificates',
      handler: async () => ({
        json: {
          certificates: (await certificates.list()).map(({ certificatePem: _pem, ...rest }) => rest),
          revocationReasons: revocationReasonsOffered,
        },
      }),
    },
    {
      method: 'POST',
      path: '/api/certificates/:serial/revoke',
      roles: approverOnly,
      handler: async (ctx) => {
        const { certificatePem: _pem, ...revoked } = await certificates.revoke(
          ctx.params.serial!,
          (await ctx.body()).reason,
        );
        return { json: revoked };
      },
    },
    {
      method: 'GET',
      path: '/api/disaster',
      handler: async () => ({ json: { declarations: await disaster.list() } }),
    },
    {
      method: 'POST',
      path: '/api/disaster',
      roles: approverOnly,
      handler: async (ctx) => {
        const body = await ctx.body();
        const municipalities = (
          Array.isArray(body.municipalities)
            ? body.municipalities
            : String(body.municipalities ?? '').split(/[,\s、]+/)
        )
          .map((m) => String(m).trim())
          .filter((m) => m !== '');
        const startsAt = body.startsAt ? isoInstant(body.startsAt, 'startsAt') : clock.now();
        return {
          status: 201,
          json: await disaster.open({
            name: String(body.name ?? ''),
            municipalities,
            startsAt,
            endsAt: isoInstant(body.endsAt, 'endsAt'),
          }),
        };
      },
    },
    {
      method: 'POST',
      path: '/api/disaster/:id/close',
      roles: approverOnly,
      handler: async (ctx) => ({ json: await disaster.close(Number(ctx.params.id)) }),
    },
    {
      method: 'GET',
      path: '/api/stats',
      handler: async (ctx) => {
        const n = days(ctx.query);
        const now = clock.now();
        const inOperation = await store.get<{ n: number }>(
          `select count(distinct c.account_id) as n from portal_certificates c
           join institution_sightings s on s.serial = c.serial where c.environment = 'production'`,
        );
        return {
          json: {
            byMethod: await checksByMethod(store, now, n),
            byKind: await checksByKind(store, now, n),
            batch: await batchVolumes(store, now, n),
            rollout: { ...(await readerRollout(store)), institutionsInOperation: inOperation?.n ?? 0 },
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/charts/:name',
      handler: async (ctx) => {
        const n = days(ctx.query);
        const now = clock.now();
        let svg: string;
        if (ctx.params.name === 'checks-by-method.svg') {
          const d = await checksByMethod(store, now, n);
          svg = chartOf('資格確認件数（方法別・日別） / checks per day by method', d.days, d.series);
        } else if (ctx.params.name === 'checks-by-kind.svg') {
          const d = await checksByKind(store, now, n);
          svg = chartOf(
            '資格確認件数（施設種別・日別） / checks per day by institution kind',
            d.days,
            d.series,
          );
        } else if (ctx.params.name === 'batch.svg') {
          const d = await batchVolumes(store, now, n);
          svg = chartOf(
            '一括照会（施設種別・日別の件数） / batch rows per day by institution kind',
            d.days,
            d.series,
          );
        } else if (ctx.params.name === 'readers.svg') {
          const r = await readerRollout(store);
          svg = chartOf('顔認証付きカードリーダー（月別） / card readers per month', r.months, {
            '申込 / applied': r.applied,
            '承認 / approved': r.approved,
          });
        } else throw new OnshiError('HTTP_NOT_FOUND', { path: ctx.req.url ?? '' });
        return { bytes: svg, type: 'image/svg+xml; charset=utf-8' };
      },
    },
    {
      method: 'GET',
      path: '/api/documents/:id',
      handler: async (ctx) => {
        const doc = await findDocument(store, Number(ctx.params.id));
        if (doc === undefined) throw new OnshiError('HTTP_NOT_FOUND', { path: ctx.req.url ?? '' });
        return { bytes: await readStored(deps.dataDir, doc.sha256), type: doc.mediaType };
      },
    },
  ];
  // A state-changing route without roles would be open to auditors: refuse to start instead.
  for (const route of routes) {
    if (route.method !== 'GET' && (route.session ?? true) && route.roles === undefined) {
      throw new Error(`operator API: ${route.method} ${route.path} names no roles`);
    }
  }
  return createRouter({
    realm: 'operator',
    cookieName: OPERATOR_COOKIE,
    sessions: deps.sessions,
    routes,
    roleOf: async (session) => (await deps.accounts.operator(session.subject))?.role,
  });
}
