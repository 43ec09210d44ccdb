/**
 * The Socket.IO Admin UI that `npm run dev` serves, in Debian's Chromium: log in
 * with the printed password, see the learner's connected socket listed — and
 * not one request leaves this machine.
 *
 * Needs no site build. Locally, a missing browser skips this with the reason;
 * under CI=true it fails.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchChromium, type Chromium } from '../site/support/chromium.ts';
import { dev } from '../playground/dev-process.ts';
import { client, connected } from '../playground/support.ts';

const skip = browserSkipReason();
if (skip) console.warn(`Admin UI browser test skipped: ${skip}.`);

describe.skipIf(skip !== undefined)('the Socket.IO Admin UI of npm run dev, in Chromium', () => {
  let browser: Chromium;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("logs in with the printed password and lists the learner's connected socket", async () => {
    const run = dev('hello-socketio', '--solutions', '--port', '0');
    await run.listening();
    const login = /Admin UI: (\S+)\n\s+log in with server URL (\S+), username (\S+), password (\S+)/.exec(await run.waitFor(/Admin UI: \S+\n.*password \S+/))!;
    const [, uiUrl, serverUrl, username, password] = login as unknown as [string, string, string, string, string];

    const learner = client(serverUrl, { transports: ['websocket'] });
    await connected(learner);

    const page: Page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    const leftTheMachine: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('request', (request) => {
      const { hostname, protocol } = new URL(request.url());
      if (protocol !== 'data:' && hostname !== '127.0.0.1') leftTheMachine.push(request.url());
    });
    try {
      await page.goto(`${uiUrl}/`, { waitUntil: 'load' });
      await page.getByLabel('Server URL').fill(serverUrl);
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Connect' }).click();

      await page.goto(`${uiUrl}/#/sockets/`);
      const row = page.getByRole('row').filter({ hasText: learner.id! });
      await row.waitFor();
      expect(await row.textContent()).toContain('WebSocket');

      // A socket that connects now appears without a reload.
      const second = client(serverUrl, { transports: ['websocket'] });
      await connected(second);
      await page.getByRole('row').filter({ hasText: second.id! }).waitFor();
    } finally {
      await page.close();
    }
    expect(leftTheMachine, 'requests that left 127.0.0.1').toEqual([]);
    expect(problems, 'errors in the page (a Content-Security-Policy refusal is one)').toEqual([]);
  });
});
