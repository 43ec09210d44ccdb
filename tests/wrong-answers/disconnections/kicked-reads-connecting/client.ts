/**
 * Reference solution for `disconnections`.
 *
 * @module
 */
import { io } from 'socket.io-client';

/** How patiently to reconnect after losing the connection. */
export interface Backoff {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
}

/** Why a connection ended, told apart from Socket.IO's disconnect reason. */
export type DisconnectCause = 'kicked' | 'connection-lost' | 'ping-timeout' | 'closed';

/** Where the client stands. */
export type ConnectionState = 'online' | 'connecting' | 'offline';

/** A connection to a Socket.IO server that survives restarts and network trouble. */
export interface ResilientClient {
  send(event: string, payload: unknown): void;
  readonly state: ConnectionState;
  readonly causes: readonly DisconnectCause[];
  close(): void;
}

/** Socket.IO's disconnect reasons, grouped by what the application should make of them. */
function causeOf(reason: string): DisconnectCause {
  switch (reason) {
    case 'io server disconnect':
      return 'kicked';
    case 'io client disconnect':
      return 'closed';
    case 'ping timeout':
      return 'ping-timeout';
    default:
      // "transport close", "transport error", "parse error", "forced close": the link itself broke.
      return 'connection-lost';
  }
}

export function connectResilient(url: string, backoff: Backoff): ResilientClient {
  const socket = io(url, {
    // Stryker disable next-line BooleanLiteral: io() makes a new Manager anyway when the cached one already has the "/" namespace (socket.io-client's lookup, `sameNamespace`), so two clients never share a socket; forceNew only keeps the Manager out of that cache.
    forceNew: true,
    reconnectionDelay: backoff.initialDelayMs,
    reconnectionDelayMax: backoff.maxDelayMs,
    reconnectionAttempts: backoff.maxAttempts,
  });
  const causes: DisconnectCause[] = [];
  let gaveUp = false;

  socket.on('disconnect', (reason) => causes.push(causeOf(reason)));
  // The socket stays `active` after the last failed attempt: only the manager knows it gave up
  // (and once it has, nothing reconnects this socket: `close()` is all that is left to call).
  socket.io.on('reconnect_failed', () => {
    gaveUp = true;
  });

  return {
    // A plain emit is buffered by Socket.IO while disconnected and flushed, in order, on reconnection.
    send: (event, payload) => void socket.emit(event, payload),
    get state(): ConnectionState {
      if (socket.connected) return 'online';
      // `active` is false after a kick or close(): Socket.IO will not reconnect by itself.
      return gaveUp ? 'offline' : 'connecting';
    },
    causes,
    close: () => void socket.disconnect(),
  };
}
