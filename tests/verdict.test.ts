/**
 * From raw facts to verdicts: the rules the grader's statuses follow.
 */
import { describe, expect, test } from 'vitest';
import { course } from '../exercises/manifest.ts';
import type { CheckRun } from '../tooling/grader/grading-session.ts';
import type { ErrorInfo, TestOutcome } from '../tooling/grader/protocol.ts';
import { explainError, verdict, type Facts } from '../tooling/grader/verdict.ts';

const exercise = course.exercises[0]!;

function facts(run: CheckRun | undefined, extra: Partial<Facts> = {}): Facts {
  return { exercise, files: ['exercises/x/server.ts'], missing: [], run, typeErrors: [], untouched: undefined, durationMs: 5, ...extra };
}

function finished(tests: TestOutcome[], unhandled: ErrorInfo[] = []): CheckRun {
  return { kind: 'finished', outcome: { file: 'x', state: 'passed', errors: [], tests, logs: [], durationMs: 5 }, unhandled };
}

const passed = (name: string): TestOutcome => ({ name, state: 'passed', errors: [] });
const failed = (name: string, message: string, errorName = 'CheckFailure'): TestOutcome => ({ name, state: 'failed', errors: [{ name: errorName, message }] });

describe('verdict', () => {
  test('all tests pass and no type error: pass', () => {
    expect(verdict(facts(finished([passed('a'), passed('b')]))).status).toBe('pass');
  });

  test('a run with zero tests is an error, never a pass', () => {
    const result = verdict(facts(finished([])));
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/ran no test/);
  });

  test('a type error fails an exercise whose behaviour is right', () => {
    const result = verdict(facts(finished([passed('a')]), { typeErrors: [{ file: 'x.ts', line: 3, column: 7, message: "Type 'string' is not assignable to type 'number'." }] }));
    expect(result.status).toBe('fail');
    expect(result.tests.at(-1)).toMatchObject({ status: 'fail', message: expect.stringContaining('x.ts:3:7') });
  });

  test('an unhandled error fails it too, and says so', () => {
    const result = verdict(facts(finished([passed('a')], [{ name: 'Unhandled Rejection', message: 'boom' }])));
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/let an error escape \(Unhandled Rejection\): boom/);
  });

  test('a process.exit() in a callback is named, not reported as a generic escape', () => {
    const result = verdict(facts(finished([passed('a')], [{ name: 'Uncaught Exception', message: 'process.exit unexpectedly called with "0"' }])));
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/called process\.exit\(0\)/);
  });

  test('a file that cannot load is one error, not a failure per test', () => {
    const result = verdict(facts(finished([failed('a', 'Loaded x: a syntax error', 'LoadFailure'), failed('b', 'Loaded x: a syntax error', 'LoadFailure')])));
    expect(result.status).toBe('error');
    expect(result.message).toBe('Loaded x: a syntax error');
  });

  test('an untouched starter that fails is "not started"', () => {
    const result = verdict(facts(finished([failed('a', 'nope')]), { untouched: true }));
    expect(result.status).toBe('not-started');
    expect(result.message).toMatch(/still the starter/);
  });

  test('an edited exercise that fails is "fail", with the first failure', () => {
    const result = verdict(facts(finished([passed('a'), failed('b', 'expected 2, got 3')]), { untouched: false }));
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/2 of 3 checks pass. First failure — b:\nexpected 2, got 3/);
  });

  test('a process.exit() is said first and only: what failed after it is not judged', () => {
    const exit = 'process.exit unexpectedly called with "1"';
    const result = verdict(
      facts(finished([failed('a', 'no answer'), passed('b'), failed('c', exit, 'Error'), failed('d', exit, 'Error'), failed('e', 'closed')]), { untouched: false }),
    );
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(/^In "c": Your code called process\.exit\(1\)/);
    expect(result.tests.filter((t) => t.status === 'fail').map((t) => t.name)).toEqual(['c']);
    expect(result.tests.find((t) => t.name === 'a')).toMatchObject({ status: 'skip', message: expect.stringMatching(/Not judged: in "c", your code ended the process first/) });
    expect(result.tests.find((t) => t.name === 'b')?.status).toBe('pass');
  });

  test('an error that escaped is named before the failure it caused, in its test and in the verdict', () => {
    const escaped: TestOutcome = {
      name: 'b',
      state: 'failed',
      errors: [
        { name: 'CheckFailure', message: 'the acknowledgement was never called' },
        { name: 'UncaughtFailure', message: 'an error escaped, first: Error: boom' },
      ],
    };
    const result = verdict(facts(finished([failed('a', 'wrong count'), escaped]), { untouched: false }));
    expect(result.message).toBe('In "b": an error escaped, first: Error: boom');
    expect(result.tests.find((t) => t.name === 'b')?.message).toMatch(/^an error escaped/);
    expect(result.tests.find((t) => t.name === 'a')?.status).toBe('skip');
  });

  test('a stopped check is an error that names the blocked event loop', () => {
    expect(verdict(facts({ kind: 'stopped', reason: 'stalled', limitMs: 10_000 })).message).toMatch(/blocked the event loop.*10 s/);
  });

  test('missing files are an error that says how to get them back', () => {
    expect(verdict(facts(undefined, { missing: ['exercises/x/server.ts'] })).message).toMatch(/is missing.*npm run reset -- tcp-echo/);
  });
});

describe('explainError', () => {
  test('turns vitest timeouts and process.exit into words for a learner', () => {
    expect(explainError({ name: 'Error', message: 'Test timed out in 8000ms.' })).toMatch(/did not finish within 8 s.*waits forever/);
    expect(explainError({ name: 'Error', message: 'process.exit unexpectedly called with "3"' })).toMatch(/called process\.exit\(3\)/);
  });

  test('keeps a check failure as it is, and adds an assertion diff', () => {
    expect(explainError({ name: 'CheckFailure', message: 'Did X\n  expected: Y' })).toBe('Did X\n  expected: Y');
    expect(explainError({ name: 'AssertionError', message: 'expected 1 to be 2', diff: '- 2\n+ 1' })).toBe('AssertionError: expected 1 to be 2\n- 2\n+ 1');
  });
});
