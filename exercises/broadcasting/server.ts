/**
 * Exercise `broadcasting`: a chat server that talks to many clients at once.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- broadcasting`.
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { ListenOptions, RunningServer } from '../types.ts';

/** The payload of `users`, sent to every connected client whenever a client connects or disconnects. */
export interface UsersUpdate {
  /** How many clients are connected right now, after the change. */
  readonly count: number;
}

/** The payload of a `join` event: a client gives itself a name. */
export interface JoinRequest {
  readonly name: string;
}

/** The payload of `joined`, sent to every client except the one that joined. */
export interface Joined {
  /** The `socket.id` of the client that joined. */
  readonly id: string;
  /** The name it gave in its `join`. */
  readonly name: string;
}

/** The payload of a `say` event: a chat message to relay. */
export interface SayRequest {
  readonly text: string;
  /** Socket ids of clients that must not receive this message. Optional. */
  readonly except?: readonly string[];
}

/** The payload of `chat`, a relayed message. */
export interface ChatMessage {
  /** The `socket.id` of the client that said it. */
  readonly from: string;
  /** Its name from `join`, or `null` if it has not joined. */
  readonly name: string | null;
  readonly text: string;
}

/**
 * Starts a Socket.IO chat server that:
 *
 * - emits `users` with a {@link UsersUpdate} to **every** connected client each time
 *   a client connects or disconnects, with the number of clients connected after
 *   the change (the newcomer gets it too; the one that left does not);
 * - on `join` with a {@link JoinRequest}, remembers the client's name (a later `join`
 *   replaces it), emits `joined` with a {@link Joined} to every **other** client (never
 *   the joiner), and calls the acknowledgement, when there is one, with `{ ok: true }`;
 * - on `say` with a {@link SayRequest}, emits `chat` with a {@link ChatMessage} to
 *   every **other** client — never back to the sender — except the clients whose
 *   ids are listed in `except`.
 *
 * @param options - where to listen; the checks pass `{ port: 0, host: '127.0.0.1' }`.
 * @returns once listening: the real port and `close()`, which disconnects every
 *   client and closes the server.
 */
export async function startBroadcastServer(options: ListenOptions): Promise<RunningServer> {
  // TODO: create an HTTP server with a Socket.IO server; broadcast `users` on every
  //       connection and disconnection, announce `join`s and relay `say`s to the others;
  //       listen, and return { port, close }.
  throw new Error(`startBroadcastServer(${JSON.stringify(options)}) is not written yet: open exercises/broadcasting/server.ts`);
}
