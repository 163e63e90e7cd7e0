/**
 * Browser end-to-end test of the institution's journey (issue 7): register → verify the e-mail on
 * the mailbox page → profile → apply for a reader, usage and a connection-test certificate → the
 * operator approves in the operator console → PKCS#12 downloaded and opened with its one-time
 * password → a terminal configured with it checks a patient at a real central over mutual TLS
 * (operation test) → a production certificate, a check with it → the checklist shows 運用中.
 * Also: a certificate revoked in the portal is refused by central once it re-reads the CRL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  createLogger,
  importFeed,
  loadConfig,
  migrate,
  openStore,
  type RunningCentral,
  type Store,
  startCentral,
} from '@onshi/central';
import { addDays, insurerNumberCheckDigit, jstDate } from '@onshi/core';
import { openPkcs12, privateKeyPem } from '@onshi/pki';
import { ensureUser, startTerminal } from '@onshi/terminal';
import type { Browser, Page } from 'playwright-core';
import { holdersFeed } from '../../central/src/test/feed.ts';
import { createTestPki, type TestPki } from '../../central/src/test/pki.ts';
import { launchChromium } from '../../cli/src/test/browser.ts';
import { type RunningPortal, startPortal } from './portal.ts';
import { newPage, operatorLogsIn, register, submittedRow, verifyAndLogIn } from './test/e2e-pages.ts';

const institutionCode = '1310123458';
const insurer = `0613999${insurerNumberCheckDigit('0613999')}`;
const email = 'iin@example.jp';
const password = 'e2e-password-2026';
const operator = { login: 'operator', password: 'operator-e2e-pass' };
const dir = mkdtempSync(join(tmpdir(), 'onshi-portal-e2e-'));
const clock = { now: () => new Date() };

let store: Store;
let central: RunningCentral;
let portal: RunningPortal;
let browser: Browser;
let pki: TestPki;

before(async () => {
  pki = await createTestPki();
  store = openStore(`sqlite:${join(dir, 'central.db')}`);
  await migrate(store);
  await importFeed(store, { content: holdersFeed('portal-e2e-1', insurer, 1), clock });
  const config = loadConfig({
    ONSHI_PORT: '0',
    ...pki.env,
    ONSHI_CRL_RELOAD_SECONDS: '1',
  });
  central = await startCentral(config, { store, clock, logger: createLogger(() => {}) });
  portal = await startPortal({
    port: 0,
    operatorPort: 0,
    store,
    dataDir: join(dir, 'portal'),
    ca: { dir: pki.ca.dir, passphraseFile: pki.passphraseFile },
    smtp: 'mailbox',
    operatorLogins: [operator],
    clock,
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await portal?.close();
  await central?.close();
  await store?.close();
  pki?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function operatorApproves(op: Page, kind: string): Promise<void> {
  const { id } = await submittedRow(op, portal.operatorUrl!, kind);
  await op.getByTestId(`op-approve-${id}`).click();
  await op.getByTestId(`op-application-${id}`).waitFor({ state: 'detached' });
}

async function applyForCertificate(page: Page, environment: string): Promise<void> {
  await page.getByTestId('nav-certificates').click();
  await page.getByTestId('cert-department').fill('医事課');
  await page.getByTestId('cert-phone').fill('03-1234-5678');
  await page.getByTestId('cert-terminal').fill(`受付端末（${environment}）`);
  await page.getByTestId('cert-environment').selectOption(environment);
  await page.getByTestId('cert-delivery').selectOption('pkcs12');
  await page.getByTestId('cert-submit').click();
  await page.getByTestId('application-submitted').waitFor();
}

/** Downloads the PKCS#12 of the certificate of `environment`, reveals the password, writes PEM files. */
async function takeCertificate(
  page: Page,
  environment: string,
): Promise<{ cert: string; key: string; serial: string }> {
  await page.goto(`${portal.url}/#/applications`);
  await page.goto(`${portal.url}/#/certificates`);
  const row = page.locator(`[data-testid^="cert-row-"][data-environment="${environment}"]`).first();
  await row.waitFor();
  const serial = (await row.getAttribute('data-testid'))!.replace('cert-row-', '');
  await page.getByTestId(`cert-show-password-${serial}`).click();
  const otp = (await page.getByTestId(`cert-password-${serial}`).textContent())!.trim();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(`cert-download-${serial}`).click(),
  ]);
  const p12 = readFileSync((await download.path())!);
  const opened = openPkcs12(p12, otp);
  const cert = join(dir, `${serial}.crt`);
  const key = join(dir, `${serial}.key`);
  writeFileSync(cert, opened.certificates.map((c) => c.toString()).join(''));
  writeFileSync(key, privateKeyPem(opened.privateKey), { mode: 0o600 });
  return { cert, key, serial };
}

