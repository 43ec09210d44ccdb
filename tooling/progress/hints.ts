/**
 * Progressive hints: each request shows one more, gentle first, concrete last.
 *
 * @module
 */
import type { ExerciseSpec } from '../course/define.ts';
import { readProgress, updateProgress } from './progress-file.ts';

export interface ShownHint {
  /** 1-based number of the hint shown. */
  readonly number: number;
  readonly total: number;
  readonly text: string;
}

/**
 * The hints to show now: every hint seen so far plus the next one. Once all were
 * seen, all of them again. Remembers how many were shown.
 */
export function revealNextHint(exercise: ExerciseSpec): ShownHint[] {
  const total = exercise.hints.length;
  const seen = readProgress().exercises[exercise.id]?.hintsShown ?? 0;
  const shown = Math.min(seen + 1, total);
  updateProgress(exercise.id, (current) => ({ ...current, hintsShown: shown }));
  return exercise.hints.slice(0, shown).map((text, index) => ({ number: index + 1, total, text }));
}
