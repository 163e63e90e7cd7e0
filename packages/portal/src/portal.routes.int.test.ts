/**
 * Every route of the portal's and the operator console's APIs, walked with no session, with an
 * institution's session, and with each operator role. The routes come from the running portal, so
 * a route added without a row in the tables below fails here. A refusal is one of the access codes
 * (no session, wrong role, missing CSRF header); anything else — a validation error or a 404 for a
 * made-up id included — means the caller got past the access check. A session of one realm is
 * never accepted by the other side, and state-changing calls without the CSRF header are refused.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachStore } from '../../central/src/test/stores.ts';
import type { ApiRoute } from './http/router.ts';
import {
  auditorLogin,
  operatorLogin,
  type PortalFixture,
  registeredInstitution,
  startTestPortal,
} from './test/portal-fixture.ts';

type Caller = 'institution' | 'approver' | 'auditor';
type Access = 'public' | readonly Caller[];
const institution: Access = ['institution'];
const operators: Access = ['approver', 'auditor'];
const approver: Access = ['approver'];

/** `METHOD path` → a concrete path and who may call it. */
const portalTable: Readonly<Record<string, readonly [string, Access]>> = {
  'POST /api/register': ['/api/register', 'public'],
  'POST /api/verify': ['/api/verify', 'public'],
  'POST /api/resend-verification': ['/api/resend-verification', 'public'],
  'POST /api/login': ['/api/login', 'public'],
  'POST /api/logout': ['/api/logout', 'public'],
  'POST /api/password-reset': ['/api/password-reset', 'public'],
  'POST /api/password-reset/confirm': ['/api/password-reset/confirm', 'public'],
  'GET /api/me': ['/api/me', institution],
  'PUT /api/profile': ['/api/profile', institution],
  'GET /api/applications': ['/api/applications', institution],
  'GET /api/readers/quota': ['/api/readers/quota', institution],
  'POST /api/applications/reader': ['/api/applications/reader', institution],
  'POST /api/applications/usage': ['/api/applications/usage', institution],
  'POST /api/applications/certificate': ['/api/applications/certificate', institution],
  'POST /api/applications/subsidy': ['/api/applications/subsidy', institution],
  'POST /api/subsidy/estimate': ['/api/subsidy/estimate', institution],
  'GET /api/subsidy/programmes': ['/api/subsidy/programmes', institution],
  'GET /api/certificates': ['/api/certificates', institution],
  'POST /api/certificates/:serial/password': ['/api/certificates/0a/password', institution],
  'GET /api/certificates/:serial/pkcs12': ['/api/certificates/0a/pkcs12', institution],
  'GET /api/certificates/:serial/pem': ['/api/certificates/0a/pem', institution],
  'POST /api/certificates/:serial/revoke': ['/api/certificates/0a/revoke', institution],
  'GET /api/checklist': ['/api/checklist', institution],
  'POST /api/checklist/marks': ['/api/checklist/marks', institution],
  'GET /api/documents/:id': ['/api/documents/999999', institution],
  // The demo's mailbox (mailbox mode only; see docs/security.md): no session by design.
  'GET /api/mailbox': ['/api/mailbox', 'public'],
};

const operatorTable: Readonly<Record<string, readonly [string, Access]>> = {
  'POST /api/login': ['/api/login', 'public'],
  'POST /api/logout': ['/api/logout', 'public'],
  'GET /api/me': ['/api/me', operators],
  'GET /api/applications': ['/api/applications', operators],
  'POST /api/applications/:id/approve': ['/api/applications/999999/approve', approver],
  'POST /api/applications/:id/reject': ['/api/applications/999999/reject', approver],
  'GET /api/certificates': ['/api/certificates', operators],
  'POST /api/certificates/:serial/revoke': ['/api/certificates/0a/revoke', approver],
  'GET /api/disaster': ['/api/disaster', operators],
  'POST /api/disaster': ['/api/disaster', approver],
  'POST /api/disaster/:id/close': ['/api/disaster/999999/close', approver],
  'GET /api/stats': ['/api/stats', operators],
  'GET /api/charts/:name': ['/api/charts/none.svg', operators],
  'GET /api/documents/:id': ['/api/documents/999999', operators],
};

const refusals = ['PORTAL_SESSION_REQUIRED', 'PORTAL_CSRF_INVALID', 'PORTAL_OPERATOR_ROLE_FORBIDDEN'];

interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

async function call(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; code: string | undefined }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
    ...(method === 'GET' ? {} : { body: '{}' }),
  });
  const text = await res.text();
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { code?: string }).code;
  } catch {
    code = undefined;
  }
  return { status: res.status, code };
}

async function login(base: string, body: object, cookieName: string): Promise<Session> {
  const res = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = res.headers.get('set-cookie')!.split(';', 1)[0]!;
  assert.ok(cookie.startsWith(`${cookieName}=`));
  return { cookie, csrf: ((await res.json()) as { csrf: string }).csrf };
}

