/**
 * The maintainer suite (`npm run test:workbook`): the course's content, the grader
 * and its tools. The browser tests of the site have their own config in `tests/site/`.
 */
import { defineConfig } from 'vitest/config';

const underLoad = 'grader-under-load.test.ts';
const notTests = ['site/**', 'playground-browser/**', 'fixtures/**', '.tmp/**', '**/node_modules/**'];

export default defineConfig({
  test: {
    root: import.meta.dirname,
    // These tests start graders, which start their own processes: give them room.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'workbook', include: ['**/*.test.ts'], exclude: [...notTests, underLoad], sequence: { groupOrder: 0 } } },
      // The test that loads the machine on purpose runs last, alone, so that it slows no other test.
      { extends: true, test: { name: 'under-load', include: [underLoad], exclude: notTests, sequence: { groupOrder: 1 } } },
    ],
  },
});
