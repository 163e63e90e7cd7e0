/**
 * Staff accounts of the terminal (ADR 0004): roles 管理者 `admin`, 一般利用者 `clerk`,
 * 医療情報閲覧者 `viewer`; passwords hashed with scrypt; UI sessions are random ids whose SHA-256
 * is stored (a copy of the database does not hand out live sessions), each with its CSRF token.
 * Repeated wrong passwords lock the login for a while (`lockAfter` failures → `lockMs`).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { type Clock, OnshiError } from '@onshi/core';
import { dummyPasswordHash, hashPassword, verifyPassword } from '@onshi/web';

export type Role = 'admin' | 'clerk' | 'viewer';
export const roles: readonly Role[] = ['admin', 'clerk', 'viewer'];
export const roleLabels: Readonly<Record<Role, string>> = {
  admin: '管理者',
  clerk: '一般利用者',
  viewer: '医療情報閲覧者',
};

export const MIN_PASSWORD_LENGTH = 8;

export interface User {
  readonly login: string;
  readonly displayName: string;
  readonly role: Role;
  readonly disabled: boolean;
}

export interface UiSession {
  readonly user: User;
  readonly csrf: string;
  readonly expiresAt: number;
}

export { hashPassword, verifyPassword };

export interface NewUser {
  readonly login: string;
  readonly displayName?: string | undefined;
  readonly role: Role;
  readonly password: string;
}

export interface UsersOptions {
  /** Wrong passwords in a row before the login is locked (default 5). */
  readonly lockAfter?: number;
  /** How long a lock lasts (default 5 minutes). */
  readonly lockMs?: number;
  /** UI session lifetime (default 12 hours). */
  readonly sessionMs?: number;
}

type UserRow = {
  login: string;
  display_name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  failed_logins: number;
  locked_until: number;
};

const toUser = (row: UserRow): User => ({
  login: row.login,
  displayName: row.display_name,
  role: row.role,
  disabled: row.disabled === 1,
});

export function assertRole(value: unknown): Role {
  if (typeof value === 'string' && (roles as readonly string[]).includes(value)) return value as Role;
  throw new OnshiError('MSG_FIELD_INVALID', { field: 'role', detail: roles.join(', ') });
}

function assertLogin(value: unknown): string {
  if (typeof value === 'string' && /^[A-Za-z0-9._@-]{1,64}$/.test(value)) return value;
  throw new OnshiError('MSG_FIELD_INVALID', {
    field: 'login',
    detail: '英数字と . _ @ - の64文字以内である必要があります',
  });
}

