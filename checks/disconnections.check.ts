/**
 * Grades `disconnections`: the learner's client against a reference server that the
 * check crashes, restarts on the same port, freezes, and uses to kick the client.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Server, Socket } from 'socket.io';
import { describe } from 'vitest';
import {
  describeValue,
  eventually,
  expectThat,
  exportedFunction,
  fail,
  formatMs,
  loadLearnerModule,
  randomInt,
  randomWord,
  sleep,
  startRestartableServer,
  test,
  type Workbench,
} from './support/index.ts';

type ClientModule = typeof import('../exercises/disconnections/client.ts');
type Backoff = import('../exercises/disconnections/client.ts').Backoff;
type ResilientClient = import('../exercises/disconnections/client.ts').ResilientClient;

const ID = 'disconnections';
const LEAK_HINT = '`close()` must disconnect the socket (`socket.disconnect()`), which also stops any reconnection attempt and its timer.';

/** What the reference server received, across all its runs. */
interface Received {
  readonly event: string;
  readonly payload: unknown;
}

/** A reference server that records every event and keeps the sockets of its current run. */
async function startServer(workbench: Workbench, options: { pingIntervalMs?: number } = {}) {
  const received: Received[] = [];
  const connected: Socket[] = [];
  let connections = 0;
  const setup = (io: Server) =>
    io.on('connection', (socket) => {
      connections++;
      connected.push(socket);
      socket.onAny((event: string, payload: unknown) => received.push({ event, payload }));
    });
  const ping = options.pingIntervalMs === undefined ? {} : { pingInterval: options.pingIntervalMs, pingTimeout: options.pingIntervalMs };
  const server = await startRestartableServer(workbench, setup, ping);
  return { server, received, connected, connections: () => connections };
}

/** Small random delays, so the check runs fast and a hard-coded backoff does not fit. */
function randomBackoff(): Backoff {
  return { initialDelayMs: randomInt(60, 90), maxDelayMs: randomInt(120, 150), maxAttempts: randomInt(2, 4) };
}

/** The same, with attempts enough to outlast any restart on a slow machine. */
const patientBackoff = (): Backoff => ({ ...randomBackoff(), maxAttempts: 100 });

/** Calls the learner's function; the workbench closes the client (with its own close()) and then checks for leaks. */
async function connect(workbench: Workbench, url: string, backoff: Backoff): Promise<{ client: ResilientClient; call: string }> {
  const module = await loadLearnerModule<ClientModule>(ID, 'client.ts');
  const connectResilient = exportedFunction(module, 'connectResilient', ID, 'client.ts');
  const call = `connectResilient("${url}", ${describeValue(backoff)})`;
  let client: ResilientClient;
  try {
    client = connectResilient(url, backoff);
  } catch (error) {
    return fail({ did: `Called ${call}`, expected: 'it to return a client', actual: `it threw ${describeValue(error, 300)}` });
  }
  const shape = client as Partial<ResilientClient> | undefined;
  if (typeof shape?.send !== 'function' || typeof shape.close !== 'function' || !Array.isArray(shape.causes)) {
    fail({ did: `Called ${call}`, expected: 'an object with `send()`, `state`, `causes` (an array) and `close()`', actual: describeValue(client) });
  }
  workbench.checkLeaksAfter('your client', LEAK_HINT);
  workbench.defer('your client', () => client.close());
  return { client, call };
}

/** Waits until the client's state is `state`, failing with what it was. */
async function expectState(client: ResilientClient, state: string, withinMs: number, report: { did: string; hint: string }) {
  const reached = await eventually(() => client.state === state, withinMs);
  expectThat(reached, { did: report.did, expected: `\`state\` "${state}" within ${formatMs(withinMs)}`, actual: `\`state\` is ${describeValue(client.state)}, \`causes\` ${describeValue(client.causes)}`, hint: report.hint });
}

function expectCauses(client: ResilientClient, causes: readonly string[], did: string, hint: string) {
  expectThat(isDeepStrictEqual([...client.causes], causes), { did, expected: `\`causes\` ${describeValue(causes)}`, actual: describeValue(client.causes), hint });
}

