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
  const socket = io(url, { reconnection: false, timeout: 2000, forceNew: true });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', (error) => reject(new Error(`${url} is unreachable: ${error.message}`)));
    });
    try {
      return await socket.timeout(timeoutMs).emitWithAck(event, payload);
    } catch {
      throw new Error(`The server at ${url} timed out: no answer to "${event}" within ${timeoutMs} ms`);
    }
  } finally {
    socket.disconnect();
  }
}
