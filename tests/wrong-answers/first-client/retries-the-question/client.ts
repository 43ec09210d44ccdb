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
  // ackTimeout and retries: Socket.IO times the answer and asks again if it is lost.
  const socket = io(url, { reconnection: false, timeout: timeoutMs, forceNew: true, ackTimeout: timeoutMs, retries: 2 });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', (error) => reject(new Error(`${url} is unreachable: ${error.message}`)));
    });
    try {
      return await socket.emitWithAck(event, payload);
    } catch {
      throw new Error(`The server at ${url} timed out: no answer to "${event}" within ${timeoutMs} ms`);
    }
  } finally {
    socket.disconnect();
  }
}
