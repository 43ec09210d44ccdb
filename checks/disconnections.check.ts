/**
 * Grades `disconnections`: the learner's client against a reference server that the
 * check crashes, restarts on the same port, freezes, garbles, and uses to kick the client.
 *
 * Rule → test (README "Your task", and the TSDoc of `connectResilient`, `Backoff`,
 * `DisconnectCause`, `ConnectionState` and `ResilientClient`):
 * - 1 connects to url ..................................... "says `connecting` before the first connection, then …"
 *   reconnects after a lost connection ...................... "keeps events sent while the server is down, through two outages"
 *   … and after a ping timeout .............................. "tells a ping timeout apart, and reconnects after it"
 *   waits initialDelayMs (± 50%) before the first attempt .... "waits about `initialDelayMs` before the first attempt"
 *                                                              (a bound on both sides: the 1000 ms default fails)
 *   never more than maxDelayMs between two attempts .......... "never waits more than `maxDelayMs` between two attempts"
 *                                                              (7 attempts: the doubling passes maxDelayMs, the default 5 s fails)
 *   gives up after maxAttempts failed attempts ............... "gives up after `maxAttempts` attempts, and says so" (exactly that many),
 *                                                              and the same in the `maxDelayMs` test
 *   … counted afresh in each outage ......................... "counts the attempts afresh in each outage" (two outages whose
 *                                                              failed attempts add up to more than maxAttempts: still `connecting`)
 * - 2 send(): emits event with payload, in order ............ "says `connecting` … sends events in order" (bursts, once upgraded:
 *                                                              `volatile` drops all but the first of a burst)
 *   kept while down, delivered after reconnection, in order .. "keeps events sent while the server is down, through two outages"
 *   … once: not again after a second outage .................. same test (two outages in a row)
 * - 3 causes: one entry per disconnection, oldest first ..... every test (the whole array is compared), two outages in a row
 *   kicked ("io server disconnect") .......................... "stays offline after the server kicks it"
 *   connection-lost ("transport close") ...................... "keeps events sent while the server is down …"
 *   connection-lost ("transport error", "parse error", "forced close")
 *                                                              "tells every kind of broken link apart as `connection-lost`"
 *   ping-timeout ("ping timeout") ............................ "tells a ping timeout apart, and reconnects after it"
 *   closed ("io client disconnect") .......................... "says `connecting` … and closes cleanly"
 * - 4 state online / connecting / offline ................... read before the first connection, while reconnecting (also in a
 *                                                              second outage), after a kick, after giving up, after close()
 *                                                              (each test above)
 * - 5 close(): for good, no attempt, no timer, no socket .... "close() while reconnecting stops every attempt",
 *                                                              "close() before the first connection …", and "… closes cleanly"
 *                                                              (no reconnection after close), every test's teardown (leaks)
 *   several clients live apart ............................... "two clients of the same server live apart"
 */
import { isDeepStrictEqual } from 'node:util';
import type { Server, Socket } from 'socket.io';
import type { Manager } from 'socket.io-client';
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
  watchMethod,
  type Workbench,
} from './support/index.ts';

type ClientModule = typeof import('../exercises/disconnections/client.ts');
type Backoff = import('../exercises/disconnections/client.ts').Backoff;
type ResilientClient = import('../exercises/disconnections/client.ts').ResilientClient;

const ID = 'disconnections';
const LEAK_HINT = '`close()` must disconnect the socket (`socket.disconnect()`), which also stops any reconnection attempt and its timer.';
const ONLINE_HINT = '`state` is "online" whenever `socket.connected` is true.';
/** Slack on every timed bound, for a loaded machine: timers fire late, never early. */
const SLACK_MS = 350;
/** The heartbeat of the ping-timeout test's server: its ping interval and its ping timeout. */
const PING_INTERVAL_MS = 300;

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

/**
 * Records every `socket.io-client` Manager opened from now on (the learner's `io()` makes
 * one), so that the check can close the engine under a socket: Socket.IO's "forced close".
 */
