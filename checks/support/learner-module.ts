/**
 * Loading the learner's code. One resolver decides whether a check grades the
 * learner's files (`exercises/`), the reference solutions (`solutions/`) or any
 * other folder laid out the same way (the maintainer tests' broken fixtures).
 *
 * @module
 */
import path from 'node:path';
import { repoRoot } from '../../tooling/course/paths.ts';
import { describeValue, fail, LoadFailure } from './check-failure.ts';
import { formatMs, within } from './wait.ts';

/**
 * The folder being graded, holding one sub-folder per exercise id. The grader sets
 * `WORKBOOK_TARGET`; run by hand, a check grades `exercises/`.
 */
export function targetRoot(): string {
  return path.resolve(repoRoot, process.env.WORKBOOK_TARGET ?? 'exercises');
}

/** The path of one of an exercise's files in the graded folder, relative to the repo root: for messages. */
export function learnerPath(exerciseId: string, file: string): string {
  return path.relative(repoRoot, path.join(targetRoot(), exerciseId, file));
}

/** How long a module may take to load (top-level `await` included) before the check gives up on it. */
const IMPORT_LIMIT_MS = 3000;

/**
 * Imports `exercises/<exerciseId>/<file>` (or its twin in the graded folder) and
 * turns a syntax error, a throw at import time or a module that never finishes
 * loading into a learner-facing failure.
 *
 * @typeParam M - the module's type: write `typeof import('../exercises/<id>/<file>')`.
 */
export async function loadLearnerModule<M>(exerciseId: string, file: string): Promise<M> {
  const shown = learnerPath(exerciseId, file);
  const absolute = path.join(targetRoot(), exerciseId, file);
  try {
    return await within(import(/* @vite-ignore */ absolute) as Promise<M>, IMPORT_LIMIT_MS, () => ({
      did: `Loaded ${shown}`,
      expected: `it to finish loading within ${formatMs(IMPORT_LIMIT_MS)}`,
      actual: 'it was still loading (a top-level `await` that never settles?)',
      hint: 'Start servers inside the exported function, not at the top level of the file.',
    }));
  } catch (error) {
    if (error instanceof LoadFailure) throw error;
    if (error instanceof Error && error.name === 'CheckFailure') throw new LoadFailure((error as LoadFailure).report);
    throw new LoadFailure({
      did: `Loaded ${shown}`,
      expected: 'it to load without errors',
      actual: describeLoadError(error, absolute),
      hint: `Fix the error in ${shown} first; line and column numbers are given above when known.`,
    });
  }
}

/** Removes terminal colour codes, which some compilers put in their messages. */
function plain(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function describeLoadError(error: unknown, absolute: string): string {
  if (!(error instanceof Error)) return `it threw ${describeValue(error)}`;
  const message = plain(error.message);
  // The compiler's parse errors: "[PARSE_ERROR] Expected `,` … [ path:line:column ]".
  const parse = /\[PARSE_ERROR\]\s*(.+)/.exec(message) ?? /Transform failed[^\n]*\n+\s*(.+)/.exec(message);
  if (parse) {
    const at = /\[ ([^\]]+:\d+:\d+) \]/.exec(message)?.[1];
    return `a syntax error${at ? ` at ${at}` : ''}: ${parse[1]!.trim()}`;
  }
  // A throw while the module ran: point at the learner's line when the stack shows it.
  const frame = error.stack?.split('\n').find((line) => line.includes(absolute));
  const at = frame ? /:(\d+):(\d+)\)?$/.exec(frame) : null;
  return `it threw while loading${at ? ` (line ${at[1]}, column ${at[2]})` : ''}: ${error.name}: ${message.split('\n')[0]}`;
}

/**
 * Returns `module[name]` after checking that the learner exported a function by that
 * name, so a missing or misspelt export fails with a message instead of "is not a function".
 */
export function exportedFunction<M, K extends keyof M & string>(module: M, name: K, exerciseId: string, file: string): M[K] {
  const value = (module as Record<string, unknown>)[name];
  if (typeof value !== 'function') {
    fail({
      did: `Looked for the function \`${name}\` exported by ${learnerPath(exerciseId, file)}`,
      expected: `\`export async function ${name}(…)\``,
      actual: value === undefined ? 'no export by that name' : `an export that is ${describeValue(value)}`,
      hint: 'Keep the exported name and signature of the starter: the check calls it by name.',
    });
  }
  return value as M[K];
}
