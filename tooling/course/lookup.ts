/**
 * Finding an exercise by what a learner typed: its id or its number in the course.
 *
 * @module
 */
import type { CourseSpec, ExerciseSpec } from './define.ts';

/** A learner typed something that names no exercise. The message lists the valid ids. */
export class UnknownExerciseError extends Error {
  override readonly name = 'UnknownExerciseError';
}

/** Finds the exercise `query` names: an id (`tcp-echo`) or a 1-based number (`2`). */
export function findExercise(course: CourseSpec, query: string): ExerciseSpec {
  const trimmed = query.trim();
  const byId = course.exercises.find((exercise) => exercise.id === trimmed);
  if (byId) return byId;
  if (/^\d+$/.test(trimmed)) {
    const byNumber = course.exercises[Number(trimmed) - 1];
    if (byNumber) return byNumber;
  }
  const closest = closestId(course, trimmed);
  const list = course.exercises.map((exercise, index) => `  ${String(index + 1).padStart(2)}  ${exercise.id}`).join('\n');
  throw new UnknownExerciseError(
    `There is no exercise "${trimmed}".` +
      (closest ? ` Did you mean "${closest}"?` : '') +
      `\nUse an id or a number from this list:\n${list}`,
  );
}

/** The id nearest to `query` by edit distance, if any is near enough to be a typo. */
export function closestId(course: CourseSpec, query: string): string | undefined {
  let best: { id: string; distance: number } | undefined;
  for (const { id } of course.exercises) {
    const distance = editDistance(query.toLowerCase(), id);
    if (!best || distance < best.distance) best = { id, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(best.id.length / 3)) ? best.id : undefined;
}

/** Levenshtein distance: the fewest single-character edits that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