async function watchManagers(workbench: Workbench): Promise<Manager[]> {
  const { Manager } = await import('socket.io-client');
  const managers: Manager[] = [];
  watchMethod(workbench, Manager.prototype, 'open', (manager) => {
    if (!managers.includes(manager as Manager)) managers.push(manager as Manager);
  });
  return managers;
}

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

/** Waits for the next disconnection to be recorded, failing if none is within `withinMs`. */
async function expectNewCause(client: ResilientClient, before: readonly string[], cause: string, withinMs: number, did: string, hint: string) {
  await eventually(() => client.causes.length > before.length, withinMs);
  expectThat(isDeepStrictEqual([...client.causes], [...before, cause]), {
    did,
    expected: `\`causes\` ${describeValue([...before, cause])} within ${formatMs(withinMs)} (one entry for this disconnection)`,
    actual: describeValue(client.causes),
    hint,
  });
}

const describeEvents = (events: readonly Received[]) => events.map((r) => `\`${r.event}\` ${describeValue(r.payload)}`).join(', ');

/** Waits until the server has received `expected` (in order, after `from`), then a quiet moment; fails with what it got. */
async function expectDelivered(received: Received[], from: number, expected: Received[], did: string, hint: string) {
  await eventually(() => received.length - from >= expected.length, 1500);
  // Anything sent twice (a queue of its own, never emptied) arrives right after.
  await sleep(150);
  const got = received.slice(from);
  expectThat(isDeepStrictEqual(got, expected), {
    did,
    expected: `the server to receive ${describeEvents(expected)} — in that order, each once, and nothing else`,
    actual: got.length === 0 ? 'it received nothing' : `it received ${describeEvents(got)}`,
    hint,
  });
}

const randomEvents = (n: number): Received[] => Array.from({ length: n }, (_, i) => ({ event: randomWord(6), payload: { n: i, word: randomWord(4) } }));

/** Waits (bounded) until the server's socket of this client has upgraded to WebSocket; a client that never upgrades goes on polling. */
async function settledTransport(connected: Socket[]): Promise<string | undefined> {
  await eventually(() => connected.at(-1)?.conn.transport.name === 'websocket', 2000);
  // The client sets its transport writable again a tick after the upgrade packet.
  await sleep(50);
  return connected.at(-1)?.conn.transport.name;
}

