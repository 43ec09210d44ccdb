/**
 * The interactive parts of the site, in Debian's Chromium, against a playground
 * started here: the Socket Inspector connects, emits with an acknowledgement and
 * logs it, and keeps its session in the address; a live demo works; the handshake
 * view draws the upgrade; and with the playground down, the pages still work and
 * say how to start it.
 *
 * Serves the production build in `docs/build` (or `PLAYGROUND_SITE_BUILD`). Locally,
 * a missing browser or build skips these tests with the reason; under CI=true they fail.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../tooling/course/paths.ts';
import { ProgressService } from '../../tooling/playground/progress.ts';
import { startPlayground, type Playground } from '../../tooling/playground/server.ts';
import { startHelloServer } from '../../solutions/hello-socketio/server.ts';
import { browserSkipReason, gotoHydrated, launchChromium, type Chromium } from '../site/support/chromium.ts';
import { serveStatic, type StaticServer } from '../site/support/static-server.ts';

const buildDir = path.resolve(repoRoot, process.env.PLAYGROUND_SITE_BUILD ?? 'docs/build');

/** The site files these tests exercise: a build older than any of them would test old code. */
const sources = [
  ...fs.readdirSync(path.join(repoRoot, 'docs/src/components/live')).map((name) => path.join('docs/src/components/live', name)),
  ...['inspector', 'playground', 'progress'].map((page) => `docs/src/pages/${page}.tsx`),
].map((file) => path.join(repoRoot, file));

