/**
 * The grader survives broken learner code. Each fixture in `fixtures/broken-learners/`
 * is a broken `tcp-echo`; it is graded beside a correct `hello-socketio`, and the test
 * asserts the verdict, its message, that it arrives within the hard limit, and that
 * the correct exercise is still graded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { course } from '../exercises/manifest.ts';
import { folders, repoRoot } from '../tooling/course/paths.ts';
import { Grader } from '../tooling/grader/grader.ts';
import { STALL_LIMIT_MS } from '../tooling/grader/grading-session.ts';
import type { ExerciseStatus } from '../tooling/grader/results.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures', 'broken-learners');
// Inside the repository, so that the fixtures resolve `node_modules` like the learner's files do.
const scratch = path.join(repoRoot, 'tests', '.tmp', `robustness-${process.pid}`);
const exercises = ['tcp-echo', 'hello-socketio'].map((id) => course.exercises.find((e) => e.id === id)!);

/** A graded folder: the broken tcp-echo, a correct hello-socketio, and the shared types. */
function layOut(fixture: string): string {
  const root = path.join(scratch, fixture);
  fs.mkdirSync(path.join(root, 'tcp-echo'), { recursive: true });
  fs.copyFileSync(path.join(fixtures, `${fixture}.ts`), path.join(root, 'tcp-echo', 'server.ts'));
  fs.cpSync(path.join(folders.solutions, 'hello-socketio'), path.join(root, 'hello-socketio'), { recursive: true });
  fs.copyFileSync(path.join(folders.exercises, 'types.ts'), path.join(root, 'types.ts'));
  return root;
}

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface Case {
  readonly fixture: string;
  readonly status: ExerciseStatus;
  /** Must appear in the exercise's message or in one of its test messages. */
  readonly says: RegExp;
}

const cases: Case[] = [
  { fixture: 'syntax-error', status: 'error', says: /a syntax error at \S*tcp-echo\/server\.ts:2:\d+: Expected/ },
  { fixture: 'type-error', status: 'fail', says: /type error[\s\S]*server\.ts:\d+:\d+[\s\S]*not assignable/i },
  { fixture: 'throws-at-import', status: 'error', says: /threw while loading \(line 2, column \d+\): SyntaxError: .*JSON/ },
  { fixture: 'infinite-loop', status: 'error', says: /blocked the event loop/ },
  { fixture: 'never-listens', status: 'fail', says: /resolve once the server listens/ },
  { fixture: 'never-closes', status: 'fail', says: /close\(\).*did not resolve|it had not resolved|still alive: .*timer/is },
  { fixture: 'calls-process-exit', status: 'fail', says: /called process\.exit\(1\)/ },
  { fixture: 'unhandled-rejection', status: 'fail', says: /errors that nobody catches[\s\S]*an unhandled rejection \(a promise nobody awaited or caught\): Error: a log write that nobody awaited/ },
  { fixture: 'kills-its-process', status: 'error', says: /process that ran your code died/ },
];

describe('the grader survives broken learner code', () => {
  test.concurrent.each(cases)('$fixture → $status', async ({ fixture, status, says }) => {
    const grader = new Grader({ root: layOut(fixture), isLearnerFolder: false }, { typeCheckCache: false });
    const started = Date.now();
    try {
      const [broken, correct] = await grader.grade(exercises);
      const elapsed = Date.now() - started;
      const everything = [broken!.message, ...broken!.tests.map((t) => t.message)].join('\n');
      expect(broken!.status, everything).toBe(status);
      expect(everything).toMatch(says);
      expect(everything, 'a learner never sees a stack trace').not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
      // The hard limit is enforced from outside; allow for start-up and a loaded machine.
      expect(elapsed, 'the verdict must arrive within the hard limit').toBeLessThan(STALL_LIMIT_MS + 30_000);
      expect(correct!.status, `hello-socketio must still be graded: ${correct!.message}`).toBe('pass');
    } finally {
      await grader.close();
    }
  });
});
