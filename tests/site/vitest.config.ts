/**
 * The site's own test suite (`npm run test:site`): content checks, lesson
 * snippets, and the site driven in Debian's Chromium. Kept apart from the
 * maintainer suite in tests/vitest.config.ts, which must not include tests/site/.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.test.ts'],
    // One browser and one build at a time: this is a 2-core machine.
    fileParallelism: false,
    // Guards, not measures: the browser tests also run against the dev server, whose pages take
    // many seconds each on a shared, busy machine.
    testTimeout: 300_000,
    // beforeAll may have to build the site first (about 90 s alone, 7 minutes and more on a shared,
    // busy machine) or start the dev server (`docusaurus start`: about as long).
    hookTimeout: 900_000,
  },
});
