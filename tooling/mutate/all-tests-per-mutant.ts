// A vitest setup file for `npm run mutate` only (see checks/vitest.config.ts): it drops the
// per-test coverage Stryker's vitest runner reports even with `coverageAnalysis: "off"`.
// Checks import the learner's module inside their first test, so a mutant in the module's
// top-level code (a constant such as a regular expression) is "covered" by that test alone,
// and Stryker ran only that test against it: a wrong program the rest of the check rejects
// survived. Without coverage, Stryker runs the whole check against every mutant.
// Hooks after tests run in reverse order: this one runs before Stryker's, which then reports nothing.
import { afterAll } from 'vitest';

afterAll(() => {
  const stryker = (globalThis as { __stryker__?: { mutantCoverage?: unknown } }).__stryker__;
  if (stryker) delete stryker.mutantCoverage;
});
