/**
 * Debian's Chromium, driven by playwright-core, with the flags the workbook's
 * tooling uses everywhere (no network chatter, no GPU, no sandbox in containers).
 *
 * @module
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Why the browser tests cannot run here, or `undefined` if they can. Under
 * `CI=true` a missing browser is a failure, never a skip.
 */
export function browserSkipReason(): string | undefined {
  if (fs.existsSync(chromiumPath)) return undefined;
  const reason = `${chromiumPath} is missing (install it with: sudo apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  return reason;
}

export interface Chromium {
  readonly context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** Starts Chromium with a fresh, temporary profile. */
export async function launchChromium(): Promise<Chromium> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'workbook-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    timeout: 30_000,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens `url` and waits until React has hydrated the page (Docusaurus marks `<html>`
 * with `data-has-hydrated`): before that, clicks reach server-rendered HTML that
 * nothing listens to yet.
 */
export async function gotoHydrated(page: Page, url: string): Promise<void> {
  // Generous: the dev server's bundle is many megabytes, and this machine is often busy.
  await page.goto(url, { waitUntil: 'load', timeout: pageLoadTimeout });
  await page.locator('html[data-has-hydrated="true"]').waitFor({ state: 'attached', timeout: pageLoadTimeout });
}

/** How long a page may take to load and hydrate before a test gives up on it (a guard, not a measure). */
export const pageLoadTimeout = 180_000;
