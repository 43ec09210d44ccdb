/**
 * The learner's commands, run as the learner runs them: wrong input gets a clear
 * answer in one wording, a broken exercise folder a verdict and a clean exit,
 * `--json` has the promised shape, and the exit code follows one rule.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { course } from '../exercises/manifest.ts';
import { repoRoot } from '../tooling/course/paths.ts';
import { lines, run, scratchState, scratchWorkspace, start, type Command } from './support/commands.ts';

const find = (id: string) => course.exercises.find((e) => e.id === id)!;
const state = { state: scratchState() };

describe('a wrong exercise name', () => {
  test.each<Command>(['check', 'hint', 'reset', 'solution', 'dev', 'wrong-answers'])('%s answers with the closest id and the list', (command) => {
    const { code, stderr } = run(state, command, ['tcp-ecko']);
    expect(code).toBe(2);
    expect(stderr).toContain('There is no exercise "tcp-ecko". Did you mean "tcp-echo"?');
    for (const { id } of course.exercises) expect(stderr).toContain(id);
  });

  test('a number past the end is refused too', () => {
    const { code, stderr } = run(state, 'check', [String(course.exercises.length + 1)]);
    expect(code).toBe(2);
    expect(stderr).toContain(`There is no exercise "${course.exercises.length + 1}"`);
  });
});

describe('a wrong flag, in every command', () => {
  const usages: Record<Command, string> = {
    check: 'Usage: npm run check --',
    hint: 'Usage: npm run hint --',
    reset: 'Usage: npm run reset --',
    solution: 'Usage: npm run solution --',
    dev: 'Usage: npm run dev --',
    start: 'Usage: npm start --',
    playground: 'Usage: npm run playground --',
    'wrong-answers': 'Usage: npm run wrong-answers --',
    mutate: 'Usage: npm run mutate --',
  };

  test.each(Object.keys(usages) as Command[])('%s names the flag, then shows its usage', (command) => {
    const { code, stdout, stderr } = run(state, command, ['--frobnicate']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    // One wording: the flag on the first line, a blank line, the usage.
    expect(stderr.split('\n').slice(0, 3)).toEqual(['Unknown flag --frobnicate.', '', expect.stringContaining(usages[command])]);
    expect(stderr).not.toMatch(/Unknown option '|ERR_PARSE_ARGS|\n\s+at /);
  });

  test('a near miss is named with the flag meant', () => {
    const { code, stderr } = run(state, 'check', ['--soluton']);
    expect(code).toBe(2);
    expect(lines(stderr)[0]).toBe('Unknown flag --soluton. Did you mean --solutions?');
  });

  test('a flag without its value, and a value given to a flag that takes none, are named the same way', () => {
    const missing = run(state, 'dev', ['hello-socketio', '--port']);
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr).slice(0, 2)).toEqual(['The flag --port needs a value: --port <value>.', expect.stringContaining('Usage: npm run dev --')]);
    const extra = run(state, 'solution', ['tcp-echo', '--force=yes']);
    expect(extra.code).toBe(2);
    expect(lines(extra.stderr).slice(0, 2)).toEqual(['The flag --force takes no value (got --force=yes).', expect.stringContaining('Usage: npm run solution --')]);
  });

  test('a results file given as --json <file> is pointed to --json=<file>', () => {
    const { code, stderr } = run(state, 'check', ['--json', 'out.json']);
    expect(code).toBe(2);
    expect(lines(stderr)[0]).toBe('"out.json" is not an exercise. To write the results to it, join it to the flag with "=": --json=out.json');
  });

  test('--help shows the usage and succeeds', () => {
    const { code, stdout } = run(state, 'reset', ['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: npm run reset -- <id or number> [--undo]');
  });

  test('reset without an id says so, then shows how to use it', () => {
    const { code, stderr } = run(state, 'reset');
    expect(code).toBe(2);
    expect(lines(stderr).slice(0, 2)).toEqual(['Name the exercise to reset.', 'Usage: npm run reset -- <id or number> [--undo]']);
  });
});

describe('a missing file', () => {
  // Both ways `npm run check` grades: by itself (the grading process it started ahead must be
  // shut down, though no check ran), and through the grading server.
  test.each([
    ['by itself', false],
    ['through the grading server', true],
  ])('check gives its verdict and exits by itself, grading %s', (_how, gradingServer) => {
    const exercise = find('tcp-framing');
    const workspace = { ...scratchWorkspace([exercise]), gradingServer };
    fs.rmSync(path.join(workspace.exercises, exercise.id, 'server.ts'));
    // Bounded: before the fix, the process never ended and was killed here (code null).
    const { code, stdout } = run(workspace, 'check', [exercise.id], 60_000);
    expect(code, 'npm run check did not exit by itself after the verdict').toBe(1);
    expect(stdout).toContain('tcp-framing/server.ts is missing. `npm run reset -- tcp-framing` brings the starter back.');
  });

  test('dev says which file is missing and how to get it back', () => {
    const exercise = find('hello-socketio');
    const workspace = scratchWorkspace([exercise]);
    fs.rmSync(path.join(workspace.exercises, exercise.id, exercise.files[0]));
    const { code, stderr } = run(workspace, 'dev', [exercise.id]);
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/hello-socketio\/server\.ts is missing: there is nothing to run\. `npm run reset -- hello-socketio` brings the starter back\.$/);
  });
});

describe('a busy port', () => {
  test('npm run dev says which port, and the flag that picks another, and stops', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      // Asynchronous: the busy server lives in this process and must keep answering.
      const dev = start(state, 'dev', ['hello-socketio', '--solutions', '--port', String(port), '--admin-port', '0']);
      expect(await dev.exited(30_000)).toBe(1);
      expect(dev.output()).toContain(
        `✘ Your server cannot start: port ${port} on 127.0.0.1 is already in use (another copy still running?). Stop it, or pick another port: npm run dev -- hello-socketio --port 3300`,
      );
      expect(dev.output()).not.toContain('restarts on save');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('npm run check -- --json', () => {
  test('grades one exercise by number into the documented shape', () => {
    const { code, stdout } = run(state, 'check', ['1', '--solutions', '--json']);
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

  test('through npm, as documented (npm run -s check -- --json), stdout is the JSON alone', () => {
    // The npm that runs this suite, or the one on PATH.
    const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
    const result = spawnSync(npm[0]!, [...npm.slice(1), 'run', '-s', 'check', '--', '1', '--solutions', '--json'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', WORKBOOK_STATE: state.state, WORKBOOK_GRADING_SERVER: '0' },
      timeout: 90_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as Array<{ id: string }>).map((r) => r.id)).toEqual([course.exercises[0]!.id]);
  });
});

describe('the exit code: 0 only when everything graded passes', () => {
  const exercise = find('tcp-echo');

  // The starter, untouched: its verdict is "not started" whatever its check does, so these tests are about the report alone.
  test('the overview of an unfinished course exits 1, and --json=<file> writes the results beside the usual report', () => {
    const workspace = scratchWorkspace([exercise]);
    const file = path.join(workspace.state, 'results.json');
    const { code, stdout } = run(workspace, 'check', [`--json=${file}`]);
    expect(code).toBe(1);
    expect(stdout).toContain(`0/${course.exercises.length} done`);
    expect(stdout).toContain(`The results are in ${file} (JSON).`);
    const results = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ id: string; status: string }>;
    expect(results.map((r) => r.id)).toEqual(course.exercises.map((e) => e.id));
    // The other exercises are not in this scratch folder at all: none passes.
    expect(results.find((r) => r.id === exercise.id)?.status).toBe('not-started');
    expect(results.filter((r) => r.status === 'pass')).toEqual([]);
  });

  test('a results file that cannot be written is said after the report, with exit code 2', () => {
    const workspace = scratchWorkspace([exercise]);
    const file = path.join(workspace.state, 'no-such-folder', 'results.json');
    const { code, stdout, stderr } = run(workspace, 'check', [exercise.id, `--json=${file}`]);
    expect(code).toBe(2);
    expect(stdout).toContain('Not started yet: ');
    expect(stderr).toContain(`The results could not be written to ${file}: ENOENT`);
  });

  test('--help states the rule', () => {
    const { code, stdout } = run(state, 'check', ['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Exit code: 0 when every exercise graded passes, 1 when one does not');
    expect(stdout).toContain('npm run -s check -- --json');
  });
});

describe('npm run solution', () => {
  test('keeps the solution closed until the exercise passes, unless forced', () => {
    const id = course.exercises.at(-1)!.id;
    const closed = run(state, 'solution', [id]);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain(`npm run check -- ${id}`);
    const forced = run(state, 'solution', [id, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`solutions/${id}/`);
  });
});
