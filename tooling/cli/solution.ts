/**
 * `npm run solution -- <id> [--force]` — show the reference solution of an exercise
 * that passes (its last `npm run check` said so), or of any with `--force`.
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { course } from '../../exercises/manifest.ts';
import { findExercise, UnknownExerciseError } from '../course/lookup.ts';
import { folders, fromRoot } from '../course/paths.ts';
import { readProgress } from '../progress/progress-file.ts';
import { exitWith, style } from './terminal.ts';

const usage = 'Usage: npm run solution -- <id or number> [--force]';
let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
} catch (error) {
  exitWith(`${(error as Error).message}\n${usage}`);
}
const { values, positionals } = parsed;
if (values.help) exitWith(usage, 0);
if (positionals.length !== 1) exitWith(usage);

try {
  const exercise = findExercise(course, positionals[0]!);
  const status = readProgress().exercises[exercise.id]?.status;
  if (status !== 'pass' && !values.force) {
    exitWith(
      `The solution of ${exercise.id} opens once your exercise passes (\`npm run check -- ${exercise.id}\`).\n` +
        `Stuck? Try \`npm run hint -- ${exercise.id}\` first — or add --force to look anyway.`,
      1,
    );
  }
  for (const file of exercise.files) {
    const solution = path.join(folders.solutions, exercise.id, file);
    console.log(style.bold(`── ${fromRoot(solution)} ──`));
    console.log(fs.readFileSync(solution, 'utf8'));
  }
  console.log(style.dim(`Compare with yours: diff exercises/${exercise.id} solutions/${exercise.id}`));
} catch (error) {
  if (error instanceof UnknownExerciseError) exitWith(error.message);
  throw error;
}
