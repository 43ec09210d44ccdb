/**
 * `npm run reset -- <id>` — put an exercise's starter back. The current files are
 * copied to `.workbook/backups/` first, so nothing is lost. Works without git.
 *
 * @module
 */
import { course } from '../../exercises/manifest.ts';
import { findExercise, UnknownExerciseError } from '../course/lookup.ts';
import { updateProgress } from '../progress/progress-file.ts';
import { ResetError, restoreStarter } from '../progress/starters.ts';
import { exitWith, style } from './terminal.ts';

const [query, ...rest] = process.argv.slice(2);
if (!query || query === '--help' || query === '-h' || rest.length > 0) {
  exitWith('Usage: npm run reset -- <id or number>\nRestores the starter files of one exercise; your current files are backed up first.', query === '--help' || query === '-h' ? 0 : 2);
}

try {
  const exercise = findExercise(course, query);
  const backup = restoreStarter(exercise);
  updateProgress(exercise.id, ({ hintsShown }) => (hintsShown === undefined ? {} : { hintsShown }));
  console.log(style.green(`Restored the starter of ${exercise.id}: ${exercise.files.map((f) => `exercises/${exercise.id}/${f}`).join(', ')}.`));
  if (backup) console.log(`Your previous files are kept in ${backup}.`);
} catch (error) {
  if (error instanceof UnknownExerciseError || error instanceof ResetError) exitWith(error.message);
  throw error;
}
