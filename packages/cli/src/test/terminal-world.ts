/**
 * For the terminal's browser tests: central and the terminal in this process on one store seeded
 * by the test, with the demo's certificates and staff logins, and Chromium. Pages log in as one of
 * the demo's staff (admin, clerk, viewer).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  loadConfigFromEnvironment,
  migrate,
  openStore,
  type RunningCentral,
  type Store,
  startCentral,
} from '@onshi/central';
import type { Clock } from '@onshi/core';
import { type RunningTerminal, startTerminal } from '@onshi/terminal';
import type { Browser, Page } from 'playwright-core';
import { type DemoLogin, ensureDemoLogins } from '../demo-logins.ts';
import { demoTlsEnvironment, ensureDemoPki } from '../demo-pki.ts';
import { launchChromium } from './browser.ts';

export interface TerminalWorld {
  readonly dir: string;
  readonly store: Store;
  readonly central: RunningCentral;
  readonly terminal: RunningTerminal;
  readonly browser: Browser;
  /** A new browser context logged in as the demo's admin, clerk or viewer. */
  staffPage(login: 'admin' | 'clerk' | 'viewer', options?: { acceptDownloads?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

export async function startTerminalWorld(
  name: string,
  seed: (store: Store) => Promise<void>,
  clock: Clock = { now: () => new Date() },
): Promise<TerminalWorld> {
  const dir = mkdtempSync(join(tmpdir(), `onshi-${name}-e2e-`));
  const pki = await ensureDemoPki(dir);
  const config = loadConfigFromEnvironment({
    ONSHI_STORE: `sqlite:${join(dir, 'central.db')}`,
    ONSHI_PORT: '0',
    ...demoTlsEnvironment(pki),
  });
  const store = openStore(config.storeUrl);
  await migrate(store);
  await seed(store);
  const central = await startCentral(config, {
    store,
    clock,
    logger: createLogger(undefined, { quiet: true }),
  });
  const terminal = await startTerminal(
    {
      dir,
      centralUrl: central.url,
      certFile: pki.institutionCertFile,
      keyFile: pki.institutionKeyFile,
      caFile: pki.clientCaFile,
      uiPort: 0,
      batchPollMs: 0,
    },
    { clock },
  );
  const logins: DemoLogin[] = await ensureDemoLogins(dir, terminal);
  const browser = await launchChromium();
  return {
    dir,
    store,
    central,
    terminal,
    browser,
    async staffPage(login, options = {}) {
      const account = logins.find((l) => l.login === login)!;
      const context = await browser.newContext({
        locale: 'ja-JP',
        acceptDownloads: options.acceptDownloads ?? false,
      });
      const page = await context.newPage();
      await page.goto(terminal.url);
      await page.getByTestId('login-user').fill(account.login);
      await page.getByTestId('login-password').fill(account.password);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('current-user').filter({ hasText: account.displayName }).waitFor();
      return page;
    },
    async close() {
      await browser.close();
      await terminal.close();
      await central.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