/** Waits until the server has received `expected` (in order, after `from`), failing with what it got. */
async function expectDelivered(received: Received[], from: number, expected: Received[], did: string, hint: string) {
  await eventually(() => received.length - from >= expected.length, 1500);
  const got = received.slice(from);
  expectThat(isDeepStrictEqual(got, expected), {
    did,
    expected: `the server to receive ${expected.map((r) => `\`${r.event}\` ${describeValue(r.payload)}`).join(', ')} — in that order`,
    actual: got.length === 0 ? 'it received nothing' : `it received ${got.map((r) => `\`${r.event}\` ${describeValue(r.payload)}`).join(', ')}`,
    hint,
  });
}

const randomEvents = (n: number): Received[] => Array.from({ length: n }, (_, i) => ({ event: randomWord(6), payload: { n: i, word: randomWord(4) } }));

describe('disconnections', () => {
  test('connects, sends events in order, and closes cleanly', async ({ workbench }) => {
    const { server, received } = await startServer(workbench);
    const { client, call } = await connect(workbench, server.url, randomBackoff());
    await expectState(client, 'online', 2000, { did: `Called ${call}`, hint: '`state` is "online" whenever `socket.connected` is true.' });
    const events = randomEvents(4);
    for (const { event, payload } of events) client.send(event, payload);
    await expectDelivered(received, 0, events, `Called send() four times while online`, '`send(event, payload)` emits `event` with `payload` as its only argument.');
    client.close();
    await expectState(client, 'offline', 1000, { did: 'Called close()', hint: 'After close(), the client is "offline": `socket.active` is false.' });
    expectCauses(client, ['closed'], 'Called close() while online', 'Socket.IO reports "io client disconnect" when you disconnect yourself: that is `closed`.');
  });

  test('keeps events sent while the server restarts, and delivers them after reconnecting', async ({ workbench }) => {
    const { server, received } = await startServer(workbench);
    const backoff = patientBackoff();
    const { client } = await connect(workbench, server.url, backoff);
    await expectState(client, 'online', 2000, { did: 'Connected your client', hint: '`state` is "online" whenever `socket.connected` is true.' });
    await server.stop();
    const crash = `Crashed the server on port ${server.port} (every connection dropped, no goodbye)`;
    await expectState(client, 'connecting', 1000, { did: crash, hint: 'A lost connection is not the end: while Socket.IO tries again (`socket.active`), the state is "connecting".' });
    expectCauses(client, ['connection-lost'], crash, 'Socket.IO reports "transport close" when the connection breaks: that is `connection-lost`.');
    const events = randomEvents(3);
    for (const { event, payload } of events) client.send(event, payload);
    await sleep(backoff.initialDelayMs);
    const before = received.length;
    await server.start();
    const restart = `${crash}, sent 3 events while it was down, and restarted it on the same port`;
    await expectState(client, 'online', 2500, { did: restart, hint: 'Keep `reconnection` on (the default) and pass `reconnectionDelay`, `reconnectionDelayMax` and `reconnectionAttempts` from the backoff.' });
    await expectDelivered(received, before, events, restart, 'Emit even while disconnected: Socket.IO keeps the events and sends them on reconnection. Do not drop them (`if (socket.connected)`) or use `volatile`.');
    expectCauses(client, ['connection-lost'], restart, 'Record one cause per `disconnect` event.');
  });

  test('stays offline after the server kicks it', async ({ workbench }) => {
    const { server, connected, connections } = await startServer(workbench);
    const backoff = randomBackoff();
    const { client } = await connect(workbench, server.url, backoff);
    await expectState(client, 'online', 2000, { did: 'Connected your client', hint: '`state` is "online" whenever `socket.connected` is true.' });
    // Without `true`: the client still hears "io server disconnect" and closes the connection
    // itself, while the server never waits (30 s) for a polling client to come and read a goodbye.
    connected.at(-1)!.disconnect();
    const kick = 'The server kicked your client (`socket.disconnect()` on the server)';
    await expectState(client, 'offline', 1000, { did: kick, hint: 'After a kick Socket.IO does not reconnect, and `socket.active` is false: the state is "offline".' });
    expectCauses(client, ['kicked'], kick, 'Socket.IO reports "io server disconnect" for a kick: that is `kicked`.');
    // A client that reconnects anyway would do so within about one initial delay.
    await sleep(backoff.maxDelayMs * 2);
    expectThat(connections() === 1, {
      did: `${kick}, then waited ${formatMs(backoff.maxDelayMs * 2)}`,
      expected: 'no new connection: a kicked client respects the server\'s decision',
      actual: `your client connected again (${connections() - 1} time(s))`,
      hint: 'Do not call `socket.connect()` after "io server disconnect".',
    });
  });

  test('tells a ping timeout apart, and reconnects after it', async ({ workbench }) => {
    const { server } = await startServer(workbench, { pingIntervalMs: 150 });
    const { client } = await connect(workbench, server.url, patientBackoff());
    await expectState(client, 'online', 2000, { did: 'Connected your client', hint: '`state` is "online" whenever `socket.connected` is true.' });
    server.freeze();
    const freeze = 'Silenced the network (the server pings every 150 ms and waits 150 ms; nothing it sent reached your client any more, and nothing was closed)';
    const noticed = await eventually(() => client.causes.length > 0, 1500);
    expectThat(noticed && isDeepStrictEqual([...client.causes], ['ping-timeout']), {
      did: freeze,
      expected: '`causes` ["ping-timeout"] within 1.5 s',
      actual: describeValue(client.causes),
      hint: 'Socket.IO reports "ping timeout" when the server\'s pings stop coming: that is `ping-timeout`, not `connection-lost`.',
    });
    await expectState(client, 'online', 2500, { did: `${freeze}; then let new connections through`, hint: 'After a ping timeout Socket.IO reconnects by itself, as after a lost connection.' });
  });

  test('gives up after `maxAttempts` attempts, and says so', async ({ workbench }) => {
    const { server } = await startServer(workbench);
    const backoff = randomBackoff();
    const { client } = await connect(workbench, server.url, backoff);
    await expectState(client, 'online', 2000, { did: 'Connected your client', hint: '`state` is "online" whenever `socket.connected` is true.' });
    await server.stop({ refuse: true });
    const down = `Stopped the server for good (each new connection is dropped at once); your backoff was ${describeValue(backoff)}`;
    const limitMs = 2500;
    const gaveUp = await eventually(() => client.state === 'offline', limitMs);
    const attempts = server.refused.length;
    if (!gaveUp) {
      fail({
        did: down,
        expected: `\`state\` "offline" within ${formatMs(limitMs)}, after ${backoff.maxAttempts} attempts`,
        actual: `\`state\` is ${describeValue(client.state)} after ${attempts} attempt(s)`,
        hint:
          attempts >= backoff.maxAttempts
            ? 'The socket stays `active` after the last attempt: listen for `socket.io.on("reconnect_failed", …)` to know the manager gave up.'
            : 'Pass the backoff to `io()`: `reconnectionDelay`, `reconnectionDelayMax` and `reconnectionAttempts`.',
      });
    }
    expectThat(attempts === backoff.maxAttempts, {
      did: down,
      expected: `exactly ${backoff.maxAttempts} reconnection attempts (maxAttempts)`,
      actual: `${attempts} attempt(s) reached the port`,
      hint: 'Pass `reconnectionAttempts: backoff.maxAttempts` to `io()`.',
    });
    // Socket.IO waits between half and one and a half times the delay (random jitter) before the first attempt.
    const firstAfterMs = server.refused[0]! - server.stoppedAt!;
    expectThat(firstAfterMs >= backoff.initialDelayMs * 0.4, {
      did: down,
      expected: `the first attempt no sooner than about half of initialDelayMs (${backoff.initialDelayMs} ms) after the connection was lost`,
      actual: `it came after ${firstAfterMs} ms`,
      hint: 'Pass `reconnectionDelay: backoff.initialDelayMs`: retrying at once, in a loop, is what floods a server that is trying to come back.',
    });
    expectCauses(client, ['connection-lost'], down, 'One cause per `disconnect`: failed reconnection attempts are not disconnections.');
  });
});
