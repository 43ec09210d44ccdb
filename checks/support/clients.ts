/**
 * Real clients for checks: `net` sockets and `socket.io-client` sockets that record
 * what they receive, connect with bounded waits and are closed by the workbench.
 *
 * @module
 */
import net from 'node:net';
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import { fail } from './check-failure.ts';
import { EventQueue } from './event-queue.ts';
import { ANSWER_MS, formatMs, within } from './wait.ts';
import type { Workbench } from './workbench.ts';

/** How long a connection may take to open (see {@link ANSWER_MS}). */
export const CONNECT_LIMIT_MS = ANSWER_MS;

/**
 * How checks' Socket.IO clients connect: once (a refusal is a verdict, not something
 * to retry), on a connection of their own, over WebSocket (no polling round trips).
 */
export const CHECK_CLIENT_OPTIONS: Readonly<Partial<ManagerOptions & SocketOptions>> = { reconnection: false, forceNew: true, transports: ['websocket'] };

/** A TCP client that keeps every byte it receives. */
export class TcpClient {
  readonly socket: net.Socket;
  private readonly chunks: Buffer[] = [];
  private receivedLength = 0;
  private endedByPeer = false;
  private closed = false;
  private readonly listeners = new Set<() => void>();

  constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.receivedLength += chunk.length;
      this.notify();
    });
    socket.on('end', () => {
      this.endedByPeer = true;
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    // A reset by the server is recorded as a close; the check decides whether that is wrong.
    socket.on('error', () => {});
  }

  /** Everything received so far. */
  get received(): Buffer {
    return Buffer.concat(this.chunks, this.receivedLength);
  }

  /** Whether the server ended its side (a FIN arrived). */
  get ended(): boolean {
    return this.endedByPeer;
  }

  /** Resolves once at least `length` bytes arrived, or the connection ended or closed first. */
  async receive(length: number, limitMs: number, describe: () => { did: string; hint?: string }): Promise<Buffer> {
    await this.until(() => this.receivedLength >= length || this.endedByPeer || this.closed, limitMs, () => ({
      ...describe(),
      expected: `${length} bytes back within ${formatMs(limitMs)}`,
      actual: `${this.receivedLength} bytes arrived`,
    }));
    return this.received;
  }

  /** Resolves once the server ended its side of the connection. */
  async serverEnded(limitMs: number, describe: () => { did: string; expected: string; hint?: string }): Promise<void> {
    await this.until(() => this.endedByPeer || this.closed, limitMs, () => ({
      ...describe(),
      actual: `the connection was still open after ${formatMs(limitMs)}`,
    }));
  }

  private until(done: () => boolean, limitMs: number, report: Parameters<typeof within>[2]): Promise<void> {
    if (done()) return Promise.resolve();
    let check: (() => void) | undefined;
    const reached = new Promise<void>((resolve) => {
      check = () => done() && resolve();
      this.listeners.add(check);
    });
    return within(reached, limitMs, report).finally(() => check && this.listeners.delete(check));
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/**
 * Opens a TCP connection to `port` on 127.0.0.1; the workbench destroys it at teardown.
 * With `allowHalfOpen`, the client keeps its own side open after the server ends its
 * side, as a client that is slow to hang up does (by default Node ends it at once).
 */
export async function connectTcp(workbench: Workbench, port: number, who = 'a TCP client', options: { allowHalfOpen?: boolean } = {}): Promise<TcpClient> {
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: options.allowHalfOpen ?? false });
  const client = new TcpClient(socket);
  workbench.defer(who, () => socket.destroy());
  await within(
    new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    }).catch((error: Error) =>
      fail({
        did: `Opened ${who} to 127.0.0.1:${port}`,
        expected: 'the connection to be accepted',
        actual: `it failed: ${error.message}`,
        hint: 'Is your server listening on the port it reported?',
      }),
    ),
    CONNECT_LIMIT_MS,
    () => ({ did: `Opened ${who} to 127.0.0.1:${port}`, expected: `the connection to be accepted within ${formatMs(CONNECT_LIMIT_MS)}` }),
  );
  return client;
}

/** A connected Socket.IO client and the events it received. */
export interface SocketIoClient {
  readonly socket: Socket;
  /** Every event the server sent this client, buffered. */
  readonly events: EventQueue;
  /** A name for messages, e.g. `client B`. */
  readonly who: string;
}

/**
 * Connects a real `socket.io-client` to `url` with reconnection off, recording every
 * event from the moment it connects. Fails with a learner-facing message if the
 * connection is refused or does not open in time. The workbench disconnects it.
 */
export async function connectSocketIo(
  workbench: Workbench,
  url: string,
  who: string,
  options: Partial<ManagerOptions & SocketOptions> = {},
): Promise<SocketIoClient> {
  // Loaded on first use, so that checks of plain TCP exercises do not pay for it.
  const { io } = await import('socket.io-client');
  const socket = io(url, { ...CHECK_CLIENT_OPTIONS, autoConnect: false, ...options });
  const events = new EventQueue();
  // Listen before connecting: an event emitted on connection arrives in the same tick as `connect`.
  socket.onAny((name: string, ...args: unknown[]) => events.push(name, args));
  workbench.defer(who, () => socket.disconnect());
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  socket.connect();
  await within(
    opened.catch((error: Error) =>
      fail({
        did: `Connected ${who} (socket.io-client) to ${url}`,
        expected: 'the connection to be accepted',
        actual: `connect_error: ${error.message}`,
        hint: 'Is a Socket.IO server attached to the HTTP server that listens on this port?',
      }),
    ),
    CONNECT_LIMIT_MS,
    () => ({ did: `Connected ${who} (socket.io-client) to ${url}`, expected: `the connection to open within ${formatMs(CONNECT_LIMIT_MS)}` }),
  );
  return { socket, events, who };
}
