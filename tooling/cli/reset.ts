/**
 * `npm run reset -- <id>` — put an exercise's starter back. The current files are
 * copied to `.workbook/backups/` first, so nothing is lost; `--undo` puts the latest
 * backup back (and backs up what it replaces). Works without git.
 *
 * @module
 */
import type { ExerciseSpec } from '../course/define.ts';
import { fromRoot, learnerFiles } from '../course/paths.ts';
import { updateProgress } from '../progress/progress-file.ts';
import { ResetError, restoreLatestBackup, restoreStarter } from '../progress/starters.ts';
import { namedExercises, parseCommandLine } from './arguments.ts';
import { exitWith, heldNotices, style } from './terminal.ts';

const usage = `Usage: npm run reset -- <id or number> [--undo]

  <id|number>   the exercise whose starter files to put back; your files are backed up
                first in .workbook/backups/<id>/ (unless they are the starter already)
  --undo        put back your files from the latest backup instead (what they replace is
                backed up too, so --undo again swaps them back)
  --help, -h    show this`;

const { flags, positionals, refuse } = parseCommandLine({ usage, positionals: true, flags: { undo: { type: 'boolean' } } });
if (positionals.length !== 1) refuse(positionals.length === 0 ? 'Name the exercise to reset.' : `Name one exercise, not ${positionals.length}.`);

const [exercise] = namedExercises(positionals) as [ExerciseSpec];
const notices = heldNotices();
try {
  const files = learnerFiles(exercise).map(fromRoot).join(', ');
  if (flags.undo) {
    const { restored, backup } = restoreLatestBackup(exercise);
    console.log(style.green(`Put back ${files} from the backup ${restored}.`));
    console.log(backup ? `The files it replaced are kept in ${backup} (\`npm run reset -- ${exercise.id} --undo\` swaps them back).` : 'The files it replaced needed no backup (they were the starter, or the same as the backup).');
  } else {
    const { backup } = restoreStarter(exercise);
    console.log(style.green(`Restored the starter of ${exercise.id}: ${files}.`));
    console.log(backup ? `Your previous files are kept in ${backup} (\`npm run reset -- ${exercise.id} --undo\` puts them back).` : 'They were the starter already: nothing needed a backup.');
  }
  // The last verdict was about other files; the hints seen stay seen.
  updateProgress(exercise.id, ({ hintsShown }) => (hintsShown === undefined ? {} : { hintsShown }), notices);
} catch (error) {
  if (error instanceof ResetError) exitWith(error.message);
  throw error;
} finally {
  notices.print();
}
