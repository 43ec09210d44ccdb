/**
 * Errors that escape the learner's code with nobody to catch them, such as a
 * Socket.IO event handler that throws. In production that crashes the server; in a
 * check it would only surface as a bare "Unhandled Error" after the run, so checks
 * record them and name them in a learner-facing failure instead.
 *
 * @module
 */
import { describeValue, fail } from './check-failure.ts';
import type { Workbench } from './workbench.ts';

/** The uncaught errors recorded so far. */
export interface UncaughtErrors {
  readonly errors: readonly unknown[];
  /** Fails, saying what the check `did`, if anything was thrown so far. */
  expectNone(did: string, hint: string): void;
}

/** Records uncaught exceptions and unhandled rejections until the workbench tears down. */
export function recordUncaught(workbench: Workbench): UncaughtErrors {
  const errors: unknown[] = [];
  const record = (error: unknown) => void errors.push(error);
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  workbench.defer('the uncaught-error recorder', () => {
    process.off('uncaughtException', record);
    process.off('unhandledRejection', record);
  });
  return {
    errors,
    expectNone(did, hint) {
      if (errors.length === 0) return;
      fail({
        did,
        expected: 'your server never to throw: an exception nobody catches crashes a real server',
        actual: `it threw ${errors.length} time(s), first: ${describeValue(errors[0], 200)}`,
        hint,
      });
    },
  };
}
