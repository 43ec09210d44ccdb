/**
 * `close()` of a learner's Socket.IO server, called while clients are still connected:
 * it must resolve in time, disconnect every client (of every namespace) and stop
 * listening. Testing it only after the clients left lets an `httpServer.close()`
 * alone through (it waits for the clients, and never disconnects them).
 *
 * @module
 */
import type { RunningServer } from '../../exercises/types.ts';
import { expectThat } from './check-failure.ts';
import type { SocketIoClient } from './clients.ts';
import { accepts } from './server-contract.ts';
import { eventually, formatMs, within } from './wait.ts';
import { CLOSE_LIMIT_MS } from './workbench.ts';

/** How long the clients may take to notice they were disconnected, once `close()` resolved. */
const NOTICE_MS = 1000;

/**
 * Calls `server.close()` with every one of `clients` still connected (`story`, when
 * given, says how they got there), and fails unless it resolves within the close
 * limit, every client is disconnected soon after, and the port refuses new connections.
 */
export async function expectCloseDisconnectsClients(server: RunningServer, clients: readonly SocketIoClient[], story?: string): Promise<void> {
  const names = clients.map((client) => client.who).join(', ');
  const did = story ? `${story}; then, with ${clients.length} clients still connected, the check called close()` : `Called close() with ${clients.length} clients still connected (${names})`;
  const early = clients.filter((client) => !client.socket.connected);
  expectThat(early.length === 0, {
    did: story ?? `Connected ${names}`,
    expected: 'every client to be connected before close()',
    actual: `${early.map((client) => client.who).join(', ')} had been disconnected already`,
  });
  await within(Promise.resolve().then(() => server.close()), CLOSE_LIMIT_MS, () => ({
    did,
    expected: `it to resolve within ${formatMs(CLOSE_LIMIT_MS)}`,
    actual: `it had not resolved; ${clients.filter((client) => client.socket.connected).length} of the clients were still connected`,
    hint: '`httpServer.close()` alone waits for every client to leave, and they never do: close the Socket.IO server, `io.close(callback)`, which disconnects them and closes the HTTP server.',
  }));
  const gone = await eventually(() => clients.every((client) => !client.socket.connected), NOTICE_MS);
  expectThat(gone, {
    did,
    expected: `every client to be disconnected within ${formatMs(NOTICE_MS)} of close() resolving`,
    actual: `still connected: ${clients.filter((client) => client.socket.connected).map((client) => client.who).join(', ')}`,
    hint: '`io.close()` disconnects every client of every namespace; disconnecting the sockets of one namespace (`io.disconnectSockets()` is only `/`) leaves the others connected.',
  });
  expectThat(!(await accepts('127.0.0.1', server.port)), {
    did: `${did}, then opened a TCP connection to its port ${server.port}`,
    expected: 'the connection to be refused: the server is closed',
    actual: 'it was accepted: the server still listens',
    hint: 'Disconnecting the clients is not enough: close the server too. `io.close(callback)` does both.',
  });
}
