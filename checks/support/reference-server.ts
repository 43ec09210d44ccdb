/**
 * A real Socket.IO server run by the check itself, for exercises where the learner
 * writes the client. It listens on port 0 and the workbench closes it.
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server, ServerOptions } from 'socket.io';
import type { Workbench } from './workbench.ts';

/** A reference server: its Socket.IO instance and where to reach it. */
export interface ReferenceServer {
  readonly io: Server;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
}

/** Starts a Socket.IO server on 127.0.0.1 and an ephemeral port; `setup` attaches its handlers first. */
export async function startReferenceServer(
  workbench: Workbench,
  setup: (io: Server) => void,
  options: Partial<ServerOptions> = {},
): Promise<ReferenceServer> {
  const httpServer = http.createServer();
  const { Server } = await import('socket.io');
  const io = new Server(httpServer, options);
  setup(io);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  workbench.defer('the reference server', () => new Promise<void>((resolve) => void io.close(() => resolve())));
  const { port } = httpServer.address() as AddressInfo;
  return { io, port, url: `http://127.0.0.1:${port}` };
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
