/**
 * Reference solution for `hello-socketio`.
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { ListenOptions, RunningServer } from '../types.ts';

/** What the server sends each client as soon as it connects, in a `welcome` event. */
export interface Welcome {
  readonly id: string;
  readonly greeting: string;
}

export async function startHelloServer(options: ListenOptions): Promise<RunningServer> {
  const httpServer = http.createServer();
  const io = new Server(httpServer);

  io.on('connection', (socket) => {
    const welcome: Welcome = { id: socket.id, greeting: 'Hello from Socket.IO!' };
    socket.emit('welcome', welcome);

    socket.on('ping', (n: unknown, ack: unknown) => {
      // The acknowledgement is optional for the sender: never assume it is there.
      if (typeof ack === 'function') ack(Number(n) + 1);
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      // Stryker disable next-line StringLiteral: once listening, reject can only hit a settled promise (a no-op); the leftover listener would swallow a later server error, which no rule of the exercise covers.
      httpServer.off('error', reject);
      resolve();
    });
  });

  const { port } = httpServer.address() as AddressInfo;
  return {
    port,
    // io.close() disconnects every client and closes the HTTP server as well.
    close: async () => {
      io.close();
    },
  };
}
