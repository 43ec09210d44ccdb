/**
 * Verdicts: what the grader concludes about an exercise, in the shape `--json` prints
 * (after exercism's test runner: a status, a message, and one entry per test).
 *
 * @module
 */

/** `not-started`: the learner's files are still the untouched starter. */
export type ExerciseStatus = 'pass' | 'fail' | 'error' | 'not-started';

export interface TestResult {
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'skip';
  /** Empty when it passed; otherwise what was expected and what happened. */
  readonly message: string;
}

export interface ExerciseResult {
  readonly id: string;
  readonly title: string;
  readonly status: ExerciseStatus;
  /** The files the learner edits, relative to the repository root, in the graded folder. */
  readonly files: readonly string[];
  /** One paragraph: why this status. */
  readonly message: string;
  readonly tests: readonly TestResult[];
  /** How long grading this exercise took, in milliseconds (its check, not the type check). */
  readonly durationMs: number;
  /** What the learner's code printed (console.log and friends) while its check ran. */
  readonly output: readonly string[];
}
