/**
 * The portal's working directory as `onshi portal --dir DIR` (and later the demo) lays it out:
 * the common CA in DIR/ca/common under the passphrase in DIR/ca-passphrase (both created when
 * missing), uploads and PKCS#12 deliveries in DIR/portal, and the operator logins in
 * DIR/portal-logins.json (random passwords, mode 0600, kept across starts): the approver first,
 * then a read-only auditor (ADR 0005; a file without `role` means approver).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCaDirectory } from '@onshi/pki';
import type { OperatorLogin } from './portal.ts';

export interface PortalDirectory {
  readonly caDir: string;
  readonly passphraseFile: string;
  readonly dataDir: string;
  readonly operatorLogins: readonly OperatorLogin[];
  readonly loginsFile: string;
}

function writeSecret(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text, { mode: 0o600, flush: true });
  renameSync(`${file}.tmp`, file);
}

export async function ensurePortalDirectory(
  dir: string,
  options: { readonly caDir?: string | undefined; readonly passphraseFile?: string | undefined } = {},
): Promise<PortalDirectory> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const passphraseFile = options.passphraseFile ?? join(dir, 'ca-passphrase');
  if (!existsSync(passphraseFile)) writeSecret(passphraseFile, `${randomBytes(24).toString('base64url')}\n`);
  const caDir = options.caDir ?? join(dir, 'ca', 'common');
  if (!existsSync(join(caDir, 'ca.json'))) await createCaDirectory(caDir, passphraseFile);
  const loginsFile = join(dir, 'portal-logins.json');
  if (!existsSync(loginsFile)) {
    const logins: OperatorLogin[] = [
      {
        login: 'operator',
        password: randomBytes(12).toString('base64url'),
        displayName: '支払基金 審査担当（デモ）',
        role: 'approver',
      },
      {
        login: 'auditor',
        password: randomBytes(12).toString('base64url'),
        displayName: '国保中央会 監査担当（デモ・閲覧のみ）',
        role: 'auditor',
      },
    ];
    writeSecret(loginsFile, `${JSON.stringify(logins, null, 2)}\n`);
  }
  return {
    caDir,
    passphraseFile,
    dataDir: join(dir, 'portal'),
    operatorLogins: JSON.parse(readFileSync(loginsFile, 'utf8')) as OperatorLogin[],
    loginsFile,
  };
}
