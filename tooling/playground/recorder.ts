/**
 * The handshake recorder: for each Engine.IO connection to the playground, what crossed
 * the wire, step by step — the TCP connection, the HTTP request and response of the
 * Engine.IO handshake, the WebSocket upgrade and its `101`, the Engine.IO open packet,
 * the probe, the Socket.IO CONNECT, every event and acknowledgement, pings and pongs —
 * each labelled with its OSI layer and the lesson that explains it.
 *
 * It listens to the playground's own server (HTTP `request`/`upgrade` events, the
 * WebSocket server's `headers`, Engine.IO's `packet`/`packetCreate`), never to the
 * network: what it shows is what this server read and wrote. `auth` values and cookies
 * are masked before they are stored.
 *
 * @module
 */
import type http from 'node:http';
import type { Socket as NetSocket } from 'node:net';
import type { Server } from 'socket.io';
import { headerLines, pairs } from './masking.ts';
import {
  decodeSocketPacket,
  describeSocketPacket,
  encodeSocketPacket,
  engineTypes,
  maskSocketPacket,
  truncate,
} from './wire-packets.ts';

export type Protocol = 'TCP' | 'HTTP' | 'WebSocket' | 'Engine.IO' | 'Socket.IO';

/** A layer of the OSI model, as the lesson "Networks in layers" names them. */
export interface OsiLayer {
  readonly number: 4 | 7;
  readonly name: 'Transport' | 'Application';
}

/** The lesson (and section) that explains a step: `/lessons/<id>#<anchor>` on the site. */
export interface LessonRef {
  readonly id: string;
  readonly anchor?: string;
}

export interface WireStep {
  /** 1, 2, 3… in the order the server saw them. */
  readonly seq: number;
  /** When, in milliseconds since the epoch. */
  readonly at: number;
  readonly from: 'client' | 'server';
  readonly protocol: Protocol;
  readonly layer: OsiLayer;
  readonly lesson: LessonRef;
  /** One line: what this step is. */
  readonly title: string;
  /** What crossed the wire, as text (credentials masked, long payloads cut). */
  readonly text: string;
  /** The Engine.IO transport it travelled on, when there is one. */
  readonly transport?: 'polling' | 'websocket';
}

export interface Recording {
  /** The Engine.IO session id (`socket.io.engine.id` in the browser, `socket.conn.id` on the server). */
  readonly id: string;
  readonly startedAt: number;
  endedAt?: number;
  endReason?: string;
  /** The current (or last) transport. */
  transport: string;
  /** Socket.IO socket ids that used this connection (one per namespace joined). */
  readonly socketIds: string[];
  readonly steps: WireStep[];
  /** Steps not kept because the recording was full. */
  droppedSteps: number;
}

export interface RecorderOptions {
  /** Recordings kept at most; the oldest finished one goes first. Default 50. */
  readonly maxRecordings?: number;
  /** Steps kept per recording; later ones are counted, not kept. Default 400. */
  readonly maxSteps?: number;
}

const transportLayer: OsiLayer = { number: 4, name: 'Transport' };
const applicationLayer: OsiLayer = { number: 7, name: 'Application' };

/** The lessons (and sections) steps link to. A maintainer test checks each heading exists. */
export const lessons = {
  tcp: { id: 'tcp', anchor: 'the-three-way-handshake' },
  engineHandshake: { id: 'socket-io', anchor: 'the-handshake-and-the-upgrade' },
  wsHandshake: { id: 'websocket', anchor: 'the-opening-handshake' },
  socketPackets: { id: 'socket-io', anchor: 'the-socketio-packet-format' },
  // The heartbeat is explained right after the handshake.
  heartbeat: { id: 'socket-io', anchor: 'the-handshake-and-the-upgrade' },
} satisfies Record<string, LessonRef>;

type StepInput = Omit<WireStep, 'seq' | 'at'>;

interface EngineSocket {
  readonly id: string;
  readonly request: http.IncomingMessage;
  readonly transport: { readonly name: string };
  readonly protocol: number;
  on(event: string, listener: (...args: never[]) => void): unknown;
}

