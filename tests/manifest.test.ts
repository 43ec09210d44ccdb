/**
 * A lint of the teaching content itself (after rustlings' `dev check`): every
 * exercise in the manifest has what a learner needs, and nothing exists beside it.
 * Each failure says how to fix it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { course } from '../exercises/manifest.ts';
import { checkFile, folders, fromRoot, learnerFiles, readmeFile } from '../tooling/course/paths.ts';

const ids = course.exercises.map((e) => e.id);

describe('the manifest', () => {
  test('ids are unique and kebab-case', () => {
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(duplicates, 'each exercise id must appear once in exercises/manifest.ts').toEqual([]);
    const malformed = ids.filter((id) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id));
    expect(malformed, 'ids name folders and URLs: use lowercase words joined by hyphens').toEqual([]);
  });

  test('parts and lessons are defined, used and unique', () => {
    const partIds = course.parts.map((p) => p.id);
    const lessonIds = course.lessons.map((l) => l.id);
    expect(new Set(partIds).size, 'part ids must be unique').toBe(partIds.length);
    expect(new Set(lessonIds).size, 'lesson ids must be unique').toBe(lessonIds.length);
    for (const exercise of course.exercises) {
      expect(partIds, `exercise ${exercise.id} names part "${exercise.part}": add it to \`parts\``).toContain(exercise.part);
      expect(lessonIds, `exercise ${exercise.id} names lesson "${exercise.lesson}": add it to \`lessons\``).toContain(exercise.lesson);
    }
    const emptyParts = partIds.filter((id) => !course.exercises.some((e) => e.part === id));
    expect(emptyParts, 'every part needs at least one exercise (remove the part or add its exercises)').toEqual([]);
  });

  test('exercises of a part are listed together, in the order of the parts', () => {
    const order = course.exercises.map((e) => course.parts.findIndex((p) => p.id === e.part));
    expect(order, 'list exercises part by part, in the order of `parts`').toEqual([...order].sort((a, b) => a - b));
  });
});

describe.each(course.exercises.map((exercise) => [exercise.id, exercise] as const))('exercise %s', (id, exercise) => {
  test('has a README with a task and the check command', () => {
    const readme = readmeFile(exercise);
    expect(fs.existsSync(readme), `write the task in ${fromRoot(readme)}`).toBe(true);
    const text = fs.readFileSync(readme, 'utf8');
    expect(text, `${fromRoot(readme)} starts with "# <title>"`).toMatch(/^# \S/);
    expect(text, `${fromRoot(readme)} needs a "## Your task" section`).toContain('## Your task');
    expect(text, `${fromRoot(readme)} should tell how to check it`).toContain(`npm run check -- ${id}`);
  });

  test('has starter files with a TODO, that differ from the solution', () => {
    for (const [index, starter] of learnerFiles(exercise).entries()) {
      expect(fs.existsSync(starter), `create the starter ${fromRoot(starter)}`).toBe(true);
      const text = fs.readFileSync(starter, 'utf8');
      expect(text, `mark where the learner's code goes in ${fromRoot(starter)} with a TODO comment`).toMatch(/\/\/ TODO/);
      const solution = learnerFiles(exercise, folders.solutions)[index]!;
      expect(fs.existsSync(solution), `create the solution ${fromRoot(solution)}`).toBe(true);
      expect(fs.readFileSync(solution, 'utf8'), `${fromRoot(solution)} is the same as its starter`).not.toBe(text);
    }
  });

  test('has a check', () => {
    expect(fs.existsSync(checkFile(exercise)), `write the check ${fromRoot(checkFile(exercise))}`).toBe(true);
  });

  test('has at least two hints, each a real sentence', () => {
    expect(exercise.hints.length).toBeGreaterThanOrEqual(2);
    for (const hint of exercise.hints) expect(hint.trim().length, `a hint of ${id} is too short to help`).toBeGreaterThan(30);
    expect(new Set(exercise.hints).size, `two hints of ${id} are the same`).toBe(exercise.hints.length);
  });

  test('declares in `requires` every earlier exercise whose code it imports, and only those', () => {
    const imported = new Set<string>();
    for (const file of [...learnerFiles(exercise), ...learnerFiles(exercise, folders.solutions)].filter((f) => fs.existsSync(f))) {
      for (const [, other] of fs.readFileSync(file, 'utf8').matchAll(/from '\.\.\/([a-z0-9-]+)\//g)) imported.add(other!);
    }
    const declared = [...(exercise.requires ?? [])];
    expect(declared.sort(), `${id} imports ${[...imported].join(', ') || 'no other exercise'}: set \`requires\` in exercises/manifest.ts to match`).toEqual([...imported].sort());
    const earlier = ids.slice(0, ids.indexOf(id));
    expect(declared.filter((other) => !earlier.includes(other)), `${id} may only require exercises that come before it in the course`).toEqual([]);
  });

  test('has a title and learner files with safe relative paths', () => {
    expect(exercise.title.trim()).not.toBe('');
    for (const file of exercise.files) expect(path.normalize(file), `"${file}" must stay inside the exercise folder`).not.toMatch(/^(\.\.|\/)/);
  });
});

describe('nothing exists beside the manifest', () => {
  const folderNames = (root: string) =>
    fs
      .readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);

  test('every exercise and solution folder is in the manifest', () => {
    expect(folderNames(folders.exercises).filter((name) => !ids.includes(name)), 'add these exercises to exercises/manifest.ts, or remove them').toEqual([]);
    expect(folderNames(folders.solutions).filter((name) => !ids.includes(name)), 'these solutions have no exercise in exercises/manifest.ts').toEqual([]);
  });

  test('every check belongs to an exercise', () => {
    const checks = fs.readdirSync(folders.checks).filter((name) => name.endsWith('.check.ts'));
    expect(checks.map((name) => name.replace(/\.check\.ts$/, '')).filter((id) => !ids.includes(id)), 'these checks have no exercise in the manifest').toEqual([]);
  });
});
