/**
 * How hints look on a terminal.
 *
 * @module
 */
import type { ExerciseSpec } from '../course/define.ts';
import type { ShownHint } from '../progress/hints.ts';
import { indent, style } from './terminal.ts';

/**
 * The hints, the one shown for the first time highlighted, and what to do if they
 * are not enough. `passes`: the exercise's last verdict was a pass.
 */
export function formatHints(exercise: ExerciseSpec, hints: readonly ShownHint[], passes: boolean): string {
  const lines = [style.bold(`Hints for ${exercise.id} — ${exercise.title}`), ''];
  for (const hint of hints) {
    const heading = `Hint ${hint.number} of ${hint.total}${hint.fresh ? '' : ' (seen)'}`;
    lines.push(hint.fresh ? style.yellow(heading) : style.dim(heading), indent(hint.fresh ? hint.text : style.dim(hint.text), 2), '');
  }
  const last = hints.at(-1);
  const total = exercise.hints.length;
  const solution = `\`npm run solution -- ${exercise.id}\``;
  if (last && last.number < total) lines.push(style.dim(`Run it again for hint ${last.number + 1}.`));
  else {
    const end = last?.fresh ? 'That was the last hint.' : `You have seen all ${total} hints.`;
    const next = passes ? `Your exercise passes: ${solution} shows the reference solution to compare with yours.` : `Once the exercise passes, ${solution} shows the reference solution.`;
    lines.push(style.dim(`${end} ${next}`));
  }
  return lines.join('\n');
}
