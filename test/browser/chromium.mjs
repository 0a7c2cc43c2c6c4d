// Launches Debian's Chromium (never a downloaded browser) headless through playwright-core,
// with a fresh profile in profileDir; for test:browser, test:engines and test:demo.
// CHROMIUM_PATH overrides /usr/bin/chromium. A missing browser is an error, never a skip.
import fs from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A persistent context (launchPersistentContext passes profileDir as --user-data-dir). */
export async function launchChromium(profileDir) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (the tests never download a browser)`);
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}
