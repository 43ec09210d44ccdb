/**
 * One Prism theme for both colour modes: every colour is a CSS variable that
 * `src/css/custom.css` defines for light and dark mode. The server-rendered
 * code blocks are then right in either mode, so `theme/CodeBlock` need not
 * re-render them all after the page loads. The colours are GitHub Primer's,
 * which meet WCAG AA contrast on their backgrounds.
 */
import type { PrismTheme } from 'prism-react-renderer';

const token = (name: string) => `var(--code-${name})`;

export const prismTheme: PrismTheme = {
  plain: { color: token('text'), backgroundColor: token('background') },
  styles: [
    { types: ['comment', 'prolog', 'doctype', 'cdata'], style: { color: token('comment'), fontStyle: 'italic' } },
    { types: ['keyword', 'selector', 'important', 'atrule', 'rule'], style: { color: token('keyword') } },
    { types: ['string', 'char', 'attr-value', 'regex', 'url', 'inserted'], style: { color: token('string') } },
    { types: ['number', 'boolean', 'constant', 'symbol', 'variable'], style: { color: token('constant') } },
    { types: ['function', 'method'], style: { color: token('function') } },
    { types: ['class-name', 'builtin', 'maybe-class-name', 'namespace'], style: { color: token('type') } },
    { types: ['tag', 'property', 'attr-name', 'property-access', 'deleted'], style: { color: token('property') } },
    { types: ['punctuation', 'operator'], style: { color: token('text') } },
  ],
};
