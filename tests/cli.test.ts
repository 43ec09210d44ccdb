/**
 * The learner's commands, run as the learner runs them: wrong input gets a clear
 * answer, state files are repaired without losing anything, `--json` has the
 * promised shape.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { course } from '../exercises/manifest.ts';
import { repoRoot } from '../tooling/course/paths.ts';

// The commands keep their state here, not in the maintainer's own .workbook/.
const state = fs.mkdtempSync(path.join(os.tmpdir(), 'workbook-state-'));
afterAll(() => fs.rmSync(state, { recursive: true, force: true }));

function run(script: string, ...args: string[]) {
  // `check` starts from a plain-JavaScript launcher; the others run through tsx.
  const entry = script === 'check' ? [path.join(repoRoot, 'tooling', 'cli', 'check.mjs')] : ['--import', 'tsx', path.join(repoRoot, 'tooling', 'cli', `${script}.ts`)];
  const result = spawnSync(process.execPath, [...entry, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', WORKBOOK_STATE: state },
    timeout: 90_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('a wrong exercise name', () => {
  test.each(['check', 'hint', 'reset', 'solution'])('%s answers with the closest id and the list', (script) => {
    const { code, stderr } = run(script, 'tcp-ecko');
    expect(code).toBe(2);
    expect(stderr).toContain('There is no exercise "tcp-ecko". Did you mean "tcp-echo"?');
    for (const { id } of course.exercises) expect(stderr).toContain(id);
  });

  test('a number past the end is refused too', () => {
    const { code, stderr } = run('check', String(course.exercises.length + 1));
    expect(code).toBe(2);
    expect(stderr).toContain(`There is no exercise "${course.exercises.length + 1}"`);
  });

  test('an unknown flag shows the usage', () => {
    const { code, stderr } = run('check', '--frobnicate');
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: npm run check');
  });
});

describe('npm run check -- --json', () => {
  test('grades one exercise by number into the documented shape', () => {
    const { code, stdout } = run('check', '1', '--solutions', '--json');
    expect(code).toBe(0);
    const results = JSON.parse(stdout) as unknown[];
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      id: course.exercises[0]!.id,
      title: course.exercises[0]!.title,
      status: 'pass',
      files: course.exercises[0]!.files.map((f) => `solutions/${course.exercises[0]!.id}/${f}`),
      message: expect.any(String),
      tests: expect.arrayContaining([{ name: expect.any(String), status: 'pass', message: '' }]),
    });
  });
});

describe('npm run solution', () => {
  test('keeps the solution closed until the exercise passes, unless forced', () => {
    const id = course.exercises.at(-1)!.id;
    const closed = run('solution', id);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain(`npm run check -- ${id}`);
    const forced = run('solution', id, '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`solutions/${id}/`);
  });
});

describe('npm run hint', () => {
  test('shows one more hint each time, then all of them again', () => {
    const exercise = course.exercises[0]!;
    const total = exercise.hints.length;
    for (let shown = 1; shown <= total + 1; shown++) {
      const { code, stdout } = run('hint', exercise.id);
      expect(code).toBe(0);
      const newest = Math.min(shown, total);
      expect(stdout).toContain(`Hint ${newest} of ${total}`);
      expect(stdout).not.toContain(`Hint ${newest + 1} of`);
    }
  });
});

describe('npm run reset', () => {
  test('without an id, shows how to use it', () => {
    const { code, stderr } = run('reset');
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: npm run reset -- <id or number>');
  });
});
