/**
 * `npm run dev` run as the learner runs it, in a child process whose output is
 * collected and waited on with bounded waits; stopped with Ctrl-C (SIGINT) after
 * the test, killed if it does not stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../tooling/course/paths.ts';
import { closeAfterTest } from './support.ts';

export const devScript = path.join(repoRoot, 'tooling', 'cli', 'dev.ts');

export interface Dev {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the port of the next "listening" line after `from` characters of output. */
  listening(from?: number, ms?: number): Promise<number>;
  /** Resolves once the output (after `from`) matches. */
  waitFor(pattern: RegExp, from?: number, ms?: number): Promise<string>;
}

export function dev(...args: string[]): Dev {
  const child = spawn(process.execPath, ['--import', 'tsx', devScript, ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  closeAfterTest(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  });
  // A bound for a process that may start slowly on a busy machine, not a speed goal: it returns as soon as the text appears.
  const waitFor = async (pattern: RegExp, from = 0, ms = 60_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const match = pattern.exec(output.slice(from));
      if (match) return match[0];
      if (Date.now() > deadline) throw new Error(`npm run dev never printed ${pattern} in ${ms} ms. It printed:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return {
    child,
    output: () => output,
    waitFor,
    listening: async (from = 0, ms = 60_000) => Number(/127\.0\.0\.1:(\d+)/.exec(await waitFor(/is listening on http:\/\/127\.0\.0\.1:\d+/, from, ms))![1]),
  };
}

/**
 * A copy of `solutions/<id>/server.ts` to edit, for `npm run dev -- <id> --root <root>`:
 * inside the repository (so it resolves `socket.io` from node_modules), removed after the test.
 */
export function scratchSolution(id: string): { root: string; file: string; solution: string } {
  fs.mkdirSync(path.join(repoRoot, 'tests', '.tmp'), { recursive: true });
  const root = fs.mkdtempSync(path.join(repoRoot, 'tests', '.tmp', 'dev-'));
  closeAfterTest(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, id));
  const solution = fs.readFileSync(path.join(repoRoot, 'solutions', id, 'server.ts'), 'utf8').replace("'../types.ts'", "'../../../../exercises/types.ts'");
  const file = path.join(root, id, 'server.ts');
  fs.writeFileSync(file, solution);
  return { root, file, solution };
}
