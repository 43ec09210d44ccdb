/**
 * The playground, driven by real socket.io-client and ws clients on a free port:
 * its demo behaviours, its recorder, and its safety (origins, payload caps, ports).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { repoRoot } from '../../tooling/course/paths.ts';
import { ProgressService, type GradedExercise } from '../../tooling/playground/progress.ts';
import type { Recording } from '../../tooling/playground/recorder.ts';
import { startPlayground, type Playground } from '../../tooling/playground/server.ts';
import { client, closeAfterTest, connected, next, until } from './support.ts';

const siteOrigin = 'http://localhost:3000';
let playground: Playground;

beforeAll(async () => {
  playground = await startPlayground({
    port: 0,
    tickMs: 50,
    pingInterval: 150,
    pingTimeout: 1000,
    maxPayloadBytes: 4096,
    progress: new ProgressService(async (): Promise<GradedExercise[]> => [
      { id: 'tcp-echo', title: 'A TCP echo server', status: 'pass', message: 'ok' },
      { id: 'hello-socketio', title: 'Hello, Socket.IO', status: 'fail', message: 'not yet' },
    ]),
  });
});
afterAll(() => playground.close());

/** A `ws` client of the playground's plain WebSocket endpoint, closed after the test. */
function plainWebSocket(options: WebSocket.ClientOptions = {}): WebSocket {
  const ws = new WebSocket(`${playground.url.replace('http', 'ws')}/ws`, options);
  ws.on('error', () => {}); // a refused handshake is what some tests want
  closeAfterTest(() => ws.terminate());
  return ws;
}

describe('demo behaviours', () => {
  test('echo answers through the acknowledgement', async () => {
    const socket = client(playground.url);
    const welcome = await next<{ id: string; recovered: boolean }>(socket, 'welcome');
    expect(welcome).toMatchObject({ id: socket.id, recovered: false });
    const answer = await socket.timeout(2000).emitWithAck('echo', { text: 'hi' });
    expect(answer).toMatchObject({ echo: { text: 'hi' }, at: expect.any(Number) });
  });

  test('broadcast reaches the others, not the sender', async () => {
    const [a, b] = [client(playground.url), client(playground.url)];
    await Promise.all([connected(a), connected(b)]);
    const heardByA: unknown[] = [];
    a.on('broadcast', (message) => heardByA.push(message));
    const heard = next(b, 'broadcast');
    await a.timeout(2000).emitWithAck('broadcast', 'hello all');
    expect(await heard).toEqual({ from: a.id, payload: 'hello all' });
    await a.timeout(2000).emitWithAck('echo', 'round trip, so a late broadcast to a would be here by now');
    expect(heardByA).toEqual([]);
  });

  test('a room message reaches the other members only', async () => {
    const [a, b, outsider] = [client(playground.url), client(playground.url), client(playground.url)];
    await Promise.all([connected(a), connected(b), connected(outsider)]);
    const heardByOutsider: unknown[] = [];
    outsider.on('room:message', (message) => heardByOutsider.push(message));
    expect(await a.timeout(2000).emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true, members: [a.id] });
    const joined = next(a, 'room:joined');
    expect(await b.timeout(2000).emitWithAck('room:join', { room: 'lobby' })).toMatchObject({ ok: true });
    expect(await joined).toEqual({ room: 'lobby', id: b.id });

    const message = next(b, 'room:message');
    expect(await a.timeout(2000).emitWithAck('room:message', { room: 'lobby', text: 'psst' })).toEqual({ ok: true });
    expect(await message).toEqual({ room: 'lobby', from: a.id, text: 'psst' });
    expect(await outsider.timeout(2000).emitWithAck('room:message', { room: 'lobby', text: 'let me in' })).toMatchObject({ ok: false, error: expect.stringContaining('not a member') });
    expect(await outsider.timeout(2000).emitWithAck('room:join', '')).toMatchObject({ ok: false });
    expect(heardByOutsider).toEqual([]);
  });

  test('the clock ticks for subscribers', async () => {
    const socket = client(playground.url);
    await socket.timeout(2000).emitWithAck('clock:subscribe');
    const tick = await next<{ n: number; at: number }>(socket, 'tick');
    expect(tick).toEqual({ n: expect.any(Number), at: expect.any(Number) });
  });

  test("the main server's events carry exactly the arguments sent (no recovery offset)", async () => {
    const socket = client(playground.url);
    const args = await new Promise<unknown[]>((resolve) => socket.once('welcome', (...received: unknown[]) => resolve(received)));
    expect(args).toHaveLength(1);
  });

  test('at /recovery/, a client cut for a moment gets its session back, and the ticks it missed', async () => {
    const socket = client(playground.url, { path: '/recovery/', transports: ['websocket'], reconnection: true, reconnectionDelay: 200, randomizationFactor: 0 });
    const ticks: number[] = [];
    socket.on('tick', (tick: { n: number }) => ticks.push(tick.n));
    await connected(socket);
    await socket.timeout(2000).emitWithAck('clock:subscribe');
    await until(() => ticks.length >= 2, 'two ticks');
    const id = socket.id;
    const gone = next(socket, 'disconnect');
    const back = next(socket, 'connect', 3000);
    socket.io.engine.close(); // as when the network drops
    await gone;
    await back;
    expect(socket.recovered).toBe(true);
    expect(socket.id).toBe(id);
    const seen = ticks.length;
    await until(() => ticks.length >= seen + 2, 'ticks after the cut');
    expect(ticks).toEqual(ticks.map((_, i) => ticks[0]! + i)); // none missing, none twice
  });

  test('the plain WebSocket endpoint echoes text and binary', async () => {
    const ws = plainWebSocket();
    const messages: Array<{ data: Buffer; isBinary: boolean }> = [];
    ws.on('message', (data, isBinary) => messages.push({ data: data as Buffer, isBinary }));
    await next(ws, 'open');
    ws.send('hello');
    ws.send(Buffer.from([1, 2, 3]));
    await until(() => messages.length === 2, 'two echoes');
    expect(messages[0]).toEqual({ data: Buffer.from('hello'), isBinary: false });
    expect(messages[1]).toEqual({ data: Buffer.from([1, 2, 3]), isBinary: true });
  });

  test('health says what is where; anything else is a 404 that says the same', async () => {
    const health = await fetch(`${playground.url}/playground/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ socketIo: { path: '/socket.io/' }, webSocket: { path: '/ws' }, maxPayloadBytes: 4096 });
    const missing = await fetch(`${playground.url}/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ about: expect.stringContaining('/socket.io/') });
  });
});

