/**
 * The playground: a small local server the site's live demos, the Socket Inspector
 * and the handshake view talk to. One port (3210 by default), 127.0.0.1 only unless
 * asked otherwise, serving:
 *
 * - Socket.IO at `/socket.io/` with a few demo behaviours (see {@link demoEvents}),
 *   and the same at `/recovery/` with connection state recovery on;
 * - a plain WebSocket echo at `/ws`;
 * - JSON over HTTP under `/playground/`: `health`, `recordings/<engine id>`, `progress`.
 *
 * Only the site's origins may connect from a browser; payloads are capped; the
 * handshake recorder masks `auth` values and cookies.
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Server, type Socket } from 'socket.io';
import { WebSocketServer, type WebSocket } from 'ws';
import { originPolicy, siteOrigins } from './origins.ts';
import { ProgressService } from './progress.ts';
import { engineId, HandshakeRecorder } from './recorder.ts';

/** The playground's documented port. */
export const PLAYGROUND_PORT = 3210;

/** Largest message accepted, in bytes, on Socket.IO and on the plain WebSocket. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/** Where the Socket.IO server with connection state recovery listens (the reconnection demo's). */
export const RECOVERY_PATH = '/recovery/';

/** Where the plain WebSocket echo listens. */
export const WEBSOCKET_PATH = '/ws';

/** The demo events clients may emit, and what the playground does with each. */
export const demoEvents = {
  echo: 'echo(payload, ack): acknowledges with { echo: payload, at }',
  broadcast: 'broadcast(payload, ack?): everyone else receives "broadcast" { from, payload }',
  'room:join': 'room:join(room, ack): joins; the room receives "room:joined" { room, id }',
  'room:leave': 'room:leave(room, ack): leaves; the room receives "room:left" { room, id }',
  'room:message': 'room:message({ room, text }, ack): the other members receive "room:message" { room, from, text }',
  'clock:subscribe': 'clock:subscribe(ack?): receive "tick" { n, at } every second (at /recovery/, ticks missed during a short cut are replayed)',
  'clock:unsubscribe': 'clock:unsubscribe(ack?): stop the ticks',
  'recorder:get': 'recorder:get(ack): what crossed the wire for this connection so far',
} as const;

export interface PlaygroundOptions {
  /** Default {@link PLAYGROUND_PORT}; `0` picks a free port (the tests do). */
  readonly port?: number;
  /** Default `127.0.0.1`: nothing is reachable from the network. */
  readonly host?: string;
  /** Browser origins allowed to connect. Default: the site's, http://localhost:3000 and http://127.0.0.1:3000. */
  readonly allowedOrigins?: readonly string[];
  /** Default {@link MAX_PAYLOAD_BYTES}. */
  readonly maxPayloadBytes?: number;
  /** Milliseconds between clock ticks. Default 1000. */
  readonly tickMs?: number;
  /** Engine.IO heartbeat, for tests that want to see pings soon. Defaults: Socket.IO's (25000 and 20000). */
  readonly pingInterval?: number;
  readonly pingTimeout?: number;
  /** Serves `/playground/progress`. Default: runs `npm run check -- --json`. */
  readonly progress?: ProgressService;
}

export interface Playground {
  readonly port: number;
  readonly host: string;
  /** `http://<host>:<port>` */
  readonly url: string;
  readonly io: Server;
  /** The same demo behaviours at {@link RECOVERY_PATH}, with connection state recovery on. */
  readonly recoveryIo: Server;
  readonly recorder: HandshakeRecorder;
  close(): Promise<void>;
}

const ROOM_NAME = /^[\w .:-]{1,40}$/;
const CLOCK_ROOM = 'clock';

