/**
 * The maintainer suite (`npm run test:workbook`): the course's content, the grader
 * and its tools. The browser tests of the site have their own config in `tests/site/`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    exclude: ['site/**', 'playground-browser/**', 'fixtures/**', '.tmp/**', '**/node_modules/**'],
    // These tests start graders, which start their own processes: give them room.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
