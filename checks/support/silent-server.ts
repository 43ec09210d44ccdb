/**
 * A TCP server that accepts every connection and never sends a byte: the peer a
 * client's connection timeout is for (a closed port refuses at once, this one hangs).
 *
 * @module
 */
import net from 'node:net';
import type { Workbench } from './workbench.ts';

/** A port on 127.0.0.1 that accepts TCP and then says nothing. */
export interface SilentServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** How many connections it accepted so far. */
  readonly accepted: number;
}

/** Starts a {@link SilentServer} on an ephemeral port; the workbench destroys its connections and closes it. */
export async function startSilentServer(workbench: Workbench): Promise<SilentServer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  workbench.defer('the silent server', () => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
  };
}
