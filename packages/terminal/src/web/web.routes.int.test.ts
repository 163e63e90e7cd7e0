/**
 * Every route of the staff UI API, walked with no session and with each role: the routes come from
 * the API itself, so a route added without a row in the table below fails here. A refusal is one
 * of the access codes (no session, wrong role, missing CSRF header); anything else — a validation
 * error included — means the caller got past the access check. Also: a state-changing call without
 * the CSRF header is refused on every route, and a login ends the session the browser came with.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, it } from 'node:test';
import { forEachStore } from '../../../central/src/test/stores.ts';
import type { RunningTerminal } from '../station/station.start.ts';
import type { Role } from '../station/station.users.ts';
import { createStationWorld, http, loginAs, type StationWorld } from '../test/station.ts';

type Access = 'public' | readonly Role[];
const all: Access = ['admin', 'clerk', 'viewer'];
const staff: Access = ['admin', 'clerk'];
const admin: Access = ['admin'];
const viewer: Access = ['viewer'];
const id = '0'.repeat(20);

/** `METHOD path` as the API lists it (a pattern by its source) → a concrete path and who may call. */
const expected: Readonly<Record<string, { readonly path: string; readonly access: Access }>> = {
  'POST /api/login': { path: '/api/login', access: 'public' },
  'POST /api/logout': { path: '/api/logout', access: all },
  'GET /api/status': { path: '/api/status', access: 'public' },
  'GET /api/me': { path: '/api/me', access: all },
  'GET /api/certificate': { path: '/api/certificate', access: all },
  'POST /api/checks': { path: '/api/checks', access: staff },
  'POST /api/reference-numbers': { path: '/api/reference-numbers', access: staff },
  'GET /api/medinfo/patients': { path: '/api/medinfo/patients', access: viewer },
  'POST /api/medications': { path: '/api/medications', access: viewer },
  'POST /api/checkups': { path: '/api/checkups', access: viewer },
  'GET /api/medications/pdf': { path: '/api/medications/pdf', access: viewer },
  'GET /api/checkups/pdf': { path: '/api/checkups/pdf', access: viewer },
  'POST /api/disaster-searches': { path: '/api/disaster-searches', access: viewer },
  'POST /api/consents/revocations': { path: '/api/consents/revocations', access: all },
  'POST /api/batches/check': { path: '/api/batches/check', access: staff },
  'POST /api/batches': { path: '/api/batches', access: staff },
  'GET /api/batches': { path: '/api/batches', access: staff },
  'GET ^\\/api\\/batches\\/([0-9a-f]{20})$': { path: `/api/batches/${id}`, access: staff },
  'GET ^\\/api\\/batches\\/([0-9a-f]{20})\\/csv$': { path: `/api/batches/${id}/csv`, access: staff },
  'GET /api/records': { path: '/api/records', access: all },
  'GET ^\\/api\\/records\\/([0-9a-f]{20})$': { path: `/api/records/${id}`, access: all },
  'GET /api/feed': { path: '/api/feed', access: all },
  'GET /api/settings': { path: '/api/settings', access: all },
  'PUT /api/settings': { path: '/api/settings', access: admin },
  'GET /api/users': { path: '/api/users', access: admin },
  'POST /api/users': { path: '/api/users', access: admin },
  'PATCH ^\\/api\\/users\\/([^/]+)$': { path: '/api/users/nobody', access: admin },
};

const refusals = ['TERMINAL_SESSION_REQUIRED', 'TERMINAL_ROLE_FORBIDDEN', 'TERMINAL_CSRF_INVALID'];

/** Status and error code of a call; an event stream is cut as soon as its headers arrive. */
function call(
  terminal: RunningTerminal,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; code: string | undefined }> {
  const body = method === 'GET' ? undefined : '{}';
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path.slice(1), terminal.url),
      {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      },
      (res) => {
        if (String(res.headers['content-type']).startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, code: undefined });
          res.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let code: string | undefined;
          try {
            code = (JSON.parse(text) as { code?: string }).code;
          } catch {
            code = undefined;
          }
          resolve({ status: res.statusCode ?? 0, code });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

