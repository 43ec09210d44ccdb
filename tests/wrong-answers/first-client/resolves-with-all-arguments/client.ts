/**
 * Reference solution for `first-client`.
 *
 * @module
 */
import { io } from 'socket.io-client';

/** Options for {@link askServer}. */
export interface AskOptions {
  readonly timeoutMs?: number;
}

export async function askServer(url: string, event: string, payload: unknown, options: AskOptions = {}): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? 2000;
  // One question, one connection: no retries, so a failure is reported instead of retried forever.
  const socket = io(url, { reconnection: false, timeout: timeoutMs, forceNew: true });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', (error) => reject(new Error(`${url} is unreachable: ${error.message}`)));
    });
    try {
      return await new Promise((resolve, reject) => {
        socket.timeout(timeoutMs).emit(event, payload, (error: Error | null, ...answers: unknown[]) => (error ? reject(error) : resolve(answers)));
      });
    } catch {
      throw new Error(`The server at ${url} timed out: no answer to "${event}" within ${timeoutMs} ms`);
    }
  } finally {
    socket.disconnect();
  }
}
