/**
 * Errors that escape the learner's code with nobody to catch them, such as a
 * Socket.IO event handler that throws or a socket without an `error` listener. In
 * production that crashes the server. Every test's workbench records them from its
 * start to its teardown, and a test during which anything escaped fails — whether
 * or not it asserts on them — with the error named, on the test that caused it.
 *
 * @module
 */
import { CheckFailure, describeValue, type FailureReport } from './check-failure.ts';

/** An error escaped the learner's code: the grader names it before anything else that failed. */
export class UncaughtFailure extends CheckFailure {
  override readonly name: string = 'UncaughtFailure';
}

const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;
type Listener = (...args: unknown[]) => void;

/**
 * Records uncaught exceptions and unhandled rejections while it runs. vitest's own
 * listeners are set aside meanwhile, so an escape is reported once, by the test,
 * instead of again as an anonymous "unhandled error" after the run.
 */
export class UncaughtRecorder {
  readonly errors: unknown[] = [];
  /** For each of {@link errors}: how it escaped. */
  private readonly kinds: ('uncaughtException' | 'unhandledRejection')[] = [];
  /** How many of {@link errors} a test already reported itself (through `expectNone`). */
  private reported = 0;
  private readonly setAside = new Map<string, Listener[]>();
  private readonly listeners = {
    uncaughtException: (error: unknown) => this.record(error, 'uncaughtException'),
    unhandledRejection: (error: unknown) => this.record(error, 'unhandledRejection'),
  };

  private record(error: unknown, kind: (typeof EVENTS)[number]): void {
    this.errors.push(error);
    this.kinds.push(kind);
  }

  start(): this {
    for (const event of EVENTS) {
      this.setAside.set(event, process.listeners(event as 'uncaughtException') as Listener[]);
      process.removeAllListeners(event);
      process.on(event, this.listeners[event]);
    }
    return this;
  }

  stop(): void {
    for (const event of EVENTS) {
      process.off(event, this.listeners[event]);
      for (const listener of this.setAside.get(event) ?? []) process.on(event, listener);
    }
    this.setAside.clear();
  }

  /** Fails, saying what the check `did`, if anything escaped so far. */
  expectNone(did: string, hint: string): void {
    const report = this.unreported(did, hint);
    this.reported = this.errors.length;
    if (report) throw new UncaughtFailure(report);
  }

  /** The failure for errors no test reported yet, if any. */
  unreported(did: string, hint: string): FailureReport | undefined {
    const fresh = this.errors.slice(this.reported);
    if (fresh.length === 0) return undefined;
    return {
      did,
      expected: 'your code never to throw where nobody catches it: an exception nobody catches crashes a real server',
      actual: `${fresh.length === 1 ? '' : `${fresh.length} errors escaped; the first, `}${
        this.kinds[this.reported] === 'unhandledRejection' ? 'an unhandled rejection (a promise nobody awaited or caught)' : 'an uncaught exception'
      }: ${describeValue(fresh[0], 200)}`,
      hint,
    };
  }
}

/** What checks see of the recorder: the errors so far, and an assertion on them. */
export interface UncaughtErrors {
  readonly errors: readonly unknown[];
  /** Fails, saying what the check `did`, if anything was thrown so far. */
  expectNone(did: string, hint: string): void;
}

/** The uncaught errors of the current test (kept by its workbench). */
export function recordUncaught(workbench: { readonly uncaught: UncaughtRecorder }): UncaughtErrors {
  return workbench.uncaught;
}
