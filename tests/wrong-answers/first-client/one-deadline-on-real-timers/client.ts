/**
 * Reference solution for `first-client`.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { io } from 'socket.io-client';

/** Options for {@link askServer}. */
export interface AskOptions {
  readonly timeoutMs?: number;
}

export async function askServer(url: string, event: string, payload: unknown, options: AskOptions = {}): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? 2000;
  // One question, one connection: no retries, so a failure is reported instead of retried forever.
  const socket = io(url, { reconnection: false, timeout: timeoutMs, forceNew: true });
  // One timer for the whole call, started with it and cancelled in `finally`.
  const giveUp = new AbortController();
  const timedOut = sleep(timeoutMs, undefined, { signal: giveUp.signal }).then(() => {
    throw new Error(`The server at ${url} timed out: no answer to "${event}" within ${timeoutMs} ms`);
  });
  timedOut.catch(() => {});
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', (error) => reject(new Error(`${url} is unreachable: ${error.message}`)));
    });
    return await Promise.race([socket.emitWithAck(event, payload), timedOut]);
  } finally {
    giveUp.abort();
    socket.disconnect();
  }
}
