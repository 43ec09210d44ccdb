/**
 * Exercise `tcp-echo`: a TCP echo server.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- tcp-echo`.
 *
 * @module
 */
import net from 'node:net';
import type { ListenOptions, RunningServer } from '../types.ts';

/**
 * Starts a TCP server that sends every byte each client sends straight back to
 * that client, in order, and nothing else.
 *
 * - Serves many clients at once; one client's bytes never reach another.
 * - When a client ends its side of the connection (half-close), the server ends
 *   its side too, after echoing everything it received.
 * - A client that vanishes (a reset) must not crash the server.
 *
 * @param options - where to listen (port and host); the checks pass port `0` and a loopback host.
 * @returns once the server listens: the real port, and `close()`, which closes every
 *   open connection and the server and resolves when all of them are gone.
 * @throws (the promise rejects) with the listen error, e.g. `EADDRINUSE`, if it cannot listen.
 */
export async function startEchoServer(options: ListenOptions): Promise<RunningServer> {
  // TODO: create a server with net.createServer(), echo each socket's data back to it,
  //       listen on options.port and options.host, and return { port, close }.
  throw new Error(`startEchoServer(${JSON.stringify(options)}) is not written yet: open exercises/tcp-echo/server.ts`);
}
