/**
 * Institution accounts (M3.1): registration with an e-mail address and a verification link, login
 * (only once verified), password reset by a link, logout; and the operator console's logins.
 * Links carry 32 random bytes; the store keeps their SHA-256 with purpose and expiry, and a link
 * works once. Wrong passwords in a row lock the account (or operator login) for a while.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '@onshi/central';
import { type Clock, OnshiError } from '@onshi/core';
import { dummyPasswordHash, hashPassword, verifyPassword } from '@onshi/web';
import type { Mailer } from '../mail/mailer.ts';
import {
  deleteAccount,
  findAccount,
  findAccountByEmail,
  findOperator,
  findToken,
  insertAccount,
  insertToken,
  markVerified,
  type OperatorRole,
  operatorRoles,
  setLoginFailures,
  setOperatorLoginFailures,
  setPasswordHash,
  type TokenPurpose,
  upsertOperator,
  useToken,
} from './accounts.repo.ts';
import type { Session, Sessions } from './sessions.ts';

export const MIN_PASSWORD_LENGTH = 10;
const VERIFY_TTL_MS = 24 * 3600_000;
const RESET_TTL_MS = 3600_000;
/** Wrong passwords in a row that lock a login (institution or operator), and for how long. */
export const LOCK_AFTER = 5;
export const LOCK_MS = 5 * 60_000;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export function normalizeEmail(value: unknown): string {
  const email = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (email.length > 254 || !/^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(email)) {
    throw new OnshiError('PORTAL_EMAIL_INVALID', { value: String(value ?? '') });
  }
  return email;
}

export function assertPassword(value: unknown): string {
  if (typeof value !== 'string' || [...value].length < MIN_PASSWORD_LENGTH || value.length > 1024) {
    throw new OnshiError('PORTAL_PASSWORD_WEAK', { min: MIN_PASSWORD_LENGTH });
  }
  return value;
}

export interface AccountsDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly mailer: Mailer;
  readonly sessions: Sessions;
  /** The portal's public URL; links in mails point there. */
  readonly publicUrl: () => string;
}

export interface LoggedIn {
  readonly cookie: string;
  readonly session: Session;
}

