/**
 * `npm run measure:transports`: short polling, long-polling, Server-Sent Events and
 * WebSocket side by side, on loopback. One HTTP server pushes the same messages
 * (one every `--interval` ms) to one client per technique, and this script counts
 * every byte that crossed the TCP connections (both directions, HTTP headers,
 * empty polls and handshakes included) and the delay from the moment the server
 * had the message to the moment the client could read it.
 *
 * The result goes to docs/src/components/TransportChart/measurements.json, which
 * the "No polling" chart of the WebSocket lesson reads: rerun it on your machine
 * and the chart (after a rebuild, or live under `npm start`) shows your numbers.
 *
 *   npm run measure:transports [-- --messages 100 --interval 50 --poll 250 --out file.json]
 *
 * @module
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer } from 'ws';

export type Technique = 'short-polling' | 'long-polling' | 'sse' | 'websocket';

export interface TechniqueResult {
  technique: Technique;
  /** Messages the server sent and the client received (all of them, or the run failed). */
  messages: number;
  /** Size of one message's payload (the JSON text), in bytes. */
  payloadBytes: number;
  /** Every byte on the TCP connections, both directions, from the first request to the last message. */
  totalBytes: number;
  /** totalBytes / messages: what one message really costs, overhead included. */
  bytesPerMessage: number;
  /** HTTP requests the client made (SSE and WebSocket: just the first one). */
  requests: number;
  /** TCP connections opened. */
  connections: number;
  /** Delay from "the server has it" to "the client read it", in milliseconds. */
  latencyMs: { median: number; p95: number; max: number; mean: number };
}

export interface Measurements {
  measuredAt: string;
  machine: { node: string; platform: string; cpus: number; loadAverage: number[] };
  settings: { messages: number; intervalMs: number; pollIntervalMs: number; interface: 'loopback (127.0.0.1)' };
  results: TechniqueResult[];
}

export const defaultOutput = fileURLToPath(new URL('../../docs/src/components/TransportChart/measurements.json', import.meta.url));

interface Run {
  /** Called by the server side for every message: hands it to the technique's transport. */
  publish(message: string): void;
  /** The client's reader calls this when a message arrives. */
  received: (message: string) => void;
}

