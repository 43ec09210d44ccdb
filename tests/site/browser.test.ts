/**
 * The site in Debian's Chromium, built and under the dev server (`npm start`):
 * the learner's path through it, the quiz, search, diagrams and dark mode, with
 * no console error on any page. (tests/site/pages.test.ts opens every page directly,
 * at desktop and phone width.)
 *
 * Skipped locally (with the reason) when /usr/bin/chromium is missing; under
 * CI=true a missing browser fails instead.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { course } from '../../exercises/manifest.ts';
import { browserSkipReason, gotoHydrated, launchChromium, type Chromium } from './support/chromium.ts';
import { describeTargets } from './support/targets.ts';

const skipReason = browserSkipReason();
if (skipReason) console.warn(`Browser tests skipped: ${skipReason}.`);

/** Every wait is bounded: a missing element fails in seconds, not at the suite timeout. */
const shortWait = { timeout: 10_000 };

describeTargets('the site in Chromium', (target, targetName) => {
  let browser: Chromium;
  let page: Page;
  let consoleErrors: string[];

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  // A fresh page per test, listening for errors from its first request on.
  beforeEachPage();
  function beforeEachPage() {
    afterEach(async () => {
      await page?.close();
      expect(consoleErrors, 'no page may log an error to the console').toEqual([]);
    });
  }
  async function open(path: string): Promise<Page> {
    consoleErrors = [];
    page = await browser.context.newPage();
    page.setDefaultTimeout(shortWait.timeout);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
    await gotoHydrated(page, `${target().url}${path}`);
    return page;
  }

  it('leads from the home page to a lesson, then to an exercise of that lesson', async () => {
    const [exercise] = course.exercises;
    const lesson = course.lessons.find(({ id }) => id === exercise?.lesson);
    if (!exercise || !lesson) throw new Error('the manifest needs a first exercise with a known lesson');

    await open('/');
    await expect(page.locator('h1').first().textContent()).resolves.toBe('Socket Workbook');
    await page.getByRole('link', { name: 'Start with the lessons' }).click();
    await page.waitForURL(`**/lessons/${course.lessons[0]?.id}`, shortWait);

    await page.locator('.theme-doc-sidebar-container').getByRole('link', { name: lesson.title, exact: true }).click();
    await page.waitForURL(`**/lessons/${lesson.id}`, shortWait);
    // Client-side navigation: the URL changes a moment before the new page renders.
    await page.getByRole('heading', { level: 1, name: lesson.title, exact: true }).waitFor(shortWait);

    await page.getByRole('link', { name: `1. ${exercise.title}` }).last().click();
    await page.waitForURL(`**/exercises/${exercise.id}`, shortWait);
    await page.getByRole('heading', { level: 1, name: exercise.title, exact: true }).waitFor(shortWait);
    await expect(page.locator('article').textContent()).resolves.toContain(`npm run check -- ${exercise.id}`);
    expect(await page.locator('article details').count()).toBe(exercise.hints.length);
  });

  it('gives immediate feedback to a quiz answered wrongly, then rightly', async () => {
    await open('/lessons/networks-in-layers');
    const quiz = page.locator('form[data-quiz="multiple-choice"]', { hasText: 'which layer does TLS belong to' });
    const feedback = quiz.getByRole('status');

    await quiz.getByLabel('The transport layer, with TCP').check();
    await quiz.getByRole('button', { name: 'Check answer' }).click();
    await expect(feedback.textContent()).resolves.toContain('Not quite');

    await quiz.getByLabel(/The application layer/).check();
    await quiz.getByRole('button', { name: 'Check answer' }).click();
    await expect(feedback.textContent()).resolves.toContain('Correct');
  });

  it('lets a keyboard user put steps in order with the move buttons', async () => {
    await open('/lessons/tcp');
    const quiz = page.locator('form[data-quiz="order-steps"]').first();
    const steps = quiz.locator('li > span:first-child');
    const rightOrder = ['Client → server: SYN', 'Server → client: SYN+ACK', 'Client → server: ACK', 'Client → server: first data'];

    // Selection sort, one "Move up" press (Enter on the focused button) at a time.
    for (let target = 0; target < rightOrder.length; target++) {
      const texts = await steps.allTextContents();
      let position = texts.findIndex((text) => text.startsWith(rightOrder[target] ?? ''));
      const moveUp = quiz.getByRole('button', { name: `Move "${texts[position]}" up` });
      while (position > target) {
        await moveUp.focus();
        await page.keyboard.press('Enter');
        position--;
      }
    }
    await quiz.getByRole('button', { name: 'Check order' }).click();
    await expect(quiz.getByRole('status').textContent()).resolves.toContain('Correct');
  });

  // The search index is made by the build: `docusaurus start` has none.
  it.skipIf(targetName === 'dev')('finds "handshake" with the offline search', async () => {
    await open('/');
    await page.locator('.navbar__search-input').fill('handshake');
    const suggestions = page.getByRole('listbox').getByRole('option');
    await suggestions.first().waitFor(shortWait);
    const texts = await suggestions.allTextContents();
    expect(texts.some((text) => /handshake/i.test(text)), texts.join('\n')).toBe(true);
  });

  it('renders a Mermaid diagram as SVG once it scrolls into view', async () => {
    await open('/lessons/tcp');
    // The first diagram may already be near the top (and rendered) or still a placeholder.
    await page.locator('[data-mermaid-placeholder], .docusaurus-mermaid-container').first().scrollIntoViewIfNeeded();
    await page.locator('.docusaurus-mermaid-container svg').first().waitFor({ timeout: 90_000 });
  });

  // Every lesson and exercise page in one test: a minute is not enough on a loaded 2-core machine.
  it('renders every diagram of every lesson, and every exercise page, without a console error', { timeout: 900_000 }, async () => {
    for (const lesson of course.lessons) {
      await open(`/lessons/${lesson.id}`);
      const diagrams = await page.locator('[data-mermaid-placeholder], .docusaurus-mermaid-container').count();
      // Scroll down a screen at a time, as a reader would, so every diagram loads.
      for (let screen = 0; screen < 60 && (await page.locator('[data-mermaid-placeholder]').count()) > 0; screen++) {
        await page.mouse.wheel(0, 700);
        await page.waitForTimeout(100);
      }
      // Mermaid (a megabyte) loads on demand: generous, for the dev server on a busy machine.
      await expect.poll(() => page.locator('.docusaurus-mermaid-container svg').count(), { timeout: 90_000 }).toBe(diagrams);
      // Hovering a flowchart node once threw "e.transition is not a function".
      await page.locator('.docusaurus-mermaid-container svg .node').first().hover({ timeout: 2000 }).catch(() => undefined);
      expect(consoleErrors, `no console error on /lessons/${lesson.id}`).toEqual([]);
      await page.close();
    }
    for (const exercise of course.exercises) {
      await open(`/exercises/${exercise.id}`);
      await page.getByRole('heading', { level: 1, name: exercise.title, exact: true }).waitFor(shortWait);
      expect(consoleErrors, `no console error on /exercises/${exercise.id}`).toEqual([]);
      await page.close();
    }
    await open('/api');
  });

  it('switches to dark mode and back', async () => {
    await open('/lessons/websocket');
    const theme = () => page.locator('html').getAttribute('data-theme');
    // A string, so this Node-side file needs no DOM types.
    const background = () =>
      page.evaluate<string>("getComputedStyle(document.documentElement).getPropertyValue('--ifm-background-color')");
    const lightBackground = await background();
    await expect(theme()).resolves.toBe('light');

    const toggle = page.getByRole('button', { name: /Switch between dark and light mode/ });
    // The toggle cycles through system, light and dark mode.
    for (let press = 0; press < 3 && (await theme()) !== 'dark'; press++) await toggle.click();
    await expect(theme()).resolves.toBe('dark');
    expect(await background()).not.toBe(lightBackground);

    await page.reload();
    await expect(theme()).resolves.toBe('dark');
  });
}, { skip: skipReason !== undefined });
