/**
 * Reference solution for `broadcasting`.
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { ListenOptions, RunningServer } from '../types.ts';

/** The payload of `users`, sent to every connected client whenever a client connects or disconnects. */
export interface UsersUpdate {
  readonly count: number;
}

/** The payload of a `join` event: a client gives itself a name. */
export interface JoinRequest {
  readonly name: string;
}

/** The payload of `joined`, sent to every client except the one that joined. */
export interface Joined {
  readonly id: string;
  readonly name: string;
}

/** The payload of a `say` event: a chat message to relay. */
export interface SayRequest {
  readonly text: string;
  readonly except?: readonly string[];
}

/** The payload of `chat`, a relayed message. */
export interface ChatMessage {
  readonly from: string;
  readonly name: string | null;
  readonly text: string;
}

export async function startBroadcastServer(options: ListenOptions): Promise<RunningServer> {
  const httpServer = http.createServer();
  const io = new Server(httpServer);

  // The namespace's own map is the truth: no counter to drift out of step.
  const announceCount = () => {
    // Stryker disable next-line StringLiteral: io.of() prefixes a name without a leading "/", so io.of("") is the main namespace too.
    const update: UsersUpdate = { count: io.of('/').sockets.size };
    io.emit('users', update);
  };

  io.on('connection', (socket) => {
    announceCount(); // io.emit: the newcomer is counted and told too
    // On `disconnect` the socket has already left the map (on `disconnecting` it has not).
    socket.on('disconnect', announceCount);

    socket.on('join', ({ name }: JoinRequest, ack?: unknown) => {
      const firstJoin = socket.data.name === undefined;
      socket.data.name = name;
      const joined: Joined = { id: socket.id, name };
      if (firstJoin) socket.broadcast.emit('joined', joined); // everyone but the joiner, once: they know this client already
      if (typeof ack === 'function') ack({ ok: true });
    });

    // Stryker disable next-line ArrayDeclaration: the default only applies when `except` is missing, and a list naming any room no socket is in leaves out nobody: socket ids are random, so no client is in a room called "Stryker was here".
    socket.on('say', ({ text, except = [] }: SayRequest) => {
      const message: ChatMessage = { from: socket.id, name: socket.data.name ?? null, text };
      // Each socket is in a room named by its id, so ids work as rooms to leave out.
      socket.broadcast.except([...except]).emit('chat', message);
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      // Stryker disable next-line StringLiteral: the startup listener, if left attached, only swallows an 'error' emitted after listening (reject() on a settled promise does nothing), which no rule of the exercise provokes.
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
