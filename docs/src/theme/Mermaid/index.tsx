/**
 * Wraps the theme's Mermaid component so that Mermaid (about a megabyte of
 * JavaScript) is only downloaded when a diagram is about to scroll into view.
 * A lesson page that is opened and read from the top pays nothing up front.
 */
import { useEffect, useRef, useState } from 'react';
import OriginalMermaid from '@theme-original/Mermaid';
import type { Props } from '@theme/Mermaid';
import styles from './styles.module.css';

export default function Mermaid(props: Props) {
  const placeholder = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(false);

  useEffect(() => {
    const element = placeholder.current;
    if (!element || typeof IntersectionObserver === 'undefined') {
      setNear(true);
      return undefined;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          setNear(true);
          observer.disconnect();
        }
      },
      { rootMargin: '200px 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  if (near) return <OriginalMermaid {...props} />;
  return <div ref={placeholder} className={styles.placeholder} data-mermaid-placeholder aria-hidden="true" />;
}
