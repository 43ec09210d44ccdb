/**
 * Runs after `npm install`: saves a pristine copy of every starter (for
 * `npm run reset` and the "not started" verdict) before the learner edits anything.
 * Never fails the install: a problem here is reported and the install goes on.
 *
 * @module
 */
import { course } from '../../exercises/manifest.ts';
import { folders } from '../course/paths.ts';
import { saveStarters } from '../progress/starters.ts';
import { whyNotWritten } from '../progress/state-folder.ts';

try {
  const saved = saveStarters(course);
  if (saved > 0) console.log(`Socket Workbook: saved ${saved} starter file${saved > 1 ? 's' : ''} in .workbook/starters (for npm run reset).`);
} catch (error) {
  console.warn(`Socket Workbook: could not save the starters: ${whyNotWritten(error, folders.state)}. Until then, npm run reset reads them from git.`);
}
