/**
 * How the grader runs checks. The grader passes this file to vitest's Node API; run
 * by hand, `npx vitest run --config checks/vitest.config.ts` grades `exercises/`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    // `WORKBOOK_CHECKS=tcp-echo,rooms` narrows a run to those exercises' checks (`npm run mutate` does).
    include: process.env.WORKBOOK_CHECKS ? process.env.WORKBOOK_CHECKS.split(',').map((id) => `${id}.check.ts`) : ['*.check.ts'],
    // Threads start faster than processes; learner code that blocks one is stopped
    // from outside, by the grader, which kills the whole grading process.
    pool: 'threads',
    isolate: true,
    // Each thread that runs a check beats, so that the grader can tell a blocked event loop from a slow one.
    setupFiles: ['../tooling/grader/heartbeat-setup.ts', ...(process.env.WORKBOOK_MUTATE ? ['../tooling/mutate/all-tests-per-mutant.ts'] : [])],
    // Checks mostly wait on sockets and timers, not on the CPU: run a few at once even on
    // two cores (vitest's default there is one at a time).
    maxWorkers: 3,
    // A check's tests run side by side where its file says `describe.concurrent` (they mostly
    // wait); the workbench traces every error, leak and connection to the test that made it.
    maxConcurrency: 32,
    // Backstops only: every wait inside a check is bounded and worded for the learner. Room for a
    // few answer waits in a row (5 s each) on a busy machine, within the grader's 60 s per check.
    testTimeout: 25_000,
    hookTimeout: 25_000,
    teardownTimeout: 2_000,
    // Socket.IO and ws write debug logs when DEBUG is set; keep the learner's output clean.
    env: { DEBUG: '' },
  },
});
