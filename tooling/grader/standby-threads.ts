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

/** A pool whose spare threads load `preload` (package names) before their check arrives. */
export function standbyThreads(preload: readonly string[]): PoolRunnerInitializer {
  let spare: { readonly thread: Worker; readonly key: string } | undefined;
  const launch = (options: PoolOptions) =>
    new Worker(bootstrap, {
      env: options.env,
      execArgv: options.execArgv,
      stdout: true,
      stderr: true,
      workerData: { entrypoint: path.resolve(options.distPath, 'workers', 'threads.js'), preload },
    });
  const keyOf = (options: PoolOptions) => JSON.stringify([options.env, options.execArgv, options.distPath]);
  const prepareSpare = (options: PoolOptions) => {
    if (spare) return;
    const thread = launch(options);
    // A spare never keeps the grading process alive.
    thread.unref();
    spare = { thread, key: keyOf(options) };
  };
  const take = (options: PoolOptions): Worker => {
    const taken = spare;
    spare = undefined;
    // A spare started with other settings (another project) is of no use.
    if (taken && taken.key !== keyOf(options)) void taken.thread.terminate();
    if (!taken || taken.key !== keyOf(options)) return launch(options);
    taken.thread.ref();
    return taken.thread;
  };
  return { name: NAME, createPoolWorker: (options) => new StandbyThread(options, take, prepareSpare) };
}

class StandbyThread implements PoolWorker {
  readonly name = NAME;
  private thread: Worker | undefined;

  constructor(
    private readonly options: PoolOptions,
    private readonly take: (options: PoolOptions) => Worker,
    private readonly prepareSpare: (options: PoolOptions) => void,
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
    this.thread = this.take(this.options);
    this.thread.stdout.pipe(process.stdout, { end: false });
    this.thread.stderr.pipe(process.stderr, { end: false });
  }

  async stop(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    await thread?.terminate();
    this.prepareSpare(this.options);
  }

  deserialize(data: unknown): unknown {
    return data;
  }

  private started(): Worker {
    if (!this.thread) throw new Error('the check thread is not started (a bug in the workbook)');
    return this.thread;
  }
}