export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const host = options.host ?? '127.0.0.1';
  const allowedOrigins = options.allowedOrigins ?? siteOrigins();
  const allowed = originPolicy(allowedOrigins);
  const maxPayloadBytes = options.maxPayloadBytes ?? MAX_PAYLOAD_BYTES;
  const progress = options.progress ?? new ProgressService();
  const recorder = new HandshakeRecorder();

  const httpServer = http.createServer((req, res) => handleHttp(req, res));
  const shared = {
    cors: { origin: [...allowedOrigins], methods: ['GET', 'POST'] },
    // CORS alone does not protect WebSocket handshakes: browsers never apply it to them.
    allowRequest: (req: http.IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void) => callback(null, allowed(req.headers.origin)),
    maxHttpBufferSize: maxPayloadBytes,
    ...(options.pingInterval ? { pingInterval: options.pingInterval } : {}),
    ...(options.pingTimeout ? { pingTimeout: options.pingTimeout } : {}),
  };
  const io = new Server(httpServer, shared);
  // A second server for the reconnection demo: with connection state recovery on, every
  // event the server sends carries one more argument (the offset to resume from),
  // which would puzzle anyone reading the main server's events in the Inspector.
  const recoveryIo = new Server(httpServer, {
    ...shared,
    path: RECOVERY_PATH,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
  });
  recorder.attach(io, httpServer);
  for (const server of [io, recoveryIo]) server.on('connection', (socket) => demo(server, socket, recorder));

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxPayloadBytes });
  const plainClients = new Set<WebSocket>();
  httpServer.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== WEBSOCKET_PATH) return; // Socket.IO's, or nobody's
    if (!allowed(req.headers.origin)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      plainClients.add(ws);
      ws.on('close', () => plainClients.delete(ws));
      ws.on('error', () => ws.terminate());
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    });
  });

  let tick = 0;
  const clock = setInterval(() => {
    tick++;
    for (const server of [io, recoveryIo]) server.to(CLOCK_ROOM).emit('tick', { n: tick, at: Date.now() });
  }, options.tickMs ?? 1000);

  function handleHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!allowed(origin)) return json(res, 403, { error: `Origin ${origin} is not allowed. The playground answers the workbook's site only.` });
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Max-Age': '600' }).end();
      return;
    }
    if (pathname === '/playground/health' && req.method === 'GET') {
      return json(res, 200, {
        name: 'socket-workbook-playground',
        socketIo: { path: '/socket.io/', withRecovery: RECOVERY_PATH },
        webSocket: { path: WEBSOCKET_PATH },
        maxPayloadBytes,
        events: demoEvents,
      });
    }
    const recording = /^\/playground\/recordings\/([\w-]{1,64})$/.exec(pathname);
    if (recording && req.method === 'GET') {
      const found = recorder.get(recording[1]!);
      return found ? json(res, 200, found) : json(res, 404, { error: `No recording for connection ${recording[1]}: it never connected here, or it was dropped.` });
    }
    if (pathname === '/playground/progress') {
      if (req.method === 'POST') return json(res, 202, progress.refresh());
      if (req.method === 'GET') return json(res, 200, progress.state);
    }
    json(res, 404, {
      error: `Nothing at ${pathname}.`,
      about: `This is the Socket Workbook playground: Socket.IO at /socket.io/, a plain WebSocket echo at ${WEBSOCKET_PATH}, JSON at /playground/health.`,
    });
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? PLAYGROUND_PORT, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    clearInterval(clock);
    progress.close();
    throw error;
  });
  const { port } = httpServer.address() as AddressInfo;

  return {
    port,
    host,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    io,
    recoveryIo,
    recorder,
    close: async () => {
      clearInterval(clock);
      progress.close();
      for (const ws of plainClients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => void recoveryIo.close(() => resolve()));
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      httpServer.closeAllConnections();
    },
  };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The demo behaviours, for one connected client. Every payload is untrusted: check before use. */
function demo(io: Server, socket: Socket, recorder: HandshakeRecorder): void {
  const answer = (ack: unknown, value: unknown) => {
    if (typeof ack === 'function') ack(value);
  };
  socket.emit('welcome', { id: socket.id, recovered: socket.recovered, events: Object.keys(demoEvents) });

  socket.on('echo', (payload: unknown, ack: unknown) => {
    if (typeof ack === 'function') ack({ echo: payload, at: Date.now() });
    else socket.emit('echo', { echo: payload, at: Date.now() });
  });

  socket.on('broadcast', (payload: unknown, ack: unknown) => {
    socket.broadcast.emit('broadcast', { from: socket.id, payload });
    answer(ack, { ok: true, others: io.of('/').sockets.size - 1 });
  });

  const roomOf = (value: unknown): string | undefined => {
    const room = typeof value === 'object' && value !== null ? (value as { room?: unknown }).room : value;
    return typeof room === 'string' && ROOM_NAME.test(room) && room !== CLOCK_ROOM && !io.of('/').sockets.has(room) ? room : undefined;
  };
  const badRoom = { ok: false, error: 'a room is a name of 1 to 40 letters, digits, spaces or . : _ -' };

  socket.on('room:join', async (value: unknown, ack: unknown) => {
    const room = roomOf(value);
    if (!room) return answer(ack, badRoom);
    await socket.join(room);
    socket.to(room).emit('room:joined', { room, id: socket.id });
    answer(ack, { ok: true, room, members: (await io.in(room).fetchSockets()).map((s) => s.id) });
  });

  socket.on('room:leave', async (value: unknown, ack: unknown) => {
    const room = roomOf(value);
    if (!room) return answer(ack, badRoom);
    await socket.leave(room);
    socket.to(room).emit('room:left', { room, id: socket.id });
    answer(ack, { ok: true, room });
  });

  socket.on('room:message', (value: unknown, ack: unknown) => {
    const room = roomOf(value);
    const text = typeof value === 'object' && value !== null ? (value as { text?: unknown }).text : undefined;
    if (!room || typeof text !== 'string') return answer(ack, { ok: false, error: 'send { room, text } with a room you joined' });
    if (!socket.rooms.has(room)) return answer(ack, { ok: false, error: `not a member of "${room}": emit room:join first` });
    socket.to(room).emit('room:message', { room, from: socket.id, text });
    answer(ack, { ok: true });
  });

  socket.on('clock:subscribe', async (ack: unknown) => {
    await socket.join(CLOCK_ROOM);
    answer(ack, { ok: true });
  });
  socket.on('clock:unsubscribe', async (ack: unknown) => {
    await socket.leave(CLOCK_ROOM);
    answer(ack, { ok: true });
  });

  socket.on('recorder:get', (ack: unknown) => answer(ack, recorder.get(engineId(socket)) ?? null));
}
