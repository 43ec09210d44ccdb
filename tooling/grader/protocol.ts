/**
 * Messages between the grader (the process the learner started) and the grading
 * process (which runs vitest, whose workers run the learner's code).
 *
 * @module
 */
import type { ExerciseResult } from './results.ts';

/** An error from a check, reduced to what the learner reads. */
export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
  /** vitest's expected/actual diff, when an assertion made one. */
  readonly diff?: string;
}

/** vitest's state of a test or a test file. */
export type RunState = 'passed' | 'failed' | 'skipped' | 'pending';

/** One test of a check, after it ran. */
export interface TestOutcome {
  readonly name: string;
  readonly state: RunState;
  readonly errors: readonly ErrorInfo[];
}

/** One check file, after it ran. */
export interface ModuleOutcome {
  /** Absolute path of the check file. */
  readonly file: string;
  readonly state: RunState;
  /** Errors outside any test: a check that failed to load, a failing hook. */
  readonly errors: readonly ErrorInfo[];
  readonly tests: readonly TestOutcome[];
  /** What the learner's code printed while the check ran, in order. */
  readonly logs: readonly string[];
  /** How long the check file took to run, in milliseconds. */
  readonly durationMs: number;
}

/** Grader → grading process. */
export type Request =
  /** Run these check files; first forget any cached transform of `changed` files. */
  | {
      readonly type: 'grade';
      readonly checkFiles: readonly string[];
      readonly changed: readonly string[];
      /** Keep a check thread started for the next request: set by graders that grade again soon (watch mode, the grading server). */
      readonly prepareNext?: boolean;
    }
  | { readonly type: 'exit' };

/** Grading process → grader. */
export type Report =
  | { readonly type: 'ready' }
  /** A check file started running, or made progress (a test started or ended). */
  | { readonly type: 'activity'; readonly file: string }
  /** The thread running this check file has a free event loop (see `heartbeat.ts`). */
  | { readonly type: 'heartbeat'; readonly file: string }
  | { readonly type: 'module-end'; readonly outcome: ModuleOutcome }
  /** The run is over; errors no test caught (an unhandled rejection), by check file when known. */
  | { readonly type: 'run-end'; readonly unhandled: readonly { readonly file?: string; readonly error: ErrorInfo }[] }
  | { readonly type: 'fatal'; readonly message: string };

/** `npm run check` → the grading server (see `grading-server.ts`): one request per connection. */
export type ServerRequest = {
  readonly type: 'grade';
  /** The graded folder. */
  readonly root: string;
  readonly isLearnerFolder: boolean;
  /** Exercises by id or number, in the order to grade them; none: the whole course. */
  readonly exercises: readonly string[];
  /** The client's Node version: a server started by another Node is out of date. */
  readonly node: string;
};

/** The grading server → `npm run check`. */
export type ServerReply =
  | { readonly type: 'graded'; readonly results: ExerciseResult[] }
  /** The server's code is out of date (the workbook changed since it started): it exits; start a fresh one. */
  | { readonly type: 'stale' }
  | { readonly type: 'failed'; readonly message: string };
