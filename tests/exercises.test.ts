/**
 * Every exercise, graded for real: its reference solution passes its check, and its
 * untouched starter fails it — with messages a learner can act on, not a crash.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { course } from '../exercises/manifest.ts';
import type { ExerciseSpec } from '../tooling/course/define.ts';
import { folders, repoRoot } from '../tooling/course/paths.ts';
import { Grader } from '../tooling/grader/grader.ts';
import type { ExerciseResult } from '../tooling/grader/results.ts';

const ids = course.exercises.map((e) => e.id);

/** Grades `exercises` (every one by default) in `root` once, for all the tests below. */
function gradeAll(root: string, exercises: readonly ExerciseSpec[] = course.exercises) {
  const results = new Map<string, ExerciseResult>();
  beforeAll(async () => {
    const grader = new Grader({ root, isLearnerFolder: false }, { typeCheckCache: false });
    try {
      for (const result of await grader.grade(exercises)) results.set(result.id, result);
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

/**
 * A graded folder where the exercises that `requires` others hold their starter and
 * everything else is solved: their own check is then what fails, not the code they import.
 */
function startersOverSolutions(): string {
  const root = path.join(repoRoot, 'tests', '.tmp', `starters-over-solutions-${process.pid}`);
  fs.rmSync(root, { recursive: true, force: true });
  fs.cpSync(folders.solutions, root, { recursive: true });
  fs.copyFileSync(path.join(folders.exercises, 'types.ts'), path.join(root, 'types.ts'));
  for (const exercise of course.exercises.filter((e) => e.requires)) {
    for (const file of exercise.files) fs.copyFileSync(path.join(folders.exercises, exercise.id, file), path.join(root, exercise.id, file));
  }
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  return root;
}

describe('untouched starters', () => {
  // In a clean checkout `exercises/` holds the starters as committed.
  const results = gradeAll(folders.exercises);
  const dependents = gradeAll(startersOverSolutions(), course.exercises.filter((e) => e.requires));

  test.each(course.exercises.filter((e) => e.requires).map((e) => [e.id, e.requires!] as const))('%s says to solve %j first while they are starters', (id, requires) => {
    const result = results.get(id)!;
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(new RegExp(`^Solve ${requires.join(' and ')} first`));
  });

  test.each(ids)('%s fails its check, with learner-facing messages', (id) => {
    const result = dependents.get(id) ?? results.get(id)!;
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

