/**
 * A local Docusaurus plugin that generates one page per exercise from the
 * course manifest and the exercise's own `README.md`, into the git-ignored
 * `docs/generated/exercises/`. A new exercise in the manifest gets its page on
 * the next build, with no list to update here.
 *
 * It also publishes a summary of the exercises as global data, which the
 * `<TryIt>` component and the home page read.
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { course } from '../../../exercises/manifest.ts';
import type { CourseSpec } from '../../../tooling/course/define.ts';
import { exerciseDir, fromRoot, readmeFile } from '../../../tooling/course/paths.ts';
import { apiPermalink, exercisePermalink, lessonPermalink, renderExercisePage, type ExercisePageInput } from './render-page.ts';

/** What a client component gets from `usePluginData('exercise-pages')`: the course in order, without the hints. */
export interface ExercisePagesData {
  readonly lessons: readonly LessonSummary[];
  readonly exercises: readonly ExerciseSummary[];
}

export interface LessonSummary {
  readonly id: string;
  readonly title: string;
  readonly permalink: string;
}

export interface ExerciseSummary {
  readonly id: string;
  readonly title: string;
  readonly number: number;
  readonly lesson: string;
  readonly partTitle: string;
  readonly permalink: string;
}

/** Pairs every exercise with its part, lesson and README; a wrong id in the manifest fails loudly here. */
export function collectPages(spec: CourseSpec): ExercisePageInput[] {
  return spec.exercises.map((exercise, index) => {
    const part = spec.parts.find(({ id }) => id === exercise.part);
    const lesson = spec.lessons.find(({ id }) => id === exercise.lesson);
    if (!part) throw new Error(`exercises/manifest.ts: exercise "${exercise.id}" names part "${exercise.part}", which is not in \`parts\`.`);
    if (!lesson) throw new Error(`exercises/manifest.ts: exercise "${exercise.id}" names lesson "${exercise.lesson}", which is not in \`lessons\`.`);
    const readmePath = readmeFile(exercise);
    const readme = fs.existsSync(readmePath) ? fs.readFileSync(readmePath, 'utf8') : undefined;
    if (readme === undefined) console.warn(`[exercise-pages] ${fromRoot(readmePath)} is missing: its page says the task is not written yet.`);
    // TypeDoc documents every starter .ts file that exists (see plugins/api-reference.ts).
    const apiPermalinks = exercise.files
      .filter((file) => file.endsWith('.ts') && fs.existsSync(path.join(exerciseDir(exercise), file)))
      .map((file) => apiPermalink(exercise.id, file));
    const requires = (exercise.requires ?? []).map((id) => {
      const required = spec.exercises.find((other) => other.id === id);
      if (!required) throw new Error(`exercises/manifest.ts: exercise "${exercise.id}" requires "${id}", which is not in \`exercises\`.`);
      return required;
    });
    return { exercise, number: index + 1, total: spec.exercises.length, part, lesson, readme, requires, apiPermalinks };
  });
}

/** Writes every page into `outDir` (only the ones that changed, so the dev server does not loop) and removes stale ones. */
export function writePages(pages: readonly ExercisePageInput[], outDir: string): void {
  fs.mkdirSync(outDir, { recursive: true });
  const wanted = new Set<string>();
  for (const page of pages) {
    const file = path.join(outDir, `${page.exercise.id}.md`);
    wanted.add(file);
    const markdown = renderExercisePage(page);
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== markdown) fs.writeFileSync(file, markdown);
  }
  for (const name of fs.readdirSync(outDir)) {
    const file = path.join(outDir, name);
    if (!wanted.has(file)) fs.rmSync(file);
  }
}

function summarize(spec: CourseSpec, pages: readonly ExercisePageInput[]): ExercisePagesData {
  return {
    lessons: spec.lessons.map(({ id, title }) => ({ id, title, permalink: lessonPermalink(id) })),
    exercises: pages.map(({ exercise, number, part }) => ({
      id: exercise.id,
      title: exercise.title,
      number,
      lesson: exercise.lesson,
      partTitle: part.title,
      permalink: exercisePermalink(exercise.id),
    })),
  };
}

export default function exercisePagesPlugin(context: LoadContext): Plugin {
  const outDir = path.join(context.siteDir, 'generated', 'exercises');
  const generate = () => {
    const pages = collectPages(course);
    writePages(pages, outDir);
    return summarize(course, pages);
  };
  // Write now, while plugins are being set up: the docs plugin reads these files next.
  generate();
  return {
    name: 'exercise-pages',
    // In `npm start`, editing a README regenerates its page.
    getPathsToWatch: () => course.exercises.map(readmeFile),
    loadContent: async () => generate(),
    contentLoaded: async ({ content, actions }) => actions.setGlobalData(content),
  };
}
