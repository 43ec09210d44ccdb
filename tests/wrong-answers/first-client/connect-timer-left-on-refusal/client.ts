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
  // Stryker disable next-line BooleanLiteral: both are belt and braces here. `reconnection: true` is undone by the disconnect() in `finally`
  // (the Manager's close clears any reconnection it scheduled); without `forceNew`, io() still opens a new connection whenever the
  // namespace is in use on its cached Manager, and a finished call's Manager has no active socket left. Neither can a caller observe.
  const socket = io(url, { reconnection: false, forceNew: true });
  try {
    await new Promise<void>((resolve, reject) => {
      // Our own deadline for the connection.
      const timer = setTimeout(() => reject(new Error(`${url} is unreachable: no connection within ${timeoutMs} ms`)), timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
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
