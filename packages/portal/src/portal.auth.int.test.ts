/**
 * Logins and sessions on SQLite and PostgreSQL, with a clock the test moves: the lockout after five
 * wrong passwords (institution accounts and operator logins) and its end; sessions that expire
 * (sliding: used in their second half they are extended) and are gone afterwards; and the operator
 * roles (ADR 0005): an auditor reads everything and changes nothing, enforced by the server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testClock } from '@onshi/pki/test-support';
import { forEachStore } from '../../central/src/test/stores.ts';
import { LOCK_AFTER, LOCK_MS } from './accounts/accounts.service.ts';
import { operatorApi } from './http/operator.api.ts';
import {
  approveSubmitted,
  auditorLogin,
  type Client,
  client,
  operatorClient,
  operatorLogin,
  type PortalFixture,
  registeredInstitution,
  startTestPortal,
} from './test/portal-fixture.ts';

const HOUR = 3600_000;
const email = 'lock@example.jp';
const password = 'lockout-pass-42';

forEachStore('portal logins, sessions and operator roles', (store) => {
  const clock = testClock('2026-04-01T00:00:00Z');
  let f: PortalFixture;
  let inst: Client;
  before(async () => {
    f = await startTestPortal(store(), clock);
    inst = await registeredInstitution(f.portal.url, { email, password });
  });
  after(async () => {
    await f?.dispose();
  });

  describe('lockout', () => {
    it(`institution: ${LOCK_AFTER} wrong passwords lock the account, even for the right one, until ${LOCK_MS / 60_000} minutes pass`, async () => {
      const c = client(f.portal.url);
      for (let i = 0; i < LOCK_AFTER; i++) {
        assert.equal(
          (await c.call('POST', '/api/login', { email, password: `wrong ${i} password` })).json.code,
          'PORTAL_LOGIN_FAILED',
        );
      }
      const locked = await c.call('POST', '/api/login', { email, password });
      assert.equal(locked.status, 429);
      assert.equal(locked.json.code, 'PORTAL_LOGIN_LOCKED');
      assert.match(locked.json.message, /300 秒後/);
      clock.advance(LOCK_MS - 1000);
      assert.equal(
        (await c.call('POST', '/api/login', { email, password })).json.code,
        'PORTAL_LOGIN_LOCKED',
      );
      clock.advance(1000);
      assert.equal((await c.call('POST', '/api/login', { email, password })).status, 200);
      // The right password reset the count: four wrong ones in a row do not lock.
      for (let i = 0; i < LOCK_AFTER - 1; i++) {
        await c.call('POST', '/api/login', { email, password: 'wrong password!' });
      }
      assert.equal((await c.call('POST', '/api/login', { email, password })).status, 200);
    });

    it('an unknown address is never "locked" (no hint that it does not exist)', async () => {
      const c = client(f.portal.url);
      for (let i = 0; i <= LOCK_AFTER + 1; i++) {
        const res = await c.call('POST', '/api/login', { email: 'nobody@example.jp', password });
        assert.equal(res.json.code, 'PORTAL_LOGIN_FAILED');
      }
    });

    it('operator logins lock the same way', async () => {
      const c = client(f.portal.operatorUrl!);
      for (let i = 0; i < LOCK_AFTER; i++) {
        assert.equal(
          (await c.call('POST', '/api/login', { login: auditorLogin.login, password: 'wrong password' })).json
            .code,
          'PORTAL_LOGIN_FAILED',
        );
      }
      assert.equal((await c.call('POST', '/api/login', auditorLogin)).json.code, 'PORTAL_LOGIN_LOCKED');
      // Another operator is not affected.
      assert.equal(
        (await client(f.portal.operatorUrl!).call('POST', '/api/login', operatorLogin)).status,
        200,
      );
      clock.advance(LOCK_MS);
      assert.equal((await c.call('POST', '/api/login', auditorLogin)).status, 200);
    });
  });

  describe('sessions expire (2 h, sliding)', () => {
    it('an institution session: alive at 59 min, extended when used in its second half, gone after', async () => {
      const c = client(f.portal.url);
      const login = await c.call('POST', '/api/login', { email, password });
      const start = clock.now().getTime();
      assert.equal(login.json.expiresAt, new Date(start + 2 * HOUR).toISOString());
      clock.advance(59 * 60_000);
      assert.equal((await c.call('GET', '/api/me')).status, 200);
      const expiry = async () =>
        Number(
          (await store().get<{ e: number }>(
            "select max(expires_at) as e from portal_sessions where realm = 'institution'",
          ))!.e,
        );
      assert.equal(await expiry(), start + 2 * HOUR); // more than half left: not moved
      clock.advance(31 * 60_000); // 1 h 30 min: less than half left → extended to now + 2 h
      assert.equal((await c.call('GET', '/api/me')).status, 200);
      const extended = clock.now().getTime() + 2 * HOUR;
      assert.equal(await expiry(), extended);
      clock.set(new Date(extended + 1)); // unused for 2 h since it was extended
      const expired = await c.call('GET', '/api/me');
      assert.equal(expired.status, 401);
      assert.equal(expired.json.code, 'PORTAL_SESSION_REQUIRED');
      // Expired sessions are deleted when met, and a state change is refused the same way.
      assert.equal((await c.call('PUT', '/api/profile', {})).json.code, 'PORTAL_SESSION_REQUIRED');
    });

    it('an operator session expires too; logging in again works', async () => {
      const op = await operatorClient(f.portal.operatorUrl!);
      assert.equal((await op.call('GET', '/api/applications')).status, 200);
      clock.advance(2 * HOUR + 1);
      assert.equal((await op.call('GET', '/api/applications')).json.code, 'PORTAL_SESSION_REQUIRED');
      assert.equal((await op.call('POST', '/api/login', operatorLogin)).status, 200);
      assert.equal((await op.call('GET', '/api/applications')).status, 200);
      // The institution's client from `before` expired meanwhile as well.
      assert.equal((await inst.call('GET', '/api/me')).json.code, 'PORTAL_SESSION_REQUIRED');
      assert.equal((await inst.call('POST', '/api/login', { email, password })).status, 200);
    });
  });

  describe('operator roles', () => {
    let approver: Client;
    let auditor: Client;
    let readerId = 0;
    before(async () => {
      approver = await operatorClient(f.portal.operatorUrl!);
      auditor = await operatorClient(f.portal.operatorUrl!, auditorLogin);
      await inst.call('POST', '/api/login', { email, password });
      readerId = (await inst.call('POST', '/api/applications/reader', { quantity: 1 })).json.id;
      await inst.call('POST', '/api/applications/usage', {
        plannedTest: '2026-05-01',
        plannedStart: '2026-06-01',
        lineType: 'ipsec-ike',
      });
    });

    it('/api/me names the role', async () => {
      assert.equal((await auditor.call('GET', '/api/me')).json.role, 'auditor');
      assert.equal((await approver.call('GET', '/api/me')).json.role, 'approver');
    });

    it('an auditor reads the queue, documents, certificates, disaster mode and statistics', async () => {
      const queue = (await auditor.call('GET', '/api/applications?status=submitted')).json.applications;
      assert.ok(queue.some((a: { id: number }) => a.id === readerId));
      assert.equal((await auditor.call('GET', '/api/certificates')).status, 200);
      assert.equal((await auditor.call('GET', '/api/disaster')).status, 200);
      assert.equal((await auditor.call('GET', '/api/stats?days=7')).status, 200);
      assert.match(String((await auditor.call('GET', '/api/charts/batch.svg')).json), /^<svg/);
    });

    it('an auditor changes nothing: every state-changing route answers 403 PORTAL_OPERATOR_ROLE_FORBIDDEN', async () => {
      const attempts: [string, object][] = [
        [`/api/applications/${readerId}/approve`, {}],
        [`/api/applications/${readerId}/reject`, { reason: '監査担当による却下' }],
        ['/api/certificates/01/revoke', { reason: 'keyCompromise' }],
        ['/api/disaster', { name: '訓練', municipalities: ['13101'], endsAt: '2026-04-30T00:00:00Z' }],
        ['/api/disaster/1/close', {}],
      ];
      for (const [path, body] of attempts) {
        const res = await auditor.call('POST', path, body);
        assert.equal(res.status, 403, path);
        assert.equal(res.json.code, 'PORTAL_OPERATOR_ROLE_FORBIDDEN', path);
        assert.match(res.json.message, /監査|auditor/);
      }
      const reader = (await auditor.call('GET', '/api/applications?kind=reader')).json.applications.find(
        (a: { id: number }) => a.id === readerId,
      );
      assert.equal(reader.status, 'submitted');
      assert.equal((await auditor.call('GET', '/api/disaster')).json.declarations.length, 0);
      // The approver may.
      await approveSubmitted(approver, 'usage');
      assert.equal(
        (await approver.call('POST', `/api/applications/${readerId}/approve`, {})).json.status,
        'approved',
      );
    });

    it('every state-changing operator route names its roles (checked when the API is built)', () => {
      // Building the API over a route table with an unguarded POST would throw; the real table builds.
      assert.doesNotThrow(() =>
        operatorApi({
          store: store(),
          clock,
          sessions: undefined as never,
          accounts: undefined as never,
          applications: undefined as never,
          certificates: undefined as never,
          disaster: undefined as never,
          dataDir: f.dir,
        }),
      );
    });

    it('a role changed at the next start counts for sessions already open', async () => {
      const second = await startTestPortal(store(), clock, {
        operatorLogins: [{ ...auditorLogin, role: 'approver' }],
      });
      try {
        assert.equal((await auditor.call('GET', '/api/me')).json.role, 'approver');
      } finally {
        await second.dispose();
      }
      const third = await startTestPortal(store(), clock, {
        operatorLogins: [{ ...auditorLogin, role: 'auditor' }],
      });
      await third.dispose();
      assert.equal(
        (await auditor.call('POST', `/api/applications/${readerId}/reject`, { reason: 'x' })).json.code,
        'PORTAL_OPERATOR_ROLE_FORBIDDEN',
      );
    });

    it('an unknown role is refused at start: PORTAL_OPERATOR_ROLE_INVALID', async () => {
      await assert.rejects(
        startTestPortal(store(), clock, {
          operatorLogins: [{ login: 'boss', password: 'boss-password-1', role: 'boss' as never }],
        }),
        { code: 'PORTAL_OPERATOR_ROLE_INVALID' },
      );
    });
  });
});