describe('the handshake recorder', () => {
  test('records what crossed the wire, in order, with auth and cookies masked', async () => {
    const socket = client(playground.url, {
      auth: { token: 'top-secret-token' },
      extraHeaders: { Origin: siteOrigin, Cookie: 'session=cookie-secret' },
    });
    await connected(socket);
    await until(() => socket.io.engine.transport.name === 'websocket', 'upgraded to WebSocket');
    await socket.timeout(2000).emitWithAck('echo', 'recorded');
    await new Promise((resolve) => setTimeout(resolve, 400)); // a ping or two (pingInterval is 150 ms)

    const viaEvent = (await socket.timeout(2000).emitWithAck('recorder:get')) as Recording;
    const response = await fetch(`${playground.url}/playground/recordings/${socket.io.engine.id}`, { headers: { Origin: siteOrigin } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(siteOrigin);
    const viaHttp = (await response.json()) as Recording;

    for (const recording of [viaEvent, viaHttp]) {
      expect(recording.id).toBe(socket.io.engine.id);
      expect(recording.socketIds).toContain(socket.id);
      const json = JSON.stringify(recording);
      expect(json).not.toContain('top-secret-token');
      expect(json).not.toContain('cookie-secret');

      const steps = recording.steps;
      const index = (predicate: (step: (typeof steps)[number]) => boolean, what: string) => {
        const i = steps.findIndex(predicate);
        expect(i, `${what} in\n${steps.map((s) => `${s.seq} ${s.title}`).join('\n')}`).toBeGreaterThanOrEqual(0);
        return i;
      };
      const tcp = index((s) => s.protocol === 'TCP' && s.layer.number === 4 && s.lesson.id === 'tcp', 'the TCP connection');
      const handshake = index((s) => s.protocol === 'HTTP' && s.from === 'client' && /^GET \/socket\.io\/\?EIO=4&transport=polling/.test(s.text), 'the handshake request');
      expect(steps[handshake]!.text).toContain('Cookie: session=•••');
      const handshakeResponse = index((s) => s.protocol === 'HTTP' && s.from === 'server' && s.text.startsWith('HTTP/1.1 200 OK'), 'the handshake response');
      expect(steps[handshakeResponse]!.text).toMatch(/\n0\{"sid":/);
      const open = index((s) => s.protocol === 'Engine.IO' && s.text.startsWith(`0{"sid":"${socket.io.engine.id}"`), 'the open packet');
      const upgrade = index((s) => s.protocol === 'WebSocket' && s.from === 'client' && /Upgrade: websocket/i.test(s.text), 'the upgrade request');
      const switching = index((s) => s.text.startsWith('HTTP/1.1 101 Switching Protocols'), 'the 101 response');
      expect(steps[switching]!.text).toMatch(/Sec-WebSocket-Accept: \S+=/);
      expect(steps[switching]!.lesson.id).toBe('websocket');
      const probe = index((s) => s.text === '2probe', 'the probe');
      const connect = index((s) => s.protocol === 'Socket.IO' && s.from === 'client' && s.title.startsWith('Socket.IO CONNECT'), 'the CONNECT');
      expect(steps[connect]!.text).toBe('40{"token":"•••"}');
      const event = index((s) => s.text === '420["echo","recorded"]' || /^42\d+\["echo","recorded"\]$/.test(s.text), 'the echo event');
      const ack = index((s) => s.from === 'server' && s.title.startsWith('acknowledgement #') && s.text.includes('"echo":"recorded"'), 'its acknowledgement');
      index((s) => s.protocol === 'Engine.IO' && s.from === 'server' && s.text === '2', 'a ping');
      index((s) => s.protocol === 'Engine.IO' && s.from === 'client' && s.text === '3', 'a pong');

      expect(tcp).toBeLessThan(handshake);
      expect(handshake).toBeLessThan(handshakeResponse);
      expect(handshakeResponse).toBeLessThan(open);
      expect(open).toBeLessThan(connect);
      expect(upgrade).toBeLessThan(switching);
      expect(switching).toBeLessThan(probe);
      expect(event).toBeLessThan(ack);
      expect(steps.map((s) => s.seq)).toEqual(steps.map((_, i) => i + 1));
      for (const step of steps) expect([4, 7]).toContain(step.layer.number);
    }
  });

  test('a WebSocket-only connection records its upgrade as the handshake', async () => {
    const socket = client(playground.url, { transports: ['websocket'] });
    await connected(socket);
    const recording = (await socket.timeout(2000).emitWithAck('recorder:get')) as Recording;
    expect(recording.transport).toBe('websocket');
    expect(recording.steps.map((s) => s.protocol).slice(0, 4)).toEqual(['TCP', 'WebSocket', 'WebSocket', 'Engine.IO']);
    expect(recording.steps[1]!.text).toMatch(/^GET \/socket\.io\/\?EIO=4&transport=websocket HTTP\/1\.1/);
  });

  test('an unknown recording is a 404 with a reason', async () => {
    const response = await fetch(`${playground.url}/playground/recordings/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining('nope') });
  });
});

describe('safe by default', () => {
  test('a page from a foreign origin cannot connect, over polling or WebSocket', async () => {
    const polling = client(playground.url, { transports: ['polling'], extraHeaders: { Origin: 'http://evil.example' } });
    await expect(connected(polling)).rejects.toThrow();
    const websocket = client(playground.url, { transports: ['websocket'], extraHeaders: { Origin: 'http://evil.example' } });
    await expect(connected(websocket)).rejects.toThrow();

    const handshake = await fetch(`${playground.url}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: 'http://evil.example' } });
    expect(handshake.status).toBe(403);
    expect(handshake.headers.get('access-control-allow-origin')).toBeNull();
  });

  test("the site's own origin gets its CORS header", async () => {
    const handshake = await fetch(`${playground.url}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: 'http://127.0.0.1:3000' } });
    expect(handshake.status).toBe(200);
    expect(handshake.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    await handshake.text();
  });

  test('the JSON endpoints refuse foreign origins too', async () => {
    const response = await fetch(`${playground.url}/playground/progress`, { method: 'POST', headers: { Origin: 'http://evil.example' } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining('not allowed') });
  });

  test('the plain WebSocket refuses foreign origins', async () => {
    const ws = plainWebSocket({ origin: 'http://evil.example' });
    const status = await new Promise<number | undefined>((resolve) => ws.once('unexpected-response', (_request, response) => resolve(response.statusCode)));
    expect(status).toBe(403);
  });

  test('a Socket.IO message over the cap closes that connection', async () => {
    const socket = client(playground.url, { transports: ['websocket'] });
    await connected(socket);
    const gone = next<string>(socket, 'disconnect');
    socket.emit('echo', 'x'.repeat(10_000));
    expect(await gone).toMatch(/transport (close|error)/);
  });

  test('a plain WebSocket message over the cap is refused with 1009', async () => {
    const ws = plainWebSocket();
    await next(ws, 'open');
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(10_000));
    expect(await closed).toBe(1009);
  });

  test('listens on 127.0.0.1 unless told otherwise', () => {
    expect(playground.host).toBe('127.0.0.1');
    expect(playground.url).toBe(`http://127.0.0.1:${playground.port}`);
  });

  test('a busy port is one line saying how to pick another, never a stack trace', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tooling/cli/playground.ts'), '--port', String(playground.port)], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `The playground cannot start: port ${playground.port} on 127.0.0.1 is already in use (another copy still running?). Stop it, or pick another port: npm run playground -- --port 4000`,
    ]);
  });
});

describe('progress', () => {
  test('grades on request, says it is grading, then serves the results with pages and hints', async () => {
    const before = await (await fetch(`${playground.url}/playground/progress`)).json();
    expect(before).toEqual({ state: 'idle' });
    const started = await fetch(`${playground.url}/playground/progress`, { method: 'POST', headers: { Origin: siteOrigin } });
    expect(started.status).toBe(202);
    expect(await started.json()).toMatchObject({ state: 'grading' });
    let state: { state: string; report?: { exercises: unknown[] } } = { state: 'grading' };
    for (let i = 0; i < 50 && state.state !== 'ready'; i++) {
      state = (await (await fetch(`${playground.url}/playground/progress`)).json()) as typeof state;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(state.state).toBe('ready');
    expect(state.report!.exercises).toEqual([
      expect.objectContaining({ id: 'tcp-echo', number: 1, status: 'pass', permalink: '/exercises/tcp-echo', hints: { shown: expect.any(Number), total: 4 } }),
      expect.objectContaining({ id: 'hello-socketio', number: 2, status: 'fail', permalink: '/exercises/hello-socketio' }),
    ]);
  });
});
