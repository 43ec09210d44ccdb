/**
 * `npm run check -- --watch [id]`: grade again on every save, with the grading
 * process kept warm so that a re-grade pays no start-up. When the exercise being
 * followed passes, it says so and moves on to the next unfinished one.
 *
 * Keys: `h` shows a hint, `r` or Enter grades again, `q` quits.
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CourseSpec, ExerciseSpec } from '../course/define.ts';
import { fromRoot } from '../course/paths.ts';
import { Grader, type GradeTarget } from '../grader/grader.ts';
import { resultDetails } from '../grader/report.ts';
import type { ExerciseResult } from '../grader/results.ts';
import { revealNextHint } from '../progress/hints.ts';
import { readProgress, updateProgress } from '../progress/progress-file.ts';
import { formatHints } from './hint-text.ts';
import { style } from './terminal.ts';

/** Saves often come as several file events (write, rename, chmod): wait this long for the last. */
const SETTLE_MS = 60;

export async function watch(course: CourseSpec, target: GradeTarget, chosen: ExerciseSpec | undefined): Promise<void> {
  const grader = new Grader(target);
  grader.warmUp();
  const progress = readProgress().exercises;
  let focus = chosen ?? course.exercises.find((e) => progress[e.id]?.status !== 'pass') ?? course.exercises[0]!;

  let grading = false;
  let again: string[] | undefined;
  const changed = new Set<string>();

  const show = (result: ExerciseResult, ms: number) => {
    if (process.stdout.isTTY) console.clear();
    console.log(resultDetails(result));
    console.log(style.dim(`\ngraded in ${(ms / 1000).toFixed(2)} s · watching ${fromRoot(path.join(target.root, focus.id))} · h: hint  r: grade again  q: quit`));
    if (result.status !== 'pass') return;
    const next = course.exercises.slice(course.exercises.indexOf(focus) + 1).find((e) => readProgress().exercises[e.id]?.status !== 'pass');
    console.log(style.green(`\n✔ ${focus.id} passes!`) + (next ? ` Next: ${style.bold(next.id)} — ${next.title}. Open ${style.cyan(`exercises/${next.id}/${next.files[0]}`)}; grading it on your next save.` : ' That was the last exercise — congratulations!'));
    if (next) focus = next;
  };

  const grade = async (files: string[]) => {
    if (grading) {
      again = [...(again ?? []), ...files];
      return;
    }
    grading = true;
    const started = performance.now();
    const current = focus;
    try {
      const [result] = await grader.grade([current], files);
      if (target.isLearnerFolder) updateProgress(current.id, (p) => ({ ...p, status: result!.status, checkedAt: new Date().toISOString() }));
      show(result!, performance.now() - started);
    } catch (error) {
      console.error(style.red(`Grading failed: ${(error as Error).message}`));
    } finally {
      grading = false;
    }
    if (again) {
      const pending = again;
      again = undefined;
      await grade(pending);
    }
  };

  let timer: NodeJS.Timeout | undefined;
  const watcher = fs.watch(target.root, { recursive: true }, (_event, filename) => {
    if (!filename || !/\.(ts|js|mjs|json)$/.test(filename)) return;
    const file = path.join(target.root, filename);
    const owner = course.exercises.find((e) => filename.startsWith(`${e.id}${path.sep}`));
    // Without a chosen exercise, follow the one the learner is editing.
    if (owner && !chosen && owner !== focus) focus = owner;
    changed.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...changed];
      changed.clear();
      void grade(files);
    }, SETTLE_MS);
  });

  const quit = async () => {
    watcher.close();
    await grader.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void quit());
  process.once('SIGTERM', () => void quit());

  if (process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (key: string) => {
      if (key === 'q' || key === '\u0003') void quit();
      else if (key === 'r' || key === '\r') void grade([]);
      else if (key === 'h') console.log(`\n${formatHints(focus, revealNextHint(focus))}`);
    });
  }

  await grade([]);
}
