/**
 * Exercise `hello-socketio`: your first Socket.IO server.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- hello-socketio`.
 *
 * @module
 */
import http from 'node:http';
import { Server } from 'socket.io';
import type { ListenOptions, RunningServer } from '../types.ts';

/** What the server sends each client as soon as it connects, in a `welcome` event. */
export interface Welcome {
  /** The id Socket.IO gave this client's socket (`socket.id`): each client gets its own. */
  readonly id: string;
  /** Any friendly, non-empty text. */
  readonly greeting: string;
}

/**
 * Starts a Socket.IO server that:
 *
 * - emits `welcome` with a {@link Welcome} to each client as soon as it connects;
 * - answers every `ping` event carrying a number `n` through its acknowledgement
 *   callback, with `n + 1`;
 * - keeps running when a client sends `ping` without an acknowledgement callback.
 *
 * @param options - where to listen; the checks pass `{ port: 0, host: '127.0.0.1' }`.
 * @returns once listening: the real port and `close()`, which disconnects every
 *   client and closes the server.
 */
export async function startHelloServer(options: ListenOptions): Promise<RunningServer> {
  // TODO: create an HTTP server, attach `new Server(httpServer)`, greet each connection,
  //       answer `ping`, listen on options.port and options.host, and return { port, close }.
  throw new Error(`startHelloServer(${JSON.stringify(options)}) is not written yet: open exercises/hello-socketio/server.ts`);
}
