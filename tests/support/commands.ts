/**
 * The learner's commands, run as the learner runs them (a child process, no colours),
 * against scratch state and, when a test needs to break them, a scratch copy of the
 * exercises — never the maintainer's own `.workbook/` or `exercises/`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { course } from '../../exercises/manifest.ts';
import type { ExerciseSpec } from '../../tooling/course/define.ts';
import { folders, repoRoot } from '../../tooling/course/paths.ts';
import { saveStarters } from '../../tooling/progress/starters.ts';

export type Command = 'check' | 'hint' | 'reset' | 'solution' | 'dev' | 'start' | 'playground' | 'wrong-answers' | 'mutate';

/** Where a command keeps its state and finds the learner's files. */
export interface Workspace {
  /** `WORKBOOK_STATE` */
  readonly state: string;
  /** `WORKBOOK_EXERCISES`; `undefined`: the repository's own `exercises/` (read only by these tests). */
  readonly exercises?: string;
  /** `npm run check` may use (and start) the grading server; off by default. */
  readonly gradingServer?: boolean;
}

const scratchFolders: string[] = [];
afterAll(() => {
  for (const folder of scratchFolders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

/** An empty state folder, removed after the file's tests. */
export function scratchState(): string {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'workbook-state-'));
  scratchFolders.push(state);
  return state;
}

/**
 * A copy of the given exercises' starters (and `types.ts`), with their pristine copies
 * saved in `state` as `npm install` would. Inside the repository, so that the copied
 * code resolves `socket.io` from node_modules.
 */
export function scratchWorkspace(exercises: readonly ExerciseSpec[]): Required<Omit<Workspace, 'gradingServer'>> {
  fs.mkdirSync(path.join(repoRoot, 'tests', '.tmp'), { recursive: true });
  const root = fs.mkdtempSync(path.join(repoRoot, 'tests', '.tmp', 'learner-'));
  scratchFolders.push(root);
  for (const exercise of exercises) {
    for (const file of exercise.files) {
      fs.mkdirSync(path.dirname(path.join(root, exercise.id, file)), { recursive: true });
      fs.copyFileSync(path.join(folders.exercises, exercise.id, file), path.join(root, exercise.id, file));
    }
  }
  fs.copyFileSync(path.join(folders.exercises, 'types.ts'), path.join(root, 'types.ts'));
  const state = scratchState();
  saveStarters({ ...course, exercises: [...exercises] }, { exercises: root, state });
  return { state, exercises: root };
}

/** Writes the reference solution over the learner's files. */
export function solve(workspace: { readonly exercises: string }, exercise: ExerciseSpec): void {
  for (const file of exercise.files) fs.copyFileSync(path.join(folders.solutions, exercise.id, file), path.join(workspace.exercises, exercise.id, file));
}

function commandLine(command: Command, args: readonly string[]): string[] {
  // `check` starts from a plain-JavaScript launcher; the others run through tsx.
  const entry = command === 'check' ? [path.join(repoRoot, 'tooling', 'cli', 'check.mjs')] : ['--import', 'tsx', path.join(repoRoot, 'tooling', 'cli', `${command}.ts`)];
  return [...entry, ...args];
}

/**
 * Without the grading server unless asked: it would outlive the command, one per scratch
 * state (until that is removed), and `npm run check` says the same whichever grades.
 */
function environment(workspace: Workspace): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', WORKBOOK_STATE: workspace.state, WORKBOOK_GRADING_SERVER: workspace.gradingServer ? '1' : '0' };
  if (workspace.exercises) env.WORKBOOK_EXERCISES = workspace.exercises;
  else delete env.WORKBOOK_EXERCISES;
  return env;
}

export interface Finished {
  /** `null` when it had to be killed: it did not end by itself within the bound. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end; one that does not end by itself within `timeoutMs` is killed (`code: null`). */
export function run(workspace: Workspace, command: Command, args: readonly string[] = [], timeoutMs = 90_000): Finished {
  const result = spawnSync(process.execPath, commandLine(command, args), {
    cwd: repoRoot,
    encoding: 'utf8',
    env: environment(workspace),
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface Running {
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  /** Resolves once the output after `from` characters matches; rejects after `ms` with what was printed. */
  waitFor(pattern: RegExp, from?: number, ms?: number): Promise<string>;
  /** Resolves with the exit code once it ends; rejects after `ms`. */
  exited(ms?: number): Promise<number | null>;
}

const running: ChildProcess[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }
});

/** Starts a command that keeps running (watch mode, a server); killed after the test if it is still running. */
export function start(workspace: Workspace, command: Command, args: readonly string[] = []): Running {
  const child = spawn(process.execPath, commandLine(command, args), { cwd: repoRoot, env: environment(workspace), stdio: ['pipe', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    waitFor: async (pattern, from = 0, ms = 60_000) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const match = pattern.exec(output.slice(from));
        if (match) return match[0];
        if (Date.now() > deadline) throw new Error(`npm run ${command} ${args.join(' ')} never printed ${pattern} within ${ms / 1000} s. It printed:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    exited: (ms = 20_000) =>
      Promise.race([
        exit,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`npm run ${command} ${args.join(' ')} did not exit within ${ms / 1000} s. It printed:\n${output}`)), ms).unref()),
      ]),
  };
}

/** The lines a command wrote to stderr, without blank ones. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}
