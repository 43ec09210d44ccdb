/**
 * Reference solution for `tcp-echo`.
 *
 * @module
 */
import net from 'node:net';
import type { ListenOptions, RunningServer } from '../types.ts';

export async function startEchoServer(options: ListenOptions): Promise<RunningServer> {
  // server.close() waits for open connections, so we keep them to close them ourselves.
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Without an 'error' listener, a client's reset (ECONNRESET) would crash the process.
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      for (const client of sockets) client.write(chunk);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
