/**
 * Exercise `first-client`: your first Socket.IO client.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- first-client`.
 *
 * @module
 */
import { io } from 'socket.io-client';

/** Options for {@link askServer}. */
export interface AskOptions {
  /** How long to wait for the connection, and then for the answer, in milliseconds. Default: 2000. */
  readonly timeoutMs?: number;
}

/**
 * Asks a Socket.IO server one question and returns its answer.
 *
 * Connects to `url`, emits `event` with `payload` and an acknowledgement callback,
 * waits for the server to call it, disconnects, and resolves with the value the
 * server passed to the acknowledgement.
 *
 * It never leaves anything behind: whatever happens, the socket is disconnected
 * and no reconnection is attempted once the promise settles.
 *
 * @param url - the server, e.g. `http://127.0.0.1:3000`.
 * @param event - the event name to emit.
 * @param payload - the single argument to send with it.
 * @returns the server's answer (the first argument of its acknowledgement).
 * @throws an `Error` whose message contains the `url` and the word `unreachable`
 *   when no connection could be made, or the `event` name and the words
 *   `timed out` when the server did not answer within `timeoutMs`.
 */
export async function askServer(url: string, event: string, payload: unknown, options: AskOptions = {}): Promise<unknown> {
  // TODO: connect with io(url, …), wait for `connect` (or `connect_error`), emit with an
  //       acknowledgement and a timeout, disconnect in every case, and return the answer.
  throw new Error(`askServer(${JSON.stringify(url)}, ${JSON.stringify(event)}, …, ${JSON.stringify(options)}) is not written yet: open exercises/first-client/client.ts`);
}
