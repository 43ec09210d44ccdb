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
import { repoRoot } from '../tooling/course/paths.ts';
import { isUntouched, restoreLatestBackup, restoreStarter, ResetError, saveStarters, type Places } from '../tooling/progress/starters.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workbook-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the progress file', () => {
  test('starts empty when missing', () => {
    expect(readProgress({ notice: () => {}, file: path.join(dir, 'progress.json') })).toEqual({ version: 1, exercises: {} });
  });

  test.each([['not json {'], ['[1, 2, 3]'], ['{"version": 7}'], ['']])('an unreadable file (%j) is kept aside and replaced, with one notice', (content) => {
    const file = path.join(dir, 'progress.json');
    fs.writeFileSync(file, content);
    const notices: string[] = [];
    expect(readProgress({ notice: (line) => notices.push(line), file })).toEqual({ version: 1, exercises: {} });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/could not be read; it was kept as .*progress\.json\.unreadable-/);
    const kept = fs.readdirSync(dir).find((name) => name.startsWith('progress.json.unreadable-'));
    expect(kept && fs.readFileSync(path.join(dir, kept), 'utf8')).toBe(content);
  });

  test('round-trips updates', () => {
    const file = path.join(dir, 'progress.json');
    writeProgress({ version: 1, exercises: { a: { hintsShown: 1 } } }, { file });
    updateProgress('a', (p) => ({ ...p, status: 'pass' }), { file });
    expect(readProgress({ file }).exercises.a).toEqual({ hintsShown: 1, status: 'pass' });
  });

  test('keeps the valid fields of an entry, drops the others (and unknown fields stay for later versions)', () => {
    const file = path.join(dir, 'progress.json');
    const entries = {
      a: { status: 'pass', checkedAt: '2025-01-01T00:00:00.000Z', hintsShown: 2, later: 'kept' },
      b: { status: 'passed', checkedAt: 'yesterday', hintsShown: -1 },
      c: { hintsShown: 1.5 },
      d: null,
    };
    fs.writeFileSync(file, JSON.stringify({ version: 1, exercises: entries }));
    const notices: string[] = [];
    expect(readProgress({ notice: (line) => notices.push(line), file }).exercises).toEqual({ a: entries.a, b: {}, c: {} });
    expect(notices).toEqual([expect.stringContaining('(b.status "passed", b.checkedAt "yesterday", b.hintsShown -1, c.hintsShown 1.5, d: null)')]);
    // Repaired in place: the next read has nothing to say.
    expect(readProgress({ notice: (line) => notices.push(line), file }).exercises.a).toEqual(entries.a);
    expect(notices).toHaveLength(1);
  });

  test('a write that fails is one notice with the way out, and leaves no temporary file behind', () => {
    // A file where the state folder should be: the write fails for root too (see tests/cli-state.test.ts).
    fs.writeFileSync(path.join(dir, 'state'), 'not a folder');
    const notices: string[] = [];
    expect(writeProgress({ version: 1, exercises: {} }, { file: path.join(dir, 'state', 'progress.json'), notice: (line) => notices.push(line) })).toBe(false);
    expect(notices).toEqual([expect.stringMatching(/^Your progress was not saved: .* is a file, not a folder .*; move that file away and run the command again\.$/)]);
    expect(fs.readdirSync(dir)).toEqual(['state']);
  });

  test('a progress file marked read-only is left as it is', () => {
    const file = path.join(dir, 'progress.json');
    fs.writeFileSync(file, '{"version":1,"exercises":{}}', { mode: 0o444 });
    const notices: string[] = [];
    expect(writeProgress({ version: 1, exercises: { a: { hintsShown: 1 } } }, { file, notice: (line) => notices.push(line) })).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"version":1,"exercises":{}}');
    expect(notices).toEqual([expect.stringContaining('progress.json is read-only; make it writable (chmod u+w')]);
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
    const { backup } = restoreStarter(exercise, places);
    expect(fs.readFileSync(path.join(places.exercises, exercise.id, file), 'utf8')).toBe('// TODO: the starter\n');
    const backedUp = path.join(places.state, 'backups', exercise.id);
    const [stamp] = fs.readdirSync(backedUp);
    expect(fs.readFileSync(path.join(backedUp, stamp!, file), 'utf8')).toBe('// my attempt\n');
    expect(backup).toContain(`backups/${exercise.id}`);
  });

  test('reset of the untouched starter makes no backup', () => {
    saveStarters({ ...course, exercises: [exercise] }, places);
    expect(restoreStarter(exercise, places).backup).toBeUndefined();
    expect(fs.existsSync(path.join(places.state, 'backups'))).toBe(false);
  });

  test('undo swaps the files with the latest backup, even two in the same millisecond', () => {
    saveStarters({ ...course, exercises: [exercise] }, places);
    const learner = path.join(places.exercises, exercise.id, file);
    fs.writeFileSync(learner, '// attempt 1\n');
    restoreStarter(exercise, places);
    fs.writeFileSync(learner, '// attempt 2\n');
    restoreStarter(exercise, places);
    // Latest first: attempt 2, whose backup is used up; the starter it replaces needs none.
    expect(restoreLatestBackup(exercise, places).backup).toBeUndefined();
    expect(fs.readFileSync(learner, 'utf8')).toBe('// attempt 2\n');
    const { backup } = restoreLatestBackup(exercise, places);
    expect(fs.readFileSync(learner, 'utf8')).toBe('// attempt 1\n');
    expect(fs.readFileSync(path.join(repoRoot, backup!, file), 'utf8')).toBe('// attempt 2\n');
    expect(fs.readdirSync(path.join(places.state, 'backups', exercise.id))).toHaveLength(1);
  });

  test('undo without a backup says how one is made', () => {
    expect(() => restoreLatestBackup(exercise, places)).toThrow(/There is no backup of tcp-echo to put back: `npm run reset -- tcp-echo` makes one/);
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
