/**
 * Bounded waits. Every wait in a check has a limit and, when the limit passes, a
 * message that says what was awaited — never "timed out in 2000ms".
 *
 * @module
 */
import { fail, type FailureReport } from './check-failure.ts';

/** How long a check waits for an event or an acknowledgement that should come from a live server on this machine. */
export const ARRIVAL_MS = 1500;
/**
 * How long a check waits for an answer a correct program gives at once (a handshake's
 * response, an echoed frame, a connection opening). A wrong program never gives it, so a
 * generous bound costs only failing runs; a tight one fails correct programs when tests
 * run side by side on a busy machine.
 */
export const ANSWER_MS = 5000;
/** How long a check watches for an event that must not come (a broadcast that leaked to the wrong client). */
export const QUIET_MS = 150;

/** Formats milliseconds the way the messages say them: `300 ms`, `2 s`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${+(ms / 1000).toFixed(1)} s`;
}

/**
 * Resolves as `promise` does, or fails with `onTimeout()` once `ms` have passed.
 * The timer is cleared either way, so a wait never outlives its check.
 */
export async function within<T>(promise: PromiseLike<T>, ms: number, onTimeout: () => FailureReport): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      try {
        fail(onTimeout());
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves `true` once `condition()` holds, or `false` after `ms`; polls every `everyMs`. */
export async function eventually(condition: () => boolean, ms: number, everyMs = 10): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() >= deadline) return false;
    await sleep(everyMs);
  }
  return true;
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
