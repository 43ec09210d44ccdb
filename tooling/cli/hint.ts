/**
 * `npm run hint -- <id>` — one more hint for an exercise (all seen ones, plus the next).
 * Without an id: the first exercise that does not pass yet.
 *
 * @module
 */
import { course } from '../../exercises/manifest.ts';
import { revealNextHint } from '../progress/hints.ts';
import { readProgress } from '../progress/progress-file.ts';
import { namedExercises, parseCommandLine } from './arguments.ts';
import { formatHints } from './hint-text.ts';
import { heldNotices } from './terminal.ts';

const usage = `Usage: npm run hint -- [<id or number>]

  <id|number>   the exercise (default: the first one that does not pass yet)
  --help, -h    show this`;

const { positionals, refuse } = parseCommandLine({ usage, positionals: true, flags: {} });
if (positionals.length > 1) refuse(`Name one exercise, not ${positionals.length}.`);

const notices = heldNotices();
const progress = readProgress(notices).exercises;
const [exercise = course.exercises.find((e) => progress[e.id]?.status !== 'pass') ?? course.exercises[0]!] = namedExercises(positionals);
console.log(formatHints(exercise, revealNextHint(exercise, notices), progress[exercise.id]?.status === 'pass'));
notices.print();
