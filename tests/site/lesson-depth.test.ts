/**
 * The deeper sections of issue 12 §3 in Debian's Chromium, on the built site: each
 * section is there, its figure renders (the measured transport chart with the
 * numbers of measurements.json, the duplex drawing, the Mermaid diagrams), no
 * console error, and on a 390 px phone the figures fit or scroll inside
 * themselves, with text that stays readable.
 *
 * Skipped locally (with the reason) when /usr/bin/chromium is missing; under
 * CI=true a missing browser fails instead.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultOutput, type Measurements } from '../../tooling/measure/transports.ts';
import { browserSkipReason, launchChromium, type Chromium } from './support/chromium.ts';
import { buildDir, ensureFreshBuild } from './support/site-build.ts';
import { serveStatic, type StaticServer } from './support/static-server.ts';
import { openWatched, type WatchedPage } from './support/watched-page.ts';

const skipReason = browserSkipReason();
if (skipReason) console.warn(`Lesson depth browser tests skipped: ${skipReason}.`);

/** The new sections, by lesson: heading ids Docusaurus derives from the headings. */
const sections: Record<string, string[]> = {
  websocket: ['half-duplex-and-full-duplex', 'no-polling-four-ways-to-push', 'subprotocols', 'permessage-deflate', 'backpressure-bufferedamount'],
  tcp: ['where-isns-come-from', 'the-receiver-buffer-and-split', 'retransmission', 'windows', 'keepalive-and-half-open-connections'],
  'socket-io': ['the-socket-lifecycle', 'reconnection-the-manager', 'more-of-the-api'],
  troubleshooting: ['cors', 'disconnect-reasons'],
};

const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 800 };
/** The smallest text a figure may show on a phone, in CSS pixels. */
const minimumFontPx = 11;

describe.skipIf(skipReason !== undefined)('the deeper lesson sections in Chromium', () => {
  let server: StaticServer;
  let browser: Chromium;
  let opened: WatchedPage | undefined;

  beforeAll(async () => {
    ensureFreshBuild();
    server = await serveStatic(buildDir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    await opened?.page.close();
    expect(opened?.errors ?? [], 'no console error on the page').toEqual([]);
    opened = undefined;
  });

  async function open(address: string, viewport = desktop): Promise<Page> {
    opened = await openWatched(browser.context, `${server.url}${address}`, viewport);
    return opened.page;
  }

  /** Right edge of `selector`'s box and the window's width, in CSS pixels. */
  // Strings, so this Node-side file needs no DOM types.
  const fits = (page: Page, selector: string) =>
    page.evaluate<{ right: number; width: number }>(
      `(() => ({ right: document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect().right, width: document.documentElement.clientWidth }))()`,
    );

  for (const [lesson, ids] of Object.entries(sections)) {
    it(`/lessons/${lesson} has its new sections: ${ids.join(', ')}`, async () => {
      const page = await open(`/lessons/${lesson}`);
      for (const id of ids) {
        const heading = page.locator(`h2#${id}, h3#${id}`);
        expect(await heading.count(), `a heading #${id} on /lessons/${lesson}`).toBe(1);
      }
    });
  }

  it('draws the measured chart from measurements.json: four techniques, their bytes and latencies', async () => {
    const measurements = JSON.parse(fs.readFileSync(defaultOutput, 'utf8')) as Measurements;
    const page = await open('/lessons/websocket');
    const chart = page.locator('[data-figure="transport-chart"]');
    await chart.scrollIntoViewIfNeeded();
    const firstGroup = chart.locator('ul').first();
    for (const result of measurements.results) {
      const row = firstGroup.locator(`[data-technique="${result.technique}"]`);
      expect(await row.textContent()).toContain(`${result.bytesPerMessage} B`);
    }
    const latencies = chart.locator('ul').nth(1);
    expect(await latencies.locator('li').count()).toBe(measurements.results.length);
    expect(await latencies.locator('[data-technique="websocket"]').textContent()).toContain(`${measurements.results.find((r) => r.technique === 'websocket')?.latencyMs.median} ms`);
    expect(await chart.locator('figcaption').textContent()).toContain('npm run measure:transports');
  });

  it('draws the duplex figure, and the Mermaid diagrams of the new sections', async () => {
    let page = await open('/lessons/websocket');
    const duplex = page.locator('[data-figure="duplex"] svg');
    await duplex.scrollIntoViewIfNeeded();
    expect(await duplex.locator('[data-panel]').count()).toBe(2);
    expect(await duplex.getAttribute('role')).toBe('img');
    await opened?.page.close();
    expect(opened?.errors).toEqual([]);

    for (const [lesson, id] of [['socket-io', 'the-socket-lifecycle'], ['tcp', 'retransmission']] as const) {
      page = await open(`/lessons/${lesson}`);
      // The diagram right after the heading: a placeholder until it scrolls into view, then drawn in a wrapper.
      const diagram = page.locator(`:is(h2, h3)#${id} ~ :is([data-mermaid-placeholder], [data-mermaid-drawn])`).first();
      await diagram.scrollIntoViewIfNeeded();
      await page.locator(`:is(h2, h3)#${id} ~ [data-mermaid-drawn] .docusaurus-mermaid-container svg`).first().waitFor({ timeout: 20_000 });
      if (lesson === 'socket-io') {
        const text = await page.locator(`:is(h2, h3)#${id} ~ [data-mermaid-drawn] .docusaurus-mermaid-container`).first().textContent();
        for (const step of ['connection', 'disconnecting', 'disconnect']) expect(text).toContain(step);
      }
      await opened?.page.close();
      expect(opened?.errors).toEqual([]);
    }
    opened = undefined;
  });

  it('on a 390 px phone: the chart fits the page, the duplex drawing scrolls inside itself with readable text', async () => {
    const page = await open('/lessons/websocket', phone);
    await page.locator('[data-figure="transport-chart"]').scrollIntoViewIfNeeded();
    const chart = await fits(page, '[data-figure="transport-chart"]');
    expect(chart.right, 'the chart ends inside the window').toBeLessThanOrEqual(chart.width);
    const chartOverflow = await page.evaluate<number>(
      `(() => { const el = document.querySelector('[data-figure="transport-chart"]'); return el.scrollWidth - el.clientWidth; })()`,
    );
    expect(chartOverflow, 'nothing in the chart sticks out').toBeLessThanOrEqual(0);

    await page.locator('[data-figure="duplex"]').scrollIntoViewIfNeeded();
    const duplex = await fits(page, '[data-figure="duplex"]');
    expect(duplex.right, 'the duplex figure ends inside the window').toBeLessThanOrEqual(duplex.width);
    const scroller = await page.evaluate<{ scrollWidth: number; clientWidth: number; smallestFont: number }>(`(() => {
      const figure = document.querySelector('[data-figure="duplex"]');
      const scroller = figure.querySelector('div');
      const svg = figure.querySelector('svg');
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      const sizes = [...svg.querySelectorAll('text')].map((text) => parseFloat(getComputedStyle(text).fontSize) * scale);
      return { scrollWidth: scroller.scrollWidth, clientWidth: scroller.clientWidth, smallestFont: Math.min(...sizes) };
    })()`);
    expect(scroller.scrollWidth, 'the drawing scrolls sideways instead of shrinking').toBeGreaterThan(scroller.clientWidth);
    expect(scroller.smallestFont, 'its smallest text, as rendered').toBeGreaterThanOrEqual(minimumFontPx);
  });
});
