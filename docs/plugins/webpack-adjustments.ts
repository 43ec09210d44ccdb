/**
 * Four webpack adjustments the site needs (and one constant).
 *
 * 1. `raw-loader` → our own `raw-source-loader.cjs`, so lessons show real,
 *    type-checked code instead of pasted copies:
 *
 *    ```mdx
 *    import acceptSource from '!!raw-loader!../snippets/sec-websocket-accept.ts';
 *    <CodeBlock language="ts">{acceptSource}</CodeBlock>
 *    ```
 *
 *    The snippet is a file `npm run typecheck` compiles, so a page can never show
 *    code that does not build.
 *
 * 2. `@mermaid-js/layout-elk` → nothing. It is an optional peer of
 *    `@docusaurus/theme-mermaid` that we do not install, and webpack 5.112 still
 *    tries to resolve its import behind the theme's `if (false)`.
 *
 * 3. Docusaurus's generated route registry (`docs/.docusaurus/*.js`) is parsed as
 *    `javascript/auto`. The root package.json says `"type": "module"`, which makes
 *    webpack parse it as strict ESM and leave its `require.resolveWeak` calls
 *    untranslated ("require.resolveWeak is not a function" at build time).
 *
 * 4. The classic theme's client module `prism-include-languages` → nothing. It
 *    imports all of `prism-react-renderer` (Prism and its bundled languages, about
 *    85 KB) into `main.js` and sets the grammars up before anything renders: on a
 *    phone, the largest part of evaluating `main.js`, and bytes every page
 *    downloads before it can paint. `src/theme/CodeBlock/Content` registers the
 *    extra languages instead, in a chunk loaded only when a code block has to be
 *    highlighted in the browser. It also needs to know whether it is in the
 *    client bundle: `process.env.WORKBOOK_SERVER_BUNDLE` is `'false'` there (DefinePlugin).
 *
 * @module
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadContext, Plugin } from '@docusaurus/types';

const rawSourceLoader = fileURLToPath(new URL('./raw-source-loader.cjs', import.meta.url));
const require = createRequire(import.meta.url);
/** The client module as Docusaurus names it in `.docusaurus/client-modules.js` (no extension). */
const prismClientModule = path.join(
  path.dirname(require.resolve('@docusaurus/theme-classic/package.json')),
  'lib',
  'prism-include-languages',
);

export default function webpackAdjustmentsPlugin(context: LoadContext): Plugin {
  return {
    name: 'webpack-adjustments',
    configureWebpack(_config, isServer, { currentBundler }) {
      return {
        // Tells src/theme/CodeBlock/Content it is in the client bundle.
        plugins: isServer ? [] : [new currentBundler.instance.DefinePlugin({ 'process.env.WORKBOOK_SERVER_BUNDLE': '"false"' })],
        resolveLoader: { alias: { 'raw-loader': rawSourceLoader } },
        resolve: {
          alias: {
            '@mermaid-js/layout-elk': false,
            [`${prismClientModule}$`]: false,
            [`${prismClientModule}.js$`]: false,
          },
        },
        module: { rules: [{ test: /\.js$/, include: [context.generatedFilesDir], type: 'javascript/auto' }] },
      };
    },
  };
}
