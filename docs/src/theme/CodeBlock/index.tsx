/**
 * The theme's CodeBlock without its re-render after hydration.
 *
 * The original gives each block a key that changes once the page is running in
 * the browser, so that every block is thrown away and highlighted again in the
 * current colour mode. On a lesson with several snippets that was most of the
 * page's blocking time. Our Prism theme (src/prism-theme.ts) uses CSS variables,
 * so the server-rendered blocks are already right in both modes.
 */
import { Children, isValidElement, type ReactNode } from 'react';
import ElementContent from '@theme/CodeBlock/Content/Element';
import StringContent from '@theme/CodeBlock/Content/String';
import type { Props } from '@theme/CodeBlock';

/** A plain string when the children are only strings, so the copy button can copy them. */
function stringifyChildren(children: ReactNode): ReactNode {
  if (Children.toArray(children).some((child) => isValidElement(child))) return children;
  return Array.isArray(children) ? children.join('') : children;
}

export default function CodeBlock({ children: rawChildren, ...props }: Props) {
  const children = stringifyChildren(rawChildren);
  return typeof children === 'string' ? (
    <StringContent {...props}>{children}</StringContent>
  ) : (
    <ElementContent {...props}>{children}</ElementContent>
  );
}
