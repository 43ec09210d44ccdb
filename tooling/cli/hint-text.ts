/**
 * How hints look on a terminal.
 *
 * @module
 */
import type { ExerciseSpec } from '../course/define.ts';
import type { ShownHint } from '../progress/hints.ts';
import { indent, style } from './terminal.ts';

/** The hints, the newest one highlighted, and what to do if they are not enough. */
export function formatHints(exercise: ExerciseSpec, hints: readonly ShownHint[]): string {
  const lines = [style.bold(`Hints for ${exercise.id} — ${exercise.title}`), ''];
  for (const [index, hint] of hints.entries()) {
    const newest = index === hints.length - 1;
    const heading = `Hint ${hint.number} of ${hint.total}${newest ? '' : ' (seen)'}`;
    lines.push(newest ? style.yellow(heading) : style.dim(heading), indent(newest ? hint.text : style.dim(hint.text), 2), '');
  }
  const last = hints.at(-1);
  if (last && last.number < last.total) lines.push(style.dim(`Run it again for hint ${last.number + 1}.`));
  else lines.push(style.dim(`That was the last hint. Once the exercise passes, \`npm run solution -- ${exercise.id}\` shows the reference solution.`));
  return lines.join('\n');
}
