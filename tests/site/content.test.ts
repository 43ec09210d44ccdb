/**
 * The site follows the manifest: every lesson it names has a page with the
 * parts every lesson needs, and every exercise page is built from its README.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { course } from '../../exercises/manifest.ts';
import { renderExercisePage, taskFromReadme } from '../../docs/plugins/exercise-pages/render-page.ts';
import { siteDir } from './support/site-build.ts';

describe('lesson pages', () => {
  for (const lesson of course.lessons) {
    describe(lesson.id, () => {
      const file = path.join(siteDir, 'lessons', `${lesson.id}.mdx`);
      const source = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';

      it(`exists as docs/lessons/${lesson.id}.mdx`, () => {
        expect(fs.existsSync(file), `write docs/lessons/${lesson.id}.mdx for the lesson the manifest names`).toBe(true);
      });

      it('has the title the manifest gives it', () => {
        const title = /^title:\s*(.+)$/m.exec(source)?.[1]?.trim().replace(/^'(.*)'$|^"(.*)"$/, '$1$2');
        expect(title, 'the front matter title must match exercises/manifest.ts').toBe(lesson.title);
      });

      it('states learning goals, draws a diagram, asks a quiz, points to its exercises and to further reading', () => {
        expect(source).toContain(':::info[Learning goals]');
        expect(source).toContain('```mermaid');
        expect(source).toMatch(/<(MultipleChoice|OrderSteps)\b/);
        expect(source).toContain('<TryIt />');
        expect(source).toContain('## Further reading');
      });
    });
  }
});

describe('exercise pages', () => {
  const [exercise] = course.exercises;
  const part = course.parts.find(({ id }) => id === exercise?.part);
  const lesson = course.lessons.find(({ id }) => id === exercise?.lesson);
  const readme = '# A title\n\n**Lesson:** x · **File to edit:** y · **Check:** z\n\nThe task.\n\n## Your task\n\nDo it.\n';

  it('drop the README title and summary line, and keep the rest', () => {
    expect(taskFromReadme(readme)).toBe('The task.\n\n## Your task\n\nDo it.');
  });

  it('show the files to edit, the check command, every hint in a <details> block and a link to the lesson', () => {
    if (!exercise || !part || !lesson) throw new Error('the manifest needs a first exercise with a known part and lesson');
    const page = renderExercisePage({ exercise, number: 1, total: course.exercises.length, part, lesson, readme, requires: [], apiPermalinks: [] });
    expect(page).toContain(`npm run check -- ${exercise.id}`);
    for (const file of exercise.files) expect(page).toContain(`exercises/${exercise.id}/${file}`);
    expect(page.match(/<details>/g)).toHaveLength(exercise.hints.length);
    expect(page).toContain(`](../../lessons/${lesson.id}.mdx)`);
    expect(page).toContain('The task.');
    expect(page).not.toContain('**Lesson:** x');
  });
});
