// Starting a grading process (see grading-process.ts) for a graded folder.
//
// Plain JavaScript, so that `npm run check` can start one before the TypeScript
// loader and the grader have loaded (tooling/cli/check.mjs): the two boot side by
// side on two cores, which takes about 150 ms off every check.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./grading-process.mjs', import.meta.url));
const OUTPUT_KEPT = 4000;
// Shared through globalThis: the launcher and the grader may load this file through different loaders.
const PRESTARTED = Symbol.for('socket-workbook.prestarted-grading-process');

/** @param {string} targetRoot */
export function startGradingProcess(targetRoot) {
  const child = spawn(process.execPath, [entry], {
    // Its own process group, so that a kill reaches the vitest workers it forks too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, WORKBOOK_TARGET: targetRoot, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  let output = '';
  const keep = (/** @type {Buffer} */ chunk) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // Listened for from the start: the process may be ready before anyone asks.
  const ready = new Promise((resolve) => {
    const onMessage = (/** @type {{ type?: string }} */ message) => {
      if (message?.type !== 'ready') return;
      child.off('message', onMessage);
      resolve(true);
    };
    child.on('message', onMessage);
    child.once('exit', () => resolve(false));
  });
  return { targetRoot, child, ready, output: () => output };
}

/**
 * Starts a grading process ahead of need, for the first grader of `targetRoot` to
 * adopt. Until one does, it belongs to this process: it is stopped when the grader
 * closes without needing it (see {@link discardPrestartedGradingProcess}) and when
 * this process exits early (a wrong flag, a wrong exercise name).
 */
export function prestartGradingProcess(/** @type {string} */ targetRoot) {
  globalThis[PRESTARTED] = startGradingProcess(targetRoot);
  process.once('exit', () => discardPrestartedGradingProcess(targetRoot));
}

/** Stops the grading process started ahead for `targetRoot`, if no grader adopted it. */
export function discardPrestartedGradingProcess(/** @type {string} */ targetRoot) {
  const prestarted = adoptPrestartedGradingProcess(targetRoot);
  if (!prestarted?.child.pid) return;
  try {
    // Its whole process group: vitest may have forked workers already.
    process.kill(-prestarted.child.pid, 'SIGKILL');
  } catch {
    prestarted.child.kill('SIGKILL');
  }
}

/** The grading process started ahead for `targetRoot`, if any; it can be adopted once. */
export function adoptPrestartedGradingProcess(/** @type {string} */ targetRoot) {
  const prestarted = globalThis[PRESTARTED];
  if (!prestarted || prestarted.targetRoot !== targetRoot || prestarted.child.exitCode !== null) return undefined;
  globalThis[PRESTARTED] = undefined;
  return prestarted;
}