interface EnginePacket {
  readonly type: string;
  readonly data?: unknown;
}

export class HandshakeRecorder {
  private readonly recordings = new Map<string, Recording>();
  /** Steps seen on a handshake request before Engine.IO gave it a session id. */
  private readonly pending = new WeakMap<http.IncomingMessage, StepInput[]>();
  /** Handshake requests whose session now exists (their response may still be on its way). */
  private readonly sessionOf = new WeakMap<http.IncomingMessage, Recording>();
  /** TCP connections already shown, so a reused keep-alive connection is not shown twice. */
  private readonly seenSockets = new WeakMap<NetSocket, Set<string>>();
  private readonly maxRecordings: number;
  private readonly maxSteps: number;

  constructor(options: RecorderOptions = {}) {
    this.maxRecordings = options.maxRecordings ?? 50;
    this.maxSteps = options.maxSteps ?? 400;
  }

  /** The recording of one Engine.IO session, or `undefined` if it is unknown (or was dropped). */
  get(id: string): Recording | undefined {
    return this.recordings.get(id);
  }

  /** Every recording kept, oldest first. */
  list(): Recording[] {
    return [...this.recordings.values()];
  }

  /**
   * Starts recording every connection `io` accepts. Call it right after `new Server(httpServer)`
   * and before `httpServer.listen()`, so the recorder's listeners run before Engine.IO's.
   */
  attach(io: Server, httpServer: http.Server): void {
    const enginePath = `${io.path().replace(/\/$/, '')}/`;
    const isEngineRequest = (req: http.IncomingMessage) => (req.url ?? '').startsWith(enginePath);

    // Prepended: Engine.IO may answer synchronously, so our wrappers must be in place first.
    httpServer.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      if (!isEngineRequest(req) || sessionIdOf(req)) return;
      this.recordRequest(req, 'polling');
      this.wrapResponse(req, res);
    });
    httpServer.prependListener('upgrade', (req: http.IncomingMessage) => {
      if (isEngineRequest(req)) this.recordRequest(req, 'websocket');
    });
    // The WebSocket server exists once the HTTP server listens; its `headers` event
    // shows the 101 response lines just before they are written.
    httpServer.once('listening', () => {
      const wss = (io.engine as unknown as { ws?: { on(event: 'headers', fn: (lines: string[], req: http.IncomingMessage) => void): void } }).ws;
      wss?.on('headers', (lines, req) => {
        this.add(req, {
          from: 'server',
          protocol: 'WebSocket',
          layer: applicationLayer,
          lesson: lessons.wsHandshake,
          title: 'HTTP 101 Switching Protocols: from here on, WebSocket frames',
          text: [lines[0] ?? '', ...headerLines(lines.slice(1).map(splitHeaderLine))].join('\n'),
          transport: 'websocket',
        });
      });
    });

    io.engine.on('connection', (socket: EngineSocket) => this.follow(socket));
    io.on('connection', (socket) => {
      this.recordings.get(engineId(socket))?.socketIds.push(socket.id);
    });
  }

  private follow(socket: EngineSocket): void {
    const recording: Recording = {
      id: socket.id,
      startedAt: Date.now(),
      transport: socket.transport.name,
      socketIds: [],
      steps: [],
      droppedSteps: 0,
    };
    this.keep(recording);
    for (const step of this.pending.get(socket.request) ?? []) this.push(recording, step);
    this.pending.delete(socket.request);
    this.sessionOf.set(socket.request, recording);

    const transport = () => socket.transport.name as 'polling' | 'websocket';
    // Engine.IO wrote the open packet while creating the socket, before anyone could
    // listen: it is rebuilt here from the same values, the way Engine.IO builds it.
    const internals = socket as unknown as { server: { opts: Record<string, unknown> }; getAvailableUpgrades(): string[] };
    const open = {
      sid: socket.id,
      upgrades: internals.getAvailableUpgrades(),
      pingInterval: internals.server.opts.pingInterval,
      pingTimeout: internals.server.opts.pingTimeout,
      maxPayload: internals.server.opts.maxHttpBufferSize,
    };
    const polling = socket.transport.name === 'polling';
    this.push(recording, {
      from: 'server',
      protocol: 'Engine.IO',
      layer: applicationLayer,
      lesson: lessons.engineHandshake,
      title: `Engine.IO open: the session id, the possible upgrades and the heartbeat timing${polling ? ' (the body of the response above)' : ''}`,
      text: `0${JSON.stringify(open)}`,
      transport: transport(),
    });

    socket.on('packet', (packet: EnginePacket) => this.push(recording, this.packetStep(packet, 'client', transport())));
    socket.on('packetCreate', (packet: EnginePacket) => this.push(recording, this.packetStep(packet, 'server', transport())));
    socket.on('upgrading', (next: { on(event: 'packet', fn: (packet: EnginePacket) => void): void }) => {
      // Engine.IO answered the probe before telling us; both crossed the new WebSocket.
      this.push(recording, probeStep('client', '2probe', 'ping "probe": does the new WebSocket work?'));
      this.push(recording, probeStep('server', '3probe', 'pong "probe": it does'));
      next.on('packet', (packet) => {
        if (packet.type === 'upgrade') this.push(recording, probeStep('client', '5', 'upgrade: switch to WebSocket; polling is over'));
      });
    });
    socket.on('upgrade', () => {
      recording.transport = transport();
    });
    socket.on('close', (reason: string) => {
      recording.endedAt = Date.now();
      recording.endReason = reason;
    });
  }

  private packetStep(packet: EnginePacket, from: 'client' | 'server', transport: 'polling' | 'websocket'): StepInput {
    const digit = engineTypes.indexOf(packet.type as (typeof engineTypes)[number]);
    if (packet.type === 'message') {
      if (typeof packet.data !== 'string') {
        const size = (packet.data as { byteLength?: number } | undefined)?.byteLength ?? 0;
        return {
          from,
          protocol: 'Socket.IO',
          layer: applicationLayer,
          lesson: lessons.socketPackets,
          title: `binary attachment (${size} bytes)`,
          text: `<${size} bytes of binary data>`,
          transport,
        };
      }
      const decoded = decodeSocketPacket(packet.data);
      if (decoded) {
        const masked = maskSocketPacket(decoded, from);
        return {
          from,
          protocol: 'Socket.IO',
          layer: applicationLayer,
          lesson: lessons.socketPackets,
          title: describeSocketPacket(masked, from),
          text: truncate(`4${encodeSocketPacket(masked)}`),
          transport,
        };
      }
    }
    const data = typeof packet.data === 'string' ? packet.data : '';
    const heartbeat = packet.type === 'ping' || packet.type === 'pong';
    return {
      from,
      protocol: 'Engine.IO',
      layer: applicationLayer,
      lesson: heartbeat ? lessons.heartbeat : lessons.engineHandshake,
      title: heartbeat
        ? packet.type === 'ping'
          ? 'Engine.IO ping: the server checks the client is still there'
          : 'Engine.IO pong: the client answers the ping'
        : `Engine.IO ${packet.type}`,
      text: truncate(`${digit === -1 ? '?' : digit}${data}`),
      transport,
    };
  }

  private recordRequest(req: http.IncomingMessage, transport: 'polling' | 'websocket'): void {
    const local = `${req.socket.localAddress}:${req.socket.localPort}`;
    const remote = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    const seen = this.seenSockets.get(req.socket) ?? new Set<string>();
    this.seenSockets.set(req.socket, seen);
    const key = sessionIdOf(req) ?? 'handshake';
    if (!seen.has(key)) {
      seen.add(key);
      this.add(req, {
        from: 'client',
        protocol: 'TCP',
        layer: transportLayer,
        lesson: lessons.tcp,
        title: 'TCP connection (SYN, SYN-ACK, ACK) carries the HTTP request',
        text: `${remote} → ${local}`,
        transport,
      });
    }
    const upgrade = transport === 'websocket';
    this.add(req, {
      from: 'client',
      protocol: upgrade ? 'WebSocket' : 'HTTP',
      layer: applicationLayer,
      lesson: upgrade ? lessons.wsHandshake : lessons.engineHandshake,
      title: upgrade
        ? 'HTTP GET with Upgrade: websocket — the WebSocket opening handshake'
        : 'HTTP GET: the Engine.IO handshake over long-polling',
      text: [`${req.method} ${req.url} HTTP/${req.httpVersion}`, ...headerLines(pairs(req.rawHeaders))].join('\n'),
      transport,
    });
  }

  /** Records the status line, headers and body of the handshake's HTTP response. */
  private wrapResponse(req: http.IncomingMessage, res: http.ServerResponse): void {
    let head: string[] | undefined;
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => http.ServerResponse;
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      const extra = rest.find((arg) => typeof arg === 'object' && arg !== null) as http.OutgoingHttpHeaders | undefined;
      const headers = { ...res.getHeaders(), ...extra };
      const reason = typeof rest[0] === 'string' ? rest[0] : statusText(status);
      head = [`HTTP/1.1 ${status} ${reason}`, ...headerLines(Object.entries(headers) as Array<[string, string]>)];
      return writeHead(status, ...rest);
    }) as typeof res.writeHead;
    const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
    res.end = ((...args: unknown[]) => {
      const body = typeof args[0] === 'string' || Buffer.isBuffer(args[0]) ? String(args[0]) : '';
      this.add(req, {
        from: 'server',
        protocol: 'HTTP',
        layer: applicationLayer,
        lesson: lessons.engineHandshake,
        title: `HTTP ${res.statusCode} response to the handshake`,
        text: truncate([...(head ?? [`HTTP/1.1 ${res.statusCode} ${statusText(res.statusCode)}`]), '', body].join('\n')),
        transport: 'polling',
      });
      return end(...args);
    }) as typeof res.end;
  }

  /** Adds a step to the session `req` belongs to, or keeps it until that session exists. */
  private add(req: http.IncomingMessage, step: StepInput): void {
    const sid = sessionIdOf(req);
    const recording = sid ? this.recordings.get(sid) : this.sessionOf.get(req);
    if (recording) return this.push(recording, step);
    const waiting = this.pending.get(req) ?? [];
    waiting.push(step);
    this.pending.set(req, waiting);
  }

  private push(recording: Recording, step: StepInput): void {
    if (recording.steps.length >= this.maxSteps) {
      recording.droppedSteps++;
      return;
    }
    const last = recording.steps.at(-1);
    recording.steps.push({ seq: (last?.seq ?? 0) + 1, at: Date.now(), ...step });
  }

  private keep(recording: Recording): void {
    this.recordings.set(recording.id, recording);
    while (this.recordings.size > this.maxRecordings) {
      const oldest = [...this.recordings.values()].find((r) => r.endedAt !== undefined) ?? this.recordings.values().next().value!;
      this.recordings.delete(oldest.id);
    }
  }
}

/** The Engine.IO session id under a Socket.IO socket (typed private, but public in practice and in the docs). */
export function engineId(socket: { conn: unknown }): string {
  return (socket.conn as { id: string }).id;
}

function probeStep(from: 'client' | 'server', text: string, title: string): StepInput {
  return { from, protocol: 'Engine.IO', layer: applicationLayer, lesson: lessons.engineHandshake, title, text, transport: 'websocket' };
}

function sessionIdOf(req: http.IncomingMessage): string | undefined {
  const sid = new URL(req.url ?? '/', 'http://x').searchParams.get('sid');
  return sid ?? undefined;
}

function splitHeaderLine(line: string): [string, string] {
  const colon = line.indexOf(':');
  return colon === -1 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1).trim()];
}

const reasons: Record<number, string> = { 101: 'Switching Protocols', 200: 'OK', 204: 'No Content', 400: 'Bad Request', 403: 'Forbidden' };
function statusText(status: number): string {
  return reasons[status] ?? '';
}
