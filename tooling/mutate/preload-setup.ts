// A setup file of the checks, used only by `npm run mutate` (WORKBOOK_PRELOAD): imports the
// mutated solution files before any test starts. StrykerJS counts the code a file runs when it
// is imported as "static" — run with every test, after a full reload — but a check imports the
// learner's module inside its first test, so without this Stryker took that code (a constant, a
// schema) as covered by the first test alone, ran only that test against its mutants, and called
// them survivors.
import path from 'node:path';
import { repoRoot } from '../course/paths.ts';

for (const file of (process.env.WORKBOOK_PRELOAD ?? '').split(',').filter(Boolean)) {
  // A mutant that throws on import is for the checks to report, in their tests.
  await import(/* @vite-ignore */ path.join(repoRoot, file)).catch(() => undefined);
}
