/** SQL of accounts, their one-time links (verification, password reset) and operator logins. */
import type { Store } from '@onshi/central';

export interface AccountRow {
  readonly accountId: number;
  readonly email: string;
  readonly passwordHash: string;
  readonly verifiedAt: string | null;
  readonly createdAt: string;
  readonly failedLogins: number;
  readonly lockedUntil: number;
}

const accountColumns = `account_id as "accountId", email, password_hash as "passwordHash",
  verified_at as "verifiedAt", created_at as "createdAt", failed_logins as "failedLogins",
  locked_until as "lockedUntil"`;

export async function insertAccount(
  store: Store,
  a: { email: string; passwordHash: string; createdAt: string },
): Promise<number> {
  const row = await store.get<{ account_id: number }>(
    'insert into portal_accounts (email, password_hash, created_at) values (?, ?, ?) returning account_id',
    [a.email, a.passwordHash, a.createdAt],
  );
  return row!.account_id;
}

export function findAccountByEmail(store: Store, email: string): Promise<AccountRow | undefined> {
  return store.get<AccountRow>(`select ${accountColumns} from portal_accounts where email = ?`, [email]);
}

export function findAccount(store: Store, accountId: number): Promise<AccountRow | undefined> {
  return store.get<AccountRow>(`select ${accountColumns} from portal_accounts where account_id = ?`, [
    accountId,
  ]);
}

export async function deleteAccount(store: Store, accountId: number): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.run('delete from portal_tokens where account_id = ?', [accountId]);
    await tx.run('delete from portal_accounts where account_id = ?', [accountId]);
  });
}

export async function markVerified(store: Store, accountId: number, at: string): Promise<void> {
  await store.run('update portal_accounts set verified_at = coalesce(verified_at, ?) where account_id = ?', [
    at,
    accountId,
  ]);
}

export async function setPasswordHash(store: Store, accountId: number, passwordHash: string): Promise<void> {
  await store.run(
    'update portal_accounts set password_hash = ?, failed_logins = 0, locked_until = 0 where account_id = ?',
    [passwordHash, accountId],
  );
}

export async function setLoginFailures(
  store: Store,
  accountId: number,
  failedLogins: number,
  lockedUntil: number,
): Promise<void> {
  await store.run('update portal_accounts set failed_logins = ?, locked_until = ? where account_id = ?', [
    failedLogins,
    lockedUntil,
    accountId,
  ]);
}

export type TokenPurpose = 'verify' | 'reset';

export interface TokenRow {
  readonly accountId: number;
  readonly purpose: TokenPurpose;
  readonly expiresAt: number;
  readonly usedAt: number | null;
}

export async function insertToken(
  store: Store,
  t: { tokenHash: string; accountId: number; purpose: TokenPurpose; expiresAt: number },
): Promise<void> {
  await store.run(
    'insert into portal_tokens (token_hash, account_id, purpose, expires_at) values (?, ?, ?, ?)',
    [t.tokenHash, t.accountId, t.purpose, t.expiresAt],
  );
}

export function findToken(store: Store, tokenHash: string): Promise<TokenRow | undefined> {
  return store.get<TokenRow>(
    `select account_id as "accountId", purpose, expires_at as "expiresAt", used_at as "usedAt"
     from portal_tokens where token_hash = ?`,
    [tokenHash],
  );
}

/** Marks the token used; false when it was used already (two tabs, a replay). */
export async function useToken(store: Store, tokenHash: string, at: number): Promise<boolean> {
  return (
    (await store.run('update portal_tokens set used_at = ? where token_hash = ? and used_at is null', [
      at,
      tokenHash,
    ])) === 1
  );
}

/** 承認者 (decides, issues, revokes, opens disaster mode) or 監査・閲覧 (reads only); ADR 0005. */
export type OperatorRole = 'approver' | 'auditor';
export const operatorRoles: readonly OperatorRole[] = ['approver', 'auditor'];

export interface OperatorRow {
  readonly login: string;
  readonly displayName: string;
  readonly passwordHash: string;
  readonly role: OperatorRole;
  readonly failedLogins: number;
  readonly lockedUntil: number;
}

export function findOperator(store: Store, login: string): Promise<OperatorRow | undefined> {
  return store.get<OperatorRow>(
    `select login, display_name as "displayName", password_hash as "passwordHash", role,
       failed_logins as "failedLogins", locked_until as "lockedUntil"
     from portal_operators where login = ?`,
    [login],
  );
}

/** Creates or updates the login (name, password, role); a new password also lifts a lockout. */
export async function upsertOperator(
  store: Store,
  o: Pick<OperatorRow, 'login' | 'displayName' | 'passwordHash' | 'role'> & { readonly createdAt: string },
): Promise<void> {
  await store.run(
    `insert into portal_operators (login, display_name, password_hash, created_at, role) values (?, ?, ?, ?, ?)
     on conflict (login) do update set display_name = excluded.display_name,
       password_hash = excluded.password_hash, role = excluded.role, failed_logins = 0, locked_until = 0`,
    [o.login, o.displayName, o.passwordHash, o.createdAt, o.role],
  );
}

export async function setOperatorLoginFailures(
  store: Store,
  login: string,
  failedLogins: number,
  lockedUntil: number,
): Promise<void> {
  await store.run('update portal_operators set failed_logins = ?, locked_until = ? where login = ?', [
    failedLogins,
    lockedUntil,
    login,
  ]);
}
