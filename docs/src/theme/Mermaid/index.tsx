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
 */
import { useEffect, useRef, useState } from 'react';
import OriginalMermaid from '@theme-original/Mermaid';
import type { Props } from '@theme/Mermaid';
import styles from './styles.module.css';

export default function Mermaid(props: Props) {
  const placeholder = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);

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

  if (ready) return <OriginalMermaid {...props} />;
  return <div ref={placeholder} className={styles.placeholder} data-mermaid-placeholder aria-hidden="true" />;
}
