/**
 * `npm run mutate -- [<id>…]` — how strong each check is (for maintainers).
 *
 * Mutates `solutions/<id>/` with StrykerJS and runs the exercise's check against every
 * mutant; prints the score per exercise and every surviving mutant, and records the
 * scores in `checks/MUTATION.md`. Incremental: a rerun only tests mutants whose code
 * or check changed (`--force` reruns all).
 *
 * @module
 */
import { course } from '../../exercises/manifest.ts';
import { mutateExercise } from '../mutate/run-stryker.ts';
import { describeSurvivor, recordScores, SCORE_GOAL, scoreOf, scoreTable, type ExerciseScore } from '../mutate/scores.ts';
import { countFlag, namedExercises, parseCommandLine } from './arguments.ts';
import { style } from './terminal.ts';

const usage = `Usage: npm run mutate -- [<id or number>…] [--force] [--concurrency N]

  (nothing)         every exercise, in course order (long: minutes per exercise)
  <id|number>       only these exercises
  --force           rerun every mutant (default: only those whose code or check changed)
  --concurrency N   test runners at once (default 2)
  --help, -h        show this`;

const { flags, positionals, refuse } = parseCommandLine({ usage, positionals: true, flags: { force: { type: 'boolean' }, concurrency: { type: 'string' } } });
const concurrency = flags.concurrency === undefined ? undefined : countFlag(refuse, 'concurrency', flags.concurrency, 1);
const exercises = positionals.length > 0 ? namedExercises(positionals) : [...course.exercises];

const scores: ExerciseScore[] = [];
for (const exercise of exercises) {
  console.log(style.bold(`\n${exercise.id}: mutating solutions/${exercise.id}/ and running checks/${exercise.id}.check.ts on each mutant`));
  const results = await mutateExercise(exercise, { force: flags.force, concurrency });
  const score = scoreOf(exercise.id, results);
  scores.push(score);
  // Recorded after each exercise, so an interrupted run of all of them keeps what it measured.
  recordScores([score]);
  const survivors = results.filter((r) => r.status === 'Survived' || r.status === 'NoCoverage');
  const verdict = score.score >= SCORE_GOAL ? style.green(`${score.score}%`) : style.red(`${score.score}% (goal ${SCORE_GOAL}%)`);
  console.log(`\n${exercise.id}: ${verdict} — ${score.killed} of ${score.killed + score.survived} mutants killed`);
  if (survivors.length > 0) {
    console.log(`Survivors (wrong programs the check passes — kill each with a test, or mark it equivalent with a reason):`);
    for (const survivor of survivors) console.log(`  ${describeSurvivor(survivor)}`);
  }
  const crashed = results.filter((r) => r.status === 'RuntimeError');
  for (const mutant of crashed) console.log(style.yellow(`  crashed the check (left out of the score): ${describeSurvivor(mutant)}`));
}

console.log(`\n${scoreTable(scores).join('\n')}\n\nRecorded in checks/MUTATION.md; reports in reports/mutation/<id>.html.`);
if (scores.some((s) => s.score < SCORE_GOAL)) process.exitCode = 1;
