/**
 * The wrong-answer corpus: believable almost-right programs that every check must
 * reject. `tests/wrong-answers/<id>/<name>/` holds the learner files that differ from
 * the solution (each a copy of the solution with exactly one rule broken) and a
 * `why.json` that names the rule and a word the failure must contain.
 *
 * To be graded, answers are laid out like `solutions/`: a scratch copy of every
 * solution (so `../types.ts` and imports of earlier exercises resolve), with the
 * answer's files laid over its exercise. One layout holds at most one answer per
 * exercise, so a "round" grades one answer of each exercise at once.
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { course } from '../../exercises/manifest.ts';
import type { ExerciseSpec } from '../course/define.ts';
import { folders, repoRoot } from '../course/paths.ts';

export const corpusRoot = path.join(repoRoot, 'tests', 'wrong-answers');

const whySchema = z.strictObject({
  /** The rule it breaks, as the README or TSDoc words it: `"README 3"`, `"TSDoc: close()"`. */
  rule: z.string().min(1),
  /** One line: what this program gets wrong. */
  why: z.string().min(10),
  /**
   * A word or phrase (case-insensitive; a regular expression) that the failing
   * test's message must contain: evidence that the check failed *for this rule*.
   */
  says: z.string().min(2),
  /**
   * Set only while the check cannot reject this answer yet: one line saying what the
   * check would have to observe, and the issue that tracks it. `npm test` lists such an
   * answer as a to-do instead of grading it; `npm run wrong-answers` still grades it and
   * says when the mark can go.
   */
  open: z.string().min(10).optional(),
});
export type Why = z.infer<typeof whySchema>;

export interface WrongAnswer {
  readonly exerciseId: string;
  readonly name: string;
  /** `tests/wrong-answers/<id>/<name>/` */
  readonly dir: string;
  /** The learner files it replaces, relative to its folder (e.g. `server.ts`). */
  readonly files: readonly string[];
  readonly why: Why;
}

/** Every wrong answer of `exercise`, by name; throws on a malformed entry, naming it. */
export function wrongAnswersOf(exercise: ExerciseSpec): WrongAnswer[] {
  const exerciseDir = path.join(corpusRoot, exercise.id);
  if (!fs.existsSync(exerciseDir)) return [];
  return fs
    .readdirSync(exerciseDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = path.join(exerciseDir, name);
      const shown = path.relative(repoRoot, dir);
      const whyFile = path.join(dir, 'why.json');
      if (!fs.existsSync(whyFile)) throw new Error(`${shown} has no why.json ({ "rule", "why", "says" })`);
      const parsed = whySchema.safeParse(JSON.parse(fs.readFileSync(whyFile, 'utf8')));
      if (!parsed.success) throw new Error(`${shown}/why.json: ${z.prettifyError(parsed.error)}`);
      const files = fs.readdirSync(dir).filter((file) => file !== 'why.json');
      const strangers = files.filter((file) => !exercise.files.includes(file));
      if (strangers.length > 0) throw new Error(`${shown} holds ${strangers.join(', ')}, which are not files of ${exercise.id} (${exercise.files.join(', ')})`);
      if (files.length === 0) throw new Error(`${shown} replaces none of ${exercise.id}'s files`);
      return { exerciseId: exercise.id, name, dir, files, why: parsed.data };
    });
}

/** Every exercise `id` requires, directly or through another one. */
export function requiredBy(id: string, seen = new Set<string>()): Set<string> {
  for (const required of course.exercises.find((exercise) => exercise.id === id)?.requires ?? []) {
    if (!seen.has(required)) requiredBy(required, seen.add(required));
  }
  return seen;
}

/**
 * Splits answers into rounds holding at most one answer per exercise, and never an
 * answer of an exercise together with one of an exercise it `requires` (a wrong
 * ws-frames would fail ws-echo-server's answer for a reason not its own). The `k`-th
 * answers of the exercises come first, so most rounds grade several exercises at once.
 */
export function rounds(answers: readonly WrongAnswer[]): WrongAnswer[][] {
  const byExercise = new Map<string, WrongAnswer[]>();
  for (const answer of answers) byExercise.set(answer.exerciseId, [...(byExercise.get(answer.exerciseId) ?? []), answer]);
  const clash = (a: string, b: string) => a === b || requiredBy(a).has(b) || requiredBy(b).has(a);
  const count = Math.max(0, ...[...byExercise.values()].map((list) => list.length));
  const result: WrongAnswer[][] = [];
  for (let k = 0; k < count; k++) {
    for (const list of byExercise.values()) {
      const answer = list[k];
      if (!answer) continue;
      const round = result.find((r) => r.every((other) => !clash(other.exerciseId, answer.exerciseId)));
      if (round) round.push(answer);
      else result.push([answer]);
    }
  }
  return result;
}

/**
 * A scratch copy of every solution under `root` (which must lie inside the repository,
 * so that the answers resolve `node_modules`), over which rounds are laid one by one.
 */
export function layOutSolutions(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
  fs.cpSync(folders.solutions, root, { recursive: true });
  // solutions/types.ts re-exports ../exercises/types.ts, which is not there in a scratch copy.
  fs.copyFileSync(path.join(folders.exercises, 'types.ts'), path.join(root, 'types.ts'));
}

/**
 * Puts the solution's files back where `previous` laid answers, and lays `round`'s
 * answers over their exercises. Returns every file it wrote (absolute paths), for the
 * grader to forget what it compiled of them.
 */
export function layOverRound(root: string, round: readonly WrongAnswer[], previous: readonly WrongAnswer[] = []): string[] {
  const written: string[] = [];
  for (const answer of previous) {
    for (const file of answer.files) {
      const target = path.join(root, answer.exerciseId, file);
      fs.copyFileSync(path.join(folders.solutions, answer.exerciseId, file), target);
      written.push(target);
    }
  }
  for (const answer of round) {
    for (const file of answer.files) {
      const target = path.join(root, answer.exerciseId, file);
      fs.copyFileSync(path.join(answer.dir, file), target);
      written.push(target);
    }
  }
  return [...new Set(written)];
}

/** Whether `text` holds the evidence `why.says` asks for. */
export function saysWhy(why: Why, text: string): boolean {
  return new RegExp(why.says, 'i').test(text);
}
