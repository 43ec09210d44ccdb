/**
 * The learner's progress: a small JSON file in `.workbook/` (git-ignored), never
 * markers in their code. It holds the last verdict of each exercise and how many
 * hints were shown. A missing file starts empty; an unreadable one is kept aside
 * under another name and replaced, with a one-line notice — never a crash.
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { folders, fromRoot } from '../course/paths.ts';

/** What is remembered about one exercise. */
export interface ExerciseProgress {
  /** The last verdict of `npm run check` on the learner's files. */
  status?: 'pass' | 'fail' | 'error' | 'not-started';
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

function empty(): Progress {
  return { version: 1, exercises: {} };
}

function isProgress(value: unknown): value is Progress {
  if (typeof value !== 'object' || value === null) return false;
  const { version, exercises } = value as Partial<Progress>;
  return version === 1 && typeof exercises === 'object' && exercises !== null && !Array.isArray(exercises);
}

/**
 * Reads the progress file. `notice` receives a one-line message when the file was
 * unreadable and had to be set aside.
 */
export function readProgress(notice: (line: string) => void = (line) => console.error(line), file = progressPath): Progress {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return empty();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (isProgress(parsed)) return parsed;
  const kept = `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(file, kept);
  notice(`Note: your progress file could not be read; it was kept as ${fromRoot(kept)} and a new one was started (hint counts start again).`);
  return empty();
}

/** Writes the progress file atomically: a crash mid-write never leaves half a file. */
export function writeProgress(progress: Progress, file = progressPath): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(progress, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

/** Reads, changes and writes the progress of one exercise. */
export function updateProgress(id: string, change: (current: ExerciseProgress) => ExerciseProgress, file = progressPath): ExerciseProgress {
  const progress = readProgress(undefined, file);
  const next = change({ ...progress.exercises[id] });
  progress.exercises[id] = next;
  writeProgress(progress, file);
  return next;
}
