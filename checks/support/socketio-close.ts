/**
 * `close()` of a learner's Socket.IO server, called while clients are still connected:
 * it must resolve in time, disconnect every client and stop listening. Testing it
 * only after the clients left lets an `httpServer.close()` alone through (it waits
 * for the clients, and never disconnects them).
 *
 * @module
 */
import { expectThat } from './check-failure.ts';
import type { SocketIoClient } from './clients.ts';
import type { StartedServer } from './learner-server.ts';
import { accepts } from './server-contract.ts';
import { eventually, formatMs, within } from './wait.ts';
import { CLOSE_LIMIT_MS } from './workbench.ts';

/**
 * Calls `server.close()` with `clients` still connected, and fails unless it resolves
 * within the close limit, every client is disconnected soon after, and the port
 * refuses new connections.
 */
export async function expectCloseDisconnectsClients(server: StartedServer, clients: readonly SocketIoClient[]): Promise<void> {
  const did = `Called close() with ${clients.length} clients still connected (${clients.map((client) => client.who).join(', ')})`;
  await within(Promise.resolve().then(() => server.close()), CLOSE_LIMIT_MS, () => ({
    did,
    expected: `it to resolve within ${formatMs(CLOSE_LIMIT_MS)}`,
    actual: `it had not resolved; ${clients.filter((client) => client.socket.connected).length} of the clients were still connected`,
    hint: '`httpServer.close()` alone waits for every client to leave, and they never do: close the Socket.IO server, `io.close(callback)`, which disconnects them and closes the HTTP server.',
  }));
  const gone = await eventually(() => clients.every((client) => !client.socket.connected), 1000);
  expectThat(gone, {
    did,
    expected: 'every client to be disconnected',
    actual: `still connected 1 s after close() resolved: ${clients.filter((client) => client.socket.connected).map((client) => client.who).join(', ')}`,
    hint: 'Close the Socket.IO server (`io.close()`), not only the HTTP server: it disconnects every client.',
  });
  expectThat(!(await accepts('127.0.0.1', server.port)), {
    did: `${did}, then opened a TCP connection to its port ${server.port}`,
    expected: 'the connection to be refused: the server is closed',
    actual: 'it was accepted: the server still listens',
    hint: 'Disconnecting the clients is not enough: close the server too. `io.close(callback)` does both.',
  });
}

/** The same, under the name the validation check uses. */
export const expectCloseWithClientsConnected = expectCloseDisconnectsClients;
