/**
 * Steps of the browser end-to-end tests that both journeys take (portal.e2e.test.ts,
 * portal.subsidy.e2e.test.ts): a page in a fresh context, registering, the mailbox link then
 * logging in, the operator logging in, and a submitted application's row in the operator's queue.
 */
import type { Browser, Page } from 'playwright-core';

export async function newPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'ja-JP', acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** Registers `email` on the register page (open); the verification mail is then in the mailbox. */
export async function register(page: Page, email: string, password: string): Promise<void> {
  await page.getByTestId('register-email').fill(email);
  await page.getByTestId('register-password').fill(password);
  await page.getByTestId('register-submit').click();
  await page.getByTestId('register-sent').waitFor();
}

/** Opens the link of the mail to `email` on the mailbox page (verifies the address), then logs in. */
export async function verifyAndLogIn(
  page: Page,
  portalUrl: string,
  email: string,
  password: string,
): Promise<void> {
  await page.goto(`${portalUrl}/mailbox`);
  await page.locator(`[data-testid="mail"][data-to="${email}"] [data-testid="mail-link"]`).first().click();
  await page.getByTestId('login-notice').waitFor();
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

export async function operatorLogsIn(
  browser: Browser,
  operatorUrl: string,
  login: { readonly login: string; readonly password: string },
): Promise<Page> {
  const op = await newPage(browser, operatorUrl);
  await op.getByTestId('op-login').fill(login.login);
  await op.getByTestId('op-password').fill(login.password);
  await op.getByTestId('op-login-submit').click();
  await op.getByTestId('view-queue').waitFor();
  return op;
}

/** The first submitted application of `kind` in the operator's queue, and its id. */
export async function submittedRow(op: Page, operatorUrl: string, kind: string) {
  await op.goto(`${operatorUrl}/#/queue?status=submitted`);
  await op.reload();
  const row = op.locator(`[data-testid^="op-application-"][data-kind="${kind}"][data-status="submitted"]`);
  await row.first().waitFor();
  const id = (await row.first().getAttribute('data-testid'))!.replace('op-application-', '');
  return { row: row.first(), id };
}
