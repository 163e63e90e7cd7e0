/**
 * Debian's Chromium driven by playwright-core, for the browser end-to-end tests. `.ci/run`
 * installs the package when /usr/bin/chromium is missing; ONSHI_CHROMIUM points elsewhere.
 */
import { type Browser, chromium } from 'playwright-core';

export const chromiumPath = process.env.ONSHI_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