describe.concurrent('disconnections', () => {
  test('says `connecting` before the first connection, then connects, sends events in order, and closes cleanly', async ({ workbench }) => {
    const { server, received, connected, connections } = await startServer(workbench);
    const backoff = randomBackoff();
    const { client, call } = await connect(workbench, server.url, backoff);
    const initial = client.state;
    expectThat(initial === 'connecting', {
      did: `Called ${call} and read \`state\` at once, before the first connection was made`,
      expected: '`state` "connecting": not connected yet, and trying',
      actual: `\`state\` ${describeValue(initial)}`,
      hint: 'Before the first `connect` the socket is trying (`socket.active` is true): that is "connecting", not "offline".',
    });
    expectCauses(client, [], `Called ${call} and read \`causes\` at once`, '`causes` starts empty: nothing has disconnected yet.');
    await expectState(client, 'online', 2000, { did: `Called ${call}`, hint: ONLINE_HINT });
    const transport = await settledTransport(connected);
    // Two bursts, each sent in one go: `volatile` drops whatever finds the transport busy with the one before.
    const events = randomEvents(8);
    for (const { event, payload } of events.slice(0, 4)) client.send(event, payload);
    await sleep(20);
    for (const { event, payload } of events.slice(4)) client.send(event, payload);
    await expectDelivered(received, 0, events, `Called send() eight times while online (over ${transport ?? 'the transport'}), four at once, twice`, '`send(event, payload)` emits `event` with `payload` as its only argument, with a plain `socket.emit` — `socket.volatile` drops events that find the transport busy.');
    client.close();
    await expectState(client, 'offline', 1000, { did: 'Called close()', hint: 'After close(), the client is "offline": `socket.active` is false.' });
    expectCauses(client, ['closed'], 'Called close() while online', 'Socket.IO reports "io client disconnect" when you disconnect yourself: that is `closed`, recorded once.');
    // close() is for good: nothing comes back, even while the server is there to take it.
    await sleep(backoff.maxDelayMs * 3);
    expectThat(connections() === 1 && client.state === 'offline', {
      did: `Called close(), then waited ${formatMs(backoff.maxDelayMs * 3)} with the server still up`,
      expected: 'no new connection, and `state` still "offline"',
      actual: `${connections() - 1} new connection(s), \`state\` ${describeValue(client.state)}`,
      hint: 'Close with `socket.disconnect()`: closing only the engine (`socket.io.engine.close()`) is a broken link, after which Socket.IO reconnects.',
    });
  });

  test('keeps events sent while the server is down, through two outages in a row', async ({ workbench }) => {
    const { server, received, connected } = await startServer(workbench);
    const backoff = patientBackoff();
    const { client } = await connect(workbench, server.url, backoff);
    await expectState(client, 'online', 2000, { did: 'Connected your client', hint: ONLINE_HINT });
    for (const outage of [1, 2]) {
      await settledTransport(connected);
      await server.stop();
      const crash = `${outage === 1 ? 'Crashed' : 'Once your client was back, crashed'} the server on port ${server.port} (every connection dropped, no goodbye)`;
      await expectState(client, 'connecting', 1000, { did: crash, hint: 'A lost connection is not the end: while Socket.IO tries again (`socket.active`), the state is "connecting".' });
      const causes = Array.from({ length: outage }, () => 'connection-lost');
      await sleep(50);
      expectCauses(client, causes, crash, outage === 1 ? 'Socket.IO reports "transport close" when the connection breaks: that is `connection-lost`.' : 'One entry per disconnection: add the `disconnect` listener once, outside the `connect` handler.');
      const events = randomEvents(3);
      for (const { event, payload } of events) client.send(event, payload);
      await sleep(backoff.initialDelayMs);
      const before = received.length;
      await server.start();
      const restart = `${crash}, sent 3 events while it was down, and restarted it on the same port`;
      await expectState(client, 'online', 2500, { did: restart, hint: 'Keep `reconnection` on (the default) and pass `reconnectionDelay`, `reconnectionDelayMax` and `reconnectionAttempts` from the backoff.' });
      await expectDelivered(
        received,
        before,
        events,
        `${restart} (outage ${outage} of 2)`,
        outage === 1
          ? 'Emit even while disconnected: Socket.IO keeps the events and sends them on reconnection. Do not drop them (`if (socket.connected)`) or use `volatile`.'
          : 'Each event is delivered once: Socket.IO empties its buffer when it sends it. A queue of your own must be emptied too — or let Socket.IO keep the events.',
      );
      expectCauses(client, causes, restart, 'Record one cause per `disconnect` event: reconnecting is not a disconnection.');
    }
  });

  test('tells every kind of broken link apart as `connection-lost`', async ({ workbench }) => {
    const managers = await watchManagers(workbench);
    const { server, connected } = await startServer(workbench);
    const { client } = await connect(workbench, server.url, patientBackoff());
    await expectState(client, 'online', 2000, { did: 'Connected your client', hint: ONLINE_HINT });
    const breaks: [string, string, () => void][] = [
      ['transport error', 'The server broke the connection with an error (bytes that are no valid WebSocket frame, or a poll cut short)', () => server.garble()],
      ['parse error', 'The server sent a packet Socket.IO cannot decode (an unknown packet type)', () => void connected.at(-1)?.conn.send('9')],
      ['forced close', "The check closed the engine under your socket (`socket.io.engine.close()`)", () => void managers.at(-1)?.engine.close()],
    ];
    for (const [reason, did, breakIt] of breaks) {
      await settledTransport(connected);
      const before = [...client.causes];
      breakIt();
      const happened = `${did}: Socket.IO reports "${reason}"`;
      await expectNewCause(client, before, 'connection-lost', 1500, happened, `"${reason}" is a broken link like "transport close": \`connection-lost\`. Only "io server disconnect", "io client disconnect" and "ping timeout" are something else.`);
      await expectState(client, 'online', 2500, { did: `${happened}; the server was still up`, hint: 'After a broken link Socket.IO reconnects by itself: keep `reconnection` on.' });
    }
  });

  test('stays offline after the server kicks it', async ({ workbench }) => {
    const { server, connected, connections } = await startServer(workbench);
    const backoff = randomBackoff();
    const { client } = await connect(workbench, server.url, backoff);
    await expectState(client, 'online', 2000, { did: 'Connected your client', hint: ONLINE_HINT });
    // Without `true`: the client still hears "io server disconnect" and closes the connection
    // itself, while the server never waits (30 s) for a polling client to come and read a goodbye.
    connected.at(-1)!.disconnect();
    const kick = 'The server kicked your client (`socket.disconnect()` on the server)';
    await expectState(client, 'offline', 1000, { did: kick, hint: 'After a kick Socket.IO does not reconnect, and `socket.active` is false: the state is "offline".' });
    expectCauses(client, ['kicked'], kick, 'Socket.IO reports "io server disconnect" for a kick: that is `kicked`.');
    // A client that reconnects anyway would do so within about one initial delay.
    await sleep(backoff.maxDelayMs * 2);
    expectThat(connections() === 1 && client.state === 'offline', {
      did: `${kick}, then waited ${formatMs(backoff.maxDelayMs * 2)}`,
      expected: 'no new connection, and `state` still "offline": a kicked client respects the server\'s decision',
      actual: `your client connected again (${connections() - 1} time(s)); \`state\` ${describeValue(client.state)}`,
      hint: 'Do not call `socket.connect()` after "io server disconnect".',
    });
  });

  test('gives up after `maxAttempts` attempts, and says so', async ({ workbench }) => {
    const { server } = await startServer(workbench);
    const backoff = randomBackoff();
    const { client } = await connect(workbench, server.url, backoff);
    await expectState(client, 'online', 2000, { did: 'Connected your client', hint: ONLINE_HINT });
    await server.stop({ refuse: true });
    const down = `Stopped the server for good (each new connection is dropped at once); your backoff was ${describeValue(backoff)}`;
    await expectState(client, 'connecting', 1000, { did: down, hint: 'While Socket.IO tries again, the state is "connecting".' });
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
    expectCauses(client, ['connection-lost'], down, 'One cause per `disconnect`: failed reconnection attempts are not disconnections.');
  });

  test('counts the attempts afresh in each outage', async ({ workbench }) => {
    const { server, connected } = await startServer(workbench);
    // Room for a few attempts more than the check waits for: the server must be back before the first outage uses them up.
    const backoff: Backoff = { initialDelayMs: randomInt(40, 60), maxDelayMs: randomInt(90, 110), maxAttempts: 10 };
    const { client } = await connect(workbench, server.url, backoff);
    await expectState(client, 'online', 2000, { did: 'Connected your client', hint: ONLINE_HINT });
    await settledTransport(connected);
    // First outage: three attempts fail, far fewer than maxAttempts, then the server is back.
    await server.stop({ refuse: true });
    const tried = await eventually(() => server.refused.length >= 3, 3000);
    const down = `Stopped the server (each new connection is dropped at once); your backoff was ${describeValue(backoff)}`;
    expectThat(tried, {
      did: down,
      expected: '3 reconnection attempts within 3 s',
      actual: `${server.refused.length} attempt(s); \`state\` ${describeValue(client.state)}`,
      hint: 'Pass the backoff to `io()`: `reconnectionDelay`, `reconnectionDelayMax` and `reconnectionAttempts`.',
    });
    await server.start();
    const firstFailed = server.refused.length;
    const first = `${down}, let ${firstFailed} attempts fail, then restarted it`;
    await expectState(client, 'online', 2500, { did: first, hint: 'Keep `reconnection` on (the default) and pass `reconnectionAttempts: backoff.maxAttempts`.' });
    // Second outage: maxAttempts − 2 attempts fail, fewer than maxAttempts in this outage alone (a slack of one for
    // an attempt the port saw and the client did not count), but maxAttempts or more with the first outage's.
    await settledTransport(connected);
    const before = server.refused.length;
    await server.stop({ refuse: true });
    const needed = backoff.maxAttempts - 2;
    const reached = await eventually(() => server.refused.length - before >= needed, 4000);
    const secondFailed = server.refused.length - before;
    const state = client.state;
    const second = `${first}; once your client was back online, stopped the server again and let ${secondFailed} attempt(s) fail (${firstFailed + secondFailed} in both outages, ${secondFailed} in this one; maxAttempts ${backoff.maxAttempts})`;
    expectThat(reached && state === 'connecting', {
      did: second,
      expected: `\`state\` "connecting" after ${needed} failed attempts in this outage: a new outage has maxAttempts attempts of its own`,
      actual: reached ? `\`state\` ${describeValue(state)}` : `only ${secondFailed} attempt(s) within 4 s; \`state\` ${describeValue(state)}`,
      hint:
        reached && state === 'offline'
          ? 'Socket.IO counts the attempts of each outage from 0 (its backoff is reset on reconnection): a count of failed attempts of your own must start again after each reconnection. Simpler: listen for `socket.io.on("reconnect_failed", …)`, which fires only when the manager gives up.'
          : 'Socket.IO counts the attempts of each outage from 0 and goes on until `reconnectionAttempts` have failed in that outage: pass `reconnectionAttempts: backoff.maxAttempts`.',
    });
    await server.start();
    await expectState(client, 'online', 2500, { did: `${second}, then restarted the server`, hint: 'Fewer than maxAttempts attempts failed in this outage: Socket.IO is still trying, and connects once the server is back.' });
    expectCauses(client, ['connection-lost', 'connection-lost'], `${second}, then restarted the server`, 'One cause per disconnection: failed attempts are not disconnections.');
  });

  test('close() while reconnecting stops every attempt', async ({ workbench }) => {
    const { server } = await startServer(workbench);
    const backoff = patientBackoff();
    const { client } = await connect(workbench, server.url, backoff);
    await expectState(client, 'online', 2000, { did: 'Connected your client', hint: ONLINE_HINT });
    await server.stop({ refuse: true });
    const down = 'Stopped the server (each new connection is dropped at once)';
    await eventually(() => server.refused.length > 0, 2000);
    await expectState(client, 'connecting', 1000, { did: `${down}; your client made ${server.refused.length} attempt(s)`, hint: 'While Socket.IO tries again, the state is "connecting".' });
    client.close();
    const closed = `${down}, and called close() while your client was reconnecting`;
    expectThat(client.state === 'offline', { did: closed, expected: '`state` "offline" at once', actual: `\`state\` ${describeValue(client.state)}`, hint: 'close() ends the attempts too: after it the client is not trying any more.' });
    // An attempt already on its way when close() was called may still arrive.
    await sleep(50);
    const atClose = server.refused.length;
    await sleep(backoff.maxDelayMs * 3);
    expectThat(server.refused.length === atClose && client.state === 'offline', {
      did: `${closed}, then waited ${formatMs(backoff.maxDelayMs * 3)}`,
      expected: 'no further attempt, and `state` still "offline"',
      actual: `${server.refused.length - atClose} more attempt(s) reached the port; \`state\` ${describeValue(client.state)}`,
      hint: 'Call `socket.disconnect()` whatever the state: it also cancels a pending reconnection. `if (socket.connected)` skips it exactly when attempts are running.',
    });
    // close() while not connected is no disconnection: `closed` may be added, nothing else.
    const causes = [...client.causes];
    expectThat(isDeepStrictEqual(causes, ['connection-lost']) || isDeepStrictEqual(causes, ['connection-lost', 'closed']), {
      did: closed,
      expected: '`causes` ["connection-lost"] (or ["connection-lost", "closed"])',
      actual: describeValue(causes),
      hint: 'Failed attempts and close() add no `connection-lost`: one cause per disconnection.',
    });
  });

  test('close() before the first connection leaves nothing trying', async ({ workbench }) => {
    const { server, connections } = await startServer(workbench);
    const backoff = randomBackoff();
    const { client, call } = await connect(workbench, server.url, backoff);
    client.close();
    const did = `Called ${call} and close() at once`;
    expectThat(client.state === 'offline', { did, expected: '`state` "offline"', actual: `\`state\` ${describeValue(client.state)}`, hint: 'close() ends the first connection attempt too: call `socket.disconnect()` whatever the state.' });
    await sleep(backoff.maxDelayMs * 3);
    expectThat(connections() === 0 && client.state === 'offline', {
      did: `${did}, then waited ${formatMs(backoff.maxDelayMs * 3)}`,
      expected: 'no connection made, and `state` still "offline"',
      actual: `${connections()} connection(s) reached the server; \`state\` ${describeValue(client.state)}`,
      hint: 'Call `socket.disconnect()` whatever the state: `if (socket.connected)` skips it while the first connection is still being made.',
    });
  });

  test('two clients of the same server live apart', async ({ workbench }) => {
    const { server, received } = await startServer(workbench);
    const backoff = patientBackoff();
    const { client: first } = await connect(workbench, server.url, backoff);
    const { client: second } = await connect(workbench, server.url, backoff);
    await expectState(first, 'online', 2000, { did: 'Connected two clients to the same URL', hint: ONLINE_HINT });
    await expectState(second, 'online', 2000, { did: 'Connected two clients to the same URL', hint: ONLINE_HINT });
    first.close();
    const did = 'Connected two clients to the same URL, then called close() on the first';
    await expectState(first, 'offline', 1000, { did, hint: 'After close(), the client is "offline".' });
    await sleep(50);
    expectThat(second.state === 'online' && second.causes.length === 0, {
      did,
      expected: 'the second client still "online", with no cause recorded',
      actual: `the second is ${describeValue(second.state)}, \`causes\` ${describeValue(second.causes)}`,
      hint: 'Keep everything a client owns inside `connectResilient`: a socket, a `causes` array and a state of its own — nothing shared at module level.',
    });
    const events = randomEvents(2);
    for (const { event, payload } of events) second.send(event, payload);
    await expectDelivered(received, received.length, events, `${did}; then the second sent two events`, 'Each client keeps its own socket: one `io(url, …)` per call of `connectResilient`.');
  });

  // Alone, after the others: its bounds on the reconnection delay must not be stretched by the work of tests beside it.
  test.sequential('waits about `initialDelayMs` before the first attempt', async ({ workbench }) => {
    const { server } = await startServer(workbench);
    // A small first delay under a large cap: the cap cannot hide a first delay left at its default.
    const backoff: Backoff = { initialDelayMs: randomInt(30, 50), maxDelayMs: randomInt(2000, 3000), maxAttempts: 2 };
    const { client } = await connect(workbench, server.url, backoff);
    await expectState(client, 'online', 2000, { did: 'Connected your client', hint: ONLINE_HINT });
    await server.stop({ refuse: true });
    const down = `Stopped the server (each new connection is dropped at once); your backoff was ${describeValue(backoff)}`;
    // Socket.IO waits between half and one and a half times the delay (random jitter) before the first attempt.
    const latestMs = Math.round(backoff.initialDelayMs * 1.5) + SLACK_MS;
    const came = await eventually(() => server.refused.length > 0, latestMs + 1500);
    const firstAfterMs = came ? server.refused[0]! - server.stoppedAt! : undefined;
    expectThat(firstAfterMs !== undefined && firstAfterMs <= latestMs, {
      did: down,
      expected: `the first attempt within ${formatMs(latestMs)} of the lost connection (${backoff.initialDelayMs} ms ± 50%, plus ${SLACK_MS} ms for a busy machine)`,
      actual: firstAfterMs === undefined ? 'no attempt at all' : `it came after ${firstAfterMs} ms`,
      hint: 'Pass `reconnectionDelay: backoff.initialDelayMs` to `io()`: Socket.IO\'s default is 1000 ms.',
    });
    expectThat(firstAfterMs >= backoff.initialDelayMs * 0.4, {
      did: down,
      expected: `the first attempt no sooner than about half of initialDelayMs (${backoff.initialDelayMs} ms) after the connection was lost`,
      actual: `it came after ${firstAfterMs} ms`,
      hint: 'Pass `reconnectionDelay: backoff.initialDelayMs`: retrying at once, in a loop, is what floods a server that is trying to come back.',
    });
    await expectState(client, 'offline', 2 * backoff.maxDelayMs + 2000, { did: `${down}, then waited for the last of ${backoff.maxAttempts} attempts`, hint: 'Give up after `reconnectionAttempts` attempts.' });
  });

  // Alone, after the others: its bounds on the reconnection delay must not be stretched by the work of tests beside it.
  test.sequential('never waits more than `maxDelayMs` between two attempts', async ({ workbench }) => {
    const { server } = await startServer(workbench);
    // Seven attempts: doubling from initialDelayMs, the waits pass maxDelayMs after two or three.
    const backoff: Backoff = { initialDelayMs: randomInt(30, 40), maxDelayMs: randomInt(100, 120), maxAttempts: 7 };
    const { client } = await connect(workbench, server.url, backoff);
    await expectState(client, 'online', 2000, { did: 'Connected your client', hint: ONLINE_HINT });
    await server.stop({ refuse: true });
    const down = `Stopped the server (each new connection is dropped at once); your backoff was ${describeValue(backoff)}`;
    const gapLimitMs = backoff.maxDelayMs + SLACK_MS;
    const limitMs = backoff.initialDelayMs * 2 + backoff.maxAttempts * gapLimitMs;
    await eventually(() => client.state === 'offline', limitMs);
    const times = [server.stoppedAt!, ...server.refused];
    const gaps = times.slice(2).map((time, i) => time - times[i + 1]!);
    const longest = Math.max(0, ...gaps);
    expectThat(server.refused.length === backoff.maxAttempts && longest <= gapLimitMs, {
      did: down,
      expected: `${backoff.maxAttempts} attempts within ${formatMs(limitMs)}, at most ${formatMs(gapLimitMs)} apart (maxDelayMs ${backoff.maxDelayMs} ms, plus ${SLACK_MS} ms for a busy machine)`,
      actual: `${server.refused.length} attempt(s), ${gaps.length === 0 ? 'no gap to measure' : `the gaps between them ${gaps.join(', ')} ms`}`,
      hint: 'Pass `reconnectionDelayMax: backoff.maxDelayMs` to `io()`: without it the wait doubles up to Socket.IO\'s default of 5000 ms.',
    });
    await expectState(client, 'offline', 1000, { did: `${down}, and all ${backoff.maxAttempts} attempts failed`, hint: 'The socket stays `active` after the last attempt: listen for `socket.io.on("reconnect_failed", …)` to know the manager gave up.' });
  });

  // Alone, after the others: the server's and the client's heartbeat timers fall due close together, and
  // the work of tests beside it could let the wrong one fire first.
  test.sequential('tells a ping timeout apart, and reconnects after it', async ({ workbench }) => {
    const { server } = await startServer(workbench, { pingIntervalMs: PING_INTERVAL_MS });
    const { client } = await connect(workbench, server.url, patientBackoff());
    await expectState(client, 'online', 2000, { did: 'Connected your client', hint: ONLINE_HINT });
    server.freeze();
    const freeze = `Silenced the network (the server pings every ${PING_INTERVAL_MS} ms and waits ${PING_INTERVAL_MS} ms; nothing it sent reached your client any more, and nothing was closed)`;
    const noticed = await eventually(() => client.causes.length > 0, 1500);
    expectThat(noticed && isDeepStrictEqual([...client.causes], ['ping-timeout']), {
      did: freeze,
      expected: '`causes` ["ping-timeout"] within 1.5 s',
      actual: describeValue(client.causes),
      hint: 'Socket.IO reports "ping timeout" when the server\'s pings stop coming: that is `ping-timeout`, not `connection-lost`.',
    });
    await expectState(client, 'online', 2500, { did: `${freeze}; then let new connections through`, hint: 'After a ping timeout Socket.IO reconnects by itself, as after a lost connection.' });
  });
});
