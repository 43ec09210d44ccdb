/**
 * Reference solution for `middleware-auth`.
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
  readonly users: ReadonlyMap<string, User>;
}

/** Why a connection was refused; a rejected client reads it in `connect_error` as `err.data.reason`. */
export type RejectionReason = 'missing token' | 'invalid token';

/** What the `data` of the connection middleware's `Error` holds. */
export interface RejectionData {
  readonly reason: RejectionReason;
}

/** The acknowledgement of `announce`. */
export type AnnounceResult = { readonly ok: true } | { readonly ok: false; readonly error: 'forbidden' };

/** What every client receives when an admin announces something. */
export interface Announcement {
  readonly from: string;
  readonly text: string;
}

/** The error a connection middleware passes to `next()`: Socket.IO sends `message` and `data` to the client. */
function rejection(reason: RejectionReason): Error & { data: RejectionData } {
  // Stryker disable next-line StringLiteral: the message is free (README rule 2 fixes only `data`, and a client tells refusals apart by `err.data.reason`).
  return Object.assign(new Error('unauthorized'), { data: { reason } });
}

export async function startAuthServer(options: AuthServerOptions): Promise<RunningServer> {
  const httpServer = http.createServer();
  const io = new Server(httpServer);

  // Runs once per connection, before `connection`: a client refused here never connects at all.
  io.use((socket, next) => {
    const token: unknown = socket.handshake.auth.token;
    if (typeof token !== 'string' || token === '') return next(rejection('missing token'));
    const user = options.users.get(token);
    if (user === undefined) return next(rejection('invalid token'));
    socket.data.user = user;
    next();
  });

  io.on('connection', (socket) => {
    const user = socket.data.user as User;

    // Runs before every incoming event of this socket: the one place to guard `announce`.
    socket.use(([event, ...args], next) => {
      if (!event.startsWith('announce') || user.role === 'admin') return next();
      const ack = args.at(-1);
      if (typeof ack === 'function') ack({ ok: false, error: 'forbidden' } satisfies AnnounceResult);
      // The event stops here: its handler never runs. The error goes to the socket's `error` listeners, if any.
      // Stryker disable next-line StringLiteral: this Error goes to the server-side socket's `error` listeners only; the client sees the acknowledgement, never this message.
      next(new Error('forbidden'));
    });

    socket.on('whoami', (ack: unknown) => {
      if (typeof ack === 'function') ack(user);
    });

    socket.on('announce', (text: unknown, ack: unknown) => {
      const announcement: Announcement = { from: user.name, text: String(text) };
      io.emit('announcement', announcement);
      if (typeof ack === 'function') ack({ ok: true } satisfies AnnounceResult);
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      // Stryker disable next-line StringLiteral: once listening, the promise is settled and a leftover reject does nothing (no server 'error' follows a successful listen here).
      httpServer.off('error', reject);
      resolve();
    });
  });

  const { port } = httpServer.address() as AddressInfo;
  return {
    port,
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}
