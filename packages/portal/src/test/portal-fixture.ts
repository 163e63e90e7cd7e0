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
import { type RunningPortal, startPortal } from '../portal.ts';

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

export async function startTestPortal(store: Store, clock?: Clock): Promise<PortalFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'onshi-portal-'));
  const passphraseFile = join(dir, 'passphrase');
  writeFileSync(passphraseFile, 'portal-test-passphrase-1\n');
  const caDir = join(dir, 'ca', 'common');
  await createCaDirectory(caDir, passphraseFile);
  const portal = await startPortal({
    port: 0,
    operatorPort: 0,
    store,
    dataDir: join(dir, 'data'),
    ca: { dir: caDir, passphraseFile },
    smtp: 'mailbox',
    operatorLogins: [operatorLogin],
    uploadLimitBytes: 64 * 1024,
    clock,
    onError: (error) => {
      throw error;
    },
  });
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
