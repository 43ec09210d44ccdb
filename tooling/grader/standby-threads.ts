/**
 * vitest's thread pool, with the next thread started ahead of need.
 *
 * Every check runs in a fresh worker thread (the checks' `isolate: true`): learner code
 * never shares a thread with another check. Starting a thread and loading Socket.IO in
 * it costs more than most checks themselves, so this pool keeps one spare thread that
 * has already started and loaded the workbook's libraries (a pristine copy, in a thread
 * no learner code has touched). The next spare starts when a check's thread is done,
 * not while a check runs, so that it takes no CPU from a check that is being timed.
 *
 * @module
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PoolOptions, PoolRunnerInitializer, PoolWorker, WorkerRequest } from 'vitest/node';

const bootstrap = fileURLToPath(new URL('./standby-thread.mjs', import.meta.url));
const NAME = 'standby-threads';

/** A pool whose spare thread loads `preload` (package names) before its check arrives. */
export class StandbyThreads implements PoolRunnerInitializer {
  readonly name = NAME;
  /**
   * Whether to start a spare when a check's thread is done: worth it only for a grader
   * that grades again soon, and not during a run of many checks (threads are then
   * needed back to back, and a spare loading libraries a check may not use would only
   * delay the next one). {@link prepareSpare} after such a run.
   */
  keepSpare = false;
  private spare: { readonly thread: Worker; readonly key: string } | undefined;
  private lastOptions: PoolOptions | undefined;

  constructor(private readonly preload: readonly string[]) {}

  readonly createPoolWorker = (options: PoolOptions): PoolWorker => {
    this.lastOptions = options;
    return new StandbyThread(options, this);
  };

  /** Starts a spare thread now, unless there is one (or vitest never asked for a thread yet). */
  prepareSpare(options: PoolOptions | undefined = this.lastOptions): void {
    if (this.spare || !options) return;
    const thread = this.launch(options, this.preload);
    // A spare never keeps the grading process alive.
    thread.unref();
    this.spare = { thread, key: keyOf(options) };
  }

  /** The thread for a check: the spare if it suits, otherwise a new one. */
  take(options: PoolOptions): Worker {
    const taken = this.spare;
    this.spare = undefined;
    // A spare started with other settings (another project) is of no use.
    if (!taken || taken.key !== keyOf(options)) {
      void taken?.thread.terminate();
      // Needed now: it loads only what its check imports.
      return this.launch(options, []);
    }
    taken.thread.ref();
    return taken.thread;
  }

  /** A check's thread is done. */
  released(options: PoolOptions): void {
    if (this.keepSpare) this.prepareSpare(options);
  }

  private launch(options: PoolOptions, preload: readonly string[]): Worker {
    return new Worker(bootstrap, {
      env: options.env,
      execArgv: options.execArgv,
      stdout: true,
      stderr: true,
      workerData: { entrypoint: path.resolve(options.distPath, 'workers', 'threads.js'), preload },
    });
  }
}

function keyOf(options: PoolOptions): string {
  return JSON.stringify([options.env, options.execArgv, options.distPath]);
}

class StandbyThread implements PoolWorker {
  readonly name = NAME;
  private thread: Worker | undefined;

  constructor(
    private readonly options: PoolOptions,
    private readonly pool: StandbyThreads,
  ) {}

  on(event: string, callback: (arg: unknown) => void): void {
    this.started().on(event, callback);
  }

  off(event: string, callback: (arg: unknown) => void): void {
    this.started().off(event, callback);
  }

  send(message: WorkerRequest): void {
    this.started().postMessage(message);
  }

  async start(): Promise<void> {
    if (this.thread) return;
    this.thread = this.pool.take(this.options);
    this.thread.stdout.pipe(process.stdout, { end: false });
    this.thread.stderr.pipe(process.stderr, { end: false });
  }

  async stop(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    await thread?.terminate();
    this.pool.released(this.options);
  }

  deserialize(data: unknown): unknown {
    return data;
  }

  private started(): Worker {
    if (!this.thread) throw new Error('the check thread is not started (a bug in the workbook)');
    return this.thread;
  }
}
