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
import { currentOwner, type Owner } from './test-context.ts';

/** An error escaped the learner's code: the grader names it before anything else that failed. */
export class UncaughtFailure extends CheckFailure {
  override readonly name: string = 'UncaughtFailure';
}

const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;
type EscapeKind = (typeof EVENTS)[number];
type Listener = (...args: unknown[]) => void;

/**
 * The recorders of the tests running now, and the one pair of process listeners that
 * feeds them. vitest's own listeners are set aside while any recorder runs, so an
 * escape is reported once, by the test, instead of again as an anonymous "unhandled
 * error" after the run.
 */
const recording = {
  active: new Set<UncaughtRecorder>(),
  setAside: new Map<EscapeKind, Listener[]>(),
  listeners: {
    uncaughtException: (error: unknown) => deliver(error, 'uncaughtException'),
    unhandledRejection: (error: unknown) => deliver(error, 'unhandledRejection'),
  },
};

/**
 * An escape goes to the test whose code threw it. When that cannot be told (or that
 * test has finished), every running test gets it: a false "passed" is worse than a
 * failure shown on one test too many.
 */
function deliver(error: unknown, kind: EscapeKind): void {
  const owner = currentOwner();
  const own = [...recording.active].filter((recorder) => recorder.owner === owner);
  for (const recorder of own.length > 0 ? own : recording.active) recorder.record(error, kind);
}

/** Records the uncaught exceptions and unhandled rejections of one test while it runs. */
export class UncaughtRecorder {
  readonly errors: unknown[] = [];
  /** For each of {@link errors}: how it escaped. */
  private readonly kinds: EscapeKind[] = [];
  /** How many of {@link errors} a test already reported itself (through `expectNone`). */
  private reported = 0;

  /** @param owner - the test this recorder belongs to (see `test-context.ts`). */
  constructor(readonly owner?: Owner) {}

  record(error: unknown, kind: EscapeKind): void {
    this.errors.push(error);
    this.kinds.push(kind);
  }

  start(): this {
    if (recording.active.size === 0) {
      for (const event of EVENTS) {
        recording.setAside.set(event, process.listeners(event as 'uncaughtException') as Listener[]);
        process.removeAllListeners(event);
        process.on(event, recording.listeners[event]);
      }
    }
    recording.active.add(this);
    return this;
  }

  stop(): void {
    if (!recording.active.delete(this) || recording.active.size > 0) return;
    for (const event of EVENTS) {
      process.off(event, recording.listeners[event]);
      for (const listener of recording.setAside.get(event) ?? []) process.on(event, listener);
    }
    recording.setAside.clear();
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
