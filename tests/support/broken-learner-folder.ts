/**
 * A graded folder built around one broken learner program (`tests/fixtures/broken-learners/`):
 * the broken `tcp-echo`, a correct `hello-socketio` beside it, and the shared types.
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { course } from '../../exercises/manifest.ts';
import { folders } from '../../tooling/course/paths.ts';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'broken-learners');

/** The exercises such a folder holds, the broken one first. */
export const brokenAndCorrect = ['tcp-echo', 'hello-socketio'].map((id) => course.exercises.find((e) => e.id === id)!);

/** Lays the folder out under `scratch` (inside the repository, so the fixture resolves `node_modules` like the learner's files do). */
export function layOutBrokenLearner(scratch: string, fixture: string): string {
  const root = path.join(scratch, fixture);
  fs.mkdirSync(path.join(root, 'tcp-echo'), { recursive: true });
  fs.copyFileSync(path.join(fixtures, `${fixture}.ts`), path.join(root, 'tcp-echo', 'server.ts'));
  fs.cpSync(path.join(folders.solutions, 'hello-socketio'), path.join(root, 'hello-socketio'), { recursive: true });
  fs.copyFileSync(path.join(folders.exercises, 'types.ts'), path.join(root, 'types.ts'));
  return root;
}
