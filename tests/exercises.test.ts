/**
 * Every exercise, graded for real: its reference solution passes its check, and its
 * untouched starter fails it — with messages a learner can act on, not a crash.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { course } from '../exercises/manifest.ts';
import { folders } from '../tooling/course/paths.ts';
import { Grader } from '../tooling/grader/grader.ts';
import type { ExerciseResult } from '../tooling/grader/results.ts';

const ids = course.exercises.map((e) => e.id);

/** Grades every exercise in `root` once, for all the tests below. */
function gradeAll(root: string) {
  const results = new Map<string, ExerciseResult>();
  beforeAll(async () => {
    const grader = new Grader({ root, isLearnerFolder: false }, { typeCheckCache: false });
    try {
      for (const result of await grader.grade(course.exercises)) results.set(result.id, result);
    } finally {
      await grader.close();
    }
  });
  return results;
}

describe('reference solutions', () => {
  const results = gradeAll(folders.solutions);

  test.each(ids)('%s passes its check', (id) => {
    const result = results.get(id)!;
    const failures = result.tests.filter((t) => t.status !== 'pass').map((t) => `${t.name}: ${t.message}`);
    expect(result.status, `${result.message}\n${failures.join('\n')}`).toBe('pass');
    expect(result.tests.filter((t) => t.status === 'pass').length).toBeGreaterThan(1);
  });
});

describe('untouched starters', () => {
  // In a clean checkout `exercises/` holds the starters as committed.
  const results = gradeAll(folders.exercises);

  test.each(ids)('%s fails its check, with learner-facing messages', (id) => {
    const result = results.get(id)!;
    expect(result.status, `the starter of ${id} must fail its check (not crash it): ${result.message}`).toBe('fail');
    const failed = result.tests.filter((t) => t.status === 'fail');
    expect(failed.length, `the starter of ${id} must fail at least one check`).toBeGreaterThan(0);
    for (const test of failed) {
      expect(test.message.length, `"${test.name}" fails without a message`).toBeGreaterThan(20);
      expect(test.message, `"${test.name}" shows a raw vitest timeout`).not.toMatch(/Test timed out in \d+ms/);
      expect(test.message, `"${test.name}" shows a stack trace`).not.toMatch(/\n\s+at .+:\d+:\d+/);
    }
    expect(result.tests.find((t) => t.name.startsWith('compiles'))?.status, `the starter of ${id} must compile`).toBe('pass');
  });
});

