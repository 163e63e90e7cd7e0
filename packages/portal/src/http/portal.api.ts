/**
 * The institution side's JSON API (`/api/…` on the portal's port), behind the session cookie
 * `onshi_portal_session` (HttpOnly, SameSite=Strict) and the CSRF header. Routes are thin: parse,
 * call one service, answer. The table of routes is in the package README.
 */
import type { Store } from '@onshi/central';
import { listSightings } from '@onshi/central';
import { type Clock, OnshiError } from '@onshi/core';
import { sessionCookie } from '@onshi/web';
import { findAccount } from '../accounts/accounts.repo.ts';
import type { Accounts } from '../accounts/accounts.service.ts';
import type { Sessions } from '../accounts/sessions.ts';
import { findApplication, findDocument, listApplications } from '../applications/applications.repo.ts';
import type { Applications } from '../applications/applications.service.ts';
import { readStored } from '../applications/uploads.ts';
import { type Certificates, revocationReasonsOffered } from '../certificates/certificates.ts';
import { computeChecklist, type ManualStep, manualSteps } from '../checklist/checklist.ts';
import { findProfile, parseProfile, saveProfile } from '../institutions/institutions.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { SubsidyProgramme } from '../subsidy/index.ts';
import { type ApiRoute, createRouter, logoutRoute, type Router } from './router.ts';

export const PORTAL_COOKIE = 'onshi_portal_session';

export interface PortalApiDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly sessions: Sessions;
  readonly accounts: Accounts;
  readonly applications: Applications;
  readonly certificates: Certificates;
  readonly mailer: Mailer;
  readonly programmes: ReadonlyMap<string, SubsidyProgramme>;
  readonly defaultProgramme: SubsidyProgramme;
  readonly uploadLimitBytes: number;
  readonly dataDir: string;
  /** Called with the registered location (municipality) of an institution (disaster mode). */
  readonly locate: (institutionCode: string, municipalityCode: string) => Promise<unknown>;
}

const accountId = (subject: string) => Number(subject);

async function checklistFor(deps: Pick<PortalApiDeps, 'store' | 'certificates'>, id: number) {
  const { store } = deps;
  const account = await findAccount(store, id);
  const profile = await findProfile(store, id);
  const marks = await store.all<{ item: string; at: string }>(
    'select item, marked_at as at from portal_checklist_marks where account_id = ?',
    [id],
  );
  return computeChecklist({
    verifiedAt: account?.verifiedAt ?? null,
    profileSaved: profile !== undefined,
    applications: await listApplications(store, { accountId: id }),
    certificates: await deps.certificates.list(id),
    sightings: profile ? await listSightings(store, profile.institutionCode) : [],
    marks: new Map(marks.map((m) => [m.item, m.at])),
  });
}

