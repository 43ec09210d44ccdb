/**
 * The playground's browser tests (`vitest run --config tests/playground-browser/vitest.config.ts`):
 * the Socket Inspector, a live demo and the handshake view, in Debian's Chromium,
 * against the site's production build (`docs/build`, from `npm run build`) and a
 * playground each test run starts. Kept out of the maintainer suite (whose config takes
 * every `*.test.ts` under tests/): these files are named `*.browser.ts`, because they need a build.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.browser.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
