/**
 * The grader: grades exercises in a folder and gives each a verdict.
 *
 * It runs the checks in the grading process (see `grading-session.ts`) and, meanwhile,
 * type-checks the learner's files in this process, then combines both (`verdict.ts`).
 *
 * @module
 */
import fs from 'node:fs';
import type { ExerciseSpec } from '../course/define.ts';
import { checkFile, folders, fromRoot, learnerFiles } from '../course/paths.ts';
import { isUntouched } from '../progress/starters.ts';
import { GradingSession } from './grading-session.ts';
import type { ExerciseResult } from './results.ts';
import { TypeChecker } from './typecheck.ts';
import { verdict } from './verdict.ts';

/** What to grade: the learner's `exercises/`, the reference `solutions/`, or another folder laid out alike. */
export interface GradeTarget {
  readonly root: string;
  /** True for the learner's own folder: only there is "not started" meaningful, and progress recorded. */
  readonly isLearnerFolder: boolean;
}

export const learnerTarget: GradeTarget = { root: folders.exercises, isLearnerFolder: true };
export const solutionsTarget: GradeTarget = { root: folders.solutions, isLearnerFolder: false };

export class Grader {
  private readonly session: GradingSession;
  private readonly typeChecker: TypeChecker;

  /** @param options.typeCheckCache - keep type-check results in `.workbook/cache/` (default: on). */
  constructor(
    readonly target: GradeTarget,
    options: { typeCheckCache?: boolean } = {},
  ) {
    this.session = new GradingSession(target.root);
    this.typeChecker = new TypeChecker(options.typeCheckCache ?? true);
  }

  /** Starts the grading process ahead of the first {@link grade}. */
  warmUp(): void {
    this.session.warmUp();
  }

  /**
   * Grades `exercises`, in that order. `changed` lists files edited since the last
   * grade of this grader (watch mode), so their compiled versions are refreshed.
   */
  async grade(exercises: readonly ExerciseSpec[], changed: readonly string[] = []): Promise<ExerciseResult[]> {
    const prepared = exercises.map((exercise) => {
      const files = learnerFiles(exercise, this.target.root);
      return { exercise, files, missing: files.filter((file) => !fs.existsSync(file)) };
    });
    const runnable = prepared.filter((p) => p.missing.length === 0);

    const started = Date.now();
    const runs = this.session.run(
      runnable.map((p) => checkFile(p.exercise)),
      changed,
    );
    // Type-check here while the checks run in the grading process: two cores, two jobs.
    const typeErrors = await this.typeChecker.check(new Map(runnable.map((p) => [this.cacheKey(p.exercise), p.files])));
    const finished = await runs;
    const elapsed = Date.now() - started;

    return prepared.map(({ exercise, files, missing }) => {
      const run = finished.get(checkFile(exercise));
      return verdict({
        exercise,
        files: files.map(fromRoot),
        missing: missing.map(fromRoot),
        run,
        typeErrors: typeErrors.get(this.cacheKey(exercise)) ?? [],
        untouched: this.target.isLearnerFolder ? isUntouched(exercise) : undefined,
        durationMs: run?.kind === 'finished' ? run.outcome.durationMs : elapsed,
      });
    });
  }

  /** Stops the grading process and the compiler. */
  async close(): Promise<void> {
    await Promise.all([this.session.close(), this.typeChecker.close()]);
  }

  private cacheKey(exercise: ExerciseSpec): string {
    return `${fromRoot(this.target.root)}/${exercise.id}`;
  }
}