export function createAccounts(deps: AccountsDeps) {
  const { store, clock, mailer, sessions } = deps;

  async function issueToken(accountId: number, purpose: TokenPurpose, ttlMs: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await insertToken(store, {
      tokenHash: tokenHash(token),
      accountId,
      purpose,
      expiresAt: clock.now().getTime() + ttlMs,
    });
    return token;
  }

  async function sendVerification(accountId: number, email: string): Promise<void> {
    const token = await issueToken(accountId, 'verify', VERIFY_TTL_MS);
    await mailer.send({
      to: email,
      subject: '【医療機関等向けポータルサイト】メールアドレスの確認',
      text: [
        '医療機関等向けポータルサイトへのアカウント登録を受け付けました。',
        '次のリンクを24時間以内に開いて、メールアドレスを確認してください。',
        '',
        `${deps.publicUrl()}/#/verify/${token}`,
        '',
        'お心当たりのない場合は、このメールを破棄してください。',
        '(Portal for medical institutions: open the link within 24 hours to confirm your address.)',
      ].join('\n'),
    });
  }

  /** A token that is for `purpose`, unused and unexpired; marked used. */
  async function consume(token: unknown, purpose: TokenPurpose): Promise<number> {
    const hashed = tokenHash(typeof token === 'string' ? token : '');
    const row = await findToken(store, hashed);
    if (row === undefined || row.purpose !== purpose || row.usedAt !== null) {
      throw new OnshiError('PORTAL_TOKEN_INVALID');
    }
    if (row.expiresAt <= clock.now().getTime()) {
      throw new OnshiError('PORTAL_TOKEN_EXPIRED', { expiresAt: new Date(row.expiresAt).toISOString() });
    }
    if (!(await useToken(store, hashed, clock.now().getTime()))) throw new OnshiError('PORTAL_TOKEN_INVALID');
    return row.accountId;
  }

  return {
    /** Creates the account and mails the verification link; a mail failure undoes the account. */
    async register(input: { email?: unknown; password?: unknown }): Promise<{ email: string }> {
      const email = normalizeEmail(input.email);
      const password = assertPassword(input.password);
      if (await findAccountByEmail(store, email)) throw new OnshiError('PORTAL_EMAIL_TAKEN', { email });
      const passwordHash = await hashPassword(password);
      let accountId: number;
      try {
        accountId = await insertAccount(store, { email, passwordHash, createdAt: clock.now().toISOString() });
      } catch (error) {
        if (await findAccountByEmail(store, email)) throw new OnshiError('PORTAL_EMAIL_TAKEN', { email });
        throw error;
      }
      try {
        await sendVerification(accountId, email);
      } catch (error) {
        await deleteAccount(store, accountId);
        throw error;
      }
      return { email };
    },

    async verify(token: unknown): Promise<{ email: string }> {
      const accountId = await consume(token, 'verify');
      await markVerified(store, accountId, clock.now().toISOString());
      return { email: (await findAccount(store, accountId))!.email };
    },

    /** Mails a new verification link to an unverified account (silently nothing otherwise). */
    async resendVerification(emailInput: unknown): Promise<void> {
      const account = await findAccountByEmail(store, normalizeEmail(emailInput));
      if (account && account.verifiedAt === null) await sendVerification(account.accountId, account.email);
    },

    async login(input: { email?: unknown; password?: unknown }): Promise<LoggedIn> {
      const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
      const password = typeof input.password === 'string' ? input.password : '';
      const account = await findAccountByEmail(store, email);
      const now = clock.now().getTime();
      if (account && account.lockedUntil > now) {
        throw new OnshiError('PORTAL_LOGIN_LOCKED', {
          seconds: Math.ceil((account.lockedUntil - now) / 1000),
        });
      }
      const ok = await verifyPassword(password, account?.passwordHash ?? dummyPasswordHash);
      if (!account || !ok) {
        if (account) {
          const failures = account.failedLogins + 1;
          await setLoginFailures(
            store,
            account.accountId,
            failures,
            failures >= LOCK_AFTER ? now + LOCK_MS : 0,
          );
        }
        throw new OnshiError('PORTAL_LOGIN_FAILED');
      }
      if (account.verifiedAt === null) throw new OnshiError('PORTAL_EMAIL_NOT_VERIFIED');
      if (account.failedLogins > 0) await setLoginFailures(store, account.accountId, 0, 0);
      return sessions.create('institution', String(account.accountId));
    },

    /** Mails a reset link when the address has an account; answers the same either way. */
    async requestReset(emailInput: unknown): Promise<void> {
      const account = await findAccountByEmail(store, normalizeEmail(emailInput));
      if (account === undefined) return;
      const token = await issueToken(account.accountId, 'reset', RESET_TTL_MS);
      await mailer.send({
        to: account.email,
        subject: '【医療機関等向けポータルサイト】パスワードの再設定',
        text: [
          'パスワード再設定の依頼を受け付けました。次のリンクを1時間以内に開いてください。',
          '',
          `${deps.publicUrl()}/#/reset/${token}`,
          '',
          'お心当たりのない場合は、このメールを破棄してください（パスワードは変わりません）。',
        ].join('\n'),
      });
    },

    async resetPassword(input: { token: unknown; password: unknown }): Promise<void> {
      const password = assertPassword(input.password);
      const accountId = await consume(input.token, 'reset');
      await setPasswordHash(store, accountId, await hashPassword(password));
      // Following the link proves the address too.
      await markVerified(store, accountId, clock.now().toISOString());
      await sessions.endAll('institution', String(accountId));
    },

    account: (accountId: number) => findAccount(store, accountId),

    async ensureOperator(o: {
      login: string;
      password: string;
      displayName?: string | undefined;
      role?: OperatorRole | undefined;
    }) {
      const role = o.role ?? 'approver';
      if (!operatorRoles.includes(role)) {
        throw new OnshiError('PORTAL_OPERATOR_ROLE_INVALID', { login: o.login, role: String(role) });
      }
      await upsertOperator(store, {
        login: o.login,
        displayName: o.displayName ?? o.login,
        passwordHash: await hashPassword(assertPassword(o.password)),
        role,
        createdAt: clock.now().toISOString(),
      });
    },

    async operatorLogin(input: { login?: unknown; password?: unknown }): Promise<LoggedIn> {
      const login = typeof input.login === 'string' ? input.login.trim() : '';
      const operator = await findOperator(store, login);
      const now = clock.now().getTime();
      if (operator && operator.lockedUntil > now) {
        throw new OnshiError('PORTAL_LOGIN_LOCKED', {
          seconds: Math.ceil((operator.lockedUntil - now) / 1000),
        });
      }
      const ok = await verifyPassword(
        typeof input.password === 'string' ? input.password : '',
        operator?.passwordHash ?? dummyPasswordHash,
      );
      if (!operator || !ok) {
        if (operator) {
          const failures = operator.failedLogins + 1;
          await setOperatorLoginFailures(
            store,
            operator.login,
            failures,
            failures >= LOCK_AFTER ? now + LOCK_MS : 0,
          );
        }
        throw new OnshiError('PORTAL_LOGIN_FAILED');
      }
      if (operator.failedLogins > 0) await setOperatorLoginFailures(store, operator.login, 0, 0);
      return sessions.create('operator', operator.login);
    },

    operator: (login: string) => findOperator(store, login),
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
