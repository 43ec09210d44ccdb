/**
 * `npm run check -- --watch [id]`: the terminal side of grading on save.
 * Keys: `h` shows a hint, `r` or Enter grades again, `q` quits.
 *
 * @module
 */
import type { CourseSpec, ExerciseSpec } from '../course/define.ts';
import { fromRoot } from '../course/paths.ts';
import { GradeOnSave } from '../grader/grade-on-save.ts';
import type { GradeTarget } from '../grader/grader.ts';
import { resultDetails } from '../grader/report.ts';
import { revealNextHint } from '../progress/hints.ts';
import { readProgress, updateProgress } from '../progress/progress-file.ts';
import { formatHints } from './hint-text.ts';
import { style } from './terminal.ts';

export async function watch(course: CourseSpec, target: GradeTarget, chosen: ExerciseSpec | undefined): Promise<void> {
  const passes = (exercise: ExerciseSpec) => target.isLearnerFolder && readProgress().exercises[exercise.id]?.status === 'pass';
  const session = new GradeOnSave(course, target, {
    chosen,
    start: course.exercises.find((e) => !passes(e)) ?? course.exercises[0]!,
    passes,
    onGraded: ({ result, ms, next }) => {
      if (target.isLearnerFolder) updateProgress(result.id, (p) => ({ ...p, status: result.status, checkedAt: new Date().toISOString() }));
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
    },
    onError: (error) => console.error(style.red(`Grading failed: ${error.message}`)),
  });

  const quit = async () => {
    await session.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void quit());
  process.once('SIGTERM', () => void quit());
  if (process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (key: string) => {
      if (key === 'q' || key === '\u0003') void quit();
      else if (key === 'r' || key === '\r') void session.gradeNow([]);
      else if (key === 'h') console.log(`\n${formatHints(session.following, revealNextHint(session.following))}`);
    });
  }
  await session.start();
}
