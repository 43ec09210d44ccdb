/**
 * Exercise `rooms`: a chat server with rooms, direct messages and member lists.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- rooms`.
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { ListenOptions, RunningServer } from '../types.ts';

/** The answer to `join`, `leave`, `say` and `whisper`, given through their acknowledgement. */
export type Answer = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** Sent to the other members of a room when a client joins it (`joined`) or leaves it (`left`). */
export interface RoomChange {
  readonly room: string;
  /** The `socket.id` of the client that joined or left. */
  readonly id: string;
}

/** A message to the members of a room, sent as `chat`. */
export interface RoomMessage {
  readonly room: string;
  /** The sender's `socket.id`. */
  readonly from: string;
  readonly text: string;
}

/** A direct message, sent as `whisper` to its recipient alone. */
export interface DirectMessage {
  /** The sender's `socket.id`. */
  readonly from: string;
  readonly text: string;
}

/**
 * Starts a Socket.IO server with rooms. Each event below comes with an
 * acknowledgement callback, which the server calls with the answer shown.
 *
 * - `join` `{ room }` → `{ ok: true }`: the client joins `room` (joining twice is
 *   fine), and the room's other members receive `joined` with a {@link RoomChange}.
 *   Refused with `{ ok: false, error }` when `room` is not a non-empty string or is
 *   the `socket.id` of a connected client: those rooms are private.
 * - `leave` `{ room }` → `{ ok: true }`: the client leaves `room`, and the room's
 *   other members receive `left` with a {@link RoomChange}.
 * - `say` `{ room, text }` → `{ ok: true }`: the room's other members (not the
 *   sender, not anyone outside the room) receive `chat` with a {@link RoomMessage}.
 *   Refused with `{ ok: false, error }`, sending nothing, when the sender is not in `room`.
 * - `whisper` `{ to, text }` → `{ ok: true }`: the client whose `socket.id` is `to`,
 *   and nobody else, receives `whisper` with a {@link DirectMessage}. Refused with
 *   `{ ok: false, error }` when no connected client has that id.
 * - `members` `{ room }` → the `socket.id`s of the clients in `room`, as an array
 *   (in any order; empty for a room nobody is in).
 *
 * When a client disconnects, it leaves all its rooms: their other members receive
 * `left`, and `members` no longer lists it.
 *
 * @param options - where to listen; the checks pass `{ port: 0, host: '127.0.0.1' }`.
 * @returns once listening: the real port and `close()`, which disconnects every
 *   client and closes the server.
 */
export async function startRoomsServer(options: ListenOptions): Promise<RunningServer> {
  // TODO: create an HTTP server with a Socket.IO server; handle join, leave, say,
  //       whisper and members with socket.join / socket.leave / socket.to(room) /
  //       io.in(room).fetchSockets(); tell the rooms when a client disconnects;
  //       listen, and return { port, close }.
  throw new Error(`startRoomsServer(${JSON.stringify(options)}) is not written yet: open exercises/rooms/server.ts`);
}
