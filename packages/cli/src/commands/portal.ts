/**
 * `onshi portal`: the portal for institutions and the operator console over a central store, with
 * the common CA in DIR (see @onshi/portal ensurePortalDirectory). Prints the URLs and the operator
 * login; runs until SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePortalDirectory, type SmtpSettings, startPortal } from '@onshi/portal';
import { parseCommandArgs, port, UsageError } from '../args.ts';
import { waitForShutdown } from '../shutdown.ts';

const help = `usage: onshi portal --dir DIR [--port P] [--operator-port P] [--store URL] [options]

The 医療機関等向けポータルサイト (institutions: account, applications, certificates, subsidy,
checklist) and the operator console (支払基金・国保中央会: approvals, certificates, disaster mode,
statistics) on 127.0.0.1. DIR holds the common CA (DIR/ca/common, passphrase DIR/ca-passphrase;
created when missing), uploads (DIR/portal) and the operator login (DIR/portal-logins.json).
Mails go to the portal's mailbox page (/mailbox) unless --smtp-host is given.
  --port P               portal port (default 8090; 0 = any free port)
  --operator-port P      operator console port (default 8091; 0 = any free port)
  --store URL            central store (default sqlite:DIR/central.db)
  --ca-dir D             an existing common CA directory instead of DIR/ca/common
  --passphrase-file F    its passphrase file
  --public-url URL       base of the links in mails (default the portal's URL)
  --smtp-host H          deliver mails over SMTP: host, --smtp-port (587), --smtp-security
                         starttls|tls|none (starttls), --smtp-user U, --smtp-password-file F,
                         --mail-from ADDRESS (required with --smtp-host)
`;

const options = {
  dir: { type: 'string' },
  port: { type: 'string' },
  'operator-port': { type: 'string' },
  store: { type: 'string' },
  'ca-dir': { type: 'string' },
  'passphrase-file': { type: 'string' },
  'public-url': { type: 'string' },
  'smtp-host': { type: 'string' },
  'smtp-port': { type: 'string' },
  'smtp-security': { type: 'string' },
  'smtp-user': { type: 'string' },
  'smtp-password-file': { type: 'string' },
  'mail-from': { type: 'string' },
} as const;

function smtp(values: Partial<Record<keyof typeof options, string>>): SmtpSettings | 'mailbox' {
  if (values['smtp-host'] === undefined) return 'mailbox';
  const from = values['mail-from'];
  if (from === undefined) throw new UsageError('--mail-from is required with --smtp-host');
  const security = values['smtp-security'] ?? 'starttls';
  if (security !== 'starttls' && security !== 'tls' && security !== 'none') {
    throw new UsageError('--smtp-security must be starttls, tls or none');
  }
  const passwordFile = values['smtp-password-file'];
  return {
    host: values['smtp-host'],
    port: port(values['smtp-port'], 'smtp-port', security === 'tls' ? 465 : 587),
    security,
    user: values['smtp-user'],
    password:
      passwordFile === undefined ? undefined : readFileSync(passwordFile, 'utf8').split(/\r?\n/, 1)[0],
    from,
  };
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, options, help);
  const dir = values.dir;
  if (dir === undefined) throw new UsageError('--dir is required');
  const layout = await ensurePortalDirectory(dir, {
    caDir: values['ca-dir'],
    passphraseFile: values['passphrase-file'],
  });
  const portal = await startPortal({
    port: port(values.port, 'port', 8090),
    operatorPort: port(values['operator-port'], 'operator-port', 8091),
    storeUrl: values.store ?? `sqlite:${join(dir, 'central.db')}`,
    dataDir: layout.dataDir,
    ca: { dir: layout.caDir, passphraseFile: layout.passphraseFile },
    smtp: smtp(values as Partial<Record<keyof typeof options, string>>),
    operatorLogins: layout.operatorLogins,
    publicUrl: values['public-url'],
  });
  const login = layout.operatorLogins[0]!;
  process.stdout.write(
    [
      'onshi portal ready',
      `  portal:    ${portal.url}/`,
      ...(values['smtp-host'] === undefined ? [`  mailbox:   ${portal.url}/mailbox`] : []),
      `  operator:  ${portal.operatorUrl}/`,
      `  operator login: ${login.login} / ${login.password}   (${layout.loginsFile})`,
      `  common CA: ${layout.caDir} (CRL: ${join(layout.caDir, 'crl.pem')})`,
      '',
    ].join('\n'),
  );
  await waitForShutdown(() => portal.close());
}
