/**
 * `npm run check` — grade the workbook.
 *
 *     npm run check                     every exercise, in course order, and what to do next
 *     npm run check -- <id|number>      one exercise, every failing expectation explained
 *     npm run check -- --watch [id]     grade again on every save
 *     npm run -s check -- --json        machine-readable results (-s: nothing else from npm on stdout)
 *     npm run check -- --json=<file>    the same in a file, and the usual report
 *     npm run check -- --solutions      grade the reference solutions (for maintainers)
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { course } from '../../exercises/manifest.ts';
import type { ExerciseSpec } from '../course/define.ts';
import { Grader, learnerTarget, solutionsTarget } from '../grader/grader.ts';
import { nextSteps, progressLine, resultDetails, resultList } from '../grader/report.ts';
import type { ExerciseResult } from '../grader/results.ts';
import { readProgress, writeProgress, type Progress } from '../progress/progress-file.ts';
import { namedExercises, parseCommandLine } from './arguments.ts';
import { watch } from './watch.ts';
import { style } from './terminal.ts';

const usage = `Usage: npm run check -- [<id or number>…] [--watch] [--json[=<file>]] [--solutions]

  (nothing)       grade every exercise and show what to do next
  <id|number>     grade these exercises only, explaining every failure
  --watch, -w     grade again each time you save (one exercise: the given one, or your next one)
  --json          print results as JSON (one object per exercise); through npm, add -s so that
                  npm prints nothing else: npm run -s check -- --json
  --json=<file>   write the JSON results to <file>, and print the usual report
  --solutions     grade the reference solutions instead of your files
  --help, -h      show this

Exit code: 0 when every exercise graded passes, 1 when one does not (or could not be
graded), 2 when the command itself could not run as asked (a wrong flag or exercise name,
a results file that could not be written).`;

const commandLine = () =>
  parseCommandLine({
    usage,
    positionals: true,
    flags: {
      watch: { type: 'boolean', short: 'w' },
      json: { type: 'optional' },
      solutions: { type: 'boolean' },
    },
  });

/**
 * Remembers the learner's verdicts, so `hint`, `solution` and the site know where they stand.
 * Returns the line to show if they could not be saved: the verdicts are printed all the same.
 */
function recordProgress(progress: Progress, results: readonly ExerciseResult[]): string | undefined {
  const checkedAt = new Date().toISOString();
  for (const { id, status } of results) progress.exercises[id] = { ...progress.exercises[id], status, checkedAt };
  let problem: string | undefined;
  writeProgress(progress, { notice: (line) => (problem = line) });
  return problem;
}

function printOverview(results: readonly ExerciseResult[], solutions: boolean, progress: Progress): void {
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
  console.log(nextSteps(exercise, next, progress.exercises[exercise.id]?.hintsShown ?? 0));
}

function printEach(results: readonly ExerciseResult[], progress: Progress): void {
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

/** `--json=<file>`: relative to where the learner typed the command (npm runs scripts from the package root). */
function writeResultsFile(file: string, results: readonly ExerciseResult[]): boolean {
  const target = path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
  try {
    fs.writeFileSync(target, `${JSON.stringify(results, null, 2)}\n`);
    console.log(style.dim(`The results are in ${target} (JSON).`));
    return true;
  } catch (error) {
    console.error(style.red(`The results could not be written to ${target}: ${(error as Error).message}. The report above is complete; pick another file with --json=<file>.`));
    return false;
  }
}

async function main(): Promise<void> {
  const { flags, positionals, refuse } = commandLine();
  const resultsFile = positionals.find((name) => name.endsWith('.json'));
  if (resultsFile) refuse(`"${resultsFile}" is not an exercise. To write the results to it, join it to the flag with "=": --json=${resultsFile}`);
  const solutions = flags.solutions === true;
  const target = solutions ? solutionsTarget : learnerTarget;
  // Named twice is graded once.
  const exercises = positionals.length > 0 ? [...new Set(namedExercises(positionals))] : [...course.exercises];

  if (flags.watch) {
    if (flags.json !== undefined || positionals.length > 1) refuse('--watch follows one exercise and prints for people: use it without --json and with at most one id.');
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
  const progress = target.isLearnerFolder ? readProgress() : { version: 1 as const, exercises: {} };
  const notSaved = target.isLearnerFolder ? recordProgress(progress, results) : undefined;

  let resultsWritten = true;
  if (flags.json === true) console.log(JSON.stringify(results, null, 2));
  else {
    if (positionals.length > 0) printEach(results, progress);
    else printOverview(results, solutions, progress);
    if (typeof flags.json === 'string') resultsWritten = writeResultsFile(flags.json, results);
  }
  // After the report, where it is seen: the verdicts stand, only remembering them failed.
  if (notSaved) console.error(style.yellow(notSaved));

  // One rule for every run, stated in the usage: the exit code says whether all that was graded passes.
  if (!resultsWritten) process.exitCode = 2;
  else if (!results.every((r) => r.status === 'pass')) process.exitCode = 1;
}

await main();
