/**
 * Exercise `typed-events`, part 2 of 2: a chat server typed with the events of `events.ts`.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- typed-events`.
 *
 * @module
 */
import http from 'node:http';
import { Server } from 'socket.io';
import type { ListenOptions, RunningServer } from '../types.ts';
import type { ChatMessage, ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from './events.ts';

/**
 * Starts a chat server created as
 * `new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(…)`:
 *
 * - each client's name is `socket.handshake.auth.name` when it is a non-empty string,
 *   otherwise `"anonymous"`; it is kept in `socket.data.name`;
 * - as soon as a client connects, it receives `welcome` with its name and the number
 *   of connected clients, itself included;
 * - `say` with a text: the server makes a {@link ChatMessage} (ids 1, 2, 3, … in
 *   order, `from` the sender's current name, `sentAt` now), emits it as `message` to
 *   every client, the sender included, and acknowledges `{ id }`;
 * - `rename` with a name: sets the sender's name and acknowledges the previous one.
 *
 * @param options - where to listen; the checks pass `{ port: 0, host: '127.0.0.1' }`.
 * @returns once listening: the real port and `close()`, which disconnects every
 *   client and closes the server.
 */
export async function startChatServer(options: ListenOptions): Promise<RunningServer> {
  // TODO: create the typed Socket.IO server, greet each client, handle `say` and
  //       `rename`; listen and return { port, close }. Let TypeScript check every emit.
  throw new Error(`startChatServer(${JSON.stringify(options)}) is not written yet: open exercises/typed-events/server.ts`);
}
