/**
 * The engine of `npm run dev`: runs a learner's server exercise in a child process
 * (`dev-child.ts`), restarts it when a file of the exercise is saved, and reports
 * what happened in plain words — listening, crashed, still starting, port busy.
 * The learner's code is untrusted: it may throw, hang or never listen; the runner
 * survives each, kills what is left on the next save, and says so.
 *
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildMessage } from './dev-child.ts';

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dev-child.ts');

/** Saves often arrive as several file events: wait this long for the last one. */
const SETTLE_MS = 100;
/** How long a stopped server may take to close before it is killed. */
const STOP_GRACE_MS = 1500;
/** After this long without listening, the learner is told what usually causes it. */
const SLOW_START_MS = 5000;

export type DevEvent =
  | { readonly type: 'starting'; readonly restart: boolean; readonly changed: readonly string[] }
  | { readonly type: 'listening'; readonly port: number; readonly startName: string; readonly adminUi: boolean }
  | { readonly type: 'failed'; readonly message: string; readonly code?: string }
  | { readonly type: 'slow'; readonly ms: number }
  | { readonly type: 'exited'; readonly code: number | null; readonly signal: NodeJS.Signals | null }
  | { readonly type: 'killed' };

export interface DevRunnerOptions {
  /** The module to run: `exercises/<id>/server.ts` or its twin. */
  readonly modulePath: string;
  /** The folder to watch: `exercises/<id>/`. */
  readonly watchDir: string;
  readonly port: number;
  readonly host: string;
  /** Added to the child's environment (the Admin UI's settings: see admin-ui-instrument.ts). */
  readonly env?: Readonly<Record<string, string>>;
  readonly onEvent: (event: DevEvent) => void;
}

export class DevRunner {
  private child: ChildProcess | undefined;
  private watcher: fs.FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly changed = new Set<string>();
  private restarting: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: DevRunnerOptions) {}

  /** Starts the server once and watches the exercise's folder. */
  start(): void {
    this.watcher = fs.watch(this.options.watchDir, { recursive: true }, (_event, filename) => {
      if (!filename || !/\.(ts|js|mjs|json)$/.test(filename)) return;
      this.changed.add(filename);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.restart(), SETTLE_MS);
    });
    this.spawn(false, []);
  }

  /** Stops the running server (killing it if it does not stop) and starts it again. */
  restart(): Promise<void> {
    const changed = [...this.changed];
    this.changed.clear();
    const previous = this.restarting ?? Promise.resolve();
    this.restarting = previous.then(async () => {
      await this.stopChild();
      if (!this.closed) this.spawn(true, changed);
    });
    return this.restarting;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.watcher?.close();
    await this.restarting;
    await this.stopChild();
  }

  private spawn(restart: boolean, changed: string[]): void {
    this.options.onEvent({ type: 'starting', restart, changed });
    const child = fork(childScript, [this.options.modulePath, String(this.options.port), this.options.host], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...this.options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    let reported = false;
    const slow = setTimeout(() => this.options.onEvent({ type: 'slow', ms: SLOW_START_MS }), SLOW_START_MS);
    child.on('message', (message: ChildMessage) => {
      clearTimeout(slow);
      if (message.type === 'failed') reported = true;
      this.options.onEvent(message);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(slow);
      if (this.child === child) this.child = undefined;
      // An exit we asked for is not news; one we did not ask for is.
      if (!(child as { stopping?: boolean }).stopping && !reported) this.options.onEvent({ type: 'exited', code, signal });
    });
  }

  private async stopChild(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    (child as { stopping?: boolean }).stopping = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.send({ type: 'stop' }, () => {});
    const inTime = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_GRACE_MS))]);
    if (!inTime) {
      // A blocked event loop never reads the message: kill it.
      child.kill('SIGKILL');
      this.options.onEvent({ type: 'killed' });
      await exited;
    }
  }
}
