/**
 * A client module: Docusaurus still prefetches the pages that links point to,
 * but in short slices of idle time instead of all at once.
 *
 * Each `<Link>` that scrolls into view calls `window.docusaurus.prefetch(path)`,
 * which matches the path against every route of the site (the API reference
 * makes them a few hundred) and adds a `<link rel="prefetch">` per chunk. Right
 * after hydration a lesson has dozens of links in view, and on a phone those
 * calls made one of the longest tasks of the page load (about 150 ms with the
 * CPU slowed down 4×, Lighthouse's mobile setting). Queued and run while the
 * browser is idle, a few at a time, they no longer block input.
 *
 * @module
 */
import type { ClientModule } from '@docusaurus/types';

type Prefetch = (routePath: string) => false | Promise<unknown>;

/** Milliseconds of prefetching per idle slice (at least one call): 4× that, on a phone as slow as Lighthouse's, stays well under a 50 ms long task. */
const SLICE_MS = 4;

const queued: Array<{ routePath: string; done: (result: unknown) => void }> = [];
let prefetchNow: Prefetch | undefined;
let scheduled = false;

function whenIdle(run: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run);
  else setTimeout(run, 50);
}

function drain(): void {
  scheduled = false;
  const started = performance.now();
  while (queued.length > 0 && performance.now() - started < SLICE_MS) {
    const next = queued.shift()!;
    next.done(prefetchNow?.(next.routePath));
  }
  if (queued.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  whenIdle(drain);
}

function prefetchWhenIdle(routePath: string): Promise<unknown> {
  return new Promise((done) => {
    queued.push({ routePath, done });
    schedule();
  });
}

/** `window.docusaurus` is set by the client entry after client modules load: wrap it on the first route update, before any link is observed. */
function install(): void {
  const docusaurus = (window as unknown as { docusaurus?: { prefetch: Prefetch } }).docusaurus;
  if (!docusaurus || prefetchNow) return;
  prefetchNow = docusaurus.prefetch;
  (window as unknown as { docusaurus: unknown }).docusaurus = { ...docusaurus, prefetch: prefetchWhenIdle };
}

const module: ClientModule = {
  onRouteDidUpdate() {
    install();
  },
};

export default module;
