/**
 * The shape of the course manifest (`exercises/manifest.ts`).
 *
 * The manifest is the single source of truth for what the course contains and in
 * which order: the grader, the hints, the maintainer tests and the site all read
 * it. Paths are derived from an exercise's id (see `paths.ts`), never restated.
 *
 * @module
 */

/** A lesson of the course: one page of the site under `docs/lessons/`. */
export interface LessonSpec {
  /** Stable id; the lesson page is `docs/lessons/<id>.mdx`. */
  readonly id: string;
  readonly title: string;
}

/** A part of the course: a group of exercises with one theme. */
export interface PartSpec {
  /** Stable id, e.g. `foundations`. */
  readonly id: string;
  /** Shown in the grader's output and as a sidebar heading, e.g. `Part 0 — First connections`. */
  readonly title: string;
}

/** What the learner writes: it decides how the check drives their code. */
export type ExerciseKind = 'server' | 'client' | 'library';

/** One exercise. */
export interface ExerciseSpec {
  /**
   * Stable id, kebab-case. It names the folders `exercises/<id>/` and
   * `solutions/<id>/` and the check `checks/<id>.check.ts`. Never rename one:
   * the learner's progress file refers to it.
   */
  readonly id: string;
  readonly title: string;
  /** Id of the part it belongs to. */
  readonly part: string;
  readonly kind: ExerciseKind;
  /** The files the learner edits, relative to `exercises/<id>/`. The first is the one to open. */
  readonly files: readonly [string, ...string[]];
  /** Id of the lesson that teaches what this exercise practises. */
  readonly lesson: string;
  /**
   * Ids of earlier exercises whose files this one imports (`ws-echo-server` uses the
   * learner's own `ws-handshake` and `ws-frames`). The grader grades them too, and says
   * "solve … first" while one of them fails; the site lists them.
   */
  readonly requires?: readonly string[];
  /** Ordered hints, gentle first, concrete last. Markdown. At least two. */
  readonly hints: readonly [string, string, ...string[]];
}

/** The whole course. */
export interface CourseSpec {
  readonly lessons: readonly LessonSpec[];
  readonly parts: readonly PartSpec[];
  readonly exercises: readonly ExerciseSpec[];
}

/** Identity function that gives the manifest its type, and the editor completion that goes with it. */
export function defineCourse(course: CourseSpec): CourseSpec {
  return course;
}
