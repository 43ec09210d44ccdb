/**
 * From raw facts (how the check ran, what TypeScript said, whether the files are
 * untouched) to a verdict with messages a learner can act on.
 *
 * @module
 */
import type { ExerciseSpec } from '../course/define.ts';
import type { CheckRun } from './grading-session.ts';
import type { ErrorInfo, TestOutcome } from './protocol.ts';
import type { ExerciseResult, ExerciseStatus, TestResult } from './results.ts';
import type { TypeError } from './typecheck.ts';

/** Everything known about one exercise after grading. */
export interface Facts {
  readonly exercise: ExerciseSpec;
  /** Learner files, relative to the repository root. */
  readonly files: readonly string[];
  /** Learner files that do not exist. */
  readonly missing: readonly string[];
  readonly run: CheckRun | undefined;
  readonly typeErrors: readonly TypeError[];
  /** Whether the files are the untouched starter (`undefined`: unknown, or not the learner's folder). */
  readonly untouched: boolean | undefined;
  readonly durationMs: number;
}

export const TYPE_CHECK_TEST = 'compiles without type errors (tsc)';
const MAX_TYPE_ERRORS_SHOWN = 5;

/** Errors whose message the checks wrote for the learner (see `checks/support/check-failure.ts`). */
const LEARNER_FACING = new Set(['CheckFailure', 'LoadFailure', 'UncaughtFailure']);

/**
 * Causes that make every later observation meaningless: the learner's code ended the
 * process, or let an error escape. Said first and only, not among unrelated failures.
 */
function decisiveCause(error: ErrorInfo): boolean {
  return error.name === 'UncaughtFailure' || /process\.exit unexpectedly called/.test(error.message);
}

/** Rewrites the few messages vitest itself produces into words for a learner. */
export function explainError(error: ErrorInfo): string {
  const timeout = /Test timed out in (\d+)ms/.exec(error.message);
  if (timeout) {
    return `This test did not finish within ${Number(timeout[1]) / 1000} s. Something in your code waits forever: a promise that never settles, or a callback that is never called.`;
  }
  const exit = /process\.exit unexpectedly called with "?(\w*)"?/.exec(error.message);
  if (exit) {
    return `Your code called process.exit(${exit[1] ?? ''}). A server or client must never end the process it runs in: close what you opened instead.`;
  }
  const text = LEARNER_FACING.has(error.name) ? error.message : `${error.name}: ${error.message}`;
  return error.diff ? `${text}\n${error.diff}` : text;
}

function testResult(test: TestOutcome): TestResult {
  const status = test.state === 'passed' ? 'pass' : test.state === 'failed' ? 'fail' : 'skip';
  // An error that escaped explains the test's other failures (an acknowledgement never called…): name it first.
  const first = test.errors.find(decisiveCause) ?? test.errors[0];
  return { name: test.name, status, message: status === 'fail' && first ? explainError(first) : '' };
}

function typeCheckResult(errors: readonly TypeError[]): TestResult {
  if (errors.length === 0) return { name: TYPE_CHECK_TEST, status: 'pass', message: '' };
  const shown = errors.slice(0, MAX_TYPE_ERRORS_SHOWN).map((e) => `${e.file}:${e.line}:${e.column} — ${e.message.replace(/\n/g, '\n    ')}`);
  const more = errors.length > MAX_TYPE_ERRORS_SHOWN ? [`…and ${errors.length - MAX_TYPE_ERRORS_SHOWN} more (run \`npx tsc\` to see them all)`] : [];
  return {
    name: TYPE_CHECK_TEST,
    status: 'fail',
    message: [`TypeScript found ${errors.length} type error${errors.length > 1 ? 's' : ''}:`, ...shown, ...more].join('\n'),
  };
}