export function portalApi(deps: PortalApiDeps): Router {
  const { accounts, applications, certificates, store } = deps;
  const login = async (ctx: Parameters<ApiRoute['handler']>[0]) => {
    const { cookie, session } = await accounts.login(await ctx.body());
    return {
      json: { csrf: session.csrf, expiresAt: new Date(session.expiresAt).toISOString() },
      headers: { 'set-cookie': sessionCookie(PORTAL_COOKIE, cookie, deps.sessions.ttlMs / 1000) },
    };
  };
  const routes: ApiRoute[] = [
    {
      method: 'POST',
      path: '/api/register',
      session: false,
      handler: async (ctx) => ({ status: 201, json: await accounts.register(await ctx.body()) }),
    },
    {
      method: 'POST',
      path: '/api/verify',
      session: false,
      handler: async (ctx) => ({ json: await accounts.verify((await ctx.body()).token) }),
    },
    {
      method: 'POST',
      path: '/api/resend-verification',
      session: false,
      handler: async (ctx) => {
        await accounts.resendVerification((await ctx.body()).email);
        return undefined;
      },
    },
    { method: 'POST', path: '/api/login', session: false, handler: login },
    logoutRoute(deps.sessions, PORTAL_COOKIE),
    {
      method: 'POST',
      path: '/api/password-reset',
      session: false,
      handler: async (ctx) => {
        await accounts.requestReset((await ctx.body()).email);
        return undefined;
      },
    },
    {
      method: 'POST',
      path: '/api/password-reset/confirm',
      session: false,
      handler: async (ctx) => {
        const body = await ctx.body();
        await accounts.resetPassword({ token: body.token, password: body.password });
        return undefined;
      },
    },
    {
      method: 'GET',
      path: '/api/me',
      handler: async (ctx) => {
        const id = accountId(ctx.session.subject);
        const account = await accounts.account(id);
        return {
          json: {
            email: account?.email,
            csrf: ctx.session.csrf,
            profile: (await findProfile(store, id)) ?? null,
            mailbox: deps.mailer.mode === 'mailbox',
          },
        };
      },
    },
    {
      method: 'PUT',
      path: '/api/profile',
      handler: async (ctx) => {
        const profile = parseProfile(await ctx.body(), deps.defaultProgramme);
        await saveProfile(store, accountId(ctx.session.subject), profile, deps.clock.now().toISOString());
        await deps.locate(profile.institutionCode, profile.municipalityCode);
        return { json: profile };
      },
    },
    {
      method: 'GET',
      path: '/api/applications',
      handler: async (ctx) => ({
        json: { applications: await applications.list(accountId(ctx.session.subject)) },
      }),
    },
    {
      method: 'GET',
      path: '/api/readers/quota',
      handler: async (ctx) => ({ json: await applications.readerQuota(accountId(ctx.session.subject)) }),
    },
    ...(['reader', 'usage', 'certificate'] as const).map(
      (kind): ApiRoute => ({
        method: 'POST',
        path: `/api/applications/${kind}`,
        handler: async (ctx) => {
          const id = accountId(ctx.session.subject);
          const body = await ctx.body();
          const submitted =
            kind === 'reader'
              ? await applications.submitReader(id, body)
              : kind === 'usage'
                ? await applications.submitUsage(id, body)
                : await applications.submitCertificate(id, body);
          return { status: 201, json: submitted };
        },
      }),
    ),
    {
      method: 'POST',
      path: '/api/applications/subsidy',
      handler: async (ctx) => ({
        status: 201,
        json: await applications.submitSubsidy(
          accountId(ctx.session.subject),
          await ctx.body(deps.uploadLimitBytes * 4 + 256 * 1024),
        ),
      }),
    },
    {
      method: 'POST',
      path: '/api/subsidy/estimate',
      handler: async (ctx) => ({
        json: await applications.estimate(accountId(ctx.session.subject), await ctx.body()),
      }),
    },
    {
      method: 'GET',
      path: '/api/subsidy/programmes',
      handler: async () => ({
        json: {
          default: deps.defaultProgramme.id,
          uploadLimitBytes: deps.uploadLimitBytes,
          programmes: [...deps.programmes.values()].map((p) => ({
            id: p.id,
            name: p.name,
            deadlines: p.deadlines,
          })),
        },
      }),
    },
    {
      method: 'GET',
      path: '/api/certificates',
      handler: async (ctx) => ({
        json: {
          certificates: (await certificates.list(accountId(ctx.session.subject))).map(
            ({ certificatePem: _pem, ...rest }) => rest,
          ),
          revocationReasons: revocationReasonsOffered,
        },
      }),
    },
    {
      method: 'POST',
      path: '/api/certificates/:serial/password',
      handler: async (ctx) => ({
        json: {
          oneTimePassword: await certificates.revealPassword(
            accountId(ctx.session.subject),
            ctx.params.serial!,
          ),
        },
      }),
    },
    {
      method: 'GET',
      path: '/api/certificates/:serial/pkcs12',
      handler: async (ctx) => {
        const bytes = await certificates.pkcs12(accountId(ctx.session.subject), ctx.params.serial!);
        return {
          bytes,
          type: 'application/x-pkcs12',
          headers: { 'content-disposition': `attachment; filename="${ctx.params.serial}.p12"` },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/certificates/:serial/pem',
      handler: async (ctx) => {
        const cert = await certificates.owned(accountId(ctx.session.subject), ctx.params.serial!);
        return {
          bytes: certificates.chainPem(cert),
          type: 'application/x-pem-file',
          headers: { 'content-disposition': `attachment; filename="${cert.serial}.pem"` },
        };
      },
    },
    {
      method: 'POST',
      path: '/api/certificates/:serial/revoke',
      handler: async (ctx) => {
        const cert = await certificates.owned(accountId(ctx.session.subject), ctx.params.serial!);
        const { certificatePem: _pem, ...revoked } = await certificates.revoke(
          cert.serial,
          (await ctx.body()).reason,
        );
        return { json: revoked };
      },
    },
    {
      method: 'GET',
      path: '/api/checklist',
      handler: async (ctx) => ({ json: await checklistFor(deps, accountId(ctx.session.subject)) }),
    },
    {
      method: 'POST',
      path: '/api/checklist/marks',
      handler: async (ctx) => {
        const body = await ctx.body();
        const item = body.item as ManualStep;
        if (!manualSteps.includes(item)) {
          throw new OnshiError('MSG_FIELD_INVALID', { field: 'item', detail: manualSteps.join(', ') });
        }
        const id = accountId(ctx.session.subject);
        if (body.done === false) {
          await store.run('delete from portal_checklist_marks where account_id = ? and item = ?', [id, item]);
        } else {
          await store.run(
            `insert into portal_checklist_marks (account_id, item, marked_at) values (?, ?, ?)
             on conflict (account_id, item) do nothing`,
            [id, item, deps.clock.now().toISOString()],
          );
        }
        return { json: await checklistFor(deps, id) };
      },
    },
    {
      method: 'GET',
      path: '/api/documents/:id',
      handler: async (ctx) => {
        const doc = await findDocument(store, Number(ctx.params.id));
        const app = doc && (await findApplication(store, doc.applicationId));
        if (doc === undefined || app?.accountId !== accountId(ctx.session.subject))
          throw new OnshiError('HTTP_NOT_FOUND', { path: ctx.req.url ?? '' });
        return { bytes: await readStored(deps.dataDir, doc.sha256), type: doc.mediaType };
      },
    },
    {
      method: 'GET',
      path: '/api/mailbox',
      session: false,
      handler: async () => {
        if (deps.mailer.mode !== 'mailbox') throw new OnshiError('HTTP_NOT_FOUND', { path: '/api/mailbox' });
        return { json: { mails: await deps.mailer.list() } };
      },
    },
  ];
  return createRouter({ realm: 'institution', cookieName: PORTAL_COOKIE, sessions: deps.sessions, routes });
}
