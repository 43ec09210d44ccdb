/**
 * `npm run bench:site`: figures for the site, printed, not asserted.
 *
 * - how long `docusaurus build docs` takes (goal: at most 90 s here);
 * - the JavaScript and CSS a lesson page makes the browser download, counted
 *   from the requests Chromium really sends, gzipped as a static host serves them;
 * - Lighthouse 12 scores for that page (goals: performance ≥ 95, accessibility
 *   100, best practices ≥ 95), with the audits that cost points.
 *
 * `--cold` first removes the build caches (docs/.docusaurus and webpack's
 * node_modules/.cache/webpack), to time a build from scratch.
 * `--skip-build` measures the existing docs/build.
 * `--page <path>` measures that page instead of the WebSocket lesson.
 * `--desktop` runs Lighthouse with its desktop preset instead of the default
 * (mobile: a mid-range phone on slow 4G, CPU slowed down 4×).
 *
 * @module
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { repoRoot } from '../tooling/course/paths.ts';
import { chromiumFlags, chromiumPath, launchChromium } from '../tests/site/support/chromium.ts';
import { buildDir, buildSite, siteDir } from '../tests/site/support/site-build.ts';
import { serveStatic } from '../tests/site/support/static-server.ts';

const args = new Set(process.argv.slice(2));
/** The page measured: by default a long lesson with code, diagrams and quizzes; `--page /frame-decoder` measures another. */
const pageOption = process.argv.indexOf('--page');
const lessonPath = pageOption === -1 ? '/lessons/websocket' : (process.argv[pageOption + 1] ?? '/lessons/websocket');

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

interface Downloaded {
  files: number;
  transferred: number;
  decoded: number;
}

/** JS and CSS the page requests, on load and once the reader has scrolled to the end. */
async function measureAssets(url: string) {
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const totals = { script: empty(), stylesheet: empty() };
    const pending: Promise<void>[] = [];
    page.on('response', (response) => {
      const type = response.request().resourceType();
      if (type !== 'script' && type !== 'stylesheet') return;
      pending.push(
        (async () => {
          const [sizes, body] = await Promise.all([response.request().sizes(), response.body()]);
          totals[type].files++;
          totals[type].transferred += sizes.responseBodySize + sizes.responseHeadersSize;
          totals[type].decoded += body.length;
        })(),
      );
    });
    await page.goto(url, { waitUntil: 'networkidle' });
    await Promise.all(pending);
    const onLoad = structuredClone(totals);
    for (let screen = 0; screen < 80; screen++) await page.mouse.wheel(0, 800);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1000);
    await Promise.all(pending);
    return { onLoad, afterScrolling: totals };
  } finally {
    await browser.close();
  }
}

function lighthouseVersion(): string {
  const manifest = fs.readFileSync(path.join(repoRoot, 'node_modules', 'lighthouse', 'package.json'), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}

function empty(): Downloaded {
  return { files: 0, transferred: 0, decoded: 0 };
}

async function runLighthouse(url: string) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'workbook-lighthouse-'));
  const chrome = await chromeLauncher.launch({
    chromePath: chromiumPath,
    chromeFlags: chromiumFlags,
    userDataDir,
    logLevel: 'silent',
  });
  try {
    const result = await lighthouse(
      url,
      { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility', 'best-practices'] },
      args.has('--desktop') ? desktopConfig : undefined,
    );
    if (!result) throw new Error('Lighthouse returned no result');
    return result.lhr;
  } finally {
    await chrome.kill();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

async function main() {
  if (args.has('--cold')) {
    for (const cache of [path.join(siteDir, '.docusaurus'), path.join(repoRoot, 'node_modules', '.cache', 'webpack')]) {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  }
  if (!args.has('--skip-build')) {
    console.log(`Building the site${args.has('--cold') ? ' from scratch' : ''}…`);
    const milliseconds = buildSite();
    console.log(`build time: ${(milliseconds / 1000).toFixed(1)} s (goal: ≤ 90 s)`);
  }

  const server = await serveStatic(buildDir);
  try {
    const url = `${server.url}${lessonPath}`;
    const { onLoad, afterScrolling } = await measureAssets(url);
    console.log(`\n${lessonPath}: what the browser downloads (gzip; decoded size in brackets)`);
    for (const [label, totals] of [
      ['on load', onLoad],
      ['after scrolling to the end (Mermaid loaded)', afterScrolling],
    ] as const) {
      console.log(`  ${label}:`);
      console.log(`    JS : ${totals.script.files} files, ${kib(totals.script.transferred)} (${kib(totals.script.decoded)})`);
      console.log(`    CSS: ${totals.stylesheet.files} files, ${kib(totals.stylesheet.transferred)} (${kib(totals.stylesheet.decoded)})`);
    }

    const runs = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
    const preset = args.has('--desktop') ? 'desktop preset' : 'mobile (default settings)';
    console.log(`\nLighthouse ${lighthouseVersion()}, ${preset}, ${lessonPath}, median of ${runs} runs:`);
    const reports = [];
    for (let run = 0; run < runs; run++) reports.push(await runLighthouse(url));
    const goals: Record<string, number> = { performance: 95, accessibility: 100, 'best-practices': 95 };
    for (const [id, goal] of Object.entries(goals)) {
      const scores = reports.map((lhr) => Math.round((lhr.categories[id]?.score ?? 0) * 100));
      const median = [...scores].sort((a, b) => a - b)[Math.floor(scores.length / 2)] ?? 0;
      // Report the audits of the median run: they say where the points went.
      const lhr = reports[scores.indexOf(median)] ?? reports[0];
      const category = lhr?.categories[id];
      console.log(`  ${category?.title ?? id}: ${median} (runs: ${scores.join(', ')}; goal: ≥ ${goal})`);
      for (const ref of category?.auditRefs ?? []) {
        const audit = lhr?.audits[ref.id];
        if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1) {
          console.log(`    - ${audit.title}${audit.displayValue ? `: ${audit.displayValue}` : ''}`);
        }
      }
    }
    console.log(`  (machine load average while measuring: ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores; scores drop when it is busy)`);
  } finally {
    await server.close();
  }
}

await main();
