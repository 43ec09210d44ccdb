/**
 * Three webpack adjustments the site needs.
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
 * @module
 */
import { fileURLToPath } from 'node:url';
import type { LoadContext, Plugin } from '@docusaurus/types';

const rawSourceLoader = fileURLToPath(new URL('./raw-source-loader.cjs', import.meta.url));

export default function webpackAdjustmentsPlugin(context: LoadContext): Plugin {
  return {
    name: 'webpack-adjustments',
    configureWebpack() {
      return {
        resolveLoader: { alias: { 'raw-loader': rawSourceLoader } },
        resolve: { alias: { '@mermaid-js/layout-elk': false } },
        module: { rules: [{ test: /\.js$/, include: [context.generatedFilesDir], type: 'javascript/auto' }] },
      };
    },
  };
}
