/**
 * The two sites a browser test runs against, and the two windows it looks through.
 *
 * - `build`: `docs/build` (built first if stale), served statically, as a host would.
 * - `dev`: `docusaurus start docs` on a free port, what `npm start` gives a learner.
 *   Pages are rendered in the browser only (no server-side HTML), so code that
 *   assumes server-rendered HTML breaks here and nowhere else.
 *
 * `describeTargets` starts each target once per test file, before its tests, and
 * always stops it afterwards (a dev server is also killed if the test process
 * exits early). `SITE_TARGETS=build` (or `dev`) runs only one of them.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { repoRoot } from '../../../tooling/course/paths.ts';
import { buildDir, ensureFreshBuild } from './site-build.ts';
import { serveStatic } from './static-server.ts';

export type TargetName = 'build' | 'dev';

export interface Target {
  readonly name: TargetName;
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

export interface Viewport {
  readonly name: 'desktop' | 'phone';
  readonly width: number;
  readonly height: number;
}

/** The desktop and the phone window of issue 12: 1280×800 and 390×844. */
export const viewports: readonly Viewport[] = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];
export const desktop = viewports[0]!;
export const phone = viewports[1]!;

/** The targets this run covers: both unless `SITE_TARGETS` names some. */
export function targetNames(): TargetName[] {
  const wanted = (process.env.SITE_TARGETS ?? 'build,dev').split(',').map((name) => name.trim());
  const known: TargetName[] = ['build', 'dev'];
  const chosen = known.filter((name) => wanted.includes(name));
  if (chosen.length === 0) throw new Error(`SITE_TARGETS=${process.env.SITE_TARGETS} names no target (build, dev)`);
  return chosen;
}

/** The built site, served statically on a free port. */
export async function startBuildTarget(): Promise<Target> {
  ensureFreshBuild();
  const server = await serveStatic(buildDir);
  return { name: 'build', url: server.url, close: () => server.close() };
}

/** A port nobody listens on right now, from the kernel. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Dev servers still running, killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
function killAll(): void {
  for (const child of running) killGroup(child, 'SIGKILL');
}
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Its own process group (detached): docusaurus and the webpack workers it starts.
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * `docusaurus start docs` on a free port, ready once its first compilation is
 * served. Throws with the server's output if it exits or does not get ready in
 * `readyWithinMs` (compiling takes a minute alone, many on a busy machine).
 */
export async function startDevTarget(readyWithinMs = 540_000): Promise<Target> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    path.join(repoRoot, 'node_modules', '.bin', 'docusaurus'),
    ['start', 'docs', '--port', String(port), '--host', '127.0.0.1', '--no-open'],
    { cwd: repoRoot, env: { ...process.env, BROWSER: 'none', FORCE_COLOR: '0' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killAll);
  }
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`docusaurus start exited (${code ?? signal}) before it was ready:\n${output}`))),
  );
  exited.catch(() => undefined);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    running.delete(child);
  };

  try {
    await Promise.race([exited, waitUntilServed(url, readyWithinMs, () => output)]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { name: 'dev', url, close: stop };
}

/** Polls until `url` answers with the app's page: webpack's dev middleware holds requests until the bundle is compiled. */
async function waitUntilServed(url: string, withinMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(60_000) });
      const body = await response.text();
      if (response.ok && body.includes('__docusaurus')) {
        // The bundle itself must be served too, not only the HTML shell.
        const script = /<script[^>]+src="([^"]+main[^"]*\.js)"/.exec(body)?.[1] ?? '/main.js';
        const bundle = await fetch(new URL(script, url), { signal: AbortSignal.timeout(120_000) });
        if (bundle.ok) {
          await bundle.arrayBuffer();
          return;
        }
      }
    } catch {
      // Not listening yet, or still compiling.
    }
    if (Date.now() > deadline) throw new Error(`docusaurus start was not ready at ${url} within ${withinMs / 1000} s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export function startTarget(name: TargetName): Promise<Target> {
  return name === 'build' ? startBuildTarget() : startDevTarget();
}

/**
 * One `describe` per target (`<title> (build)`, `<title> (dev)`): the target is
 * started once before its tests and stopped after them, whatever happens. `body`
 * gets a function that returns the running target (call it inside tests and hooks)
 * and the target's name (to leave out a test that cannot apply, e.g. search in dev).
 */
export function describeTargets(title: string, body: (target: () => Target, name: TargetName) => void, options: { skip?: boolean } = {}): void {
  for (const name of targetNames()) {
    describe.skipIf(options.skip === true)(`${title} (${name})`, () => {
      let current: Target | undefined;
      beforeAll(async () => {
        current = await startTarget(name);
      });
      afterAll(async () => {
        await current?.close();
        current = undefined;
      });
      body(() => {
        if (!current) throw new Error(`the ${name} target is not running`);
        return current;
      }, name);
    });
  }
}
