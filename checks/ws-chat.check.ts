/**
 * Grades `ws-chat`: several real `ws` clients in the learner's chat room — some with
 * nicknames, one without — and, for the heartbeat, a client that stops answering
 * pings and a raw TCP peer that is really gone (it answers nothing, not even a close frame).
 *
 * Rule → test (README "Your task", and the TSDoc of `startChatServer` and `exercises/types.ts`):
 * - 1 listens on options.port and options.host ........ "listens on the host it is given, and nowhere else"
 *   resolves with the real port ........................ every test, "asks the system for a free port when given port 0"
 *   rejects when it cannot listen ....................... "rejects when the port is taken"
 * - 2 first text message = nickname, unchanged ......... "announces each nickname to every other client …" (spaces, non-ASCII),
 *                                                          "takes an empty first message as the nickname """
 *   join to every other client, named or not ........... same test (a client without a nickname hears every join)
 *   not to the newcomer, no history to latecomers ...... same test ("… and nothing else")
 * - 3 later messages to every other client, unchanged .. "sends each message to every other client, unchanged, never back to its sender"
 *   never back to the sender ........................... same test
 * - 4 leave to everyone still there, once ............... "announces a leave once when a client closes or drops, and rejoins …"
 *   also when the heartbeat dropped it ................. "drops a client that stops answering pings …" (exactly one leave)
 *   no leave for a client without a nickname ........... "announces a leave once …" (an anonymous client comes and goes)
 *   second episode (the same nickname joins again) ..... same test
 * - 5 heartbeat every heartbeatMs ....................... "drops a client that stops answering pings …" (pings counted on live clients)
 *   terminate one that missed the previous ping ........ same test (exactly one ping before the drop, within 2 s)
 *   … with terminate(), not a closing handshake ........ "drops a peer that is really gone …" (a raw peer that answers nothing)
 *   default 30 000 ..................................... "runs the heartbeat every 30 s when heartbeatMs is not given" (the check's clock:
 *                                                          no ping by 29 s, one at 30 s, the silent client dropped at 60 s)
 *   … and ping() every other one, on that same tick .... same test (a client connected after the silent one is pinged a second time at 60 s)
 * - 6 close(): stop heartbeat, terminate every client . "close() terminates every client, even one that never answers a close frame"
 *   nothing left behind ................................ every test's teardown (timers, sockets, servers)
 * - binary messages ignored ............................ "ignores binary messages, first or later"
 * - (every server) an error nobody catches fails ........ "survives a client that sends an invalid frame, and announces its leave"
 * - one text message per event, exactly the fields ..... every event compared as parsed JSON, deep-equal (no extra field)
 */
import { isDeepStrictEqual } from 'node:util';
import type { ClientOptions } from 'ws';
import { describe, vi } from 'vitest';
import {
  accepts,
  connectWs,
  describeValue,
  eventually,
  EventQueue,
  expectAnyFreePortForZero,
  expectListensOnGivenHost,
  expectRejectsTakenPort,
  expectThat,
  fail,
  randomInt,
  randomWord,
  recordUncaught,
  sleep,
  startExerciseServer,
  test,
  within,
  type ServerUnderCheck,
  type WsClient,
  type Workbench,
} from './support/index.ts';
import { clientFrame, openRawFrames, WsOpcode } from './support/raw-frames.ts';

type ChatEvent = import('../exercises/ws-chat/server.ts').ChatEvent;

/** Short, so that the heartbeat tests stay fast; the learner's server must use it. */
const HEARTBEAT_MS = 200;
/**
 * For the tests about chat alone: long enough that a busy machine cannot delay a
 * pong past the next heartbeat and have a live client dropped.
 */
const CALM_HEARTBEAT_MS = 10_000;
/** How long the check waits before deciding that nothing more will arrive. */
const QUIET_MS = 100;
/** How long an event may take to arrive. */
const ARRIVAL_MS = 2000;
/** How long a client that stopped answering may stay connected: 2 heartbeats, and much slack for a busy machine. */
const DROP_LIMIT_MS = 2000;

const chatServer: ServerUnderCheck = { exerciseId: 'ws-chat', file: 'server.ts', functionName: 'startChatServer', extra: { heartbeatMs: CALM_HEARTBEAT_MS } };