function skipReason(): string | undefined {
  const browser = browserSkipReason();
  if (browser) return browser;
  const builtAt = fs.statSync(path.join(buildDir, 'playground.html'), { throwIfNoEntry: false })?.mtimeMs;
  const newest = Math.max(...sources.map((file) => fs.statSync(file).mtimeMs));
  const relative = path.relative(repoRoot, buildDir);
  const where = relative.startsWith('..') ? buildDir : relative;
  const reason =
    builtAt === undefined
      ? `${where} has no playground pages (build the site first: npm run build)`
      : builtAt < newest
        ? `${where} is older than the live components and pages (build it again: npm run build)`
        : undefined;
  if (reason && process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  return reason;
}

const skip = skipReason();
if (skip) console.warn(`Playground browser tests skipped: ${skip}.`);

describe.skipIf(skip !== undefined)('the interactive site in Chromium', () => {
  let site: StaticServer;
  let playground: Playground;
  let browser: Chromium;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    site = await serveStatic(buildDir);
    playground = await startPlayground({
      port: 0,
      allowedOrigins: [site.url],
      // Grading for real takes seconds: the progress page is tested with a stand-in.
      progress: new ProgressService(async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        return [
          { id: 'tcp-echo', title: 'A TCP echo server', status: 'pass', message: 'Every expectation was met.' },
          { id: 'hello-socketio', title: 'Hello, Socket.IO', status: 'fail', message: 'welcome never came.' },
        ];
      }),
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await playground?.close();
    await site?.close();
  });
  afterEach(async () => {
    await page?.close();
    expect(pageErrors, 'no uncaught error in the page').toEqual([]);
  });

  async function open(address: string): Promise<Page> {
    pageErrors = [];
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await gotoHydrated(page, `${site.url}${address}`);
    return page;
  }

  it('the Inspector connects, emits with an acknowledgement, logs it, and keeps the session in the address', async () => {
    const session = new URLSearchParams({ url: playground.url, event: 'echo', args: '["from the inspector"]', ack: '1', listen: '*' });
    await open(`/inspector#${session}`);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const status = page.getByRole('main').locator('[data-state]');
    await expect.poll(() => status.getAttribute('data-state')).toBe('connected');
    await expect.poll(() => page.locator('[data-transport]').textContent()).toBe('websocket');

    await page.getByRole('button', { name: 'Emit', exact: true }).click();
    const log = page.getByRole('log', { name: 'Everything in and out' });
    await expect.poll(() => log.textContent()).toContain('acknowledgement of echo: {"echo":"from the inspector"');
    expect(await log.textContent()).toContain('welcome {"id":'); // onAny heard the playground's welcome

    await page.getByLabel('Event', { exact: true }).fill('broadcast');
    await expect.poll(() => new URL(page.url()).hash).toContain('event=broadcast');
    expect(decodeURIComponent(new URL(page.url()).hash)).toContain(`url=${playground.url}`);
  });

  it("the Inspector talks to an exercise's server too, over WebSocket (as npm run dev's link sets it up)", async () => {
    const hello = await startHelloServer({ port: 0, host: '127.0.0.1' });
    try {
      const url = `http://127.0.0.1:${hello.port}`;
      const session = new URLSearchParams({ url, options: JSON.stringify({ transports: ['websocket'] }), listen: '*', event: 'ping', args: '[41]', ack: '1' });
      await open(`/inspector#${session}`);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      const log = page.getByRole('log', { name: 'Everything in and out' });
      await expect.poll(() => log.textContent()).toContain('welcome {"id":');
      await page.getByRole('button', { name: 'Emit', exact: true }).click();
      await expect.poll(() => log.textContent()).toContain('acknowledgement of ping: 42');
      await page.getByRole('button', { name: 'Disconnect' }).click();
    } finally {
      await hello.close();
    }
  });

  it('the progress page grades on request, says so, then links each exercise with its next hint', async () => {
    await open(`/progress?playground=${encodeURIComponent(playground.url)}`);
    await expect.poll(() => page.getByText('grading…').count()).toBe(1);
    const row = page.locator('tr[data-exercise="hello-socketio"]');
    await expect.poll(() => row.getAttribute('data-status')).toBe('fail');
    expect(await row.getByRole('link', { name: 'Hello, Socket.IO' }).getAttribute('href')).toBe('/exercises/hello-socketio');
    expect(await row.textContent()).toMatch(/next: \d of 4 \(npm run hint -- hello-socketio\)/);
    expect(await page.getByText('1 of 2 exercises pass.').count()).toBe(1);
  });

  it('a live demo: two clients, a broadcast from one reaches the other', async () => {
    await open(`/playground?playground=${encodeURIComponent(playground.url)}`);
    const demo = page.getByRole('region', { name: 'Live: broadcast and rooms, two clients side by side' });
    await demo.getByRole('button', { name: 'Connect both', exact: true }).click();
    await expect.poll(() => demo.locator('[data-state="connected"]').count()).toBe(2);
    await demo.getByRole('button', { name: 'Broadcast to others' }).first().click();
    await expect.poll(() => demo.getByRole('log', { name: "Bob's log" }).textContent()).toContain('broadcast "hi from Alice"');
    expect(await demo.getByRole('log', { name: "Alice's log" }).textContent()).not.toContain('← broadcast');
  });

  it('the reconnection demo: what was emitted during a cut is buffered, and missed ticks are replayed', async () => {
    await open(`/playground?playground=${encodeURIComponent(playground.url)}`);
    const demo = page.getByRole('region', { name: 'Live: cut the connection, lose nothing' });
    await demo.getByRole('button', { name: 'Connect and follow the clock' }).click();
    const log = demo.getByRole('log', { name: 'Reconnection demo log' });
    await expect.poll(() => log.textContent()).toContain('tick #');
    await demo.getByRole('button', { name: /Cut the connection/ }).click();
    await expect.poll(() => demo.locator('[data-state]').getAttribute('data-state')).toBe('reconnecting');
    await demo.getByRole('button', { name: 'Emit a message' }).click();
    expect(await demo.locator('[data-buffered]').getAttribute('data-buffered')).toBe('1');
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toContain('reconnected, and recovered');
    await expect.poll(() => log.textContent()).toContain('acknowledgement of "message 1"');
    // The ticks sent during the cut arrive after the reconnection, none missing.
    const lines = await log.locator('li').allTextContents();
    const ticks = lines.flatMap((line) => /tick #(\d+)$/.exec(line)?.[1] ?? []).map(Number);
    expect(ticks.length).toBeGreaterThan(3);
    expect(ticks).toEqual(ticks.map((_, i) => ticks[0]! + i));
  });

  it('the handshake view draws the upgrade, each step with its layer and lesson, secrets masked', async () => {
    await open(`/playground?playground=${encodeURIComponent(playground.url)}`);
    const view = page.getByRole('region', { name: 'See your own handshake' });
    await view.getByRole('button', { name: 'Connect and record' }).click();
    const diagram = view.getByRole('list', { name: /What crossed the wire for connection/ });
    await expect.poll(() => diagram.locator('li[data-protocol="WebSocket"]').count()).toBe(2);
    const upgrade = diagram.locator('li[data-protocol="WebSocket"]').last();
    expect(await upgrade.textContent()).toContain('101 Switching Protocols');
    expect(await upgrade.textContent()).toContain('L7 Application');
    expect(await upgrade.getByRole('link', { name: 'lesson: WebSocket' }).getAttribute('href')).toBe('/lessons/websocket#the-opening-handshake');
    expect(await upgrade.getByRole('link', { name: /L7 Application/ }).getAttribute('href')).toBe('/lessons/networks-in-layers#where-the-protocols-of-this-course-sit');
    expect(await diagram.locator('li[data-protocol="TCP"]').first().textContent()).toContain('L4 Transport');
    const everything = (await diagram.textContent()) ?? '';
    expect(everything).toContain('Socket.IO CONNECT with auth');
    expect(everything).toContain('•••');
    expect(everything).not.toContain('my-secret-token');
  });

  it('with the playground down, the pages still work and say how to start it', async () => {
    const closed = await closedPort();
    await open(`/playground?playground=${encodeURIComponent(`http://127.0.0.1:${closed}`)}`);
    const demo = page.getByRole('region', { name: 'Live: connect, emit, get an acknowledgement' });
    await demo.getByRole('button', { name: 'Connect', exact: true }).click();
    const notice = demo.getByRole('status').filter({ hasText: 'The playground is not answering' });
    await expect.poll(() => notice.textContent()).toContain('npm run playground');
    expect(await notice.textContent()).toContain('npm start');
    await demo.getByRole('button', { name: 'Disconnect' }).click();

    await page.close();
    await open('/lessons/socket-io');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBeTruthy();
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
