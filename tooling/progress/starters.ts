/**
 * Pristine copies of the starters, so that `npm run reset` works without git and the
 * grader can tell an untouched exercise ("not started") from an attempted one.
 *
 * `npm install` saves them once into `.workbook/starters/` (git-ignored), before the
 * learner has edited anything; later runs never overwrite a saved copy. An exercise
 * that arrived after the install (a course update) has no saved copy: in a git
 * checkout, its committed version is saved instead.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { CourseSpec, ExerciseSpec } from '../course/define.ts';
import { folders, fromRoot, learnerFiles } from '../course/paths.ts';

/** Where the learner's files and the workbook's state live; tests point these at a temporary folder. */
export interface Places {
  readonly exercises: string;
  readonly state: string;
}

const defaultPlaces: Places = { exercises: folders.exercises, state: folders.state };

/** Where the pristine copy of one of the learner's files is kept. */
export function pristinePath(exercise: ExerciseSpec, file: string, places: Places = defaultPlaces): string {
  return path.join(places.state, 'starters', exercise.id, file);
}

/** Saves a pristine copy of every starter file that has none yet. Returns how many it saved. */
export function saveStarters(course: CourseSpec, places: Places = defaultPlaces): number {
  let saved = 0;
  for (const exercise of course.exercises) {
    for (const file of exercise.files) {
      const copy = pristinePath(exercise, file, places);
      const source = path.join(places.exercises, exercise.id, file);
      if (fs.existsSync(copy) || !fs.existsSync(source)) continue;
      fs.mkdirSync(path.dirname(copy), { recursive: true });
      fs.copyFileSync(source, copy);
      saved++;
    }
  }
  return saved;
}

/** Saves the committed version of starter files that have no saved copy, when git can tell it. */
function recoverFromGit(exercise: ExerciseSpec, places: Places): void {
  for (const file of exercise.files) {
    const copy = pristinePath(exercise, file, places);
    if (fs.existsSync(copy)) continue;
    const committed = spawnSync('git', ['show', `HEAD:./${exercise.id}/${file}`], { cwd: places.exercises, stdio: ['ignore', 'pipe', 'ignore'] });
    if (committed.status !== 0 || committed.error) continue;
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.writeFileSync(copy, committed.stdout);
  }
}

/** Whether every file of the exercise is byte-for-byte its saved starter. `undefined` when no copy was saved. */
export function isUntouched(exercise: ExerciseSpec, places: Places = defaultPlaces): boolean | undefined {
  recoverFromGit(exercise, places);
  let untouched = true;
  for (const file of exercise.files) {
    const copy = pristinePath(exercise, file, places);
    if (!fs.existsSync(copy)) return undefined;
    const current = path.join(places.exercises, exercise.id, file);
    if (!fs.existsSync(current) || !fs.readFileSync(current).equals(fs.readFileSync(copy))) untouched = false;
  }
  return untouched;
}

/** Thrown when a starter cannot be restored; the message says what to do. */
export class ResetError extends Error {
  override readonly name = 'ResetError';
}

/**
 * Restores the exercise's starter files. The learner's current files are first
 * copied to `.workbook/backups/<id>/<time>/`, so a reset never loses work.
 *
 * @returns the backup folder (relative to the repo), or `undefined` if there was nothing to back up.
 */
export function restoreStarter(exercise: ExerciseSpec, places: Places = defaultPlaces): string | undefined {
  recoverFromGit(exercise, places);
  const missing = exercise.files.filter((file) => !fs.existsSync(pristinePath(exercise, file, places)));
  if (missing.length > 0) {
    throw new ResetError(
      `No saved starter for ${missing.map((file) => `exercises/${exercise.id}/${file}`).join(', ')}. ` +
        `Starters are saved by \`npm install\` (run it again), and read from git when this copy of the workbook has its history.`,
    );
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const backup = path.join(places.state, 'backups', exercise.id, stamp);
  let backedUp = false;
  for (const [index, current] of learnerFiles(exercise, places.exercises).entries()) {
    const file = exercise.files[index]!;
    if (fs.existsSync(current)) {
      fs.mkdirSync(path.dirname(path.join(backup, file)), { recursive: true });
      fs.copyFileSync(current, path.join(backup, file));
      backedUp = true;
    }
    fs.mkdirSync(path.dirname(current), { recursive: true });
    fs.copyFileSync(pristinePath(exercise, file, places), current);
  }
  return backedUp ? fromRoot(backup) : undefined;
}
