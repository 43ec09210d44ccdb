/**
 * Grading on every save: the engine of `npm run check -- --watch`. It keeps one
 * grader (and so one warm grading process) and grades the followed exercise each
 * time a file of the graded folder changes. When the followed exercise passes, it
 * moves on to the next unfinished one — unless the learner chose one to follow.
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CourseSpec, ExerciseSpec } from '../course/define.ts';
import { Grader, type GradeTarget } from './grader.ts';
import type { ExerciseResult } from './results.ts';

/** Saves often arrive as several file events (write, rename, chmod): wait this long for the last. */
const SETTLE_MS = 60;

export interface GradedOnSave {
  readonly result: ExerciseResult;
  /** From the start of grading to the verdict, in milliseconds. */
  readonly ms: number;
  /** The next unfinished exercise, when this one passed (followed from now on, unless one was chosen). */
  readonly next: ExerciseSpec | undefined;
}

export interface GradeOnSaveOptions {
  /** Follow this exercise only; otherwise follow whichever exercise the learner edits. */
  readonly chosen?: ExerciseSpec;
  /** Where to start when nothing was chosen. */
  readonly start: ExerciseSpec;
  /** Whether an exercise already passes (to skip it when moving on). */
  readonly passes: (exercise: ExerciseSpec) => boolean;
  readonly onGraded: (graded: GradedOnSave) => void;
  readonly onError: (error: Error) => void;
}

export class GradeOnSave {
  private readonly grader: Grader;
  private watcher: fs.FSWatcher | undefined;
  private focus: ExerciseSpec;
  private grading = false;
  private pending: string[] | undefined;
  private readonly changed = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly course: CourseSpec,
    private readonly target: GradeTarget,
    private readonly options: GradeOnSaveOptions,
  ) {
    this.grader = new Grader(target, { keepWarm: true });
    this.focus = options.chosen ?? options.start;
  }

  /** The exercise being followed. */
  get following(): ExerciseSpec {
    return this.focus;
  }

  /** Starts watching, and grades the followed exercise once. */
  start(): Promise<void> {
    this.grader.warmUp();
    this.watcher = fs.watch(this.target.root, { recursive: true }, (_event, filename) => this.saw(filename));
    return this.gradeNow([]);
  }

  /** Grades the followed exercise now (a key press in the terminal). */
  gradeNow(changed: string[]): Promise<void> {
    if (this.grading) {
      this.pending = [...(this.pending ?? []), ...changed];
      return Promise.resolve();
    }
    return this.run(changed);
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.watcher?.close();
    await this.grader.close();
  }

  private saw(filename: string | null): void {
    if (!filename || !/\.(ts|js|mjs|json)$/.test(filename)) return;
    const owner = this.course.exercises.find((e) => filename.startsWith(`${e.id}${path.sep}`));
    // Without a chosen exercise, follow the one the learner is editing.
    if (owner && !this.options.chosen) this.focus = owner;
    this.changed.add(path.join(this.target.root, filename));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const files = [...this.changed];
      this.changed.clear();
      void this.gradeNow(files);
    }, SETTLE_MS);
  }

  private async run(changed: string[]): Promise<void> {
    this.grading = true;
    const exercise = this.focus;
    const started = performance.now();
    try {
      const [result] = await this.grader.grade([exercise], changed);
      const ms = performance.now() - started;
      let next: ExerciseSpec | undefined = exercise;
      if (result!.status === 'pass') {
        const after = this.course.exercises.slice(this.course.exercises.indexOf(exercise) + 1);
        next = after.find((e) => !this.options.passes(e));
        // A chosen exercise stays followed; otherwise, on to the next.
        if (next && !this.options.chosen && this.focus === exercise) this.focus = next;
      }
      this.options.onGraded({ result: result!, ms, next });
    } catch (error) {
      this.options.onError(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.grading = false;
    }
    if (this.pending) {
      const files = this.pending;
      this.pending = undefined;
      await this.run(files);
    }
  }
}
