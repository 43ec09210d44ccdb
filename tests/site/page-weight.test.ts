/**
 * A structural guard for the Lighthouse goal of issue 12 (mobile performance ≥ 95
 * on a lesson, measured by `npm run bench:site`, never asserted as a timing): the
 * JavaScript a lesson makes the browser download before the reader scrolls stays
 * under a byte budget. Heavy things (Mermaid, Prism, Socket.IO's client) load on
 * demand; a change that pulls one of them back into a lesson's first load fails here.
 *
 * Counted as `bench/site.ts` counts: the scripts Chromium requests, gzipped as the
 * static server sends them, until the page has hydrated and the network is quiet.
 *
 * Skipped locally (with the reason) when /usr/bin/chromium is missing; under
 * CI=true a missing browser fails instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, gotoHydrated, launchChromium, type Chromium } from './support/chromium.ts';
import { buildDir, ensureFreshBuild } from './support/site-build.ts';
import { serveStatic, type StaticServer } from './support/static-server.ts';

const skipReason = browserSkipReason();
if (skipReason) console.warn(`Page weight tests skipped: ${skipReason}.`);

/**
 * KiB of gzipped JavaScript on load, per lesson. Measured at 212 KiB for both
 * (React and Docusaurus alone are about 160); the margin is for content, not for
 * another library.
 */
const budgets: Record<string, number> = { '/lessons/websocket': 225, '/lessons/socket-io': 225 };

describe.skipIf(skipReason !== undefined)('what a lesson downloads on load', () => {
  let server: StaticServer;
  let browser: Chromium;

  beforeAll(async () => {
    ensureFreshBuild();
    server = await serveStatic(buildDir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const [lesson, budgetKiB] of Object.entries(budgets)) {
    it(`${lesson}: at most ${budgetKiB} KiB of JavaScript (gzip) before the reader scrolls`, async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 390, height: 844 });
      const sizes: Promise<number>[] = [];
      page.on('response', (response) => {
        if (response.request().resourceType() !== 'script') return;
        sizes.push(response.request().sizes().then((size) => size.responseBodySize));
      });
      await gotoHydrated(page, `${server.url}${lesson}`);
      await page.waitForLoadState('networkidle');
      const kib = (await Promise.all(sizes)).reduce((sum, size) => sum + size, 0) / 1024;
      await page.close();
      console.log(`${lesson}: ${kib.toFixed(1)} KiB of JavaScript on load`);
      expect(kib, `${lesson}: KiB of gzipped JavaScript on load`).toBeLessThanOrEqual(budgetKiB);
    });
  }
});
