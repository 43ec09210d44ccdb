/**
 * Progressive hints: each request shows one more, gentle first, concrete last.
 *
 * @module
 */
import type { ExerciseSpec } from '../course/define.ts';
import { readProgress, writeProgress, type ProgressOptions } from './progress-file.ts';

export interface ShownHint {
  /** 1-based number of the hint shown. */
  readonly number: number;
  readonly total: number;
  readonly text: string;
  /** Shown for the first time by this request; the others were seen before. */
  readonly fresh: boolean;
}

/**
 * The hints to show now: every hint seen so far plus the next one. Once all were
 * seen, all of them again, none fresh. Remembers how many were shown.
 */
export function revealNextHint(exercise: ExerciseSpec, options: ProgressOptions = {}): ShownHint[] {
  const total = exercise.hints.length;
  const progress = readProgress(options);
  // A course update may have removed hints since they were counted.
  const seen = Math.min(progress.exercises[exercise.id]?.hintsShown ?? 0, total);
  const shown = Math.min(seen + 1, total);
  if (shown !== progress.exercises[exercise.id]?.hintsShown) {
    progress.exercises[exercise.id] = { ...progress.exercises[exercise.id], hintsShown: shown };
    writeProgress(progress, options);
  }
  return exercise.hints.slice(0, shown).map((text, index) => ({ number: index + 1, total, text, fresh: index + 1 > seen }));
}
