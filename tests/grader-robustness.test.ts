/**
 * The grader survives broken learner code. Each fixture in `fixtures/broken-learners/`
 * is a broken `tcp-echo`; it is graded beside a correct `hello-socketio`, and the test
 * asserts the verdict, its message, that it arrives within the hard limit, and that
 * the correct exercise is still graded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../tooling/course/paths.ts';
import { Grader } from '../tooling/grader/grader.ts';
import { CHECK_LIMIT_MS, STALL_LIMIT_MS } from '../tooling/grader/grading-session.ts';
import type { ExerciseStatus } from '../tooling/grader/results.ts';
import { brokenAndCorrect as exercises, layOutBrokenLearner } from './support/broken-learner-folder.ts';

const scratch = path.join(repoRoot, 'tests', '.tmp', `robustness-${process.pid}`);

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface Case {
  readonly fixture: string;
  readonly status: ExerciseStatus;
  /** Must appear in the exercise's message or in one of its test messages. */
  readonly says: RegExp;
  /**
   * The grader's limit that bounds this case: a blocked event loop is stopped after
   * {@link STALL_LIMIT_MS}; any other check may take its own bounded waits, up to {@link CHECK_LIMIT_MS}.
   */
  readonly limitMs?: number;
}

const cases: Case[] = [
  { fixture: 'syntax-error', status: 'error', says: /a syntax error at \S*tcp-echo\/server\.ts:2:\d+: Expected/ },
  { fixture: 'type-error', status: 'fail', says: /type error[\s\S]*server\.ts:\d+:\d+[\s\S]*not assignable/i },
  { fixture: 'throws-at-import', status: 'error', says: /threw while loading \(line 2, column \d+\): SyntaxError: .*JSON/ },
  { fixture: 'infinite-loop', status: 'error', says: /blocked the event loop/, limitMs: STALL_LIMIT_MS },
  { fixture: 'never-listens', status: 'fail', says: /resolve once the server listens/ },
  { fixture: 'never-closes', status: 'fail', says: /close\(\).*did not resolve|it had not resolved|still alive: .*timer/is },
  { fixture: 'calls-process-exit', status: 'fail', says: /called process\.exit\(1\)/ },
  { fixture: 'unhandled-rejection', status: 'fail', says: /errors that nobody catches[\s\S]*an unhandled rejection \(a promise nobody awaited or caught\): Error: a log write that nobody awaited/ },
  { fixture: 'kills-its-process', status: 'error', says: /process that ran your code died/ },
];

describe('the grader survives broken learner code', () => {
  test.concurrent.each(cases)('$fixture → $status', async ({ fixture, status, says, limitMs = CHECK_LIMIT_MS }) => {
    const grader = new Grader({ root: layOutBrokenLearner(scratch, fixture), isLearnerFolder: false }, { typeCheckCache: false });
    const started = Date.now();
    try {
      const [broken, correct] = await grader.grade(exercises);
      const elapsed = Date.now() - started;
      const everything = [broken!.message, ...broken!.tests.map((t) => t.message)].join('\n');
      expect(broken!.status, everything).toBe(status);
      expect(everything).toMatch(says);
      expect(everything, 'a learner never sees a stack trace').not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
      // The hard limit is enforced from outside; allow for start-up and a loaded machine.
      expect(elapsed, 'the verdict must arrive within the hard limit').toBeLessThan(limitMs + 30_000);
      expect(correct!.status, `hello-socketio must still be graded: ${correct!.message}`).toBe('pass');
    } finally {
      await grader.close();
    }
  });
});
