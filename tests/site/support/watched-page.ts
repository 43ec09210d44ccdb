/**
 * A page opened in the test browser that remembers every console error and
 * uncaught exception from its first request on, for a test to assert there were none.
 *
 * @module
 */
import type { BrowserContext, Page } from 'playwright-core';
import { gotoHydrated } from './chromium.ts';

export interface WatchedPage {
  readonly page: Page;
  /** Console errors and uncaught exceptions, each with the address it happened on. */
  readonly errors: string[];
}

/** Opens `url` in a new page of `context` (of `viewport` size, if given) and waits for hydration. */
export async function openWatched(context: BrowserContext, url: string, viewport?: { width: number; height: number }): Promise<WatchedPage> {
  const page = await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  await gotoHydrated(page, url);
  return { page, errors };
}

/** How much wider than its window the page is, in CSS pixels (0: no sideways scrolling). */
export function horizontalOverflow(page: Page): Promise<number> {
  // A string, so this Node-side file needs no DOM types.
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}
