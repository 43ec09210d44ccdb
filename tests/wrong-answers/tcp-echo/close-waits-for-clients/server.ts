/**
 * Reference solution for `tcp-echo`.
 *
 * @module
 */
import net from 'node:net';
import type { ListenOptions, RunningServer } from '../types.ts';

export async function startEchoServer(options: ListenOptions): Promise<RunningServer> {
  const server = net.createServer((socket) => {
    // Without an 'error' listener, a client's reset (ECONNRESET) would crash the process.
    socket.on('error', () => socket.destroy());
    // pipe() echoes with backpressure, and ends our side when the client ends theirs.
    socket.pipe(socket);
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
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
