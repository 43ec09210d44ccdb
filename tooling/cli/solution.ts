/**
 * `npm run solution -- <id> [--force]` — show the reference solution of an exercise
 * that passes (its last `npm run check` said so), or of any with `--force`.
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ExerciseSpec } from '../course/define.ts';
import { folders, fromRoot } from '../course/paths.ts';
import { readProgress } from '../progress/progress-file.ts';
import { namedExercises, parseCommandLine } from './arguments.ts';
import { exitWith, style } from './terminal.ts';

const usage = `Usage: npm run solution -- <id or number> [--force]

  <id|number>   the exercise; its solution opens once your exercise passes
  --force       show it anyway
  --help, -h    show this`;

const { flags, positionals, refuse } = parseCommandLine({ usage, positionals: true, flags: { force: { type: 'boolean' } } });
if (positionals.length !== 1) refuse(positionals.length === 0 ? 'Name the exercise whose solution to show.' : `Name one exercise, not ${positionals.length}.`);

const [exercise] = namedExercises(positionals) as [ExerciseSpec];
const status = readProgress().exercises[exercise.id]?.status;
if (status !== 'pass' && !flags.force) {
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