/** Measures one technique: starts a fresh server, a fresh client, sends `messages` messages. */
export async function measure(technique: Technique, options: { messages: number; intervalMs: number; pollIntervalMs: number }): Promise<TechniqueResult> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const pending: string[] = []; // for polling: messages the client has not fetched yet
  let heldResponse: http.ServerResponse | undefined; // long-polling: the request held open
  let sseResponse: http.ServerResponse | undefined;

  const server = http.createServer((request, response) => {
    requests++;
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/poll') {
      // Short polling: answer at once, with what is there (often nothing).
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`[${pending.splice(0).join(',')}]`);
    } else if (url.pathname === '/long-poll') {
      // Long-polling: answer at once if something waits, else hold the request.
      if (pending.length > 0) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(`[${pending.splice(0).join(',')}]`);
      } else heldResponse = response;
    } else if (url.pathname === '/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      response.flushHeaders();
      sseResponse = response;
    } else response.writeHead(404).end();
  });
  server.on('connection', (socket) => sockets.add(socket));
  server.on('upgrade', () => requests++); // the WebSocket handshake is one HTTP request too
  const wss = new WebSocketServer({ server, path: '/ws' });
  let serverWs: WebSocket | undefined;
  wss.on('connection', (ws) => (serverWs = ws));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  // One kept-alive connection for the polling clients, as a browser would use.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let allReceived!: () => void;
  const done = new Promise<void>((resolve) => (allReceived = resolve));
  const run: Run = {
    publish(message) {
      if (technique === 'short-polling') pending.push(message);
      else if (technique === 'long-polling') {
        pending.push(message);
        if (heldResponse) {
          const held = heldResponse;
          heldResponse = undefined;
          held.writeHead(200, { 'content-type': 'application/json' });
          held.end(`[${pending.splice(0).join(',')}]`);
        }
      } else if (technique === 'sse') sseResponse?.write(`data: ${message}\n\n`);
      else serverWs?.send(message);
    },
    received(message) {
      const { n } = JSON.parse(message) as { n: number };
      latencies.push(performance.now() - (sentAt.get(n) ?? Number.NaN));
      if (latencies.length === options.messages) allReceived();
    },
  };

  let stopped = false;
  const get = (pathname: string) =>
    new Promise<string>((resolve, reject) => {
      http
        .get(`${base}${pathname}`, { agent }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve(body));
        })
        .on('error', reject);
    });

  // The client side of each technique.
  let clientWs: WebSocket | undefined;
  let sseRequest: http.ClientRequest | undefined;
  // A polling loop: a failed request after the run has stopped is the server closing.
  const pollLoop = (pathname: string, pauseMs: number) => {
    let failure: unknown;
    const loop = (async () => {
      while (!stopped) {
        for (const message of JSON.parse(await get(pathname)) as unknown[]) run.received(JSON.stringify(message));
        if (pauseMs > 0 && !stopped) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    })();
    loop.catch((error: unknown) => {
      if (!stopped) failure = error;
    });
    return () => failure;
  };
  let pollFailure: (() => unknown) | undefined;
  if (technique === 'short-polling') {
    pollFailure = pollLoop('/poll', options.pollIntervalMs);
  } else if (technique === 'long-polling') {
    pollFailure = pollLoop('/long-poll', 0);
  } else if (technique === 'sse') {
    await new Promise<void>((resolve) => {
      // What EventSource does: one GET, then read "data: …" lines separated by blank lines.
      sseRequest = http.get(`${base}/events`, (response) => {
        let buffer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            for (const line of event.split('\n')) if (line.startsWith('data: ')) run.received(line.slice(6));
          }
        });
        resolve();
      });
    });
  } else {
    clientWs = new WebSocket(`ws://127.0.0.1:${port}/ws`, { perMessageDeflate: false });
    clientWs.on('message', (data) => run.received(String(data)));
    await new Promise((resolve) => clientWs!.once('open', resolve));
  }
  // Let the client settle (the first poll, the held request, the open stream).
  await new Promise((resolve) => setTimeout(resolve, 50));

  const template = (n: number) => JSON.stringify({ n, text: 'hello from the server' });
  for (let n = 1; n <= options.messages; n++) {
    sentAt.set(n, performance.now());
    run.publish(template(n));
    if (n < options.messages) await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  await done;
  stopped = true;
  const failure = pollFailure?.();
  if (failure) throw failure;

  const totalBytes = [...sockets].reduce((sum, socket) => sum + socket.bytesRead + socket.bytesWritten, 0);
  const connections = sockets.size;
  clientWs?.terminate();
  sseRequest?.destroy();
  heldResponse?.end('[]');
  agent.destroy();
  wss.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));

  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    technique,
    messages: options.messages,
    payloadBytes: Buffer.byteLength(template(1)),
    totalBytes,
    bytesPerMessage: Math.round(totalBytes / options.messages),
    requests,
    connections,
    latencyMs: {
      median: round(at(0.5)),
      p95: round(at(0.95)),
      max: round(sorted.at(-1) ?? Number.NaN),
      mean: round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
    },
  };
}

export const techniques: readonly Technique[] = ['short-polling', 'long-polling', 'sse', 'websocket'];

export async function measureAll(options: { messages: number; intervalMs: number; pollIntervalMs: number }): Promise<Measurements> {
  const results: TechniqueResult[] = [];
  for (const technique of techniques) results.push(await measure(technique, options));
  return {
    measuredAt: new Date().toISOString(),
    machine: { node: process.version, platform: `${os.type()} ${os.release()}`, cpus: os.cpus().length, loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100) },
    settings: { messages: options.messages, intervalMs: options.intervalMs, pollIntervalMs: options.pollIntervalMs, interface: 'loopback (127.0.0.1)' },
    results,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '100' },
      interval: { type: 'string', default: '50' },
      poll: { type: 'string', default: '250' },
      out: { type: 'string', default: defaultOutput },
    },
  });
  const options = { messages: Number(values.messages), intervalMs: Number(values.interval), pollIntervalMs: Number(values.poll) };
  if (![options.messages, options.intervalMs, options.pollIntervalMs].every((value) => Number.isInteger(value) && value > 0)) {
    console.error('--messages, --interval and --poll take positive whole numbers');
    process.exit(2);
  }
  console.log(`Measuring on loopback: ${options.messages} messages, one every ${options.intervalMs} ms; short polling every ${options.pollIntervalMs} ms…`);
  const measurements = await measureAll(options);
  for (const r of measurements.results) {
    console.log(`${r.technique.padEnd(14)} ${String(r.bytesPerMessage).padStart(6)} bytes/message  median ${r.latencyMs.median} ms  p95 ${r.latencyMs.p95} ms  (${r.requests} requests, ${r.connections} connections)`);
  }
  fs.mkdirSync(path.dirname(values.out), { recursive: true });
  fs.writeFileSync(values.out, `${JSON.stringify(measurements, null, 2)}\n`);
  console.log(`Wrote ${path.relative(process.cwd(), values.out)} (load average ${measurements.machine.loadAverage.join(', ')}).`);
}
