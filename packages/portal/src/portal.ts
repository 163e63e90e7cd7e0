/**
 * `startPortal`: the portal for institutions (医療機関等向けポータルサイト) and, on its own port, the
 * operator console (支払基金・国保中央会), over the central store (migration 005), the common CA
 * directory and a mail transport. The CLI's `onshi portal` (and later the demo) start it here.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createAuditLog, createDisasterService, migrate, openStore, type Store } from '@onshi/central';
import type { Clock } from '@onshi/core';
import { openCa } from '@onshi/pki';
import { loadStaticFiles } from '@onshi/web';
import type { OperatorRole } from './accounts/accounts.repo.ts';
import { createAccounts } from './accounts/accounts.service.ts';
import { createSessions } from './accounts/sessions.ts';
import { createApplications } from './applications/applications.service.ts';
import { DEFAULT_UPLOAD_LIMIT } from './applications/uploads.ts';
import { createCertificates } from './certificates/certificates.ts';
import { type CrlScheduleSettings, startCrlSchedule } from './certificates/crl-schedule.ts';
import { operatorApi } from './http/operator.api.ts';
import { portalApi } from './http/portal.api.ts';
import type { ApiRoute } from './http/router.ts';
import { createSideServer } from './http/server.ts';
import { createMailer } from './mail/mailer.ts';
import type { SmtpSettings } from './mail/smtp.ts';
import { builtinProgrammes, type SubsidyProgramme, seedProgramme } from './subsidy/index.ts';

export interface OperatorLogin {
  readonly login: string;
  readonly password: string;
  readonly displayName?: string | undefined;
  /** 'approver' (default: decides, issues, revokes, disaster mode) or 'auditor' (reads only). */
  readonly role?: OperatorRole | undefined;
}

export interface PortalSettings {
  /** Default 127.0.0.1. */
  readonly host?: string | undefined;
  /** Portal port (0 = any free port). */
  readonly port: number;
  /** Operator console port (0 = any free port); no operator console when undefined. */
  readonly operatorPort?: number | undefined;
  /** An open central store (not closed by the portal), or its URL (opened, migrated and closed here). */
  readonly store?: Store | undefined;
  readonly storeUrl?: string | undefined;
  /** Uploaded documents (`documents/`) and PKCS#12 deliveries (`certificates/`). */
  readonly dataDir: string;
  /** The common CA directory (`onshi ca init` → DIR/common) and the file with its passphrase. */
  readonly ca: { readonly dir: string; readonly passphraseFile: string };
  /** SMTP settings, or 'mailbox' (default): mails are only kept and shown on `/mailbox`. */
  readonly smtp?: SmtpSettings | 'mailbox' | undefined;
  /** Operator accounts to create or update at start (passwords ≥ 10 characters). */
  readonly operatorLogins?: readonly OperatorLogin[] | undefined;
  /** The URL put into mailed links; default the portal's own URL. */
  readonly publicUrl?: string | undefined;
  /** Session lifetime (default 2 hours, sliding). */
  readonly sessionTtlMs?: number | undefined;
  /** Largest uploaded document (default 5 MiB). */
  readonly uploadLimitBytes?: number | undefined;
  /** Expected reader delivery, months after the application (default 3). */
  readonly readerLeadMonths?: number | undefined;
  /** More subsidy programmes (data, `loadProgramme`); the built-in seed programme is always there. */
  readonly programmes?: readonly SubsidyProgramme[] | undefined;
  /**
   * Re-issuing the common CA's CRL before central finds it stale (`crl-schedule.ts`): default a
   * day after the last one (or past half its life), checked at start and every 10 minutes;
   * `false` leaves the CRL to `onshi ca crl` from cron.
   */
  readonly crlSchedule?: CrlScheduleSettings | false | undefined;
  readonly clock?: Clock | undefined;
  readonly onError?: ((error: unknown) => void) | undefined;
}

