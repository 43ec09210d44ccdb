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
import { course } from '../../exercises/manifest.ts';
import type { ExerciseSpec } from '../course/define.ts';
import { checkFile, folders, fromRoot, learnerFiles } from '../course/paths.ts';
import { isUntouched } from '../progress/starters.ts';
import { adoptGradingServer, askGradingServer, connectToGradingServer } from './grading-server-client.mjs';
import { GradingSession } from './grading-session.ts';
import type { ServerReply, ServerRequest } from './protocol.ts';
import type { ExerciseResult } from './results.ts';
import { TypeChecker } from './typecheck.ts';
import { TYPE_CHECK_TEST, verdict } from './verdict.ts';

/** What to grade: the learner's `exercises/`, the reference `solutions/`, or another folder laid out alike. */
export interface GradeTarget {
  readonly root: string;
  /** True for the learner's own folder: only there is "not started" meaningful, and progress recorded. */
  readonly isLearnerFolder: boolean;
}

export const learnerTarget: GradeTarget = { root: folders.exercises, isLearnerFolder: true };
export const solutionsTarget: GradeTarget = { root: folders.solutions, isLearnerFolder: false };

/** `exercises` and, before them, every exercise they require (transitively), each once, in course order. */
export function withRequired(exercises: readonly ExerciseSpec[]): ExerciseSpec[] {
  const wanted = new Set<string>();
  const add = (exercise: ExerciseSpec) => {
    if (wanted.has(exercise.id)) return;
    wanted.add(exercise.id);
    for (const id of exercise.requires ?? []) add(exerciseById(id));
  };
  exercises.forEach(add);
  return course.exercises.filter((exercise) => wanted.has(exercise.id));
}

function exerciseById(id: string): ExerciseSpec {
  const found = course.exercises.find((exercise) => exercise.id === id);
  if (!found) throw new Error(`exercises/manifest.ts: an exercise requires "${id}", which is not in the course`);
  return found;
}

/**
 * The verdict of an exercise whose required exercises do not pass yet: "solve … first",
 * instead of failures that come from the code it imports. An untouched starter stays "not started".
 */
function blockedByRequired(exercise: ExerciseSpec, results: ReadonlyMap<string, ExerciseResult>): ExerciseResult | undefined {
  const own = results.get(exercise.id)!;
  const unsolved = (exercise.requires ?? []).filter((id) => results.get(id)?.status !== 'pass');
  if (unsolved.length === 0 || own.status === 'not-started' || own.status === 'pass') return undefined;
  const files = unsolved.flatMap((id) => exerciseById(id).files.map((file) => `exercises/${id}/${file}`));
  return {
    ...own,
    status: 'fail',
    message:
      `Solve ${unsolved.join(' and ')} first: ${exercise.id} uses your ${files.join(' and ')}, ` +
      `which ${unsolved.length > 1 ? 'do' : 'does'} not pass ${unsolved.length > 1 ? 'their checks' : 'its check'} yet, so its own check cannot tell what is yours. ` +
      unsolved.map((id) => `\`npm run check -- ${id}\``).join(', then ') + '.',
    // Only what is the learner's own to fix now: their file's type errors.
    tests: own.tests.filter((test) => test.name === TYPE_CHECK_TEST),
  };
}

export class Grader {
  private readonly session: GradingSession;
  private readonly typeChecker: TypeChecker;

  /**
   * @param options.typeCheckCache - keep type-check results in `.workbook/cache/` (default: on).
   * @param options.keepWarm - this grader grades again soon (watch mode, the grading server): keep a check thread ready in between.
   */
  constructor(
    readonly target: GradeTarget,
    options: { typeCheckCache?: boolean; keepWarm?: boolean } = {},
  ) {
    this.session = new GradingSession(target.root, options.keepWarm);
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
  async grade(selected: readonly ExerciseSpec[], changed: readonly string[] = []): Promise<ExerciseResult[]> {
    const graded = await this.gradeOnServer(selected);
    if (graded) return graded;

    // An exercise that builds on earlier ones is graded with them: their verdicts decide whether its own counts.
    const exercises = withRequired(selected);
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

    const results = prepared.map(({ exercise, files, missing }) => {
      const run = finished.get(checkFile(exercise));
      return verdict({
        exercise,
        files: files.map(fromRoot),
        missing: missing.map(fromRoot),
        run,
        typeErrors: typeErrors.get(this.cacheKey(exercise)) ?? [],
        // Against the graded folder itself: a grading server may grade a folder other than the one it started for.
        untouched: this.target.isLearnerFolder ? isUntouched(exercise, { exercises: this.target.root, state: folders.state }) : undefined,
        durationMs: run?.kind === 'finished' ? run.outcome.durationMs : elapsed,
      });
    });
    const byId = new Map(results.map((result) => [result.id, result]));
    return selected.map((exercise) => blockedByRequired(exercise, byId) ?? byId.get(exercise.id)!);
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
    if (first === undefined || first.type === 'failed') return undefined;
    const socket = await connectToGradingServer(this.target.root);
    const request: ServerRequest = { type: 'grade', root: this.target.root, isLearnerFolder: this.target.isLearnerFolder, exercises: ids, node: process.version };
    const second = socket && ((await askGradingServer(socket, request).catch(() => undefined)) as ServerReply | undefined);
    return answers(second) ? (second as Extract<ServerReply, { type: 'graded' }>).results : undefined;
  }

  private cacheKey(exercise: ExerciseSpec): string {
    return `${fromRoot(this.target.root)}/${exercise.id}`;
  }
}
