/**
 * Connection attempts that may rightly be refused: a client that reports whether
 * the server let it in (`connect`) or turned it away (`connect_error`), for checks
 * where refusing is the expected behaviour.
 *
 * @module
 */
import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import { CHECK_CLIENT_OPTIONS, CONNECT_LIMIT_MS } from './clients.ts';
import { formatMs, within } from './wait.ts';
import type { Workbench } from './workbench.ts';

/** How an attempt ended: let in, or refused with the `connect_error` the client received. */
export type ConnectAttempt = { readonly connected: true } | { readonly connected: false; readonly error: Error & { data?: unknown } };

/**
 * Connects a `socket.io-client` to `url` once (no reconnection) and resolves with
 * how it ended. Fails with a learner-facing message if neither `connect` nor
 * `connect_error` comes in time; `hint` says what the learner should look at then.
 * The workbench disconnects the socket.
 */
export async function attemptSocketIo(
  workbench: Workbench,
  url: string,
  who: string,
  options: Partial<ManagerOptions & SocketOptions> = {},
  hint?: string,
): Promise<ConnectAttempt> {
  const { io } = await import('socket.io-client');
  const socket = io(url, { ...CHECK_CLIENT_OPTIONS, ...options });
  workbench.defer(who, () => socket.disconnect());
  return within(
    new Promise<ConnectAttempt>((resolve) => {
      socket.once('connect', () => resolve({ connected: true }));
      socket.once('connect_error', (error) => resolve({ connected: false, error }));
    }),
    CONNECT_LIMIT_MS,
    () => ({
      did: `Connected ${who} to ${url}`,
      expected: `\`connect\` or \`connect_error\` within ${formatMs(CONNECT_LIMIT_MS)}`,
      actual: 'neither happened: the connection hung',
      ...(hint === undefined ? {} : { hint }),
    }),
  );
}
