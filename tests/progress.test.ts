/**
 * The learner's state: progress and pristine starters, in a temporary folder.
 * Bad state is repaired with a notice and nothing is lost.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { course } from '../exercises/manifest.ts';
import { closestId, findExercise } from '../tooling/course/lookup.ts';
import { readProgress, updateProgress, writeProgress } from '../tooling/progress/progress-file.ts';
import { isUntouched, restoreStarter, ResetError, saveStarters, type Places } from '../tooling/progress/starters.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workbook-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the progress file', () => {
  test('starts empty when missing', () => {
    expect(readProgress(() => {}, path.join(dir, 'progress.json'))).toEqual({ version: 1, exercises: {} });
  });

  test.each([['not json {'], ['[1, 2, 3]'], ['{"version": 7}'], ['']])('an unreadable file (%j) is kept aside and replaced, with one notice', (content) => {
    const file = path.join(dir, 'progress.json');
    fs.writeFileSync(file, content);
    const notices: string[] = [];
    expect(readProgress((line) => notices.push(line), file)).toEqual({ version: 1, exercises: {} });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/could not be read; it was kept as .*progress\.json\.unreadable-/);
    const kept = fs.readdirSync(dir).find((name) => name.startsWith('progress.json.unreadable-'));
    expect(kept && fs.readFileSync(path.join(dir, kept), 'utf8')).toBe(content);
  });

  test('round-trips updates', () => {
    const file = path.join(dir, 'progress.json');
    writeProgress({ version: 1, exercises: { a: { hintsShown: 1 } } }, file);
    updateProgress('a', (p) => ({ ...p, status: 'pass' }), file);
    expect(readProgress(undefined, file).exercises.a).toEqual({ hintsShown: 1, status: 'pass' });
  });
});

describe('starters', () => {
  const exercise = course.exercises[0]!;
  const file = exercise.files[0];
  let places: Places;
  beforeEach(() => {
    places = { exercises: path.join(dir, 'exercises'), state: path.join(dir, 'state') };
    fs.mkdirSync(path.join(places.exercises, exercise.id), { recursive: true });
    fs.writeFileSync(path.join(places.exercises, exercise.id, file), '// TODO: the starter\n');
  });

  test('are saved once, and tell an untouched exercise from an edited one', () => {
    expect(isUntouched(exercise, places)).toBeUndefined();
    expect(saveStarters({ ...course, exercises: [exercise] }, places)).toBe(1);
    expect(isUntouched(exercise, places)).toBe(true);
    fs.writeFileSync(path.join(places.exercises, exercise.id, file), '// my attempt\n');
    expect(isUntouched(exercise, places)).toBe(false);
    // A later install never overwrites the pristine copy with the learner's work.
    expect(saveStarters({ ...course, exercises: [exercise] }, places)).toBe(0);
  });

  test('reset restores the starter and backs up the attempt, without git', () => {
    saveStarters({ ...course, exercises: [exercise] }, places);
    fs.writeFileSync(path.join(places.exercises, exercise.id, file), '// my attempt\n');
    const backup = restoreStarter(exercise, places)!;
    expect(fs.readFileSync(path.join(places.exercises, exercise.id, file), 'utf8')).toBe('// TODO: the starter\n');
    const backedUp = path.join(places.state, 'backups', exercise.id);
    const [stamp] = fs.readdirSync(backedUp);
    expect(fs.readFileSync(path.join(backedUp, stamp!, file), 'utf8')).toBe('// my attempt\n');
    expect(backup).toContain(`backups/${exercise.id}`);
  });

  test('reset without a saved starter says what to do', () => {
    expect(() => restoreStarter(exercise, places)).toThrow(ResetError);
    expect(() => restoreStarter(exercise, places)).toThrow(/saved by `npm install`/);
  });
});

describe('finding exercises', () => {
  test('by id, by number, and with a typo', () => {
    const [first, second] = course.exercises;
    expect(findExercise(course, first!.id)).toBe(first);
    expect(findExercise(course, '2')).toBe(second);
    expect(closestId(course, first!.id.slice(0, -1) + 'x')).toBe(first!.id);
    expect(closestId(course, 'zzzzzzzzzzzzzzzzzzzz')).toBeUndefined();
  });
});
