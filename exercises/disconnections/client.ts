/**
 * Exercise `disconnections`: a client that lives through an unreliable network.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- disconnections`.
 *
 * @module
 */
import { io } from 'socket.io-client';

/** How patiently to reconnect after losing the connection. */
export interface Backoff {
  /** How long to wait before the first reconnection attempt, in milliseconds. */
  readonly initialDelayMs: number;
  /** The longest wait between two attempts, however many failed, in milliseconds. */
  readonly maxDelayMs: number;
  /** How many reconnection attempts to make before giving up. */
  readonly maxAttempts: number;
}

/**
 * Why a connection ended, told apart from Socket.IO's disconnect reason:
 *
 * - `kicked`: the server closed this client's connection on purpose (`"io server disconnect"`);
 * - `connection-lost`: the connection broke — the server went away, the network
 *   dropped it, a packet could not be decoded, the engine was closed under the socket
 *   (`"transport close"`, `"transport error"`, `"parse error"`, `"forced close"`);
 * - `ping-timeout`: the server stopped answering, though nothing was closed (`"ping timeout"`);
 * - `closed`: this client called {@link ResilientClient.close} (`"io client disconnect"`).
 */
export type DisconnectCause = 'kicked' | 'connection-lost' | 'ping-timeout' | 'closed';

/**
 * Where the client stands:
 *
 * - `online`: connected;
 * - `connecting`: not connected, and trying (the first connection, or reconnecting);
 * - `offline`: not connected, and not trying any more: kicked, gave up after
 *   {@link Backoff.maxAttempts} attempts, or closed.
 */
export type ConnectionState = 'online' | 'connecting' | 'offline';

/** A connection to a Socket.IO server that survives restarts and network trouble. */
export interface ResilientClient {
  /**
   * Emits `event` with `payload`. While `connecting`, the event is kept and delivered
   * once the connection is back, in the order of the calls — never dropped.
   */
  send(event: string, payload: unknown): void;
  /** Where the client stands now. */
  readonly state: ConnectionState;
  /** The cause of every disconnection so far, oldest first. */
  readonly causes: readonly DisconnectCause[];
  /** Disconnects for good: no more attempts, nothing left running. */
  close(): void;
}

/**
 * Connects to `url` and keeps the connection alive: after a lost connection or a
 * ping timeout it reconnects with the given {@link Backoff}, giving up after
 * `backoff.maxAttempts` attempts; after a kick it does not reconnect.
 *
 * @param url - the server, e.g. `http://127.0.0.1:3000`.
 * @param backoff - the reconnection delays and the number of attempts.
 * @returns at once (connecting has only begun): the client.
 */
export function connectResilient(url: string, backoff: Backoff): ResilientClient {
  // TODO: create the socket with the reconnection options, record the cause of each
  //       `disconnect`, notice when the manager gives up (`socket.io.on("reconnect_failed")`),
  //       and return an object with `send`, `state`, `causes` and `close`.
  throw new Error(`connectResilient(${JSON.stringify(url)}, ${JSON.stringify(backoff)}) is not written yet: open exercises/disconnections/client.ts`);
}
