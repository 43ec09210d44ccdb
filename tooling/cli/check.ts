/**
 * `npm run check` — grade the workbook.
 *
 *     npm run check                     every exercise, in course order, and what to do next
 *     npm run check -- <id|number>      one exercise, every failing expectation explained
 *     npm run check -- --watch [id]     grade again on every save
 *     npm run check -- --json           machine-readable results
 *     npm run check -- --solutions      grade the reference solutions (for maintainers)
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { course } from '../../exercises/manifest.ts';
import type { ExerciseSpec } from '../course/define.ts';
import { findExercise, UnknownExerciseError } from '../course/lookup.ts';
import { Grader, learnerTarget, solutionsTarget } from '../grader/grader.ts';
import { nextSteps, progressLine, resultDetails, resultList } from '../grader/report.ts';
import type { ExerciseResult } from '../grader/results.ts';
import { readProgress, writeProgress } from '../progress/progress-file.ts';
import { watch } from './watch.ts';
import { exitWith, style } from './terminal.ts';

const usage = `Usage: npm run check -- [<id or number>…] [--watch] [--json] [--solutions]

  (nothing)       grade every exercise and show what to do next
  <id|number>     grade these exercises only, explaining every failure
  --watch, -w     grade again each time you save (one exercise: the given one, or your next one)
  --json          print results as JSON (one object per exercise)
  --solutions     grade the reference solutions instead of your files
  --help, -h      show this`;

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        watch: { type: 'boolean', short: 'w' },
        json: { type: 'boolean' },
        solutions: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return exitWith(`${(error as Error).message}\n\n${usage}`);
  }
}

function selected(queries: readonly string[]): ExerciseSpec[] {
  try {
    return queries.map((query) => findExercise(course, query));
  } catch (error) {
    if (error instanceof UnknownExerciseError) exitWith(error.message);
    throw error;
  }
}

/** Remembers the learner's verdicts, so `hint`, `solution` and the site know where they stand. */
function recordProgress(results: readonly ExerciseResult[]): void {
  const progress = readProgress();
  const checkedAt = new Date().toISOString();
  for (const { id, status } of results) progress.exercises[id] = { ...progress.exercises[id], status, checkedAt };
  writeProgress(progress);
}

function printOverview(results: readonly ExerciseResult[], solutions: boolean): void {
  const done = results.filter((r) => r.status === 'pass').length;
  console.log(style.bold(`Socket Workbook — grading ${solutions ? 'the reference solutions' : 'your exercises'}`));
  console.log(resultList(course, results));
  console.log(`\n${progressLine(done, results.length)}\n`);
  const next = results.find((r) => r.status !== 'pass');
  if (!next) {
    console.log(solutions ? 'Every solution passes its check.' : style.green('Every exercise passes. Well done!'));
    return;
  }
  const exercise = course.exercises.find((e) => e.id === next.id)!;
  console.log(`${style.bold('Next up:')} ${resultDetails(next)}\n`);
  console.log(nextSteps(exercise, next, readProgress().exercises[exercise.id]?.hintsShown ?? 0));
}

function printEach(results: readonly ExerciseResult[]): void {
  const progress = readProgress();
  for (const result of results) {
    console.log(`\n${resultDetails(result)}\n`);
    const exercise = course.exercises.find((e) => e.id === result.id)!;
    if (result.status === 'pass') console.log(style.green(`${result.id} passes.`) + nextExerciseHint(exercise));
    else console.log(nextSteps(exercise, result, progress.exercises[exercise.id]?.hintsShown ?? 0));
  }
}

function nextExerciseHint(exercise: ExerciseSpec): string {
  const index = course.exercises.indexOf(exercise);
  const next = course.exercises[index + 1];
  return next ? ` Next: ${style.cyan(`npm run check -- ${next.id}`)} (${next.title}).` : ' That was the last exercise!';
}

async function main(): Promise<void> {
  const { values, positionals } = parse();
  if (values.help) {
    console.log(usage);
    return;
  }
  const solutions = values.solutions === true;
  const target = solutions ? solutionsTarget : learnerTarget;
  const exercises = positionals.length > 0 ? selected(positionals) : [...course.exercises];

  if (values.watch) {
    if (values.json || positionals.length > 1) exitWith('--watch follows one exercise and prints for people; use it without --json and with at most one id.');
    await watch(course, target, exercises.length === 1 && positionals.length === 1 ? exercises[0] : undefined);
    return;
  }

  const grader = new Grader(target);
  let results: ExerciseResult[];
  try {
    results = await grader.grade(exercises);
  } finally {
    await grader.close();
  }
  if (target.isLearnerFolder) recordProgress(results);

  if (values.json) console.log(JSON.stringify(results, null, 2));
  else if (positionals.length > 0) printEach(results);
  else printOverview(results, solutions);

  // The plain overview is a report, so a learner's unfinished course is not an error;
  // asking about particular exercises (or the solutions) answers with the exit code too.
  const allPass = results.every((r) => r.status === 'pass');
  if (!allPass && (positionals.length > 0 || solutions)) process.exitCode = 1;
}

await main();