async function startServer(workbench: Workbench, options: { heartbeatMs?: number } = { heartbeatMs: CALM_HEARTBEAT_MS }) {
  const server = await startExerciseServer(workbench, chatServer.exerciseId, chatServer.file, chatServer.functionName, options);
  return { ...server, url: `ws://127.0.0.1:${server.port}/` };
}

/** A `ws` client in the chat room: the chat events it received, by type. */
interface ChatClient {
  readonly ws: WsClient;
  readonly who: string;
  /** Received events by their `type`: `join`, `message`, `leave` (and `not-json` for anything else). */
  readonly chat: EventQueue;
  nick: string | undefined;
}

async function connectChat(workbench: Workbench, url: string, who: string, options: ClientOptions = {}): Promise<ChatClient> {
  const ws = await connectWs(workbench, url, who, { perMessageDeflate: false, ...options });
  const chat = new EventQueue();
  const handle = (data: Buffer, isBinary: boolean) => {
    let event: unknown;
    try {
      event = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      event = undefined;
    }
    const type = (event as { type?: unknown } | undefined)?.type;
    if (typeof type === 'string' && ['join', 'message', 'leave'].includes(type)) chat.push(type, [event]);
    else chat.push('not-json', [isBinary ? `<${data.length} binary bytes>` : data.toString()]);
  };
  // What arrived with the handshake, before this listener: a server that greets a newcomer sends it then.
  for (const event of ws.events.pending) if (event.name === 'message') handle(...(event.args as [Buffer, boolean]));
  ws.socket.on('message', handle);
  return { ws, who, chat, nick: undefined };
}

/** A random nickname. */
function randomNick(): string {
  return `${randomWord(5)}${randomInt(10, 99)}`;
}

/** Sends the client's first message: its nickname. */
function chooseNick(client: ChatClient, nick = randomNick()): string {
  client.nick = nick;
  client.ws.socket.send(nick);
  return nick;
}

function closedEvent(client: ChatClient) {
  return client.ws.events.pending.find((e) => e.name === 'close');
}

/** Waits for the next `event.type` event of `client` and compares it with `event`. */
async function expectEvent(client: ChatClient, event: ChatEvent, did: string, hint: string): Promise<void> {
  const bad = () => client.chat.pending.find((e) => e.name === 'not-json');
  // Wait for the event to be there, then take it: a waiting `next()` could swallow a second event pushed in the same tick.
  await eventually(() => client.chat.pending.some((e) => e.name === event.type) || bad() !== undefined, ARRIVAL_MS);
  const wrong = bad();
  if (wrong) fail({ did, expected: `${client.who} to receive ${describeValue(event, 200)}`, actual: `${client.who} received ${describeValue(wrong.args[0])}`, hint: 'Send every event as one text message: `JSON.stringify({ type, … })`.' });
  if (!client.chat.pending.some((e) => e.name === event.type)) {
    const others = client.chat.pending.map((e) => describeValue(e.args[0], 80));
    const closed = closedEvent(client);
    fail({
      did,
      expected: `${client.who} to receive ${describeValue(event, 200)} within ${ARRIVAL_MS / 1000} s`,
      actual: closed
        ? `${client.who} was disconnected by your server, though it answers every ping`
        : others.length === 0
          ? 'it received nothing'
          : `it received only ${others.join(', ')}`,
      hint: closed ? 'Terminate only a client that did not answer the previous ping: mark each client alive on its `pong` event.' : hint,
    });
  }
  const [actual] = await client.chat.next(event.type, { who: client.who, withinMs: 0 });
  const own = (actual as { nick?: unknown }).nick ?? (actual as { from?: unknown }).from;
  const sameButTrimmed =
    typeof own === 'string' && (('nick' in event && event.nick !== own && event.nick.trim() === own) || ('from' in event && event.from !== own && event.from.trim() === own));
  const textTrimmed = 'text' in event && typeof (actual as { text?: unknown }).text === 'string' && (actual as { text: string }).text !== event.text && (actual as { text: string }).text === event.text.trim();
  const extraKeys = Object.keys(actual as object).filter((key) => !(key in event));
  expectThat(isDeepStrictEqual(actual, event), {
    did,
    expected: `${client.who} to receive ${describeValue(event, 200)}`,
    actual: `it received ${describeValue(actual, 200)}`,
    hint:
      own === client.nick && client.nick !== undefined && ('from' in event ? event.from !== own : event.nick !== own)
        ? `That is about ${client.who} itself: a broadcast skips the client it comes from (\`if (client !== socket)\`).`
        : sameButTrimmed || textTrimmed
          ? 'Send the text as it came, unchanged: no trim(), spaces and newlines included.'
          : extraKeys.length > 0
            ? `Send exactly the fields of the event type, no more: ${extraKeys.map((key) => JSON.stringify(key)).join(', ')} is not one of them.`
            : hint,
  });
}

