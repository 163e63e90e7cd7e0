/**
 * Test fixture: a running portal (and operator console) on a test store with a throw-away common
 * CA, and small HTTP clients that keep a session cookie and the CSRF token like the pages do.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@onshi/central';
import type { Clock } from '@onshi/core';
import { createCaDirectory } from '@onshi/pki';
import { type PortalSettings, type RunningPortal, startPortal } from '../portal.ts';

// biome-ignore lint/suspicious/noExplicitAny: test client over JSON of many shapes
type Json = any;

export interface Client {
  call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Json; headers: Headers }>;
  csrf: string;
}

export function client(base: string): Client {
  let cookie = '';
  const self: Client = {
    csrf: '',
    async call(method, path, body) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (cookie) headers.cookie = cookie;
      if (method !== 'GET') headers['x-onshi-csrf'] = self.csrf;
      const res = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const set = res.headers.get('set-cookie');
      if (set) cookie = set.split(';', 1)[0]!;
      const text = await res.text();
      let json: Json;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = text;
      }
      if (json && typeof json.csrf === 'string') self.csrf = json.csrf;
      return { status: res.status, json, headers: res.headers };
    },
  };
  return self;
}

export interface PortalFixture {
  readonly portal: RunningPortal;
  readonly dir: string;
  readonly caDir: string;
  readonly passphraseFile: string;
  dispose(): Promise<void>;
}

export const operatorLogin = { login: 'operator', password: 'operator-pass-123' };
/** A read-only operator (role 'auditor'). */
export const auditorLogin = { login: 'auditor', password: 'auditor-pass-123' };

export async function startTestPortal(
  store: Store,
  clock?: Clock,
  extra: Partial<PortalSettings> & {
    /** When the common CA (and its first CRL) was made; default the portal's clock now. */
    readonly caCreatedAt?: Date;
  } = {},
): Promise<PortalFixture> {
  const { caCreatedAt, ...settings } = extra;
  const dir = mkdtempSync(join(tmpdir(), 'onshi-portal-'));
  const passphraseFile = join(dir, 'passphrase');
  writeFileSync(passphraseFile, 'portal-test-passphrase-1\n');
  const caDir = join(dir, 'ca', 'common');
  await createCaDirectory(caDir, passphraseFile, {
    clock: caCreatedAt === undefined ? clock : { now: () => caCreatedAt },
  });
  let portal: RunningPortal;
  try {
    portal = await startPortal({
      port: 0,
      operatorPort: 0,
      store,
      dataDir: join(dir, 'data'),
      ca: { dir: caDir, passphraseFile },
      smtp: 'mailbox',
      operatorLogins: [
        operatorLogin,
        { ...auditorLogin, role: 'auditor', displayName: '国保中央会 監査担当' },
      ],
      uploadLimitBytes: 64 * 1024,
      clock,
      onError: (error) => {
        throw error;
      },
      ...settings,
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    portal,
    dir,
    caDir,
    passphraseFile,
    async dispose() {
      await portal.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The last link of the given kind mailed to `email` (from the mailbox API). */
export async function mailedToken(base: string, email: string, kind: 'verify' | 'reset'): Promise<string> {
  const res = await fetch(`${base}/api/mailbox`);
  const { mails } = (await res.json()) as { mails: { to: string; text: string }[] };
  for (const mail of mails) {
    const match = mail.to === email ? new RegExp(`#/${kind}/([A-Za-z0-9_-]+)`).exec(mail.text) : null;
    if (match) return match[1]!;
  }
  throw new Error(`no ${kind} mail for ${email}`);
}

export interface InstitutionSpec {
  readonly email: string;
  readonly password?: string;
  readonly institutionCode?: string;
  readonly name?: string;
  readonly kind?: string;
  readonly municipalityCode?: string;
}

/** Registers, verifies by the mailed link, logs in and saves the profile; the logged-in client. */
export async function registeredInstitution(base: string, spec: InstitutionSpec): Promise<Client> {
  const c = client(base);
  const password = spec.password ?? 'institution-pass-42';
  const registered = await c.call('POST', '/api/register', { email: spec.email, password });
  if (registered.status !== 201) throw new Error(`register: ${JSON.stringify(registered.json)}`);
  await c.call('POST', '/api/verify', { token: await mailedToken(base, spec.email, 'verify') });
  const login = await c.call('POST', '/api/login', { email: spec.email, password });
  if (login.status !== 200) throw new Error(`login: ${JSON.stringify(login.json)}`);
  const profile = await c.call('PUT', '/api/profile', {
    institutionCode: spec.institutionCode ?? '1310123458',
    name: spec.name ?? 'テスト医院',
    kind: spec.kind ?? 'clinic',
    municipalityCode: spec.municipalityCode ?? '131016',
  });
  if (profile.status !== 200) throw new Error(`profile: ${JSON.stringify(profile.json)}`);
  return c;
}

/** An operator client logged in with `login` (default the approver). */
export async function operatorClient(
  base: string,
  login: { login: string; password: string } = operatorLogin,
): Promise<Client> {
  const c = client(base);
  const res = await c.call('POST', '/api/login', login);
  if (res.status !== 200) throw new Error(`operator login: ${JSON.stringify(res.json)}`);
  return c;
}

/** The operator approves the institution's only submitted application of `kind`; its id. */
export async function approveSubmitted(op: Client, kind: string, body: object = {}): Promise<number> {
  const queue = (await op.call('GET', `/api/applications?status=submitted&kind=${kind}`)).json.applications;
  if (queue.length !== 1) throw new Error(`expected one submitted ${kind} application, got ${queue.length}`);
  const res = await op.call('POST', `/api/applications/${queue[0].id}/approve`, body);
  if (res.json.status !== 'approved') throw new Error(`approve: ${JSON.stringify(res.json)}`);
  return queue[0].id;
}
