/**
 * Calling the learner's async functions with a bound, and reporting how they settled.
 *
 * @module
 */
import { describeValue, type FailureReport } from './check-failure.ts';
import { within } from './wait.ts';

/** How a promise settled, and how long it took. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T; readonly ms: number }
  | { readonly ok: false; readonly error: unknown; readonly ms: number };

/**
 * Waits for `promise` to resolve or reject, and says which; fails with
 * `onTimeout()` if it is still pending after `limitMs`.
 */
export async function settle<T>(promise: Promise<T>, limitMs: number, onTimeout: () => FailureReport): Promise<Outcome<T>> {
  const started = Date.now();
  return within(
    promise.then(
      (value): Outcome<T> => ({ ok: true, value, ms: Date.now() - started }),
      (error: unknown): Outcome<T> => ({ ok: false, error, ms: Date.now() - started }),
    ),
    limitMs,
    onTimeout,
  );
}

/** "it resolved with …" or "it rejected with …", for messages. */
export function describeOutcome(outcome: Outcome<unknown>): string {
  return outcome.ok ? `it resolved with ${describeValue(outcome.value, 200)}` : `it rejected with ${describeValue(outcome.error, 200)}`;
}
