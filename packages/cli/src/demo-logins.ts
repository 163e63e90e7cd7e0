/**
 * The demo's terminal staff accounts, one per role: created on first start with random passwords
 * kept in `<dir>/logins.json` (mode 0600), so that the demo prints them and tests can read them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureUser, type Role, type RunningTerminal } from '@onshi/terminal';

export interface DemoLogin {
  readonly login: string;
  readonly password: string;
  readonly role: Role;
  readonly displayName: string;
}

const accounts: readonly Omit<DemoLogin, 'password'>[] = [
  { login: 'admin', role: 'admin', displayName: '管理者（デモ）' },
  { login: 'clerk', role: 'clerk', displayName: '受付 花子（デモ）' },
  { login: 'viewer', role: 'viewer', displayName: '医師 太郎（デモ）' },
];

export function demoLoginsFile(dir: string): string {
  return join(dir, 'logins.json');
}

/** Reads the demo's logins (written by {@link ensureDemoLogins}). */
export function readDemoLogins(dir: string): DemoLogin[] {
  return JSON.parse(readFileSync(demoLoginsFile(dir), 'utf8')) as DemoLogin[];
}

/**
 * Creates the accounts in the terminal's store: through a running terminal, or in `dir` (the
 * terminal's root) before it starts — the connector checks its medinfo user at start.
 */
export async function ensureDemoLogins(dir: string, terminal?: RunningTerminal): Promise<DemoLogin[]> {
  const file = demoLoginsFile(dir);
  if (!existsSync(file)) {
    const logins = accounts.map((account) => ({
      ...account,
      password: randomBytes(9).toString('base64url'),
    }));
    writeFileSync(`${file}.tmp`, `${JSON.stringify(logins, null, 2)}\n`, { mode: 0o600, flush: true });
    renameSync(`${file}.tmp`, file);
  }
  const logins = readDemoLogins(dir);
  for (const login of logins) {
    if (terminal) await terminal.users.ensure(login);
    else await ensureUser(dir, login);
  }
  return logins;
}
