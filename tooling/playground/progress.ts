/**
 * The learner's progress for the site's progress page: `npm run check -- --json`,
 * run on request in a child process (grading takes seconds), cached, and joined with
 * what the site needs — each exercise's page and how many of its hints were shown.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { course } from '../../exercises/manifest.ts';
import { repoRoot } from '../course/paths.ts';
import type { ExerciseResult } from '../grader/results.ts';
import { readProgress } from '../progress/progress-file.ts';

export interface ExerciseProgressRow {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly status: ExerciseResult['status'];
  readonly message: string;
  /** The exercise's page on the site. */
  readonly permalink: string;
  /** `npm run hint -- <id>` shows hint `shown + 1` of `total` next. */
  readonly hints: { readonly shown: number; readonly total: number };
}

export type ProgressState =
  | { readonly state: 'idle' }
  | { readonly state: 'grading'; readonly since: number; readonly previous?: ProgressReport }
  | { readonly state: 'ready'; readonly report: ProgressReport }
  | { readonly state: 'error'; readonly message: string; readonly previous?: ProgressReport };

export interface ProgressReport {
  readonly gradedAt: number;
  readonly durationMs: number;
  readonly exercises: readonly ExerciseProgressRow[];
}

/** The part of `npm run check -- --json`'s results the page shows. */
export type GradedExercise = Pick<ExerciseResult, 'id' | 'title' | 'status' | 'message'>;

/** Runs the grader and resolves with its JSON results; `signal` aborts it. */
export type GradeRunner = (signal: AbortSignal) => Promise<GradedExercise[]>;

/** Longer than any honest grading run of the whole course. */
const GRADING_LIMIT_MS = 5 * 60_000;

export class ProgressService {
  private current: ProgressState = { state: 'idle' };
  private readonly abort = new AbortController();

  constructor(private readonly run: GradeRunner = runCheckJson) {}

  get state(): ProgressState {
    return this.current;
  }

  /** Starts a grading run unless one is under way. Returns at once; poll `state`. */
  refresh(): ProgressState {
    if (this.current.state === 'grading') return this.current;
    const previous = this.current.state === 'ready' ? this.current.report : this.current.state === 'error' ? this.current.previous : undefined;
    const since = Date.now();
    this.current = { state: 'grading', since, ...(previous ? { previous } : {}) };
    this.run(this.abort.signal).then(
      (results) => {
        this.current = { state: 'ready', report: { gradedAt: Date.now(), durationMs: Date.now() - since, exercises: rows(results) } };
      },
      (error: unknown) => {
        this.current = { state: 'error', message: error instanceof Error ? error.message : String(error), ...(previous ? { previous } : {}) };
      },
    );
    return this.current;
  }

  /** Stops a grading run that is under way. */
  close(): void {
    this.abort.abort();
  }
}

function rows(results: readonly GradedExercise[]): ExerciseProgressRow[] {
  const progress = readProgress({ notice: () => {} });
  return results.map((result) => {
    const index = course.exercises.findIndex((e) => e.id === result.id);
    const exercise = course.exercises[index];
    return {
      id: result.id,
      number: index + 1,
      title: result.title,
      status: result.status,
      message: result.message,
      permalink: `/exercises/${result.id}`,
      hints: { shown: progress.exercises[result.id]?.hintsShown ?? 0, total: exercise?.hints.length ?? 0 },
    };
  });
}

/** `npm run check -- --json`, as the learner would run it. */
export function runCheckJson(signal: AbortSignal): Promise<GradedExercise[]> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'tooling', 'cli', 'check.mjs'), '--json'], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
      timeout: GRADING_LIMIT_MS,
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(stdout) as GradedExercise[]);
      } catch {
        reject(new Error(`npm run check -- --json ended with code ${code} without results: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      }
    });
  });
}