/** A terminal with the certificate; its staff UI checks the patient; returns the outcome and the screen's text. */
async function checkAtTerminal(files: { cert: string; key: string }, name: string): Promise<string> {
  const terminalDir = join(dir, `terminal-${name}`);
  await ensureUser(terminalDir, { login: 'clerk', role: 'clerk', password: 'clerk-pass-123' });
  const terminal = await startTerminal({
    dir: terminalDir,
    centralUrl: central.url,
    certFile: files.cert,
    keyFile: files.key,
    caFile: pki.files.clientCaFile,
    uiPort: 0,
  });
  try {
    const page = await newPage(browser, terminal.url);
    await page.getByTestId('login-user').fill('clerk');
    await page.getByTestId('login-password').fill('clerk-pass-123');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-check').click();
    await page.getByTestId('check-insurer').fill(insurer);
    await page.getByTestId('check-symbol').fill('12');
    await page.getByTestId('check-number').fill('1000');
    await page.getByTestId('check-branch').fill('00');
    await page.getByTestId('check-birthdate').fill('1990-05-05');
    await page.getByTestId('check-submit').click();
    const outcome = page.locator('[data-testid="result-status"], [data-testid="error"]').first();
    await outcome.waitFor();
    const code =
      (await outcome.getAttribute('data-outcome')) ?? (await outcome.getAttribute('data-code')) ?? '';
    const result = `${code} ${(await page.locator('main').textContent()) ?? ''}`;
    await page.context().close();
    return result;
  } finally {
    await terminal.close();
  }
}

async function stage(page: Page): Promise<string> {
  await page.goto(`${portal.url}/#/applications`);
  await page.goto(`${portal.url}/#/checklist`);
  const el = page.getByTestId('checklist-stage');
  await el.waitFor();
  return `${await el.getAttribute('data-stage')} ${await el.textContent()}`;
}

