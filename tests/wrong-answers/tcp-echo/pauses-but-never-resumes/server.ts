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
    // Stryker disable next-line ArrowFunction: a net.Socket emits 'error' while it is being destroyed, so destroy() here is a no-op; the listener is what counts.
    socket.on('error', () => socket.destroy());
    // Backpressure by hand: stop reading while the client's buffer is full.
    socket.on('data', (chunk) => {
      if (!socket.write(chunk)) socket.pause();
    });
    socket.on('end', () => socket.end());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      // Stryker disable next-line StringLiteral: once listening, the promise is settled and a leftover reject does nothing (no server 'error' follows a successful listen here).
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
