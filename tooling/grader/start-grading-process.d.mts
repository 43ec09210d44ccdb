import type { ChildProcess } from 'node:child_process';

/** A grading process being started. */
export interface StartedGradingProcess {
  readonly targetRoot: string;
  readonly child: ChildProcess;
  /** Resolves `true` once it is ready for requests, `false` if it exited first. */
  readonly ready: Promise<boolean>;
  /** The last few KiB it printed, for error messages. */
  output(): string;
}

export function startGradingProcess(targetRoot: string): StartedGradingProcess;
export function prestartGradingProcess(targetRoot: string): void;
export function discardPrestartedGradingProcess(targetRoot: string): void;
export function adoptPrestartedGradingProcess(targetRoot: string): StartedGradingProcess | undefined;