test('the journey: register → verify → apply → approve → certificate → terminal check → 運用中', async () => {
  const page = await newPage(browser, `${portal.url}/#/register`);
  await register(page, email, password);

  // Not verified yet: login refused with its code.
  await page.goto(`${portal.url}/#/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  assert.equal(
    await page.getByTestId('login-form-error').getAttribute('data-code'),
    'PORTAL_EMAIL_NOT_VERIFIED',
  );

  // The mailbox page shows the mail; its link verifies the address.
  await verifyAndLogIn(page, portal.url, email, password);

  // Profile: a wrong check digit is refused with a clear message, then the right code.
  await page.getByTestId('profile-form').waitFor();
  await page.getByTestId('profile-code').fill('1310123457');
  await page.getByTestId('profile-name').fill('霞が関クリニック');
  await page.getByTestId('profile-kind').selectOption('clinic');
  await page.getByTestId('profile-municipality').fill('131016');
  await page.getByTestId('profile-submit').click();
  assert.equal(
    await page.getByTestId('profile-form-error').getAttribute('data-code'),
    'INSTITUTION_CODE_INVALID',
  );
  await page.getByTestId('profile-code').fill(institutionCode);
  await page.getByTestId('profile-submit').click();
  await page.getByTestId('profile-saved').waitFor();

  // Reader: a clinic gets one free.
  await page.getByTestId('nav-readers').click();
  assert.match((await page.getByTestId('reader-quota').textContent())!, /1 台まで/);
  await page.getByTestId('reader-quantity').fill('2');
  await page.getByTestId('reader-submit').click();
  assert.equal(
    await page.getByTestId('reader-form-error').getAttribute('data-code'),
    'PORTAL_READER_QUOTA_EXCEEDED',
  );
  await page.getByTestId('reader-quantity').fill('1');
  await page.getByTestId('reader-submit').click();
  await page.getByTestId('reader-delivery').waitFor();

  // Usage: dates in the wrong order refused; then IP-VPN with the NTT customer ID.
  const today = jstDate(new Date());
  await page.getByTestId('nav-usage').click();
  await page.getByTestId('usage-test').fill(addDays(today, 40));
  await page.getByTestId('usage-start').fill(addDays(today, 30));
  await page.getByTestId('usage-line').selectOption('ip-vpn');
  await page.getByTestId('usage-customer-id').fill('CAF1234567890');
  await page.getByTestId('usage-submit').click();
  assert.equal(
    await page.getByTestId('usage-form-error').getAttribute('data-code'),
    'PORTAL_DATES_OUT_OF_ORDER',
  );
  await page.getByTestId('usage-test').fill(addDays(today, 10));
  await page.getByTestId('usage-submit').click();
  await page.getByTestId('application-submitted').waitFor();

  // The operator approves the reader and the usage application.
  const op = await operatorLogsIn(browser, portal.operatorUrl!, operator);
  await operatorApproves(op, 'reader');
  await operatorApproves(op, 'usage');

  // Connection-test certificate → operator issues it → the terminal's check is the operation test.
  await applyForCertificate(page, 'connection-test');
  await operatorApproves(op, 'certificate');
  const testCert = await takeCertificate(page, 'connection-test');
  assert.match(await checkAtTerminal(testCert, 'test'), /^valid /);
  await page.waitForTimeout(200);
  assert.match(await stage(page), /^testing/);
  assert.equal(await page.getByTestId('step-operation-test').getAttribute('data-done'), 'true');
  assert.equal(await page.getByTestId('step-start').getAttribute('data-done'), 'false');

  // Production certificate → a check in production → 運用中.
  await applyForCertificate(page, 'production');
  await operatorApproves(op, 'certificate');
  const prodCert = await takeCertificate(page, 'production');
  assert.match(await checkAtTerminal(prodCert, 'production'), /^valid /);
  await page.waitForTimeout(200);
  const finalStage = await stage(page);
  assert.match(finalStage, /^in-operation 運用中$/);
  assert.equal(await page.getByTestId('step-equipment').getAttribute('data-done'), 'true');

  // The operator's statistics count the checks (audit records) and draw the charts.
  await op.goto(`${portal.operatorUrl}/#/stats`);
  assert.match((await op.getByTestId('stats-in-operation').textContent())!, /1/);
  const chart = await op.request.get(`${portal.operatorUrl}/api/charts/checks-by-method.svg?days=7`);
  assert.match(await chart.text(), /card data: 2/);

  // Revoking the connection-test certificate in the portal: central refuses it after the CRL reload.
  await page.goto(`${portal.url}/#/certificates`);
  await page.getByTestId(`cert-revoke-${testCert.serial}`).click();
  await page.locator(`[data-testid="cert-row-${testCert.serial}"]`).filter({ hasText: '失効' }).waitFor();
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const refused = await checkAtTerminal(testCert, 'revoked');
  assert.match(refused, /^error .*失効/, refused);

  // English toggle.
  await page.getByTestId('lang-toggle').click();
  await page.goto(`${portal.url}/#/checklist`);
  assert.match((await page.getByTestId('checklist-stage').textContent())!, /In operation/);
});