/** Fails if any of `clients` received anything the check did not take yet, after a short wait. */
async function expectNothingMore(clients: ChatClient[], did: string, hint: (client: ChatClient, event: unknown) => string): Promise<void> {
  await sleep(QUIET_MS);
  for (const client of clients) {
    const extra = client.chat.pending[0];
    if (extra) {
      fail({
        did,
        expected: `${client.who} (${client.nick === undefined ? 'no nickname yet' : JSON.stringify(client.nick)}) to receive nothing more`,
        actual: `it received an extra event: ${describeValue(extra.args[0], 200)}`,
        hint: hint(client, extra.args[0]),
      });
    }
  }
}

/** Has each of `newcomers` choose a nickname in turn (`nicks`, or random ones), expecting its join at every client of `room` but itself. */
async function joinInTurn(room: ChatClient[], newcomers: ChatClient[], nicks: (string | undefined)[] = []): Promise<void> {
  for (const [i, newcomer] of newcomers.entries()) {
    const nick = chooseNick(newcomer, nicks[i] ?? randomNick());
    for (const other of room.filter((c) => c !== newcomer)) {
      await expectEvent(
        other,
        { type: 'join', nick },
        `${newcomer.who} sent its first message, ${JSON.stringify(nick)}`,
        other.nick === undefined
          ? 'Every other client hears a join, even one that has not chosen a nickname yet: broadcast to every open connection.'
          : 'The first text message of a client is its nickname, unchanged: send `{ type: "join", nick }` to every other connected client.',
      );
    }
  }
}

/** Connects `names.length` clients and has each choose a nickname in turn, taking the join events. */
async function roomOf(workbench: Workbench, url: string, names: string[], nicks: (string | undefined)[] = []): Promise<ChatClient[]> {
  const clients = await Promise.all(names.map((who) => connectChat(workbench, url, who)));
  await joinInTurn(clients, clients, nicks);
  return clients;
}

const joinHint = (client: ChatClient, event: unknown) =>
  (event as { nick?: unknown }).nick === client.nick && client.nick !== undefined
    ? 'A join is announced to every *other* client: skip the newcomer.'
    : (event as { type?: unknown }).type === 'message'
      ? 'The first message is the nickname, not a chat message: announce it as a join only.'
      : 'Send one join per client that chose its nickname, and nothing to a client when it connects.';

