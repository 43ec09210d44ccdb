/**
 * The grader: grades exercises in a folder and gives each a verdict.
 *
 * It runs the checks in the grading process (see `grading-session.ts`) and, meanwhile,
 * type-checks the learner's files (`typecheck.ts`), then combines both (`verdict.ts`).
 * When `npm run check` prepared a connection to the grading server (`grading-server.ts`),
 * the first grade is asked of that warm server instead, and done here only if it fails.
 *
 * @module
 */
import fs from 'node:fs';
import type { ExerciseSpec } from '../course/define.ts';
import { checkFile, folders, fromRoot, learnerFiles } from '../course/paths.ts';
import { isUntouched } from '../progress/starters.ts';
import { adoptGradingServer, askGradingServer, connectToGradingServer } from './grading-server-client.mjs';
import { GradingSession } from './grading-session.ts';
import type { ServerReply, ServerRequest } from './protocol.ts';
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
    const graded = await this.gradeOnServer(exercises);
    if (graded) return graded;

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

  /**
   * The results from the grading server, or `undefined` when there is none to ask (only
   * `npm run check` prepares one) or it could not give them.
   */
  private async gradeOnServer(exercises: readonly ExerciseSpec[]): Promise<ExerciseResult[] | undefined> {
    const prepared = adoptGradingServer(this.target.root, this.target.isLearnerFolder);
    if (!prepared) return undefined;
    const ids = exercises.map((e) => e.id);
    const answers = (reply: ServerReply | undefined) => reply?.type === 'graded' && reply.results.map((r) => r.id).join() === ids.join();
    const first = (await prepared) as ServerReply | undefined;
    if (answers(first)) return (first as Extract<ServerReply, { type: 'graded' }>).results;
    // Asked before the command line was understood, or of a server whose code was out of
    // date (it said so, and exited): ask once more, exactly, starting a fresh server if need be.
    if (first && first.type !== 'stale' && first.type !== 'graded') return undefined;
    const socket = await connectToGradingServer(this.target.root);
    const request: ServerRequest = { type: 'grade', root: this.target.root, isLearnerFolder: this.target.isLearnerFolder, exercises: ids, node: process.version };
    const second = socket && ((await askGradingServer(socket, request).catch(() => undefined)) as ServerReply | undefined);
    return answers(second) ? (second as Extract<ServerReply, { type: 'graded' }>).results : undefined;
  }

  private cacheKey(exercise: ExerciseSpec): string {
    return `${fromRoot(this.target.root)}/${exercise.id}`;
  }
}
