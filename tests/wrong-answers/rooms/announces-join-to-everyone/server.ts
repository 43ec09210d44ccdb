/**
 * Reference solution for `rooms`.
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { ListenOptions, RunningServer } from '../types.ts';

/** The answer to `join`, `leave`, `say` and `whisper`. */
export type Answer = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** Sent to the other members of a room when a client joins it: `joined`, or leaves it: `left`. */
export interface RoomChange {
  readonly room: string;
  readonly id: string;
}

/** A message to the members of a room, sent as `chat`. */
export interface RoomMessage {
  readonly room: string;
  readonly from: string;
  readonly text: string;
}

/** A direct message, sent as `whisper` to its recipient alone. */
export interface DirectMessage {
  readonly from: string;
  readonly text: string;
}

/** Acknowledgements are optional for a sender: answer only when there is a callback. */
const answerWith = (ack: unknown) => (answer: Answer) => {
  if (typeof ack === 'function') ack(answer);
};

export async function startRoomsServer(options: ListenOptions): Promise<RunningServer> {
  const httpServer = http.createServer();
  const io = new Server(httpServer);
  // Stryker disable next-line StringLiteral: io.of("") is io.of("/"): Socket.IO puts a "/" before a name that lacks one.
  const isClientId = (name: string) => io.of('/').sockets.has(name);

  io.on('connection', (socket) => {
    socket.on('join', ({ room }: { room: string }, ack?: unknown) => {
      const answer = answerWith(ack);
      // Each client's private room is named by its id: joining it would mean reading its whispers.
      if (typeof room !== 'string' || room === '' || isClientId(room)) return answer({ ok: false, error: `cannot join room ${JSON.stringify(room)}` });
      if (!socket.rooms.has(room)) {
        socket.join(room);
        socket.broadcast.emit('joined', { room, id: socket.id } satisfies RoomChange); // everyone but the joiner
      }
      answer({ ok: true });
    });

    socket.on('leave', ({ room }: { room: string }, ack?: unknown) => {
      if (room !== socket.id && socket.rooms.has(room)) {
        socket.leave(room);
        socket.to(room).emit('left', { room, id: socket.id } satisfies RoomChange);
      }
      answerWith(ack)({ ok: true });
    });

    socket.on('say', ({ room, text }: { room: string; text: string }, ack?: unknown) => {
      const answer = answerWith(ack);
      if (!socket.rooms.has(room)) return answer({ ok: false, error: `not a member of room ${JSON.stringify(room)}` });
      // socket.to(): the room's members, minus the sender.
      socket.to(room).emit('chat', { room, from: socket.id, text } satisfies RoomMessage);
      answer({ ok: true });
    });

    socket.on('whisper', ({ to, text }: { to: string; text: string }, ack?: unknown) => {
      const answer = answerWith(ack);
      if (!isClientId(to)) return answer({ ok: false, error: `no client has the id ${JSON.stringify(to)}` });
      socket.to(to).emit('whisper', { from: socket.id, text } satisfies DirectMessage);
      answer({ ok: true });
    });

    socket.on('members', async ({ room }: { room: string }, ack?: unknown) => {
      const members = await io.in(room).fetchSockets();
      if (typeof ack === 'function') ack(members.map((member) => member.id));
    });

    // On `disconnecting` the socket is still in its rooms; on `disconnect` it has left them all.
    socket.on('disconnecting', () => {
      for (const room of socket.rooms) {
        // Stryker disable next-line ConditionalExpression: socket.to(socket.id) reaches nobody — the sender is left out, and nobody else may join a private room.
        if (room !== socket.id) socket.to(room).emit('left', { room, id: socket.id } satisfies RoomChange);
      }
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
