/**
 * Reference solution for `typed-events`: a chat server typed with the events of `events.ts`.
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { ListenOptions, RunningServer } from '../types.ts';
import type { ChatMessage, ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from './events.ts';

export async function startChatServer(options: ListenOptions): Promise<RunningServer> {
  const httpServer = http.createServer();
  // From here on, every emit and handler below is checked against events.ts.
  const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(httpServer);
  let lastId = 0;

  io.on('connection', (socket) => {
    // `auth` comes from the client: typed `Record<string, any>`, so check it before trusting it.
    const name: unknown = socket.handshake.auth.name;
    socket.data.name = typeof name === 'string' && name !== '' ? name : 'anonymous';
    // Stryker disable next-line StringLiteral: io.of("") is io.of("/"): Socket.IO puts a "/" in front of a name that lacks one.
    socket.emit('welcome', { name: socket.data.name, online: io.of('/').sockets.size });

    socket.on('say', (text, ack) => {
      const message: ChatMessage = { id: lastId++, from: socket.data.name, text, sentAt: Date.now() };
      io.emit('message', message);
      // Types say `ack` is there, but a client can still leave it out: check before calling.
      if (typeof ack === 'function') ack({ id: message.id });
    });

    socket.on('rename', (newName, ack) => {
      const previous = socket.data.name;
      socket.data.name = newName;
      if (typeof ack === 'function') ack(previous);
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      // Stryker disable next-line StringLiteral: once listening, the promise is settled and a leftover reject does nothing.
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
