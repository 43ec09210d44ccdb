/**
 * The grader's side of the grading process: starts it, sends it check files, and
 * enforces the hard limits from outside. A check whose thread stops beating for
 * {@link STALL_LIMIT_MS} (learner code blocking the event loop: see `heartbeat.ts`)
 * or that runs longer than {@link CHECK_LIMIT_MS} gets the whole grading process
 * killed; the checks that were not finished run again in a fresh one, so each gets
 * its own verdict. Time spent before a check's thread starts (vitest starting up, a
 * loaded machine) is never held against the learner's code.
 *
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import type { ErrorInfo, ModuleOutcome, Report, Request } from './protocol.ts';
import { adoptPrestartedGradingProcess, discardPrestartedGradingProcess, startGradingProcess } from './start-grading-process.mjs';

/** No heartbeat from a check's thread in this long: the learner's code holds its event loop. */
export const STALL_LIMIT_MS = 10_000;
/** No check may run longer than this, busy or not; and the grading process may not stay silent this long. */
export const CHECK_LIMIT_MS = 60_000;
/** How often the grader looks at the clock. */
const WATCH_EVERY_MS = 200;
/** The grading process must be ready this soon after its start. */
const START_LIMIT_MS = 30_000;

/** How one check file ended. */
export type CheckRun =
  | { readonly kind: 'finished'; readonly outcome: ModuleOutcome; readonly unhandled: readonly ErrorInfo[] }
  /** Stopped by the grader: no progress for too long, or over the total limit. */
  | { readonly kind: 'stopped'; readonly reason: 'stalled' | 'too-long'; readonly limitMs: number }
  /** The grading process died while this check ran (e.g. `process.abort()` in learner code). */
  | { readonly kind: 'crashed'; readonly detail: string };

/** A grader that stops for any reason takes its grading processes with it. */
const liveSessions = new Set<GradingSession>();
process.once('exit', () => {
  for (const session of liveSessions) session.kill();
});

interface Running {
  /** Its first heartbeat: its thread started on it. */
  readonly startedAt: number;
  lastBeat: number;
}

/** A grading process for one graded folder, started on first use and restarted after a kill. */
export class GradingSession {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private onReport: ((report: Report) => void) | undefined;
  private onExit: ((detail: string) => void) | undefined;

  /**
   * @param targetRoot - the graded folder (`exercises/`, `solutions/`, or a fixture).
   * @param keepWarm - this session grades again soon (watch mode, the grading server): keep a check thread ready in between.
   */
  constructor(
    private readonly targetRoot: string,
    private readonly keepWarm = false,
  ) {
    liveSessions.add(this);
  }

  /** Starts the grading process now, so that a later {@link run} does not wait for it. */
  warmUp(): void {
    // A failed start is reported by the run that waits for it.
    this.ensureStarted().catch(() => {});
  }

  /**
   * Runs `checkFiles` and returns how each ended. `changed` names files edited since
   * the last run, whose compiled versions must be forgotten.
   */
  async run(checkFiles: readonly string[], changed: readonly string[] = []): Promise<Map<string, CheckRun>> {
    const results = new Map<string, CheckRun>();
    let queue = [...checkFiles];
    let oneAtATime = false;
    while (queue.length > 0) {
      // After a crash that could not be pinned on one check, run the suspects one at a time.
      const batches = oneAtATime ? queue.map((file) => [file]) : [queue];
      queue = [];
      for (const batch of batches) {
        const { finished, unfinished, crashed } = await this.runBatch(batch, changed);
        for (const [file, run] of finished) results.set(file, run);
        if (crashed && unfinished.length === 1) results.set(unfinished[0]!, { kind: 'crashed', detail: crashed });
        else queue.push(...unfinished);
        if (crashed && unfinished.length > 1) oneAtATime = true;
      }
    }
    return results;
  }

  /** Stops the grading process. */
  async close(): Promise<void> {
    liveSessions.delete(this);
    // One started ahead that no run needed (every file of the graded exercises missing, say) stops too.
    discardPrestartedGradingProcess(this.targetRoot);
    const child = this.child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.send({ type: 'exit' });
    const timer = setTimeout(() => this.kill(), 2000);
    await exited;
    clearTimeout(timer);
  }

