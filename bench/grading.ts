/**
 * `npm run bench` — how long grading takes on this machine, as a learner feels it.
 *
 * 1. one exercise end to end: `npm run check -- tcp-echo --solutions`, and the same
 *    command without npm in front (`node --import tsx tooling/cli/check.ts …`);
 * 2. the whole workbook: `npm run check -- --solutions`;
 * 3. watch mode: from saving a file to the new verdict on screen.
 *
 * Prints medians (and the spread). Goals: 1.0 s, 15 s, 300 ms. A benchmark, not a
 * test: the numbers depend on the machine and on what else it is doing.
 *
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { course } from '../exercises/manifest.ts';
import type { ExerciseSpec } from '../tooling/course/define.ts';
import { folders, repoRoot } from '../tooling/course/paths.ts';

const runs = Number(process.env.BENCH_RUNS ?? 7);
const checkCli = path.join(repoRoot, 'tooling', 'cli', 'check.mjs');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function summary(label: string, samples: number[], goalMs: number): void {
  const m = median(samples);
  const verdict = m <= goalMs ? 'meets' : 'MISSES';
  console.log(
    `${label.padEnd(46)} median ${(m / 1000).toFixed(3)} s   min ${(Math.min(...samples) / 1000).toFixed(3)}   max ${(Math.max(...samples) / 1000).toFixed(3)}   (${samples.length} runs; goal ${goalMs / 1000} s: ${verdict})`,
  );
}

function timeCommand(command: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return elapsed;
}

function sample(times: number, measure: () => number): number[] {
  measure(); // warm-up: file system caches, the type-check cache
  return Array.from({ length: times }, measure);
}

/** Starts watch mode on one solution, then rewrites its file and times until the verdict is printed. */
async function watchRegrade(exercise: ExerciseSpec, times: number): Promise<number[]> {
  const file = path.join(folders.solutions, exercise.id, exercise.files[0]);
  const original = fs.readFileSync(file);
  const child = spawn(process.execPath, [checkCli, '--watch', exercise.id, '--solutions'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  let onVerdict: (() => void) | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (/graded in/.test(output)) {
      output = '';
      onVerdict?.();
    }
  });
  const nextVerdict = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('watch mode printed no verdict within 30 s')), 30_000);
      onVerdict = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  try {
    await nextVerdict(); // the first, cold grade
    const samples: number[] = [];
    for (let i = 0; i <= times; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const verdict = nextVerdict();
      const started = performance.now();
      fs.writeFileSync(file, original); // a save: same content, new modification time
      await verdict;
      if (i > 0) samples.push(performance.now() - started); // the first re-grade warms the worker path
    }
    return samples;
  } finally {
    child.kill('SIGTERM');
    fs.writeFileSync(file, original);
  }
}

console.log(`Grading latency on this machine (${process.version}, ${runs} runs each)\n`);
const id = course.exercises[0]!.id;
summary(`npm run check -- ${id} --solutions`, sample(runs, () => timeCommand('npm', ['run', '-s', 'check', '--', id, '--solutions'])), 1000);
summary(`node tooling/cli/check.mjs ${id} --solutions (no npm)`, sample(runs, () => timeCommand(process.execPath, [checkCli, id, '--solutions'])), 1000);
summary(
  `npm run check -- --solutions (${course.exercises.length} exercises)`,
  sample(Math.min(runs, 3), () => timeCommand('npm', ['run', '-s', 'check', '--', '--solutions'])),
  15_000,
);
// A TCP exercise, and a Socket.IO one whose check connects several clients.
for (const exercise of course.exercises.slice(0, 2)) {
  summary(`watch mode: save → verdict (${exercise.id})`, await watchRegrade(exercise, runs), 300);
}
