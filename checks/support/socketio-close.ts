/**
 * `close()` of a learner's Socket.IO server, tested while clients are still
 * connected: it must resolve in bounded time, disconnect every client, and stop
 * listening. Closing only the HTTP server waits for the clients to leave by
 * themselves; closing only the Socket.IO server's clients leaves the port open.
 *
 * @module
 */
import type { SocketIoClient } from './clients.ts';
import { expectThat } from './check-failure.ts';
import type { StartedServer } from './learner-server.ts';
import { accepts } from './server-contract.ts';
import { eventually, formatMs, within } from './wait.ts';
import { CLOSE_LIMIT_MS } from './workbench.ts';

/** Calls `server.close()` before any of `clients` leaves, and checks what a caller relies on. */
export async function expectCloseWithClientsConnected(server: StartedServer, clients: readonly SocketIoClient[]): Promise<void> {
  const names = clients.map((client) => client.who).join(' and ');
  const did = `Called close() on your server while ${names} ${clients.length === 1 ? 'was' : 'were'} still connected`;
  await within(Promise.resolve().then(() => server.close()), CLOSE_LIMIT_MS, () => ({
    did,
    expected: `close() to resolve within ${formatMs(CLOSE_LIMIT_MS)}, without waiting for the clients to leave`,
    actual: 'it had not resolved',
    hint: 'Close the Socket.IO server, not only the HTTP server: `io.close(callback)` disconnects every client and then closes the HTTP server.',
  }));
  await eventually(() => clients.every((client) => !client.socket.connected), 1000);
  const still = clients.filter((client) => client.socket.connected);
  expectThat(still.length === 0, {
    did,
    expected: 'every client disconnected',
    actual: `${still.map((client) => client.who).join(' and ')} still connected 1 s after close() resolved`,
    hint: '`io.close()` disconnects every client; `httpServer.close()` alone only stops accepting new connections.',
  });
  expectThat(!(await accepts('127.0.0.1', server.port)), {
    did: `${did}, then opened a TCP connection to its port ${server.port}`,
    expected: 'the connection to be refused: the server no longer listens',
    actual: 'it was accepted: the HTTP server still listens',
    hint: 'Close the HTTP server too: `io.close()` does it for the server it is attached to.',
  });
}
