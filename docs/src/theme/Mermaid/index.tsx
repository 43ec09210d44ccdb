/**
 * Wraps the theme's Mermaid component for two reasons:
 *
 * - Mermaid is about a megabyte of JavaScript: it is only downloaded when a
 *   diagram is about to scroll into view, so a lesson read from the top pays
 *   nothing for it up front.
 * - Mermaid's flowchart tooltips call d3's `selection.transition()`, which only
 *   exists once `d3-transition` has run; `d3` declares `sideEffects: false`, so
 *   webpack never runs it and hovering a node threw "e.transition is not a
 *   function". Importing it here, before the first diagram renders, fixes that.
 * - Mermaid draws a diagram as wide as its column (`width: 100%`), however small
 *   its text gets: on a phone, sequence and packet diagrams came out with text
 *   about 4 px high. `keepReadable` gives each drawn diagram a minimum width at
 *   which its smallest text is still {@link MIN_FONT_PX} px (or its natural
 *   size, if that is smaller); a narrower column scrolls it sideways instead
 *   (`.docusaurus-mermaid-container` has `overflow-x: auto`, see custom.css).
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import OriginalMermaid from '@theme-original/Mermaid';
import type { Props } from '@theme/Mermaid';
import styles from './styles.module.css';

/** The smallest text a diagram may be drawn with, in CSS pixels. */
export const MIN_FONT_PX = 11;

/** Text elements of a Mermaid SVG: SVG text, and the HTML labels inside `<foreignObject>`. */
const textSelector = 'text, tspan, foreignObject span, foreignObject div, foreignObject p';

function keepReadable(svg: SVGSVGElement): void {
  const viewBox = svg.viewBox.baseVal;
  if (!viewBox || viewBox.width === 0) return;
  let smallest = Infinity;
  for (const element of Array.from(svg.querySelectorAll<Element>(textSelector))) {
    if (!element.textContent?.trim()) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size > 0) smallest = Math.min(smallest, size);
  }
  if (!Number.isFinite(smallest)) return;
  // Drawn at `scale` times its own size, the smallest text is `smallest * scale` px.
  const scale = Math.min(1, MIN_FONT_PX / smallest);
  svg.style.minWidth = `${Math.ceil(viewBox.width * scale)}px`;
  svg.dataset.minFontPx = String(MIN_FONT_PX);
}

/** Applies `keepReadable` to every diagram drawn inside `root`, now and whenever Mermaid draws again (colour mode). */
function useReadableDiagrams(root: RefObject<HTMLDivElement | null>, active: boolean): void {
  useEffect(() => {
    const element = root.current;
    if (!active || !element) return undefined;
    const apply = () => element.querySelectorAll('svg').forEach((svg) => {
      if (svg.parentElement?.closest('svg') === null && !svg.dataset.minFontPx) keepReadable(svg);
    });
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(element, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [root, active]);
}

export default function Mermaid(props: Props) {
  const placeholder = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const drawn = useRef<HTMLDivElement>(null);
  useReadableDiagrams(drawn, ready);

  useEffect(() => {
    const element = placeholder.current;
    if (!element) return undefined;
    const load = () =>
      import('d3-transition')
        .catch(() => undefined) // tooltips may misbehave, the diagram still renders
        .then(() => setReady(true));
    if (typeof IntersectionObserver === 'undefined') {
      void load();
      return undefined;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        void load();
      },
      { rootMargin: '200px 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  if (ready)
    return (
      <div ref={drawn} className={styles.drawn} data-mermaid-drawn>
        <OriginalMermaid {...props} />
      </div>
    );
  return <div ref={placeholder} className={styles.placeholder} data-mermaid-placeholder aria-hidden="true" />;
}