function assertPassword(value: unknown): string {
  if (typeof value !== 'string' || [...value].length < MIN_PASSWORD_LENGTH || value.length > 1024) {
    throw new OnshiError('TERMINAL_PASSWORD_WEAK', { min: MIN_PASSWORD_LENGTH });
  }
  return value;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export type Users = ReturnType<typeof createUsers>;

export function createUsers(db: DatabaseSync, clock: Clock, options: UsersOptions = {}) {
  const lockAfter = options.lockAfter ?? 5;
  const lockMs = options.lockMs ?? 5 * 60_000;
  const sessionMs = options.sessionMs ?? 12 * 60 * 60_000;
  const now = () => clock.now().getTime();
  const byLogin = db.prepare('SELECT * FROM users WHERE login = ?');

  function row(login: string): UserRow | undefined {
    return byLogin.get(login) as UserRow | undefined;
  }

  const users = {
    list(): User[] {
      return (db.prepare('SELECT * FROM users ORDER BY login').all() as UserRow[]).map(toUser);
    },
    get(login: string): User | undefined {
      const found = row(login);
      return found && toUser(found);
    },
    count(): number {
      return Number((db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n);
    },
    /** TERMINAL_USER_EXISTS when the login is taken. */
    async create(input: NewUser): Promise<User> {
      const login = assertLogin(input.login);
      const role = assertRole(input.role);
      const hash = await hashPassword(assertPassword(input.password));
      if (row(login)) throw new OnshiError('TERMINAL_USER_EXISTS', { login });
      const at = now();
      db.prepare(
        `INSERT INTO users (login, display_name, role, password_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(login, input.displayName?.trim() || login, role, hash, at, at);
      return users.get(login)!;
    },
    /** Creates the user unless the login exists (then it is left as it is). */
    async ensure(input: NewUser): Promise<{ user: User; created: boolean }> {
      const existing = users.get(input.login);
      if (existing) return { user: existing, created: false };
      return { user: await users.create(input), created: true };
    },
    /** Role, display name, disabled; disabling ends the user's sessions. */
    update(login: string, change: { role?: Role; displayName?: string; disabled?: boolean }): User {
      const current = row(login);
      if (current === undefined) throw new OnshiError('TERMINAL_USER_UNKNOWN', { login });
      db.prepare(
        'UPDATE users SET role = ?, display_name = ?, disabled = ?, updated_at = ? WHERE login = ?',
      ).run(
        change.role ?? current.role,
        change.displayName?.trim() || current.display_name,
        change.disabled === undefined ? current.disabled : change.disabled ? 1 : 0,
        now(),
        login,
      );
      if (change.disabled === true) users.endSessionsOf(login);
      return users.get(login)!;
    },
    /** New password, lock cleared, the user's sessions ended. */
    async resetPassword(login: string, password: string): Promise<void> {
      const hash = await hashPassword(assertPassword(password));
      const result = db
        .prepare(
          'UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = 0, updated_at = ? WHERE login = ?',
        )
        .run(hash, now(), login);
      if (Number(result.changes) === 0) throw new OnshiError('TERMINAL_USER_UNKNOWN', { login });
      users.endSessionsOf(login);
    },
    /**
     * Checks the password and opens a UI session. TERMINAL_LOGIN_FAILED for an unknown login, a
     * disabled user or a wrong password (the same answer); TERMINAL_LOGIN_LOCKED while locked.
     */
    async login(login: string, password: string): Promise<{ id: string; session: UiSession }> {
      const found = typeof login === 'string' ? row(login) : undefined;
      const at = now();
      if (found && found.locked_until > at) {
        throw new OnshiError('TERMINAL_LOGIN_LOCKED', {
          seconds: Math.ceil((found.locked_until - at) / 1000),
        });
      }
      const ok = await verifyPassword(
        typeof password === 'string' ? password : '',
        found?.password_hash ?? dummyPasswordHash,
      );
      if (!found || !ok || found.disabled === 1) {
        if (found && !ok) {
          const failed = found.failed_logins + 1;
          const locked = failed >= lockAfter ? at + lockMs : 0;
          db.prepare('UPDATE users SET failed_logins = ?, locked_until = ? WHERE login = ?').run(
            locked ? 0 : failed,
            locked,
            found.login,
          );
        }
        throw new OnshiError('TERMINAL_LOGIN_FAILED');
      }
      db.prepare('UPDATE users SET failed_logins = 0, locked_until = 0 WHERE login = ?').run(found.login);
      const id = randomBytes(32).toString('base64url');
      const csrf = randomBytes(24).toString('base64url');
      db.prepare(
        'INSERT INTO ui_sessions (id_hash, login, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      ).run(sha256(id), found.login, csrf, at, at + sessionMs);
      db.prepare('DELETE FROM ui_sessions WHERE expires_at <= ?').run(at);
      return { id, session: { user: toUser(found), csrf, expiresAt: at + sessionMs } };
    },
    /** The live session of a cookie value, if any (expired and disabled users have none). */
    session(id: string | undefined): UiSession | undefined {
      if (!id) return undefined;
      const found = db
        .prepare(
          `SELECT u.*, s.csrf, s.expires_at FROM ui_sessions s JOIN users u ON u.login = s.login
           WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled = 0`,
        )
        .get(sha256(id), now()) as (UserRow & { csrf: string; expires_at: number }) | undefined;
      return found && { user: toUser(found), csrf: found.csrf, expiresAt: found.expires_at };
    },
    logout(id: string | undefined): void {
      if (id) db.prepare('DELETE FROM ui_sessions WHERE id_hash = ?').run(sha256(id));
    },
    endSessionsOf(login: string): void {
      db.prepare('DELETE FROM ui_sessions WHERE login = ?').run(login);
    },
  };
  return users;
}
