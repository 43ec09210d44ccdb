/**
 * `npm run wrong-answers -- [<id>…]` — grade the wrong-answer corpus (for maintainers).
 *
 * Every answer in `tests/wrong-answers/<id>/` must fail its check, for the rule its
 * `why.json` names. Prints one line per answer and exits 1 if any got through.
 *
 * @module
 */
import { course } from '../../exercises/manifest.ts';
import { wrongAnswersOf } from '../wrong-answers/corpus.ts';
import { gradeWrongAnswers } from '../wrong-answers/judge.ts';
import { countFlag, namedExercises, parseCommandLine } from './arguments.ts';
import { style } from './terminal.ts';

const usage = `Usage: npm run wrong-answers -- [<id or number>…] [--lanes N]

  (nothing)       grade the wrong answers of every exercise
  <id|number>     grade only these exercises' wrong answers
  --lanes N       grading processes side by side (default 4)
  --help, -h      show this`;

const { flags, positionals, refuse } = parseCommandLine({ usage, positionals: true, flags: { lanes: { type: 'string' } } });

const exercises = positionals.length > 0 ? namedExercises(positionals) : [...course.exercises];

const lanes = countFlag(refuse, 'lanes', flags.lanes, 4);

const answers = exercises.flatMap((exercise) => wrongAnswersOf(exercise));
const nameWidth = Math.max(0, ...answers.map((a) => `${a.exerciseId}/${a.name}`.length));
console.log(`Grading ${answers.length} wrong answers of ${exercises.length} exercise(s)…\n`);
const judgements = await gradeWrongAnswers(answers, ({ answer, rejected, detail }) => {
  // A known hole (`open` in why.json) that is now rejected should lose its mark.
  const mark = answer.why.open ? (rejected ? style.yellow('✔ rejected (remove "open" from its why.json)') : style.yellow('… open hole')) : rejected ? style.green('✔ rejected') : style.red('✘ GOT THROUGH');
  console.log(`  ${mark}  ${`${answer.exerciseId}/${answer.name}`.padEnd(nameWidth)}  ${style.dim(`[${answer.why.rule}]`)} ${rejected ? style.dim(`by "${detail}"`) : detail}`);
}, { lanes });

console.log();
for (const exercise of exercises) {
  const own = judgements.filter((j) => j.answer.exerciseId === exercise.id);
  const rejected = own.filter((j) => j.rejected).length;
  const holes = own.filter((j) => j.answer.why.open && !j.rejected).length;
  const enough = own.length >= 8;
  console.log(`  ${exercise.id.padEnd(18)} ${rejected}/${own.length} rejected${holes ? style.yellow(`  (${holes} known hole${holes > 1 ? 's' : ''})`) : ''}${enough ? '' : style.yellow(`  (${8 - own.length} more answers needed: at least 8)`)}`);
}
if (judgements.some((j) => !j.rejected && !j.answer.why.open)) process.exitCode = 1;
