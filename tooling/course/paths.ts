/**
 * Where things live, derived from an exercise's id: the one place that knows the layout.
 *
 * @module
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExerciseSpec } from './define.ts';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The folders a grade can target: the learner's work, or the reference solutions. */
export const folders = {
  /** The learner's files. `WORKBOOK_EXERCISES` moves them (tests do, to break them without touching yours); `check.mjs` reads it too. */
  exercises: path.resolve(repoRoot, process.env.WORKBOOK_EXERCISES ?? 'exercises'),
  solutions: path.join(repoRoot, 'solutions'),
  checks: path.join(repoRoot, 'checks'),
  /** The learner's private state: progress, pristine starters, caches. Git-ignored. `WORKBOOK_STATE` moves it (tests do). */
  state: path.resolve(repoRoot, process.env.WORKBOOK_STATE ?? '.workbook'),
} as const;

/** `exercises/<id>/` (or the same id under another graded folder). */
export function exerciseDir(exercise: ExerciseSpec, root: string = folders.exercises): string {
  return path.join(root, exercise.id);
}

/** Absolute paths of the files the learner edits, under `root`. */
export function learnerFiles(exercise: ExerciseSpec, root: string = folders.exercises): string[] {
  return exercise.files.map((file) => path.join(root, exercise.id, file));
}

/** `checks/<id>.check.ts` */
export function checkFile(exercise: ExerciseSpec): string {
  return path.join(folders.checks, `${exercise.id}.check.ts`);
}

/** `exercises/<id>/README.md`: the task. */
export function readmeFile(exercise: ExerciseSpec): string {
  return path.join(folders.exercises, exercise.id, 'README.md');
}

/** A path relative to the repository root, with forward slashes, for messages and JSON. */
export function fromRoot(absolute: string): string {
  return path.relative(repoRoot, absolute).split(path.sep).join('/');
}
