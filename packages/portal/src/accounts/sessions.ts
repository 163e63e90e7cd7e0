/**
 * Browser sessions of the portal (realm 'institution', subject = account id) and of the operator
 * console (realm 'operator', subject = login). The cookie carries 32 random bytes; only their
 * SHA-256 is stored, so a copy of the database hands out no live session. Each session has its CSRF
 * token, which state-changing calls echo in `x-onshi-csrf`. Sessions expire (`ttlMs`, sliding: each
 * use moves the expiry when less than half is left).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '@onshi/central';
import type { Clock } from '@onshi/core';

export type Realm = 'institution' | 'operator';

export interface Session {
  readonly realm: Realm;
  readonly subject: string;
  readonly csrf: string;
  readonly expiresAt: number;
}

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

export interface Sessions {
  create(realm: Realm, subject: string): Promise<{ readonly cookie: string; readonly session: Session }>;
  find(realm: Realm, cookie: string | undefined): Promise<Session | undefined>;
  end(cookie: string | undefined): Promise<void>;
  /** Ends every session of a subject (password reset). */
  endAll(realm: Realm, subject: string): Promise<void>;
  readonly ttlMs: number;
}

export function createSessions(deps: { store: Store; clock: Clock; ttlMs: number }): Sessions {
  const { store, clock, ttlMs } = deps;
  return {
    ttlMs,
    async create(realm, subject) {
      const cookie = randomBytes(32).toString('base64url');
      const session = {
        realm,
        subject,
        csrf: randomBytes(24).toString('base64url'),
        expiresAt: clock.now().getTime() + ttlMs,
      };
      await store.run(
        'insert into portal_sessions (session_hash, realm, subject, csrf, expires_at) values (?, ?, ?, ?, ?)',
        [hash(cookie), realm, subject, session.csrf, session.expiresAt],
      );
      return { cookie, session };
    },
    async find(realm, cookie) {
      if (cookie === undefined || cookie === '') return undefined;
      const row = await store.get<Session>(
        `select realm, subject, csrf, expires_at as "expiresAt" from portal_sessions
         where session_hash = ? and realm = ?`,
        [hash(cookie), realm],
      );
      const now = clock.now().getTime();
      if (row === undefined) return undefined;
      if (row.expiresAt <= now) {
        await store.run('delete from portal_sessions where session_hash = ?', [hash(cookie)]);
        return undefined;
      }
      if (row.expiresAt - now < ttlMs / 2) {
        const expiresAt = now + ttlMs;
        await store.run('update portal_sessions set expires_at = ? where session_hash = ?', [
          expiresAt,
          hash(cookie),
        ]);
        return { ...row, expiresAt };
      }
      return row;
    },
    async end(cookie) {
      if (cookie) await store.run('delete from portal_sessions where session_hash = ?', [hash(cookie)]);
    },
    async endAll(realm, subject) {
      await store.run('delete from portal_sessions where realm = ? and subject = ?', [realm, subject]);
    },
  };
}