describe.concurrent('ws-chat', () => {
  test('listens on the host it is given, and nowhere else', async ({ workbench }) => {
    await expectListensOnGivenHost(workbench, chatServer);
  });

  test('asks the system for a free port when given port 0', async ({ workbench }) => {
    await expectAnyFreePortForZero(workbench, chatServer);
  });

  test('rejects when the port is taken', async ({ workbench }) => {
    await expectRejectsTakenPort(workbench, chatServer);
  });

  test('announces each nickname to every other client, named or not, and nothing else', async ({ workbench }) => {
    const server = await startServer(workbench);
    // Connected first, never chooses a nickname: it still hears every join.
    const observer = await connectChat(workbench, server.url, 'client O (never chooses a nickname)');
    const clients = await Promise.all(['client A', 'client B', 'client C'].map((who) => connectChat(workbench, server.url, who)));
    // Nicknames are taken as they come: spaces around one, non-ASCII in another.
    const nicks = [`  ${randomWord(4)} ${randomWord(3)}\t`, `Zoë-${randomWord(3)}-中文-🦊`, randomNick()];
    await joinInTurn([observer, ...clients], clients, nicks);
    // A latecomer gets no history.
    const late = await connectChat(workbench, server.url, 'client L (connects after the joins)');
    await expectNothingMore([observer, ...clients, late], `Three clients chose their nicknames in turn (${nicks.map((n) => JSON.stringify(n)).join(', ')}), then client L connected`, joinHint);
  });

  test('takes an empty first message as the nickname ""', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [a, b] = await roomOf(workbench, server.url, ['client A', 'client B']);
    const silent = await connectChat(workbench, server.url, 'client E (its first message is empty)');
    const hint = 'The first text message is the nickname, whatever it holds, even "": test `nick === undefined`, not `!nick`.';
    await joinInTurn([a!, b!, silent], [silent], ['']);
    const text = `hello ${randomWord(4)}`;
    silent.ws.socket.send(text);
    for (const other of [a!, b!]) await expectEvent(other, { type: 'message', from: '', text }, `client E chose the empty nickname "", then sent ${JSON.stringify(text)}`, hint);
    silent.ws.socket.close();
    for (const other of [a!, b!]) await expectEvent(other, { type: 'leave', nick: '' }, 'client E (nickname "") closed its connection', hint);
    await expectNothingMore([a!, b!], 'client E joined with the empty nickname "", spoke once and left', () => hint);
  });

  test('sends each message to every other client, unchanged, never back to its sender', async ({ workbench }) => {
    const server = await startServer(workbench);
    const observer = await connectChat(workbench, server.url, 'client O (never chooses a nickname)');
    const clients = await Promise.all(['client A', 'client B', 'client C'].map((who) => connectChat(workbench, server.url, who)));
    await joinInTurn([observer, ...clients], clients);
    const texts = [
      () => `hello from ${randomWord(4)}`,
      () => `  ${randomWord(4)}\t${randomInt(0, 1e6)} ✨ \n`,
      () => '',
      () => JSON.stringify({ type: 'join', nick: randomWord(4) }),
      () => `${randomWord(3)} é中🦊 ${'x'.repeat(randomInt(1000, 20_000))}`,
    ];
    for (const sender of clients) {
      const sent = texts.map((make) => make());
      for (const text of sent) sender.ws.socket.send(text);
      for (const other of [observer, ...clients.filter((c) => c !== sender)]) {
        for (const text of sent) {
          await expectEvent(
            other,
            { type: 'message', from: sender.nick!, text },
            `${sender.who} (${JSON.stringify(sender.nick)}) sent ${describeValue(text, 60)}${text.trim() !== text ? ' (with spaces or newlines around it)' : ''}`,
            'Send `{ type: "message", from: <the sender\'s nickname>, text }` to every other client, in the order the messages came, text unchanged.',
          );
        }
      }
    }
    await expectNothingMore([observer, ...clients], `Each of three clients sent ${texts.length} chat messages`, (client, event) =>
      (event as { from?: unknown }).from === client.nick
        ? `${client.who} got its own message back: a broadcast skips the sender (\`if (client !== socket)\`).`
        : 'Send each message once to each other client.',
    );
  });

  test('ignores binary messages, first or later', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [a, b] = await roomOf(workbench, server.url, ['client A', 'client B']);
    const c = await connectChat(workbench, server.url, 'client C (sends binary messages)');
    const hint = 'Binary messages are ignored: in the `message` handler, `(data, isBinary) => { if (isBinary) return; … }`.';
    c.ws.socket.send(Buffer.from(randomWord(6)));
    await expectNothingMore([a!, b!], 'client C sent a binary message first', () => hint);
    await joinInTurn([a!, b!, c], [c]);
    a!.ws.socket.send(Buffer.from(`binary ${randomWord(4)}`));
    await expectNothingMore([b!, c], 'client A (already named) sent a binary message', () => hint);
    const text = `text ${randomWord(4)}`;
    c.ws.socket.send(text);
    for (const other of [a!, b!]) await expectEvent(other, { type: 'message', from: c.nick!, text }, `client C sent a binary message, its nickname as text, then ${JSON.stringify(text)}`, hint);
    await expectNothingMore([a!, b!, c], `client C sent ${JSON.stringify(text)}`, () => hint);
  });

  test('announces a leave once when a client closes or drops, and rejoins with the same nickname', async ({ workbench }) => {
    const server = await startServer(workbench);
    const observer = await connectChat(workbench, server.url, 'client O (never chooses a nickname)');
    const [a, b, c, d] = await Promise.all(['client A', 'client B', 'client C', 'client D'].map((who) => connectChat(workbench, server.url, who)));
    await joinInTurn([observer, a!, b!, c!, d!], [a!, b!, c!, d!]);
    const leaveHint = "On the socket's `close` event (it fires for a polite close and a dropped connection alike), send `{ type: \"leave\", nick }` to the clients still there.";
    c!.ws.socket.close(1000);
    for (const other of [observer, a!, b!, d!]) await expectEvent(other, { type: 'leave', nick: c!.nick! }, `${c!.who} (${JSON.stringify(c!.nick)}) closed its connection`, leaveHint);
    // Gone without a closing handshake: the TCP connection just drops.
    d!.ws.socket.terminate();
    for (const other of [observer, a!, b!]) await expectEvent(other, { type: 'leave', nick: d!.nick! }, `${d!.who} (${JSON.stringify(d!.nick)}) dropped its connection without a close frame`, leaveHint);
    const anonymous = await connectChat(workbench, server.url, 'client X (never chooses a nickname)');
    anonymous.ws.socket.close();
    await eventually(() => closedEvent(anonymous) !== undefined, 1000);
    await expectNothingMore([observer, a!, b!], 'Two clients left (one closed, one dropped); then client X connected and closed without ever sending a nickname', (_client, event) =>
      (event as { type?: unknown }).type === 'leave' && (event as { nick?: unknown }).nick !== undefined && [c!.nick, d!.nick].includes((event as { nick: string }).nick)
        ? 'Send one leave per client that leaves: from its `close` event only.'
        : 'A client that never chose a nickname never joined: it leaves without a `leave` event (check that it has a nickname first).',
    );
    // Second episode: the nickname of the client that left joins again, speaks, and leaves.
    const back = await connectChat(workbench, server.url, `client C again (a new connection)`);
    await joinInTurn([observer, a!, b!, back], [back], [c!.nick]);
    const text = `I am back ${randomInt(0, 1e6)}`;
    back.ws.socket.send(text);
    for (const other of [observer, a!, b!]) await expectEvent(other, { type: 'message', from: back.nick!, text }, `client C joined again as ${JSON.stringify(back.nick)} and sent ${JSON.stringify(text)}`, 'Each connection has its own nickname: its first message, even if another connection had it before.');
    back.ws.socket.close();
    for (const other of [observer, a!, b!]) await expectEvent(other, { type: 'leave', nick: back.nick! }, `client C (${JSON.stringify(back.nick)}) left a second time`, leaveHint);
    await expectNothingMore([observer, a!, b!], 'client C joined again, spoke and left', () => 'Send one join, one message and one leave.');
  });

  test('drops a client that stops answering pings, while the others keep chatting', async ({ workbench }) => {
    const server = await startServer(workbench, { heartbeatMs: HEARTBEAT_MS });
    const [a, b] = await roomOf(workbench, server.url, ['client A', 'client B']);
    // `autoPong: false`: this client still reads everything, but never answers a ping.
    const dead = await connectChat(workbench, server.url, 'client D (stops answering pings)', { autoPong: false });
    await joinInTurn([a!, b!, dead], [dead]);

    const text = `still here ${randomInt(0, 1e6)}`;
    a!.ws.socket.send(text);
    for (const other of [b!, dead]) await expectEvent(other, { type: 'message', from: a!.nick!, text }, `client A sent ${JSON.stringify(text)}`, 'Send each message to every other client.');

    const heartbeatHint = `Every heartbeatMs (the check passes ${HEARTBEAT_MS} ms in options.heartbeatMs), terminate() each client that has not answered the previous ping, then ping the others. Mark a client alive on its \`pong\` event.`;
    const pingsOf = (client: ChatClient) => client.ws.events.pending.filter((e) => e.name === 'ping').length;
    const dropped = await eventually(() => closedEvent(dead) !== undefined, DROP_LIMIT_MS);
    expectThat(dropped, {
      did: `Connected client D with autoPong off, so it never answers a ping; the heartbeat is ${HEARTBEAT_MS} ms`,
      expected: `your server to terminate client D within ${DROP_LIMIT_MS / 1000} s`,
      actual: `client D was still connected after ${DROP_LIMIT_MS / 1000} s, having received ${pingsOf(dead)} pings`,
      hint: heartbeatHint,
    });
    const pings = pingsOf(dead);
    expectThat(pings === 1, {
      did: 'Your server disconnected client D, which never answers pings',
      expected: 'exactly one ping first: a client is dropped on the heartbeat after the ping it did not answer, not before, not later',
      actual: pings === 0 ? 'client D never received a ping' : `client D received ${pings} pings before it was dropped: it missed ${pings - 1} more than the previous one`,
      hint: pings === 0 ? 'A new client has not been pinged yet: count it as alive until it misses a ping.' : heartbeatHint,
    });
    for (const other of [a!, b!]) {
      await expectEvent(other, { type: 'leave', nick: dead.nick! }, 'Your heartbeat terminated client D', 'A client dropped by the heartbeat leaves like any other: its `close` event fires, announce the leave there.');
    }
    await expectNothingMore([a!, b!], 'Your heartbeat terminated client D, and clients A and B received its leave', (_client, event) =>
      isDeepStrictEqual(event, { type: 'leave', nick: dead.nick })
        ? 'That is a second leave for client D: send the leave from the `close` event only (terminate() fires it), not also from the heartbeat.'
        : 'Nothing else happened: send nothing else.',
    );

    const reply = `you there? ${randomInt(0, 1e6)}`;
    b!.ws.socket.send(reply);
    await expectEvent(a!, { type: 'message', from: b!.nick!, text: reply }, `After client D was dropped, client B sent ${JSON.stringify(reply)}`, 'The heartbeat must drop only the silent client.');

    const before = [a!, b!].map(pingsOf);
    const started = Date.now();
    await sleep(5 * HEARTBEAT_MS);
    const elapsed = Date.now() - started;
    for (const [i, live] of [a!, b!].entries()) {
      const closed = closedEvent(live);
      expectThat(!closed, {
        did: `Waited ${elapsed} ms more with clients A and B, which answer every ping`,
        expected: `${live.who} to stay connected`,
        actual: `it was disconnected (${describeValue(closed?.args)})`,
        hint: 'Drop only a client whose previous ping got no pong: set `alive = true` on `pong`, and check it before the next ping.',
      });
      const livePings = pingsOf(live) - before[i]!;
      // At most one ping per heartbeat (and one for the tick in progress); at least 2 in 5 heartbeats, however busy the machine.
      const most = Math.floor(elapsed / HEARTBEAT_MS) + 1;
      expectThat(livePings >= 2 && livePings <= most, {
        did: `Watched clients A and B for ${elapsed} ms, with a heartbeat of ${HEARTBEAT_MS} ms`,
        expected: `${live.who} to be pinged once per heartbeat: between 2 and ${most} pings`,
        actual: `it received ${livePings} ping${livePings === 1 ? '' : 's'}`,
        hint: heartbeatHint,
      });
    }
  });

  test('drops a peer that is really gone with terminate(), without waiting for a closing handshake', async ({ workbench }) => {
    const server = await startServer(workbench, { heartbeatMs: HEARTBEAT_MS });
    const [a, b] = await roomOf(workbench, server.url, ['client A', 'client B']);
    // A raw peer: it sends its nickname, then answers nothing at all — no pong, no close frame.
    const gone = await openRawFrames(workbench, server.port, 'client G (gone: answers nothing)', { halfOpen: true });
    const nick = randomNick();
    gone.send(clientFrame({ opcode: WsOpcode.Text, payload: nick }));
    for (const other of [a!, b!]) await expectEvent(other, { type: 'join', nick }, `client G sent its nickname ${JSON.stringify(nick)}`, 'Announce every join.');
    const did = `Client G joined as ${JSON.stringify(nick)}, then stopped answering anything (no pong, no close frame), as a machine that lost its network does; the heartbeat is ${HEARTBEAT_MS} ms`;
    const ended = await gone.waitForEnd(DROP_LIMIT_MS);
    const sentClose = gone.frames.some((f) => f.opcode === WsOpcode.Close);
    expectThat(ended, {
      did,
      expected: `your server to drop the connection within ${DROP_LIMIT_MS / 1000} s`,
      actual: sentClose ? 'it sent a close frame and then waited for an answer that never comes (ws waits 30 s)' : 'the connection was still open',
      hint: sentClose
        ? 'A peer that stopped answering will not answer a close frame either: `terminate()` it, which drops the connection at once; `close()` waits for a closing handshake.'
        : `Every heartbeatMs, terminate() each client that has not answered the previous ping.`,
    });
    for (const other of [a!, b!]) await expectEvent(other, { type: 'leave', nick }, `Your heartbeat dropped client G (${JSON.stringify(nick)})`, 'Announce the leave from the `close` event: terminate() fires it at once.');
  });

  test('survives a client that sends an invalid frame, and announces its leave', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [a, b] = await roomOf(workbench, server.url, ['client A', 'client B']);
    const broken = await openRawFrames(workbench, server.port, 'client F (sends an invalid frame)');
    const nick = randomNick();
    broken.send(clientFrame({ opcode: WsOpcode.Text, payload: nick }));
    for (const other of [a!, b!]) await expectEvent(other, { type: 'join', nick }, `client F sent its nickname ${JSON.stringify(nick)}`, 'Announce every join.');
    // An unmasked frame: ws refuses it, emits `error` on that client's socket and closes it with 1002.
    broken.send(clientFrame({ opcode: WsOpcode.Text, payload: 'no mask', masked: false }));
    await eventually(() => broken.ended || broken.frames.some((f) => f.opcode === WsOpcode.Close), ARRIVAL_MS);
    broken.client.socket.end();
    const did = `client F (${JSON.stringify(nick)}) sent an unmasked frame, which ws refuses with an \`error\` event on that client's socket`;
    await sleep(QUIET_MS);
    recordUncaught(workbench).expectNone(did, 'ws emits `error` on a client socket that breaks the protocol: without `socket.on("error", …)` that error crashes the whole server. Add the listener (and terminate() the client there).');
    for (const other of [a!, b!]) await expectEvent(other, { type: 'leave', nick }, `${did}; it was disconnected`, 'A client that broke the protocol leaves like any other: announce its leave from the `close` event.');
    const text = `still chatting ${randomInt(0, 1e6)}`;
    a!.ws.socket.send(text);
    await expectEvent(b!, { type: 'message', from: a!.nick!, text }, `After client F was disconnected, client A sent ${JSON.stringify(text)}`, 'Keep serving the other clients.');
  });

  test('close() terminates every client, even one that never answers a close frame', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await roomOf(workbench, server.url, ['client A', 'client B']);
    const deaf = await openRawFrames(workbench, server.port, 'client Z (answers no close frame)', { halfOpen: true });
    deaf.send(clientFrame({ opcode: WsOpcode.Text, payload: randomNick() }));
    await eventually(() => clients.every((c) => c.chat.pending.length > 0), ARRIVAL_MS);
    const did = 'Called close() with two `ws` clients connected, and a raw one that never answers a close frame';
    await within(server.close(), 2000, () => ({
      did,
      expected: 'it to resolve within 2 s',
      actual: deaf.frames.some((f) => f.opcode === WsOpcode.Close) ? 'it had not resolved: your server sent a close frame and waited for an answer that never comes' : 'it had not resolved',
      hint: 'Since ws 8, `wss.close()` leaves open connections alone: terminate() every client in `wss.clients` first (not close(), which waits for the closing handshake), and clear the heartbeat interval.',
    }));
    const gone = await eventually(() => clients.every((c) => closedEvent(c) !== undefined) && deaf.ended, 1000);
    expectThat(gone, {
      did,
      expected: 'every client to be disconnected',
      actual: `still connected after 1 s: ${[...clients.filter((c) => closedEvent(c) === undefined).map((c) => c.who), ...(deaf.ended ? [] : [deaf.who])].join(', ')}`,
      hint: 'Since ws 8, `wss.close()` leaves open connections alone: terminate() every client in `wss.clients`.',
    });
    expectThat(!(await accepts('127.0.0.1', server.port)), {
      did: `After close() resolved, connected to port ${server.port} again`,
      expected: 'the connection to be refused: the server is closed',
      actual: 'it was accepted',
      hint: 'Call `wss.close()` too, not only terminate the clients.',
    });
  });

  // Alone, last: the clock it fakes is every test's in this thread.
  test.sequential('runs the heartbeat every 30 s when heartbeatMs is not given', async ({ workbench }) => {
    // The clock is the check's: timers and Date run at the real pace, and jump when the check moves them on.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], shouldAdvanceTime: true });
    try {
      const started = Date.now();
      const server = await startServer(workbench, {});
      const [a] = await roomOf(workbench, server.url, ['client A']);
      const quiet = await connectChat(workbench, server.url, 'client Q (never answers pings)', { autoPong: false });
      await joinInTurn([a!, quiet], [quiet]);
      // Connected after client Q: a heartbeat that leaves its loop once it terminated Q (return, break) never reaches it.
      const b = await connectChat(workbench, server.url, 'client B (connected after client Q)');
      await joinInTurn([a!, quiet, b], [b]);
      const answering = [a!, b];
      const pingsOf = (client: ChatClient) => client.ws.events.pending.filter((e) => e.name === 'ping').length;
      const state = (client: ChatClient) => `${closedEvent(client) ? 'it was disconnected' : 'it is connected'}, after ${pingsOf(client)} ping${pingsOf(client) === 1 ? '' : 's'}`;
      const hint = 'Default heartbeatMs to 30 000: `setInterval(beat, options.heartbeatMs ?? 30_000)`, started whether or not the option is given.';
      const did = (at: number) =>
        `Started your server without heartbeatMs (the default is 30 000 ms) with three clients, client Q (connected second) never answering pings, and moved the clock on to ${at / 1000} s`;
      vi.advanceTimersByTime(Math.max(0, started + 29_000 - Date.now()));
      await sleep(QUIET_MS);
      for (const client of [a!, quiet, b]) {
        expectThat(pingsOf(client) === 0 && !closedEvent(client), { did: did(29_000), expected: `${client.who} not to be pinged or dropped yet: the first heartbeat is at 30 s`, actual: state(client), hint });
      }
      vi.advanceTimersByTime(Math.max(0, started + 30_500 - Date.now()));
      await eventually(() => [a!, quiet, b].every((client) => pingsOf(client) >= 1), ARRIVAL_MS);
      for (const client of [a!, quiet, b]) {
        expectThat(pingsOf(client) === 1 && !closedEvent(client), { did: did(30_500), expected: `${client.who} to have been pinged once, by the first heartbeat`, actual: state(client), hint });
      }
      vi.advanceTimersByTime(30_000);
      await eventually(() => closedEvent(quiet) !== undefined && answering.every((client) => pingsOf(client) >= 2), ARRIVAL_MS);
      expectThat(closedEvent(quiet) !== undefined, { did: did(60_500), expected: `${quiet.who} to be dropped by the second heartbeat: it did not answer the first ping`, actual: state(quiet), hint });
      for (const client of answering) {
        // Evidence of a loop left early: Q was dropped on this heartbeat, and a client after it in the loop got no ping.
        const leftTheLoop = closedEvent(quiet) !== undefined && pingsOf(client) === 1 && !closedEvent(client) && client === b && pingsOf(a!) === 2;
        expectThat(pingsOf(client) === 2 && !closedEvent(client), {
          did: did(60_500),
          expected: `${client.who}, which answers, to stay and be pinged a second time, by the heartbeat that dropped client Q`,
          actual: state(client),
          hint: leftTheLoop
            ? 'Client A, connected before client Q, got its second ping; client B, connected after it, did not: once you terminate() a client, go on to the next one (`continue`), do not leave the loop (`return`, `break`).'
            : hint,
        });
      }
    } finally {
      vi.useRealTimers();
    }
  });
});
