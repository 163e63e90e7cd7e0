/**
 * Browser end-to-end test of a subsidy that is granted, with the portal's clock in 2022 (inside the
 * seed programme's deadlines): a clinic registers and verifies its address on the mailbox page,
 * applies for its reader, the operator approves it in the console; months later the clinic enters
 * its costs, attaches the three documents, sees the estimate (3/4 up to 429,000 yen → 321,750 yen)
 * and submits; the operator opens the queue (documents linked) and approves; the clinic sees it
 * approved with the amount. An auditor in the console sees the queue but no buttons that change it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { migrate, openStore, type Store } from '@onshi/central';
import { createCaDirectory } from '@onshi/pki';
import { testClock } from '@onshi/pki/test-support';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../cli/src/test/browser.ts';
import { type RunningPortal, startPortal } from './portal.ts';
import { estimateSubsidy, seedProgramme } from './subsidy/index.ts';
import { newPage, operatorLogsIn, register, submittedRow, verifyAndLogIn } from './test/e2e-pages.ts';

const email = 'hojokin@example.jp';
const password = 'subsidy-e2e-2022';
const operator = { login: 'operator', password: 'operator-e2e-pass' };
const auditor = { login: 'auditor', password: 'auditor-e2e-pass', role: 'auditor' as const };
const dir = mkdtempSync(join(tmpdir(), 'onshi-portal-subsidy-e2e-'));
const clock = testClock('2022-04-01T01:00:00Z'); // 2022-04-01 10:00 JST

let store: Store;
let portal: RunningPortal;
let browser: Browser;

before(async () => {
  const passphraseFile = join(dir, 'passphrase');
  writeFileSync(passphraseFile, 'portal-subsidy-e2e-passphrase\n');
  const caDir = join(dir, 'ca', 'common');
  await createCaDirectory(caDir, passphraseFile, { clock });
  store = openStore(`sqlite:${join(dir, 'central.db')}`);
  await migrate(store);
  portal = await startPortal({
    port: 0,
    operatorPort: 0,
    store,
    dataDir: join(dir, 'portal'),
    ca: { dir: caDir, passphraseFile },
    smtp: 'mailbox',
    operatorLogins: [operator, auditor],
    // The clock jumps five months; sessions that outlive it (expiry: portal.auth.int.test.ts).
    sessionTtlMs: 365 * 86_400_000,
    clock,
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await portal?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

test('subsidy in 2022: reader approved → costs and three documents → 321,750 yen → operator approves → approved', async () => {
  const page = await newPage(browser, `${portal.url}/#/register`);
  await register(page, email, password);
  await verifyAndLogIn(page, portal.url, email, password);
  await page.getByTestId('profile-form').waitFor();
  await page.getByTestId('profile-code').fill('1310123458');
  await page.getByTestId('profile-name').fill('霞が関クリニック');
  await page.getByTestId('profile-kind').selectOption('clinic');
  await page.getByTestId('profile-municipality').fill('131016');
  await page.getByTestId('profile-submit').click();
  await page.getByTestId('profile-saved').waitFor();

  // 2022-04-01: the reader (a clinic's one free reader); the operator approves it.
  await page.getByTestId('nav-readers').click();
  await page.getByTestId('reader-quantity').fill('1');
  await page.getByTestId('reader-submit').click();
  await page.getByTestId('reader-delivery').waitFor();
  const op = await operatorLogsIn(browser, portal.operatorUrl!, operator);
  const reader = await submittedRow(op, portal.operatorUrl!, 'reader');
  await op.getByTestId(`op-approve-${reader.id}`).click();
  await op.getByTestId(`op-application-${reader.id}`).waitFor({ state: 'detached' });

  // 2022-09-01: the work was finished on 2022-08-31; the subsidy form with the three documents.
  clock.set('2022-09-01T01:00:00Z');
  await page.getByTestId('nav-subsidy').click();
  await page.getByTestId('subsidy-amount-terminal-pc').fill('300000');
  await page.getByTestId('subsidy-amount-network').fill('100000');
  await page.getByTestId('subsidy-amount-system-changes').fill('50000');
  await page.getByTestId('subsidy-completed').fill('2022-08-31');
  await page.getByTestId('subsidy-doc-receipt').setInputFiles({
    name: '領収書.pdf',
    mimeType: 'application/pdf',
    buffer: pdf,
  });
  await page.getByTestId('subsidy-doc-receiptBreakdown').setInputFiles({
    name: '内訳書.png',
    mimeType: 'image/png',
    buffer: png,
  });
  await page.getByTestId('subsidy-doc-completionReport').setInputFiles({
    name: '完了報告書.pdf',
    mimeType: 'application/pdf',
    buffer: pdf,
  });
  const expected = estimateSubsidy(seedProgramme, {
    kind: 'clinic',
    readers: 1,
    costYen: 450_000,
    readerAppliedOn: '2022-04-01',
    completedOn: '2022-08-31',
    subsidyAppliedOn: '2022-09-01',
  }).subsidy;
  assert.equal(expected, 321_750);
  await page.getByTestId('subsidy-estimate-button').click();
  await page.getByTestId('subsidy-amount').waitFor();
  assert.equal(await page.getByTestId('subsidy-amount').getAttribute('data-yen'), String(expected));
  assert.match((await page.getByTestId('subsidy-amount').textContent())!, /321,750/);
  await page.getByTestId('subsidy-submit').click();
  const submitted = page.getByTestId('application-submitted');
  await submitted.waitFor();
  const id = await submitted.getAttribute('data-id');

  // An auditor sees it, with its documents, but cannot decide it.
  const audit = await operatorLogsIn(browser, portal.operatorUrl!, auditor);
  const seen = await submittedRow(audit, portal.operatorUrl!, 'subsidy');
  assert.equal(seen.id, id);
  assert.equal(await audit.getByTestId('current-operator').getAttribute('data-role'), 'auditor');
  await audit.getByTestId('op-read-only').waitFor();
  assert.equal(await audit.getByTestId(`op-approve-${id}`).count(), 0);
  assert.equal(await seen.row.locator('a[href^="/api/documents/"]').count(), 3);

  // The approver approves it in the console.
  clock.set('2022-09-15T01:00:00Z');
  const subsidy = await submittedRow(op, portal.operatorUrl!, 'subsidy');
  assert.equal(subsidy.id, id);
  assert.match((await subsidy.row.textContent())!, /領収書\.pdf/);
  await op.getByTestId(`op-approve-${id}`).click();
  await op.getByTestId(`op-application-${id}`).waitFor({ state: 'detached' });

  // The clinic sees it approved, with the amount; the checklist's subsidy step is ticked.
  await page.goto(`${portal.url}/#/checklist`);
  await page.goto(`${portal.url}/#/applications`);
  const row = page.getByTestId(`application-${id}`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-kind'), 'subsidy');
  assert.equal(await row.getAttribute('data-status'), 'approved');
  assert.match((await row.textContent())!, /321,?750/);
  await page.goto(`${portal.url}/#/checklist`);
  await page.getByTestId('step-subsidy').waitFor();
  assert.equal(await page.getByTestId('step-subsidy').getAttribute('data-done'), 'true');
});
