/**
 * The highlighted part of a code block, without Prism in the page's first load.
 *
 * Prism (`prism-react-renderer` with its grammars) is about 85 KB whose set-up
 * alone took a phone about 120 ms on every page, before anything was
 * interactive. Yet a page loaded from the server already has every block
 * highlighted in its HTML, and our Prism theme is CSS variables, right in both
 * colour modes (src/prism-theme.ts). So:
 *
 * - the server renders the blocks with Prism, as before (`./Highlighted`);
 * - hydrating that page, the browser keeps the server's `<pre>` as it is: React
 *   does not look inside an element with `dangerouslySetInnerHTML` (the copy and
 *   word-wrap buttons are outside it, and hydrate as usual; word wrap styles the
 *   `<code>` element it finds in this `<pre>`);
 * - a block rendered in the browser later (client-side navigation, or should a
 *   hydrated block turn out empty) loads `./Highlighted`, Prism included.
 *
 * The classic theme registers the extra languages in a client module, which
 * put Prism into `main.js`: `plugins/webpack-adjustments.ts` removes it, and
 * `./Highlighted` registers them instead.
 */
import { lazy, Suspense, useLayoutEffect, useRef, useState, type ComponentType, type ReactNode } from 'react';
import clsx from 'clsx';
import { useCodeBlockContext } from '@docusaurus/theme-common/internal';
import type { Props } from '@theme/CodeBlock/Content';

// The server renders the blocks at once, without a Suspense boundary (a suspended
// block would be written as a fallback plus a script that swaps it in).
// plugins/webpack-adjustments.ts sets `process.env.WORKBOOK_SERVER_BUNDLE` to
// 'false' in the client bundle, which then drops this `require`.
const OnServer: ComponentType<Props> | undefined =
  process.env.WORKBOOK_SERVER_BUNDLE !== 'false'
    ? (require('./Highlighted') as { default: ComponentType<Props> }).default
    : undefined;
const InBrowser = lazy(() => import('./Highlighted'));

/**
 * Server HTML is kept only while a page from the server is being hydrated. The
 * dev server (`docusaurus start`, what `npm start` runs) sends no server-rendered
 * HTML: its client entry renders from scratch (`process.env.HYDRATE_CLIENT_ENTRY`
 * is false there), so there is nothing to keep, and an empty `<pre>` would make
 * the theme's word-wrap hook crash on the `<code>` it expects inside.
 */
function hydratingServerHtml(): boolean {
  return (
    Boolean(process.env.HYDRATE_CLIENT_ENTRY) &&
    typeof document !== 'undefined' &&
    document.documentElement.dataset.hasHydrated !== 'true'
  );
}

/** The same element the theme renders, its content left as the server wrote it. */
function ServerRendered({ className, onEmpty }: { className?: string; onEmpty: () => void }) {
  const { wordWrap } = useCodeBlockContext();
  const own = useRef<HTMLPreElement | null>(null);
  useLayoutEffect(() => {
    if (!own.current?.firstChild) onEmpty();
  }, [onEmpty]);
  return (
    <pre
      ref={(element) => {
        own.current = element;
        wordWrap.codeBlockRef.current = element;
      }}
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- as the theme's: scrollable by keyboard
      tabIndex={0}
      className={clsx(className, 'prism-code')}
      suppressHydrationWarning
      dangerouslySetInnerHTML={{ __html: '' }}
    />
  );
}

/** While `./Highlighted` loads in the browser: the code, unhighlighted (word wrap works on it too). */
function Plain({ className }: Props): ReactNode {
  const { metadata, wordWrap } = useCodeBlockContext();
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- as the theme's: scrollable by keyboard
    <pre ref={wordWrap.codeBlockRef} tabIndex={0} className={clsx(className, 'prism-code')}>
      <code>{metadata.code}</code>
    </pre>
  );
}

export default function CodeBlockContent(props: Props): ReactNode {
  const [keepServerHtml, setKeepServerHtml] = useState(hydratingServerHtml);
  const [onEmpty] = useState(() => () => setKeepServerHtml(false));
  if (typeof window === 'undefined' && OnServer) return <OnServer {...props} />;
  if (keepServerHtml) return <ServerRendered className={props.className} onEmpty={onEmpty} />;
  return (
    <Suspense fallback={<Plain {...props} />}>
      <InBrowser {...props} />
    </Suspense>
  );
}