  private async runBatch(
    files: string[],
    changed: readonly string[],
  ): Promise<{ finished: Map<string, CheckRun>; unfinished: string[]; crashed?: string }> {
    await this.ensureStarted();
    const finished = new Map<string, CheckRun>();
    const outcomes = new Map<string, ModuleOutcome>();
    const running = new Map<string, Running>();
    let lastHeard = Date.now();
    // A limit must look passed on two looks in a row: between them, the reports that queued
    // up while this process itself was busy are read, so a slow grader blames no one.
    let suspect = false;

    return new Promise((resolve) => {
      const unfinished = () => files.filter((file) => !finished.has(file));
      const done = (crashed?: string) => {
        clearInterval(watchdog);
        this.onReport = undefined;
        this.onExit = undefined;
        resolve(crashed === undefined ? { finished, unfinished: unfinished() } : { finished, unfinished: unfinished(), crashed });
      };
      const stop = (crashed?: string) => {
        // The other checks in flight lose their process too; they run again in a fresh one.
        this.onExit = undefined;
        this.kill();
        done(crashed);
      };

      const watchdog = setInterval(() => {
        const now = Date.now();
        const over = [...running].find(([, state]) => now - state.lastBeat > STALL_LIMIT_MS || now - state.startedAt > CHECK_LIMIT_MS);
        const silent = now - lastHeard > CHECK_LIMIT_MS;
        if (!over && !silent) {
          suspect = false;
          return;
        }
        if (!suspect) {
          suspect = true;
          return;
        }
        if (over) {
          const [file, state] = over;
          const stalled = now - state.lastBeat > STALL_LIMIT_MS;
          finished.set(file, { kind: 'stopped', reason: stalled ? 'stalled' : 'too-long', limitMs: stalled ? STALL_LIMIT_MS : CHECK_LIMIT_MS });
          stop();
        } else {
          // Not a word, not even a heartbeat: vitest itself is stuck, which no learner's code can cause.
          stop(`the grading process stopped answering for ${CHECK_LIMIT_MS / 1000} s`);
        }
      }, WATCH_EVERY_MS);

      this.onExit = (detail) => done(detail);
      this.onReport = (report) => {
        lastHeard = Date.now();
        switch (report.type) {
          case 'activity':
          case 'heartbeat': {
            // A beat can trail the end of its check: a finished check is not running again.
            if (!files.includes(report.file) || outcomes.has(report.file)) break;
            const state = running.get(report.file);
            if (state) state.lastBeat = lastHeard;
            else running.set(report.file, { startedAt: lastHeard, lastBeat: lastHeard });
            break;
          }
          case 'module-end':
            running.delete(report.outcome.file);
            outcomes.set(report.outcome.file, report.outcome);
            break;
          case 'run-end':
            for (const file of files) {
              const outcome = outcomes.get(file);
              const unhandled = report.unhandled.filter((u) => u.file === file || (u.file === undefined && files.length === 1)).map((u) => u.error);
              // A file vitest did not run at all would otherwise be queued again forever.
              finished.set(file, outcome ? { kind: 'finished', outcome, unhandled } : { kind: 'crashed', detail: 'vitest did not run this check file' });
            }
            done();
            break;
          case 'fatal':
            done(`vitest could not run the checks: ${report.message}`);
            break;
          case 'ready':
            break;
        }
      };
      this.send({ type: 'grade', checkFiles: files, changed, prepareNext: this.keepWarm });
    });
  }

  private ensureStarted(): Promise<void> {
    if (this.ready && this.child) return this.ready;
    const started = adoptPrestartedGradingProcess(this.targetRoot) ?? startGradingProcess(this.targetRoot);
    const { child } = started;
    this.child = child;
    child.on('message', (report: Report) => this.onReport?.(report));
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the grading process did not start within ${START_LIMIT_MS / 1000} s:\n${started.output()}`)), START_LIMIT_MS);
      void started.ready.then((ready) => {
        clearTimeout(timer);
        if (ready) resolve();
      });
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(timer);
        const output = started.output().trim();
        const detail = `the grading process exited (${signal ?? `code ${code}`})${output ? `; its last output:\n${output}` : ''}`;
        reject(new Error(detail));
        // Only the current process's death concerns a run; one we killed was already replaced.
        if (this.child !== child) return;
        this.forget();
        this.onExit?.(detail);
      };
      if (child.exitCode !== null || child.signalCode !== null) onExit(child.exitCode, child.signalCode);
      else child.once('exit', onExit);
    });
    return this.ready;
  }

  private send(request: Request): void {
    if (this.child?.connected) this.child.send(request);
  }

  /** Kills the grading process and its workers; the next run starts a fresh one. */
  kill(): void {
    const child = this.child;
    this.forget();
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }

  private forget(): void {
    this.child = undefined;
    this.ready = undefined;
  }
}
