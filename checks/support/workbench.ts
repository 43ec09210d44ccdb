/**
 * The workbench a check runs on: it remembers every server and client the check
 * opened, closes them all afterwards (clients first, then servers) with bounded
 * waits, and then reports anything the learner's code left alive.
 *
 * Checks get one per test through the `workbench` fixture of {@link test}.
 *
 * @module
 */
import { test as baseTest } from 'vitest';
import { CheckFailure, type FailureReport } from './check-failure.ts';
import { ResourceTracker } from './leaks.ts';
import { runAs } from './test-context.ts';
import { UncaughtFailure, UncaughtRecorder } from './uncaught.ts';
import { formatMs, within } from './wait.ts';

/** How long anything may take to close. */
export const CLOSE_LIMIT_MS = 2000;

interface Cleanup {
  readonly label: string;
  readonly close: () => unknown;
  /** Set for cleanups that call the learner's code: their failure is the learner's to fix. */
  readonly onTimeout?: () => FailureReport;
}

export class Workbench {
  private readonly resources = new ResourceTracker(this).start();
  /** Errors the learner's code let escape during this test: any one fails it. */
  readonly uncaught = new UncaughtRecorder(this).start();
  private readonly cleanups: Cleanup[] = [];
  private leakCheck: { subject: string; hint: string } | undefined;

  /** Registers `close` to run at teardown. Cleanups run in reverse order of registration. */
  defer(label: string, close: () => unknown): void {
    this.cleanups.push({ label, close });
  }

  /**
   * Registers the learner's own close function. Teardown fails with `onTimeout()` if it
   * does not finish in time, and afterwards checks that nothing the learner made is
   * still alive (servers, sockets, timers).
   */
  deferLearnerClose(label: string, close: () => unknown, onTimeout: () => FailureReport, leakHint: string): void {
    this.cleanups.push({ label, close, onTimeout });
    this.leakCheck = { subject: label, hint: leakHint };
  }

  /**
   * Asks the teardown to check for leaks even when no learner close was registered
   * (client exercises: the learner's function must clean up after itself).
   */
  checkLeaksAfter(subject: string, hint: string): void {
    this.leakCheck = { subject, hint };
  }

  /** Closes everything; throws the first learner-facing failure it met. */
  async teardown(): Promise<void> {
    const failures: Error[] = [];
    for (const cleanup of this.cleanups.reverse()) {
      try {
        await within(Promise.resolve().then(cleanup.close), CLOSE_LIMIT_MS, () =>
          cleanup.onTimeout ? cleanup.onTimeout() : { did: `Closed ${cleanup.label}`, expected: `it to close within ${formatMs(CLOSE_LIMIT_MS)}` },
        );
      } catch (error) {
        failures.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
    // Waited for after the cleanups: a close that throws in a callback escapes too.
    this.uncaught.stop();
    const escaped = this.uncaught.unreported(
      'While this test ran, the check watched for errors that nobody catches',
      'Catch errors where they happen: an `error` listener on every socket and server, `try`/`catch` in handlers, `.catch()` on promises you do not await.',
    );
    if (escaped) failures.unshift(new UncaughtFailure(escaped));
    if (failures.length === 0 && this.leakCheck) {
      const leaks = await this.resources.settledLeaks(1000);
      if (leaks.length > 0) {
        failures.push(
          new CheckFailure({
            did: `Waited 1 s after ${this.leakCheck.subject} finished`,
            expected: 'every server, socket and timer it made to be released',
            actual: `still alive: ${leaks.join(', ')}`,
            hint: this.leakCheck.hint,
          }),
        );
      }
    }
    this.resources.stop();
    if (failures.length > 0) throw failures[0];
  }
}

/** What a check's test receives. */
interface CheckContext {
  readonly workbench: Workbench;
}
type TestBody = (context: CheckContext) => unknown;

const withWorkbench = baseTest.extend<{ workbench: Workbench }>({
  // The empty pattern is how vitest learns that this fixture needs no other fixture.
  workbench: async ({}, use) => {
    const workbench = new Workbench();
    await use(workbench);
    await runAs(workbench, () => workbench.teardown());
  },
});

/** Runs the test's body as its workbench's, so that what it starts is traced back to it even beside other tests. */
function asOwner(body: TestBody): (context: CheckContext) => unknown {
  // vitest reads which fixtures a test needs from this destructuring pattern.
  return ({ workbench }) => runAs(workbench, () => body({ workbench }));
}

/**
 * vitest's `test`, with a fresh {@link Workbench} for each test, torn down after it.
 * Tests of a `describe.concurrent` block run side by side; `test.sequential` runs
 * one alone (a test that fakes the clock, which every test of the thread shares).
 */
export const test = Object.assign((name: string, body: TestBody, timeout?: number) => withWorkbench(name, asOwner(body), timeout), {
  sequential: (name: string, body: TestBody, timeout?: number) => withWorkbench.sequential(name, asOwner(body), timeout),
});
