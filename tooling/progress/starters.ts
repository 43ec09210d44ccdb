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
import { folders, fromRoot } from '../course/paths.ts';
import { removeQuietly, timeStamp, whyNotWritten } from './state-folder.ts';

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

/**
 * The pristine content of one starter file: the saved copy, or else its committed
 * version when git can tell it (then saved for next time, if the state folder can be written).
 */
function pristineContent(exercise: ExerciseSpec, file: string, places: Places): Buffer | undefined {
  const copy = pristinePath(exercise, file, places);
  try {
    return fs.readFileSync(copy);
  } catch {
    // Not saved (an exercise newer than the install), or a state folder that cannot be read: ask git.
  }
  const committed = spawnSync('git', ['show', `HEAD:./${exercise.id}/${file}`], { cwd: places.exercises, stdio: ['ignore', 'pipe', 'ignore'] });
  if (committed.status !== 0 || committed.error) return undefined;
  try {
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.writeFileSync(copy, committed.stdout);
  } catch {
    // A read-only state folder: git answers again next time.
  }
  return committed.stdout;
}

/** The exercise's starter files by name, or the names of those with no pristine copy anywhere. */
function starterFiles(exercise: ExerciseSpec, places: Places): { contents: Map<string, Buffer>; missing: string[] } {
  const contents = new Map<string, Buffer>();
  const missing: string[] = [];
  for (const file of exercise.files) {
    const content = pristineContent(exercise, file, places);
    if (content) contents.set(file, content);
    else missing.push(file);
  }
  return { contents, missing };
}

/** The learner's current files of the exercise by name (absent ones left out). */
function currentFiles(exercise: ExerciseSpec, places: Places): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const file of exercise.files) {
    const current = path.join(places.exercises, exercise.id, file);
    if (fs.existsSync(current)) files.set(file, fs.readFileSync(current));
  }
  return files;
}

/** Whether two sets of files have the same names and bytes. */
function sameFiles(a: ReadonlyMap<string, Buffer>, b: ReadonlyMap<string, Buffer>): boolean {
  return a.size === b.size && [...a].every(([file, content]) => b.get(file)?.equals(content) === true);
}

/** Whether every file of the exercise is byte-for-byte its saved starter. `undefined` when no copy was saved. */
export function isUntouched(exercise: ExerciseSpec, places: Places = defaultPlaces): boolean | undefined {
  const { contents, missing } = starterFiles(exercise, places);
  if (missing.length > 0) return undefined;
  return sameFiles(currentFiles(exercise, places), contents);
}

/** Thrown when a starter or a backup cannot be put back; the message says what to do, and that nothing was lost. */
export class ResetError extends Error {
  override readonly name = 'ResetError';
}

/** `.workbook/backups/<id>/`: one folder per backup, named by time, so they sort oldest first. */
function backupsOf(exercise: ExerciseSpec, places: Places): string {
  return path.join(places.state, 'backups', exercise.id);
}

/** Copies `files` into a new backup folder and returns it; a backup that cannot be made stops the caller before anything is overwritten. */
function backUp(exercise: ExerciseSpec, files: ReadonlyMap<string, Buffer>, places: Places): string {
  const stamp = timeStamp();
  // Two backups in the same millisecond (a reset, then an undo, in one script) get their own folders.
  let folder = path.join(backupsOf(exercise, places), stamp);
  for (let n = 2; fs.existsSync(folder); n++) folder = path.join(backupsOf(exercise, places), `${stamp}-${n}`);
  try {
    for (const [file, content] of files) {
      fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
      fs.writeFileSync(path.join(folder, file), content);
    }
  } catch (error) {
    removeQuietly(folder);
    throw new ResetError(`Nothing was changed: your files could not be backed up first, because ${whyNotWritten(error, folder)}.`);
  }
  return folder;
}

/** Writes `files` over the learner's; `backup` (if any) already holds what they replace. */
function putInPlace(exercise: ExerciseSpec, files: ReadonlyMap<string, Buffer>, places: Places, backup: string | undefined): void {
  for (const [file, content] of files) {
    const target = path.join(places.exercises, exercise.id, file);
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    } catch (error) {
      const kept = backup ? ` Your files as they were are in ${fromRoot(backup)}.` : '';
      throw new ResetError(`${fromRoot(target)} could not be written (${(error as Error).message}).${kept}`);
    }
  }
}

export interface Restored {
  /** The backup of the files that were replaced (relative to the repo); `undefined` when they needed none. */
  readonly backup: string | undefined;
}

/**
 * Restores the exercise's starter files. The learner's current files are first
 * copied to `.workbook/backups/<id>/<time>/`, so a reset never loses work — unless
 * they are the untouched starter already, which needs no backup.
 */
export function restoreStarter(exercise: ExerciseSpec, places: Places = defaultPlaces): Restored {
  const { contents, missing } = starterFiles(exercise, places);
  if (missing.length > 0) {
    throw new ResetError(
      `No saved starter for ${missing.map((file) => `exercises/${exercise.id}/${file}`).join(', ')}. ` +
        `Starters are saved by \`npm install\` (run it again), and read from git when this copy of the workbook has its history.`,
    );
  }
  const current = currentFiles(exercise, places);
  const backup = current.size === 0 || sameFiles(current, contents) ? undefined : backUp(exercise, current, places);
  putInPlace(exercise, contents, places, backup);
  return { backup: backup && fromRoot(backup) };
}

export interface Undone extends Restored {
  /** The backup that was put back (relative to the repo); it is used up. */
  readonly restored: string;
}

/**
 * Puts back the newest backup of the exercise (`npm run reset -- <id> --undo`). The
 * files it replaces are backed up first, so a second undo swaps them back; the
 * backup put back is used up, its files being in place again.
 */
export function restoreLatestBackup(exercise: ExerciseSpec, places: Places = defaultPlaces): Undone {
  const folder = backupsOf(exercise, places);
  const stamps = fs.existsSync(folder) ? fs.readdirSync(folder).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) : [];
  const latest = stamps.at(-1);
  if (!latest) {
    throw new ResetError(`There is no backup of ${exercise.id} to put back: \`npm run reset -- ${exercise.id}\` makes one (in ${fromRoot(folder)}/) before it restores the starter.`);
  }
  const source = path.join(folder, latest);
  const saved = new Map<string, Buffer>();
  for (const file of exercise.files) {
    const copy = path.join(source, file);
    if (fs.existsSync(copy)) saved.set(file, fs.readFileSync(copy));
  }
  if (saved.size === 0) throw new ResetError(`The backup ${fromRoot(source)} holds none of ${exercise.files.join(', ')}: nothing to put back. Remove it to reach an older one.`);

  const current = currentFiles(exercise, places);
  const untouched = isUntouched(exercise, places) === true;
  // The starter needs no backup (`npm run reset` brings it back), nor files that are the backup already.
  const backup = current.size === 0 || untouched || sameFiles(current, saved) ? undefined : backUp(exercise, current, places);
  putInPlace(exercise, saved, places, backup);
  removeQuietly(source);
  return { restored: fromRoot(source), backup: backup && fromRoot(backup) };
}
