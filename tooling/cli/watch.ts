/**
 * `npm run check -- --watch [id]`: the terminal side of grading on save.
 * Keys: `h` shows a hint, `r` or Enter grades again, `q` quits (one per line when stdin is not a terminal).
 *
 * @module
 */
import type { CourseSpec, ExerciseSpec } from '../course/define.ts';
import { fromRoot } from '../course/paths.ts';
import { GradeOnSave } from '../grader/grade-on-save.ts';
import type { GradeTarget } from '../grader/grader.ts';
import { resultDetails } from '../grader/report.ts';
import type { ExerciseStatus } from '../grader/results.ts';
import { revealNextHint } from '../progress/hints.ts';
import { readProgress, updateProgress } from '../progress/progress-file.ts';
import { formatHints } from './hint-text.ts';
import { heldNotices, style } from './terminal.ts';

export async function watch(course: CourseSpec, target: GradeTarget, chosen: ExerciseSpec | undefined): Promise<void> {
  const notices = heldNotices();
  // This session's verdicts: what the learner just saw, for the solutions too (which have no progress file).
  const verdicts = new Map<string, ExerciseStatus>();
  const passes = (exercise: ExerciseSpec) =>
    verdicts.has(exercise.id) ? verdicts.get(exercise.id) === 'pass' : target.isLearnerFolder && readProgress(notices).exercises[exercise.id]?.status === 'pass';
  const session = new GradeOnSave(course, target, {
    chosen,
    start: course.exercises.find((e) => !passes(e)) ?? course.exercises[0]!,
    passes,
    onGraded: ({ result, ms, next }) => {
      verdicts.set(result.id, result.status);
      if (target.isLearnerFolder) updateProgress(result.id, (p) => ({ ...p, status: result.status, checkedAt: new Date().toISOString() }), notices);
      if (process.stdout.isTTY) console.clear();
      console.log(resultDetails(result));
      if (result.status === 'pass') {
        const nextStep = !next
          ? ' That was the last exercise — congratulations!'
          : chosen
            ? ` Next: ${style.bold(next.id)} — ${next.title}: ${style.cyan(`npm run check -- --watch ${next.id}`)}.`
            : ` Next: ${style.bold(next.id)} — ${next.title}. Open ${style.cyan(`exercises/${next.id}/${next.files[0]}`)}; it is graded on your next save.`;
        console.log(style.green(`\n✔ ${result.id} passes!`) + nextStep);
      }
      console.log(style.dim(`\ngraded in ${(ms / 1000).toFixed(2)} s · watching ${fromRoot(target.root)}/${session.following.id} · h: hint  r: grade again  q: quit`));
      notices.print();
    },
    onError: (error) => console.error(style.red(`Grading failed: ${error.message}`)),
  });

  const quit = async () => {
    await session.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void quit());
  process.once('SIGTERM', () => void quit());
  const onKey = (key: string) => {
    if (key === 'q' || key === '\u0003') void quit();
    else if (key === 'r' || key === '\r' || key === '') void session.gradeNow([]);
    else if (key === 'h') {
      const exercise = session.following;
      console.log(`\n${formatHints(exercise, revealNextHint(exercise, notices), passes(exercise))}`);
      notices.print();
    }
  };
  process.stdin.setEncoding('utf8');
  if (process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    process.stdin.on('data', onKey);
  } else {
    // Not a terminal (an editor's task runner, a script): one key per line.
    let partial = '';
    process.stdin.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onKey(line.trim());
    });
  }
  await session.start();
}