forEachStore('terminal: every UI API route by role', (store) => {
  let fixture: StationWorld;
  let terminal: RunningTerminal;
  const passwords: Record<Role, string> = {
    admin: 'admin-password-1',
    clerk: 'clerk-password-1',
    viewer: 'viewer-password-1',
  };
  before(async () => {
    fixture = await createStationWorld(store());
    terminal = await fixture.startTerminal();
    for (const role of ['admin', 'clerk', 'viewer'] as const) {
      await terminal.users.create({ login: role, role, password: passwords[role] });
    }
  });
  after(() => fixture.dispose());

  const keyOf = (route: RunningTerminal['uiRoutes'][number]) =>
    `${route.method} ${typeof route.path === 'string' ? route.path : route.path.source}`;

  it('has an access rule in this table for every route the API serves, and no stale rows', () => {
    const served = terminal.uiRoutes.map(keyOf).sort();
    assert.deepEqual(served, Object.keys(expected).sort());
    for (const route of terminal.uiRoutes) {
      assert.deepEqual(route.access, expected[keyOf(route)]!.access, keyOf(route));
    }
  });

  it('refuses callers without a session or with another role, and lets the listed roles through', async () => {
    const sessions = new Map<Role, Awaited<ReturnType<typeof loginAs>>>();
    const sessionOf = async (role: Role) => {
      let session = sessions.get(role);
      if (session === undefined) {
        session = await loginAs(terminal, role, passwords[role]);
        sessions.set(role, session);
      }
      return session;
    };
    for (const route of terminal.uiRoutes) {
      const { path, access } = expected[keyOf(route)]!;
      const anonymous = await call(terminal, route.method, path, {});
      if (access === 'public') {
        assert.ok(!refusals.includes(anonymous.code ?? ''), `${keyOf(route)} is public: ${anonymous.code}`);
      } else {
        assert.equal(anonymous.status, 401, `${keyOf(route)} without a session`);
        assert.equal(anonymous.code, 'TERMINAL_SESSION_REQUIRED', keyOf(route));
      }
      for (const role of ['admin', 'clerk', 'viewer'] as const) {
        const session = await sessionOf(role);
        const answer = await call(terminal, route.method, path, {
          cookie: session.cookie,
          'x-onshi-csrf': session.csrf,
        });
        if (access === 'public' || access.includes(role)) {
          assert.ok(!refusals.includes(answer.code ?? ''), `${keyOf(route)} as ${role}: ${answer.code}`);
          if (route.path === '/api/logout') sessions.delete(role);
        } else {
          assert.equal(answer.status, 403, `${keyOf(route)} as ${role}`);
          assert.equal(answer.code, 'TERMINAL_ROLE_FORBIDDEN', `${keyOf(route)} as ${role}`);
        }
      }
    }
  });

  it('refuses every state-changing call of a session without the CSRF header', async () => {
    for (const route of terminal.uiRoutes) {
      const { path, access } = expected[keyOf(route)]!;
      if (route.method === 'GET' || access === 'public') continue;
      const session = await loginAs(terminal, access[0]!, passwords[access[0]!]);
      const forged = await call(terminal, route.method, path, { cookie: session.cookie });
      assert.equal(forged.status, 403, keyOf(route));
      assert.equal(forged.code, 'TERMINAL_CSRF_INVALID', keyOf(route));
    }
  });

  it('ends the session a browser logs in with (a planted or older cookie is not kept alive)', async () => {
    const first = await loginAs(terminal, 'clerk', passwords.clerk);
    const again = await http(new URL('api/login', terminal.url).toString(), {
      body: { login: 'admin', password: passwords.admin },
      headers: { cookie: first.cookie },
    });
    assert.equal(again.status, 200);
    assert.notEqual(String(again.headers['set-cookie']).split(';', 1)[0], first.cookie);
    assert.equal((await first.call('api/me')).status, 401, 'the earlier session is over');
  });
});
