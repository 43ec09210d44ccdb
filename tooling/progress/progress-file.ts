/**
 * The learner's progress: a small JSON file in `.workbook/` (git-ignored), never
 * markers in their code. It holds the last verdict of each exercise and how many
 * hints were shown.
 *
 * Nothing about it ever stops a command: a missing file starts empty; an unreadable
 * one is kept aside under another name and replaced; values that make no sense are
 * dropped and the rest kept; a file or folder that cannot be written leaves the
 * command's work done and unsaved. Each case is told in one line, once.
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { folders, fromRoot } from '../course/paths.ts';
import { removeQuietly, timeStamp, whyNotWritten } from './state-folder.ts';

const STATUSES = ['pass', 'fail', 'error', 'not-started'] as const;

/** What is remembered about one exercise. */
export interface ExerciseProgress {
  /** The last verdict of `npm run check` on the learner's files. */
  status?: (typeof STATUSES)[number];
  /** When that verdict was given (ISO 8601). */
  checkedAt?: string;
  /** How many hints `npm run hint` has shown. */
  hintsShown?: number;
}

export interface Progress {
  version: 1;
  exercises: Record<string, ExerciseProgress>;
}

export const progressPath = path.join(folders.state, 'progress.json');

/** Receives a one-line notice: the file was repaired, or could not be saved. */
export type Notice = (line: string) => void;

/** Where the progress file is, and who hears about its problems (stderr, once per line, by default). */
export interface ProgressOptions {
  readonly file?: string;
  readonly notice?: Notice;
}

const told = new Set<string>();
const toStderr: Notice = (line) => {
  // Several reads in one command would repeat the same notice.
  if (told.has(line)) return;
  told.add(line);
  console.error(line);
};

function empty(): Progress {
  return { version: 1, exercises: {} };
}

/** What makes sense in each field of an exercise's entry. */
const fieldChecks: Record<keyof ExerciseProgress, (value: unknown) => boolean> = {
  status: (value) => STATUSES.includes(value as ExerciseProgress['status'] & string),
  checkedAt: (value) => typeof value === 'string' && !Number.isNaN(Date.parse(value)),
  hintsShown: (value) => Number.isSafeInteger(value) && (value as number) >= 0,
};

/** Each field of an exercise's entry must make sense; the bad ones are named. Unknown fields are kept for later versions. */
function validEntry(id: string, entry: unknown, dropped: string[]): ExerciseProgress | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    dropped.push(`${id}: ${JSON.stringify(entry)}`);
    return undefined;
  }
  const kept: Record<string, unknown> = { ...entry };
  for (const [field, isValid] of Object.entries(fieldChecks)) {
    if (!(field in kept) || isValid(kept[field])) continue;
    dropped.push(`${id}.${field} ${JSON.stringify(kept[field])}`);
    delete kept[field];
  }
  return kept as ExerciseProgress;
}

/**
 * Reads the progress file. A file that is not progress at all is kept aside and
 * replaced; an entry with values that make no sense keeps its valid fields, and the
 * file as it was is kept beside it. Either way `notice` hears one line.
 */
export function readProgress({ file = progressPath, notice = toStderr }: ProgressOptions = {}): Progress {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    // Missing (the usual first run), or a state folder that is not one: writing will say so.
    return empty();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const { version, exercises } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Partial<Progress>;
  if (version !== 1 || typeof exercises !== 'object' || exercises === null || Array.isArray(exercises)) {
    const kept = `${file}.unreadable-${timeStamp()}`;
    try {
      fs.renameSync(file, kept);
      notice(`Note: your progress file could not be read; it was kept as ${fromRoot(kept)} and a new one was started (hint counts start again).`);
    } catch (error) {
      notice(`Note: your progress file ${fromRoot(file)} could not be read, and could not be set aside: ${whyNotWritten(error, kept)}. Hint counts start again for now.`);
    }
    return empty();
  }

  const dropped: string[] = [];
  const progress = empty();
  for (const [id, entry] of Object.entries(exercises)) {
    const valid = validEntry(id, entry, dropped);
    if (valid) progress.exercises[id] = valid;
  }
  if (dropped.length === 0) return progress;
  const what = `Note: your progress file had values that make no sense (${dropped.join(', ')}); they were dropped and the rest kept`;
  if (isMarkedReadOnly(file)) {
    notice(`${what} for now: ${fromRoot(file)} is read-only, so it stays as it is.`);
    return progress;
  }
  const kept = `${file}.before-repair-${timeStamp()}`;
  try {
    fs.copyFileSync(file, kept);
  } catch (error) {
    notice(`${what} for now, not saved: ${whyNotWritten(error, kept)}.`);
    return progress;
  }
  // Saved repaired at once, so that the notice is given once, not on every command.
  if (writeProgress(progress, { file, notice })) notice(`${what} (the file as it was is in ${fromRoot(kept)}).`);
  else removeQuietly(kept);
  return progress;
}

/**
 * Writes the progress file atomically: a crash mid-write never leaves half a file.
 * A progress file marked read-only is respected (as root too, who could write it).
 *
 * @returns whether it was saved; if not, `notice` heard why and what to do.
 */
export function writeProgress(progress: Progress, { file = progressPath, notice = toStderr }: ProgressOptions = {}): boolean {
  const notSaved = (why: string) => notice(`Your progress was not saved: ${why}.`);
  if (isMarkedReadOnly(file)) {
    notSaved(`${fromRoot(file)} is read-only; make it writable (chmod u+w ${fromRoot(file)}) to keep your verdicts and hint counts`);
    return false;
  }
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, `${JSON.stringify(progress, null, 2)}\n`);
    fs.renameSync(temporary, file);
    return true;
  } catch (error) {
    removeQuietly(temporary);
    notSaved(whyNotWritten(error, file));
    return false;
  }
}

/** A file whose write permissions were all taken away: someone wants it left alone. */
function isMarkedReadOnly(file: string): boolean {
  try {
    const stats = fs.statSync(file);
    return stats.isFile() && (stats.mode & 0o222) === 0;
  } catch {
    return false;
  }
}

/** Reads, changes and writes the progress of one exercise; returns the new entry (saved or not: see `notice`). */
export function updateProgress(id: string, change: (current: ExerciseProgress) => ExerciseProgress, options: ProgressOptions = {}): ExerciseProgress {
  const progress = readProgress(options);
  const next = change({ ...progress.exercises[id] });
  progress.exercises[id] = next;
  writeProgress(progress, options);
  return next;
}
