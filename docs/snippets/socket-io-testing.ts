import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';

/**
 * Testing a Socket.IO app: a real server on a free port, real clients, no mocks.
 * `setup` registers the app's handlers; the test connects clients and awaits
 * acknowledgements and events (never a fixed sleep).
 */
export async function startTestServer(setup: (io: Server) => void) {
  const httpServer = createServer();
  const io = new Server(httpServer);
  setup(io);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const clients: ClientSocket[] = [];

  return {
    io,
    /**
     * A connected client (WebSocket only, so no upgrade to wait for). `listen`
     * registers its listeners BEFORE it connects: events the server emits on
     * `connection` may arrive together with the connection itself.
     */
    async client(options: { auth?: Record<string, unknown>; listen?: (socket: ClientSocket) => void } = {}): Promise<ClientSocket> {
      const socket = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], auth: options.auth ?? {}, reconnection: false, forceNew: true, autoConnect: false });
      clients.push(socket);
      options.listen?.(socket);
      socket.connect();
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      return socket;
    },
    async close(): Promise<void> {
      for (const socket of clients) socket.disconnect();
      await io.close(); // closes the HTTP server too
    },
  };
}

/** Resolves with the arguments of the next `event` on `socket`. */
export function nextEvent<T extends unknown[]>(socket: ClientSocket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, (...args: unknown[]) => resolve(args as T)));
}

// In a test (Vitest, node:test, Mocha: any runner):
//   const server = await startTestServer((io) => io.on('connection', (s) => s.on('ping', (ack) => ack('pong'))));
//   const client = await server.client();
//   expect(await client.emitWithAck('ping')).toBe('pong');
//   await server.close();
