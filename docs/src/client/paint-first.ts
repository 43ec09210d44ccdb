/**
 * A client module: on the first page load, the chunks of the page (requested by
 * Docusaurus as soon as `main.js` runs) are requested once the browser has
 * painted the server-rendered page, not before.
 *
 * On a fast connection or from the cache, `main.js` can run before the first
 * paint; the page's chunks then arrived and ran before it too, and the complete
 * HTML stayed blank on a phone for the time it took to evaluate them. Waiting
 * for the first contentful paint (reported by the browser; a frame where paint
 * timing is missing; never more than a second; not at all in a hidden tab) lets
 * the page show first. Later navigations load chunks at once.
 *
 * @module
 */
declare const __webpack_require__: { e: (chunkId: string | number) => Promise<unknown> };

function firstPaint(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => setTimeout(resolve, 0);
    if (document.visibilityState === 'hidden' || performance.getEntriesByName('first-contentful-paint').length > 0) {
      resolve();
      return;
    }
    setTimeout(resolve, 1000);
    if (!PerformanceObserver.supportedEntryTypes?.includes('paint')) {
      requestAnimationFrame(done);
      return;
    }
    new PerformanceObserver((list, observer) => {
      if (list.getEntriesByName('first-contentful-paint').length === 0) return;
      observer.disconnect();
      done();
    }).observe({ type: 'paint', buffered: true });
  });
}

if (typeof window !== 'undefined' && typeof __webpack_require__ !== 'undefined') {
  const ensureChunk = __webpack_require__.e;
  let painted: Promise<void> | undefined = firstPaint().then(() => {
    painted = undefined;
  });
  __webpack_require__.e = (chunkId) => (painted ? painted.then(() => ensureChunk(chunkId)) : ensureChunk(chunkId));
}

export {};
