/**
 * `npm run hint -- <id>` — one more hint for an exercise (all seen ones, plus the next).
 * Without an id: the first exercise that does not pass yet.
 *
 * @module
 */
import { course } from '../../exercises/manifest.ts';
import { findExercise, UnknownExerciseError } from '../course/lookup.ts';
import { revealNextHint } from '../progress/hints.ts';
import { readProgress } from '../progress/progress-file.ts';
import { formatHints } from './hint-text.ts';
import { exitWith } from './terminal.ts';

const [query, ...rest] = process.argv.slice(2);
if (query === '--help' || query === '-h' || rest.length > 0) exitWith('Usage: npm run hint -- [<id or number>]', query === '--help' || query === '-h' ? 0 : 2);

let exercise;
try {
  const progress = readProgress().exercises;
  exercise = query ? findExercise(course, query) : (course.exercises.find((e) => progress[e.id]?.status !== 'pass') ?? course.exercises[0]!);
} catch (error) {
  if (error instanceof UnknownExerciseError) exitWith(error.message);
  throw error;
}
console.log(formatHints(exercise, revealNextHint(exercise)));
