/**
 * Watch mode's engine: a save is graded by the warm grading process, and a pass
 * moves the learner on to the next exercise.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { course } from '../exercises/manifest.ts';
import { folders, repoRoot } from '../tooling/course/paths.ts';
import { GradeOnSave, type GradedOnSave } from '../tooling/grader/grade-on-save.ts';

const root = path.join(repoRoot, 'tests', '.tmp', `watch-${process.pid}`);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('grades on save and moves on when the exercise passes', async () => {
  const [first, second] = course.exercises as [(typeof course.exercises)[number], (typeof course.exercises)[number]];
  for (const exercise of [first, second]) fs.cpSync(path.join(folders.exercises, exercise.id), path.join(root, exercise.id), { recursive: true });
  fs.copyFileSync(path.join(folders.exercises, 'types.ts'), path.join(root, 'types.ts'));

  const verdicts: GradedOnSave[] = [];
  let wake: (() => void) | undefined;
  const nextVerdict = () => new Promise<void>((resolve) => (wake = resolve));
  const session = new GradeOnSave(course, { root, isLearnerFolder: false }, {
    start: first,
    passes: () => false,
    onGraded: (graded) => {
      verdicts.push(graded);
      wake?.();
    },
    onError: (error) => {
      throw error;
    },
  });
  try {
    await session.start();
    expect(verdicts[0]?.result).toMatchObject({ id: first.id, status: 'fail' });

    const verdict = nextVerdict();
    for (const file of first.files) fs.copyFileSync(path.join(folders.solutions, first.id, file), path.join(root, first.id, file));
    await verdict;
    expect(verdicts[1]?.result).toMatchObject({ id: first.id, status: 'pass' });
    expect(verdicts[1]?.next?.id).toBe(second.id);
    expect(session.following.id).toBe(second.id);
  } finally {
    await session.close();
  }
});
