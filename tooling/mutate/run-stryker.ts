/**
 * One exercise under StrykerJS: mutate `solutions/<id>/` and run only that exercise's
 * check against each mutant. A mutant the check fails on is "killed"; one it passes is
 * a wrong program the check would let through.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MutantResult, PartialStrykerOptions } from '@stryker-mutator/api/core';
import { Stryker } from '@stryker-mutator/core';
import type { ExerciseSpec } from '../course/define.ts';
import { checkFile, fromRoot, folders, repoRoot } from '../course/paths.ts';

/** Stryker's reports (JSON, HTML, the incremental file): git-ignored, under `reports/mutation/`. */
export const reportsDir = path.join(repoRoot, 'reports', 'mutation');

export interface RunOptions {
  /** Rerun every mutant, ignoring the incremental file. */
  readonly force?: boolean;
  readonly concurrency?: number;
}

function strykerOptions(exercise: ExerciseSpec, options: RunOptions): PartialStrykerOptions {
  const report = (extension: string) => fromRoot(path.join(reportsDir, `${exercise.id}.${extension}`));
  return {
    mutate: exercise.files.map((file) => fromRoot(path.join(folders.solutions, exercise.id, file))),
    testRunner: 'vitest',
    // The checks import the learner's module by a computed path, which vitest's
    // "related files" cannot see: run the exercise's check (see WORKBOOK_CHECKS) for every mutant.
    vitest: { configFile: 'checks/vitest.config.ts', related: false },
    coverageAnalysis: 'off',
    // A mutant that does not type-check is refused by the grader's type check: caught.
    checkers: ['typescript'],
    tsconfigFile: 'tooling/mutate/tsconfig.json',
    plugins: ['@stryker-mutator/vitest-runner', '@stryker-mutator/typescript-checker'],
    incremental: true,
    incrementalFile: report('incremental.json'),
    force: options.force ?? false,
    reporters: ['json', 'html', 'progress'],
    jsonReporter: { fileName: report('json') },
    htmlReporter: { fileName: report('html') },
    // Only what a check needs is copied into Stryker's sandbox.
    ignorePatterns: ['/docs', '/bench', '/tests', '/.workbook', '/.bench', '/reports'],
    tempDirName: '.stryker-tmp',
    concurrency: options.concurrency ?? 2,
    // Checks wait on sockets with bounded waits of a few seconds: a mutant that hangs is caught by those first.
    timeoutMS: 15_000,
    // LogLevel is a const enum, which isolated modules cannot import: its values are these strings.
    logLevel: 'warn' as PartialStrykerOptions['logLevel'],
    fileLogLevel: 'off' as PartialStrykerOptions['logLevel'],
    allowConsoleColors: process.stdout.isTTY === true,
  };
}

/**
 * A fingerprint of what grades the mutants: the check, everything in `checks/support/`
 * and the checks' config. Stryker's incremental mode only notices changes to the mutated
 * files and the check itself, so a changed support file must rerun every mutant.
 */
function checkFingerprint(exercise: ExerciseSpec): string {
  const support = path.join(folders.checks, 'support');
  const files = [checkFile(exercise), path.join(folders.checks, 'vitest.config.ts'), ...fs.readdirSync(support).sort().map((name) => path.join(support, name))];
  const hash = createHash('sha256');
  for (const file of files) hash.update(fromRoot(file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** Runs Stryker on one exercise and returns the result of every mutant. */
export async function mutateExercise(exercise: ExerciseSpec, options: RunOptions = {}): Promise<MutantResult[]> {
  // Read by the test-runner processes Stryker forks: grade the (mutated) solutions, with this check only.
  process.env.WORKBOOK_TARGET = 'solutions';
  process.env.WORKBOOK_CHECKS = exercise.id;
  // Every mutant against the whole check (see all-tests-per-mutant.ts).
  process.env.WORKBOOK_MUTATE = '1';
  const fingerprintFile = path.join(reportsDir, `${exercise.id}.check-fingerprint`);
  const fingerprint = checkFingerprint(exercise);
  const checkChanged = !fs.existsSync(fingerprintFile) || fs.readFileSync(fingerprintFile, 'utf8') !== fingerprint;
  const stryker = new Stryker(strykerOptions(exercise, { ...options, force: options.force === true || checkChanged }));
  const results = await stryker.runMutationTest();
  fs.mkdirSync(reportsDir, { recursive: true });
  fs.writeFileSync(fingerprintFile, fingerprint);
  return results;
}
