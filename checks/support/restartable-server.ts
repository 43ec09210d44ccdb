/**
 * A reference Socket.IO server that a check can crash, freeze and restart on the
 * same port, to test how a learner's client lives through an unreliable network.
 *
 * @module
 */
import http from 'node:http';
import net from 'node:net';
import type { Server, ServerOptions } from 'socket.io';
import { sleep } from './wait.ts';
import type { Workbench } from './workbench.ts';

/** A reference server whose life the check controls. */
export interface RestartableServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The Socket.IO server of the current run; `undefined` while stopped. */
  readonly io: Server | undefined;
  /** When each connection attempt (a Socket.IO handshake) reached the port while the server was stopped, as `Date.now()`. */
  readonly refused: readonly number[];
  /** When the last `stop()` began, as `Date.now()`. */
  readonly stoppedAt: number | undefined;
  /**
   * Stops the way a crashed server does: every TCP connection is destroyed (no close
   * frame, no Socket.IO goodbye) and the port is released. With `{ refuse: true }` the
   * port stays held instead: each new connection is dropped as soon as its first request
   * arrives, and handshakes are recorded in {@link refused}, so that reconnection
   * attempts can be counted and timed.
   */
  stop(options?: { readonly refuse?: boolean }): Promise<void>;
  /** Starts again on the same port, with the same setup and options. */
  start(): Promise<void>;
  /**
   * Makes the network silent without closing anything: whatever the server sends to
   * the clients connected now (pings included) stays in its buffers, as on a link that
   * drops packets. Clients that connect later are not affected.
   */
  freeze(): void;
  /**
   * Breaks every current connection with an error rather than a close, the server going
   * on serving: a WebSocket connection receives bytes that are no valid frame, and a
   * polling one has its HTTP connections cut under a pending request. The client's
   * Socket.IO reports `"transport error"`.
   */
  garble(): void;
}

/** How long to keep trying when the port is still busy right after a stop. */
const REBIND_LIMIT_MS = 1000;

/** Listens on `port`, retrying briefly while the port is still in use. */
async function listenOn(server: net.Server, port: number): Promise<void> {
  const deadline = Date.now() + REBIND_LIMIT_MS;
  for (;;) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || Date.now() > deadline) throw error;
      await sleep(20);
    }
  }
}

/**
 * Starts a Socket.IO server on 127.0.0.1 and an ephemeral port; `setup` attaches the
 * handlers of each run (it is called again after every restart). The workbench stops it.
 */
export async function startRestartableServer(
  workbench: Workbench,
  setup: (io: Server) => void,
  options: Partial<ServerOptions> = {},
): Promise<RestartableServer> {
  let port = 0;
  /** The Socket.IO server of the current run, serving or (stopped with `refuse`) holding the port. */
  let run: Server | undefined;
  let serving = false;
  const refused: number[] = [];
  let stoppedAt: number | undefined;
  const sockets = new Set<net.Socket>();

  /**
   * Drops a connection made while stopped, once its first request line shows what it
   * was: a handshake (no `sid`) is a new connection attempt; a request of an old session
   * (a late poll, an upgrade probe) is not, and is not counted.
   */
  const refuse = (socket: net.Socket) => {
    socket.once('data', (chunk: Buffer) => {
      const requestLine = chunk.toString('latin1').split('\r\n', 1)[0] ?? '';
      if (!/[?&]sid=/.test(requestLine)) refused.push(Date.now());
      socket.destroy();
    });
  };

  const closeRun = async () => {
    const closing = run;
    run = undefined;
    if (closing) await new Promise<void>((resolve) => void closing.close(() => resolve()));
  };

  const start = async () => {
    if (serving) return;
    await closeRun();
    const httpServer = http.createServer();
    httpServer.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      if (!serving) refuse(socket);
    });
    const { Server } = await import('socket.io');
    const next = new Server(httpServer, options);
    setup(next);
    await listenOn(httpServer, port);
    port = (httpServer.address() as net.AddressInfo).port;
    run = next;
    serving = true;
  };

  const stop = async ({ refuse = false } = {}) => {
    stoppedAt = Date.now();
    serving = false;
    for (const socket of sockets) socket.destroy();
    // Refusing keeps the port from the first instant, so that no reconnection attempt goes uncounted.
    if (!refuse) await closeRun();
  };

  await start();
  workbench.defer('the reference server', async () => {
    serving = false;
    for (const socket of sockets) socket.destroy();
    await closeRun();
  });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get io() {
      return serving ? run : undefined;
    },
    refused,
    get stoppedAt() {
      return stoppedAt;
    },
    stop,
    start,
    freeze() {
      for (const socket of sockets) socket.cork();
    },
    garble() {
      // Engine.IO's sessions: a WebSocket transport holds its `ws` socket, and that its TCP socket.
      const clients = Object.values((run?.engine as unknown as { clients?: Record<string, { transport?: { name?: string; socket?: { _socket?: net.Socket } } }> } | undefined)?.clients ?? {});
      for (const client of clients) {
        const raw = client.transport?.name === 'websocket' ? client.transport.socket?._socket : undefined;
        // 0xff: FIN with every reserved bit set and a reserved opcode — no WebSocket frame starts so.
        if (raw) raw.write(Buffer.from([0xff, 0x00]));
        else for (const socket of sockets) socket.destroy();
      }
    },
  };
}