export interface RunningPortal {
  readonly url: string;
  readonly operatorUrl: string | undefined;
  readonly store: Store;
  /** The routes of the portal's and the operator console's APIs, with their access rules. */
  readonly routes: { readonly portal: readonly ApiRoute[]; readonly operator: readonly ApiRoute[] };
  close(): Promise<void>;
}

const staticDir = fileURLToPath(new URL('./static/', import.meta.url));

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}`);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startPortal(settings: PortalSettings): Promise<RunningPortal> {
  const clock = settings.clock ?? { now: () => new Date() };
  const onError =
    settings.onError ?? ((error: unknown) => process.stderr.write(`portal: ${String(error)}\n`));
  const host = settings.host ?? '127.0.0.1';
  if (settings.store === undefined && settings.storeUrl === undefined) {
    throw new Error('startPortal: store or storeUrl is required');
  }
  const store = settings.store ?? openStore(settings.storeUrl!);
  await migrate(store);
  mkdirSync(settings.dataDir, { recursive: true, mode: 0o700 });
  const ca = await openCa(settings.ca.dir, settings.ca.passphraseFile, { clock });
  const crlSchedule =
    settings.crlSchedule === false
      ? undefined
      : await startCrlSchedule({ ca, clock, onError }, settings.crlSchedule ?? {});
  const programmes = new Map(builtinProgrammes);
  for (const p of settings.programmes ?? []) programmes.set(p.id, p);
  const uploadLimitBytes = settings.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT;
  let publicUrl = settings.publicUrl ?? '';
  const sessions = createSessions({ store, clock, ttlMs: settings.sessionTtlMs ?? 2 * 3600_000 });
  const mailer = createMailer({ store, clock, smtp: settings.smtp ?? 'mailbox' });
  const accounts = createAccounts({ store, clock, mailer, sessions, publicUrl: () => publicUrl });
  for (const login of settings.operatorLogins ?? []) await accounts.ensureOperator(login);
  const certificates = createCertificates({ store, clock, ca, dataDir: settings.dataDir });
  const common = { store, clock, certificates, programmes, defaultProgramme: seedProgramme };
  const applications = createApplications({
    ...common,
    dataDir: settings.dataDir,
    uploadLimitBytes,
    readerLeadMonths: settings.readerLeadMonths ?? 3,
  });
  const disaster = createDisasterService({ store, clock, audit: createAuditLog({ store, clock }) });
  const files = loadStaticFiles(staticDir, ['validators.ts', 'errors.ts', 'municipality.ts']);
  const portalRouter = portalApi({
    ...common,
    sessions,
    accounts,
    applications,
    mailer,
    uploadLimitBytes,
    dataDir: settings.dataDir,
    locate: (code, municipality) => disaster.locate(code, municipality),
  });
  const portalServer = createSideServer({
    router: portalRouter,
    files,
    pages: new Map([
      ['/', '/static/index.html'],
      ...(mailer.mode === 'mailbox' ? [['/mailbox', '/static/index.html'] as const] : []),
    ]),
    onError,
  });
  const url = await listen(portalServer, settings.port, host);
  if (publicUrl === '') publicUrl = url;
  let operatorServer: Server | undefined;
  let operatorUrl: string | undefined;
  const operatorRouter = operatorApi({
    ...common,
    sessions,
    accounts,
    applications,
    disaster,
    dataDir: settings.dataDir,
  });
  if (settings.operatorPort !== undefined) {
    operatorServer = createSideServer({
      router: operatorRouter,
      files,
      pages: new Map([['/', '/static/operator.html']]),
      onError,
    });
    operatorUrl = await listen(operatorServer, settings.operatorPort, host);
  }
  return {
    url,
    operatorUrl,
    store,
    routes: { portal: portalRouter.routes, operator: operatorRouter.routes },
    async close() {
      await crlSchedule?.close();
      await closeServer(portalServer);
      if (operatorServer) await closeServer(operatorServer);
      if (settings.store === undefined) await store.close();
    },
  };
}
