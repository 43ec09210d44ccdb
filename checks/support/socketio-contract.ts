/**
 * Rules every Socket.IO server exercise shares: `close()` disconnects every client
 * (not only the HTTP server), and an event sent without the acknowledgement callback
 * the server expects neither crashes it nor drops the client.
 *
 * @module
 */
import type { RunningServer } from '../../exercises/types.ts';
import { expectThat } from './check-failure.ts';
import type { SocketIoClient } from './clients.ts';
import { eventually, formatMs, within } from './wait.ts';

/** How long `close()` may take with clients still connected. */
const CLOSE_WITH_CLIENTS_MS = 2000;
/** How long the clients may take to notice they were disconnected, once `close()` resolved. */
const NOTICE_MS = 1000;

/**
 * Calls `server.close()` while every one of `clients` is still connected (`story`
 * says how they got there): it must resolve in time, and every client must then
 * be disconnected by the server.
 */
export async function expectCloseDisconnectsEveryClient(server: RunningServer, clients: readonly SocketIoClient[], story: string): Promise<void> {
  const did = `${story}; then, with ${clients.length} clients still connected, the check called close()`;
  expectThat(
    clients.every((client) => client.socket.connected),
    { did: story, expected: 'every client to be connected before close()', actual: `${clients.filter((c) => !c.socket.connected).map((c) => c.who).join(', ')} was disconnected already` },
  );
  await within(server.close(), CLOSE_WITH_CLIENTS_MS, () => ({
    did,
    expected: `close() to resolve within ${formatMs(CLOSE_WITH_CLIENTS_MS)}`,
    actual: 'it had not resolved: it waits for the connected clients to leave by themselves',
    hint: 'Close the Socket.IO server, which disconnects every client of every namespace and then closes the HTTP server: `io.close(() => resolve())`. `httpServer.close()` alone waits for the clients.',
  }));
  const gone = await eventually(() => clients.every((client) => !client.socket.connected), NOTICE_MS);
  expectThat(gone, {
    did,
    expected: `every client to be disconnected within ${formatMs(NOTICE_MS)} of close() resolving`,
    actual: `still connected: ${clients.filter((c) => c.socket.connected).map((c) => c.who).join(', ')}`,
    hint: '`io.close()` disconnects every client of every namespace; disconnecting the sockets of one namespace (`io.disconnectSockets()` is only `/`) leaves the others connected.',
  });
}