const keyOf = (route: ApiRoute) => `${route.method} ${route.path}`;

/** The access a route declares, in the tables' terms. */
function declared(route: ApiRoute, side: 'portal' | 'operator'): Access {
  if (route.session === false) return 'public';
  if (side === 'portal') return institution;
  return route.roles === undefined ? operators : (route.roles as readonly Caller[]);
}

forEachStore('portal and operator console: every API route by caller', (store) => {
  let f: PortalFixture;
  const email = 'routes@example.jp';
  const password = 'institution-pass-42';
  before(async () => {
    f = await startTestPortal(store());
    await registeredInstitution(f.portal.url, { email, password });
  });
  after(() => f.dispose());

  const sides = () =>
    [
      ['portal', f.portal.url, f.portal.routes.portal, portalTable, 'onshi_portal_session'],
      ['operator', f.portal.operatorUrl!, f.portal.routes.operator, operatorTable, 'onshi_operator_session'],
    ] as const;

  it('has a row in these tables for every route either side serves, and no stale rows', () => {
    for (const [side, , routes, table] of sides()) {
      assert.deepEqual(routes.map(keyOf).sort(), Object.keys(table).sort(), side);
      for (const route of routes)
        assert.deepEqual(declared(route, side), table[keyOf(route)]![1], keyOf(route));
    }
  });

  it('refuses callers without a session, of the other realm or another role; lets the listed ones through', async () => {
    const sessionOf = async (caller: Caller): Promise<Session> =>
      caller === 'institution'
        ? login(f.portal.url, { email, password }, 'onshi_portal_session')
        : login(
            f.portal.operatorUrl!,
            caller === 'approver' ? operatorLogin : auditorLogin,
            'onshi_operator_session',
          );
    const sessions = new Map<Caller, Session>();
    for (const caller of ['institution', 'approver', 'auditor'] as const) {
      sessions.set(caller, await sessionOf(caller));
    }
    for (const [side, base, routes, table, cookieName] of sides()) {
      for (const route of routes) {
        const [path, access] = table[keyOf(route)]!;
        const what = `${side} ${keyOf(route)}`;
        const anonymous = await call(base, route.method, path);
        if (access === 'public') {
          assert.ok(!refusals.includes(anonymous.code ?? ''), `${what} is public: ${anonymous.code}`);
        } else {
          assert.equal(anonymous.status, 401, `${what} without a session`);
          assert.equal(anonymous.code, 'PORTAL_SESSION_REQUIRED', what);
        }
        for (const caller of ['institution', 'approver', 'auditor'] as const) {
          const session = sessions.get(caller)!;
          // The session's value under this side's cookie name: a session of the other realm must not count.
          const value = session.cookie.slice(session.cookie.indexOf('=') + 1);
          const answer = await call(base, route.method, path, {
            cookie: `${cookieName}=${value}`,
            'x-onshi-csrf': session.csrf,
          });
          const sameRealm = (side === 'portal') === (caller === 'institution');
          if (access === 'public' || access.includes(caller)) {
            assert.ok(!refusals.includes(answer.code ?? ''), `${what} as ${caller}: ${answer.code}`);
            if (route.path === '/api/logout') sessions.set(caller, await sessionOf(caller));
          } else if (!sameRealm) {
            assert.equal(answer.status, 401, `${what} with a session of the other realm (${caller})`);
            assert.equal(answer.code, 'PORTAL_SESSION_REQUIRED', what);
          } else {
            assert.equal(answer.status, 403, `${what} as ${caller}`);
            assert.equal(answer.code, 'PORTAL_OPERATOR_ROLE_FORBIDDEN', `${what} as ${caller}`);
          }
        }
      }
    }
  });

  it('refuses every state-changing call of a session without the CSRF header', async () => {
    for (const [side, base, routes, table] of sides()) {
      const session =
        side === 'portal'
          ? await login(base, { email, password }, 'onshi_portal_session')
          : await login(base, operatorLogin, 'onshi_operator_session');
      for (const route of routes) {
        const [path, access] = table[keyOf(route)]!;
        if (route.method === 'GET' || access === 'public') continue;
        const forged = await call(base, route.method, path, { cookie: session.cookie });
        assert.equal(forged.status, 403, `${side} ${keyOf(route)}`);
        assert.equal(forged.code, 'PORTAL_CSRF_INVALID', `${side} ${keyOf(route)}`);
      }
    }
  });

  it('answers a malformed %-escape in a path parameter with 404, not a server error', async () => {
    const session = await login(f.portal.url, { email, password }, 'onshi_portal_session');
    const answer = await call(f.portal.url, 'GET', '/api/documents/%E0%A4%A', { cookie: session.cookie });
    assert.equal(answer.status, 404);
    assert.equal(answer.code, 'HTTP_NOT_FOUND');
  });
});
