/**
 * Exercise `middleware-auth`: let in only the clients who show a valid token, and
 * keep one event for admins.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- middleware-auth`.
 *
 * @module
 */
import http from 'node:http';
import { Server } from 'socket.io';
import type { ListenOptions, RunningServer } from '../types.ts';

/** What a user may do: only an `admin` may send `announce`. */
export type Role = 'admin' | 'member';

/** A user the server knows, found through their token. */
export interface User {
  readonly name: string;
  readonly role: Role;
}

/** Where to listen, and who may connect. */
export interface AuthServerOptions extends ListenOptions {
  /**
   * The token table: each token a client may present, and the user it belongs to.
   * A token matches only if it is exactly a key of this map (same case, no extra spaces).
   */
  readonly users: ReadonlyMap<string, User>;
}

/**
 * Why a connection was refused; a rejected client reads it in `connect_error` as `err.data.reason`.
 *
 * - `missing token`: `socket.handshake.auth.token` is absent, not a string, or empty;
 * - `invalid token`: it is a non-empty string that is not a key of {@link AuthServerOptions.users}.
 */
export type RejectionReason = 'missing token' | 'invalid token';

/** What the `data` of the connection middleware's `Error` holds. */
export interface RejectionData {
  readonly reason: RejectionReason;
}

/** The acknowledgement of `announce`. */
export type AnnounceResult = { readonly ok: true } | { readonly ok: false; readonly error: 'forbidden' };

/** What every client receives when an admin announces something. */
export interface Announcement {
  /** The name of the admin who sent it. */
  readonly from: string;
  readonly text: string;
}

/**
 * Starts a Socket.IO server that admits only clients with a valid token.
 *
 * - A connection middleware (`io.use`) reads `socket.handshake.auth.token`, looks it up
 *   in `options.users`, and either stores the user as `socket.data.user` and lets the
 *   client in, or refuses the connection with an `Error` whose `data` is a
 *   {@link RejectionData}.
 * - `whoami` (with an acknowledgement): answers with this client's own {@link User}.
 * - `announce` (a text, and maybe an acknowledgement): from an admin, sends
 *   `announcement` with an {@link Announcement} to every client and acknowledges
 *   `{ ok: true }`. From a member, a per-socket middleware (`socket.use`) refuses it:
 *   nobody receives anything, the acknowledgement (if any) gets
 *   `{ ok: false, error: 'forbidden' }`, and the member stays connected.
 *
 * @param options - where to listen (the checks pass `{ port: 0, host: '127.0.0.1' }`) and the token table.
 * @returns once listening: the real port and `close()`, which disconnects every
 *   client and closes the server.
 */
export async function startAuthServer(options: AuthServerOptions): Promise<RunningServer> {
  // TODO: create the HTTP and Socket.IO servers, add the `io.use` middleware, and in the
  //       connection handler add the `socket.use` middleware and the `whoami` and
  //       `announce` handlers; listen and return { port, close }.
  throw new Error(`startAuthServer({ port: ${options.port}, … }) is not written yet: open exercises/middleware-auth/server.ts`);
}