/** Combines the facts into the exercise's verdict. */
export function verdict(facts: Facts): ExerciseResult {
  const { exercise, files, durationMs } = facts;
  const output = facts.run?.kind === 'finished' ? facts.run.outcome.logs : [];
  const base = { id: exercise.id, title: exercise.title, files, durationMs, output };
  const result = (status: ExerciseStatus, message: string, tests: readonly TestResult[] = []): ExerciseResult => ({
    ...base,
    status: status !== 'pass' && facts.untouched ? 'not-started' : status,
    message:
      status !== 'pass' && facts.untouched
        ? `Not started yet: ${files.join(', ')} ${files.length > 1 ? 'are' : 'is'} still the starter. The task is in exercises/${exercise.id}/README.md.`
        : message,
    tests,
  });

  if (facts.missing.length > 0) {
    return result('error', `${facts.missing.join(', ')} ${facts.missing.length > 1 ? 'are' : 'is'} missing. \`npm run reset -- ${exercise.id}\` brings the starter back.`);
  }
  const run = facts.run;
  if (!run) return result('error', 'The check did not run (the grader stopped before it).');
  if (run.kind === 'stopped') {
    return result(
      'error',
      run.reason === 'stalled'
        ? `Your code blocked the event loop for ${run.limitMs / 1000} s: no timer and no socket event could run, so the check was stopped. ` +
            'Look for an endless loop (`while`, `for`) or a long synchronous computation: while it runs, Node can handle no socket event at all.'
        : `The check ran for more than ${run.limitMs / 1000} s and was stopped. Something keeps it busy without finishing.`,
    );
  }
  if (run.kind === 'crashed') {
    return result('error', `The process that ran your code died (${run.detail.split('\n')[0]}). Did your code call \`process.abort()\` or \`process.kill()\`?`);
  }

  const { outcome, unhandled } = run;
  const tests = outcome.tests.map(testResult);
  const typeCheck = typeCheckResult(facts.typeErrors);
  const unhandledTests: TestResult[] = unhandled.map((error) => ({
    name: 'no unhandled errors',
    status: 'fail',
    // A process.exit() inside a callback reaches vitest as an uncaught error: name it for what it is.
    message: /process\.exit unexpectedly called/.test(error.message)
      ? explainError(error)
      : `Your code let an error escape (${error.name}): ${error.message}. Catch it where it happens (\`.catch()\`, \`try/await\`, an \`error\` listener).`,
  }));
  const all = [...tests, ...unhandledTests, typeCheck];

  if (outcome.errors.length > 0) {
    return result('error', `The check could not run: ${outcome.errors.map(explainError).join('\n')}`, all);
  }
  const ran = outcome.tests.filter((test) => test.state === 'passed' || test.state === 'failed');
  if (ran.length === 0) return result('error', 'The check ran no test, so it cannot vouch for anything. (This is a bug in the workbook: please report it.)', all);

  const failed = all.filter((test) => test.status === 'fail');
  if (failed.length === 0) return result('pass', `All ${ran.length} checks passed, and TypeScript is happy.`, all);

  // A file that cannot be loaded fails every test the same way: one verdict, not ten.
  const loadFailure = outcome.tests.find((test) => test.errors[0]?.name === 'LoadFailure')?.errors[0];
  if (loadFailure && failed.every((test) => test.name === TYPE_CHECK_TEST || outcome.tests.find((t) => t.name === test.name)?.errors[0]?.name === 'LoadFailure')) {
    return result('error', explainError(loadFailure), all);
  }
  // The process ended or an error escaped: say that first and only; what failed after it is not judged.
  const decisive = outcome.tests.find((test) => test.state === 'failed' && test.errors.some(decisiveCause));
  const decisiveEscape = unhandled.find((error) => /process\.exit unexpectedly called/.test(error.message));
  if (decisive || decisiveEscape) {
    const cause = decisive ? tests[outcome.tests.indexOf(decisive)]! : unhandledTests[unhandled.indexOf(decisiveEscape!)]!;
    const judged = all.map((test) =>
      test === cause || test.status !== 'fail' || test === typeCheck
        ? test
        : { name: test.name, status: 'skip' as const, message: `Not judged: ${cause.name === 'no unhandled errors' ? 'your code' : `in "${cause.name}", your code`} ${/process\.exit/.test(cause.message) ? 'ended the process' : 'let an error escape'} first.` },
    );
    return result('fail', `${cause.name === 'no unhandled errors' ? '' : `In "${cause.name}": `}${cause.message}`, judged);
  }
  const first = failed[0]!;
  const passedCount = all.filter((test) => test.status === 'pass').length;
  return result('fail', `${passedCount} of ${all.length} checks pass. First failure — ${first.name}:\n${first.message}`, all);
}
