/**
 * Grades `ws-chat`: several real `ws` clients in the learner's chat room, one of
 * which stops answering pings and must be dropped by the heartbeat.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ClientOptions } from 'ws';
import { describe } from 'vitest';
import {
  connectWs,
  describeValue,
  eventually,
  EventQueue,
  expectThat,
  fail,
  randomInt,
  randomWord,
  sleep,
  startExerciseServer,
  test,
  within,
  type WsClient,
  type Workbench,
} from './support/index.ts';

type ChatEvent = import('../exercises/ws-chat/server.ts').ChatEvent;

/** Short, so that the heartbeat test stays fast; the learner's server must use it. */
const HEARTBEAT_MS = 200;
/**
 * For the tests about chat alone: long enough that a busy machine cannot delay a
 * pong past the next heartbeat and have a live client dropped.
 */
const CALM_HEARTBEAT_MS = 10_000;
/** How long the check waits before deciding that nothing more will arrive. */
const QUIET_MS = 100;

async function startServer(workbench: Workbench, heartbeatMs = CALM_HEARTBEAT_MS) {
  const server = await startExerciseServer(workbench, 'ws-chat', 'server.ts', 'startChatServer', { heartbeatMs });
  return { ...server, url: `ws://127.0.0.1:${server.port}/` };
}

/** A `ws` client in the chat room: the chat events it received, by type. */
interface ChatClient {
  readonly ws: WsClient;
  readonly who: string;
  /** Received events by their `type`: `join`, `message`, `leave` (and `not-json` for anything else). */
  readonly chat: EventQueue;
  nick: string;
}

async function connectChat(workbench: Workbench, url: string, who: string, options: ClientOptions = {}): Promise<ChatClient> {
  const ws = await connectWs(workbench, url, who, options);
  const chat = new EventQueue();
  ws.socket.on('message', (data: Buffer, isBinary: boolean) => {
    let event: unknown;
    try {
      event = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      event = undefined;
    }
    const type = (event as { type?: unknown } | undefined)?.type;
    if (typeof type === 'string' && ['join', 'message', 'leave'].includes(type)) chat.push(type, [event]);
    else chat.push('not-json', [isBinary ? `<${data.length} binary bytes>` : data.toString()]);
  });
  return { ws, who, chat, nick: '' };
}

/** Sends the client's first message: its nickname. */
function chooseNick(client: ChatClient): string {
  client.nick = `${randomWord(5)}${randomInt(10, 99)}`;
  client.ws.socket.send(client.nick);
  return client.nick;
}

/** Waits for the next `event.type` event of `client` and compares it with `event`. */
async function expectEvent(client: ChatClient, event: ChatEvent, did: string, hint: string): Promise<void> {
  const bad = client.chat.pending.find((e) => e.name === 'not-json');
  if (bad) fail({ did, expected: describeValue(event), actual: `${client.who} received ${describeValue(bad.args[0])}`, hint: 'Send every event as a text message: `JSON.stringify({ type, … })`.' });
  // Wait for the event to be there, then take it: a waiting `next()` could swallow a second event pushed in the same tick.
  await eventually(() => client.chat.pending.some((e) => e.name === event.type), 1000);
  if (!client.chat.pending.some((e) => e.name === event.type)) {
    const others = client.chat.pending.map((e) => describeValue(e.args[0], 80));
    const closed = client.ws.events.pending.some((e) => e.name === 'close');
    fail({
      did,
      expected: `${client.who} to receive ${describeValue(event, 200)} within 1 s`,
      actual: closed
        ? `${client.who} was disconnected by your server, though it answers every ping`
        : others.length === 0
          ? 'it received nothing'
          : `it received only ${others.join(', ')}`,
      hint: closed ? 'Terminate only a client that did not answer the previous ping: mark each client alive on its `pong` event.' : hint,
    });
  }
  const [actual] = await client.chat.next(event.type, { who: client.who, withinMs: 0 });
  const own = (actual as { nick?: unknown; from?: unknown }).nick ?? (actual as { from?: unknown }).from;
  expectThat(isDeepStrictEqual(actual, event), {
    did,
    expected: `${client.who} to receive ${describeValue(event, 200)}`,
    actual: `it received ${describeValue(actual, 200)}`,
    hint: own === client.nick && client.nick !== '' ? `That is about ${client.who} itself: a broadcast skips the client it comes from (\`if (client !== socket)\`).` : hint,
  });
}

/** Fails if `client` received anything the check did not take yet, after a short wait. */
async function expectNothingMore(clients: ChatClient[], did: string, hint: (client: ChatClient, event: unknown) => string): Promise<void> {
  await sleep(QUIET_MS);
  for (const client of clients) {
    const extra = client.chat.pending[0];
    if (extra) {
      fail({
        did,
        expected: `${client.who} (${client.nick || 'no nickname yet'}) to receive nothing more`,
        actual: `it received ${describeValue(extra.args[0], 200)}`,
        hint: hint(client, extra.args[0]),
      });
    }
  }
}

/** Connects `names.length` clients and has each choose a nickname in turn, taking the join events. */
async function roomOf(workbench: Workbench, url: string, names: string[]): Promise<ChatClient[]> {
  const clients = await Promise.all(names.map((who) => connectChat(workbench, url, who)));
  for (const newcomer of clients) {
    const nick = chooseNick(newcomer);
    for (const other of clients.filter((c) => c !== newcomer)) {
      await expectEvent(
        other,
        { type: 'join', nick },
        `${newcomer.who} sent its first message, ${JSON.stringify(nick)}`,
        'The first text message of a client is its nickname: send `{ type: "join", nick }` to every other connected client.',
      );
    }
  }
  return clients;
}

describe('ws-chat', () => {
  test('announces each nickname to the others, and not to the newcomer', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await roomOf(workbench, server.url, ['client A', 'client B', 'client C']);
    await expectNothingMore(clients, 'Three clients chose their nicknames in turn', (client, event) =>
      (event as { nick?: unknown }).nick === client.nick
        ? 'A join is announced to every *other* client: skip the newcomer.'
        : (event as { type?: unknown }).type === 'message'
          ? 'The first message is the nickname, not a chat message: announce it as a join only.'
          : 'Send one join per client that chose its nickname.',
    );
  });

  test('sends each message to every other client, never back to its sender', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await roomOf(workbench, server.url, ['client A', 'client B', 'client C']);
    for (const sender of clients) {
      const texts = [`hello from ${sender.nick}`, `${randomWord(4)} ${randomInt(0, 1e6)} ✨`];
      for (const text of texts) sender.ws.socket.send(text);
      for (const other of clients.filter((c) => c !== sender)) {
        for (const text of texts) {
          await expectEvent(
            other,
            { type: 'message', from: sender.nick, text },
            `${sender.who} (${sender.nick}) sent ${JSON.stringify(text)}`,
            'Send `{ type: "message", from: <the sender\'s nickname>, text }` to every other client, in the order the messages came.',
          );
        }
      }
    }
    await expectNothingMore(clients, 'Each of three clients sent two chat messages', (client, event) =>
      (event as { from?: unknown }).from === client.nick
        ? `${client.who} got its own message back: a broadcast skips the sender (\`if (client !== socket)\`).`
        : 'Send each message once to each other client.',
    );
  });

  test('announces a leave when a client closes, and nothing for one without a nickname', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [a, b, c] = await roomOf(workbench, server.url, ['client A', 'client B', 'client C']);
    c!.ws.socket.close();
    for (const other of [a!, b!]) {
      await expectEvent(other, { type: 'leave', nick: c!.nick }, `${c!.who} (${c!.nick}) closed its connection`, 'On the socket\'s `close` event, send `{ type: "leave", nick }` to the clients still there.');
    }
    const anonymous = await connectChat(workbench, server.url, 'client D (never chooses a nickname)');
    anonymous.ws.socket.close();
    await eventually(() => anonymous.ws.events.pending.some((e) => e.name === 'close'), 1000);
    await expectNothingMore([a!, b!], 'client D connected and closed without ever sending a nickname', () =>
      'A client that never chose a nickname never joined: it leaves without a `leave` event (check that it has a nickname first).',
    );
  });

  test('drops a client that stops answering pings, while the others keep chatting', async ({ workbench }) => {
    const server = await startServer(workbench, HEARTBEAT_MS);
    const [a, b] = await roomOf(workbench, server.url, ['client A', 'client B']);
    // `autoPong: false`: this client still reads everything, but never answers a ping.
    const dead = await connectChat(workbench, server.url, 'client D (stops answering pings)', { autoPong: false });
    const deadNick = chooseNick(dead);
    for (const other of [a!, b!]) await expectEvent(other, { type: 'join', nick: deadNick }, `client D sent its nickname ${JSON.stringify(deadNick)}`, 'Announce every join.');

    const text = `still here ${randomInt(0, 1e6)}`;
    a!.ws.socket.send(text);
    for (const other of [b!, dead]) await expectEvent(other, { type: 'message', from: a!.nick, text }, `client A sent ${JSON.stringify(text)}`, 'Send each message to every other client.');

    const heartbeatHint = `Every heartbeatMs (the check passes ${HEARTBEAT_MS} ms in options.heartbeatMs), terminate() each client that has not answered the previous ping, then ping the others. Mark a client alive on its \`pong\` event.`;
    const dropped = await eventually(() => dead.ws.events.pending.some((e) => e.name === 'close'), 2000);
    expectThat(dropped, {
      did: `Connected client D with autoPong off, so it never answers a ping; the heartbeat is ${HEARTBEAT_MS} ms`,
      expected: 'your server to terminate client D',
      actual: `client D was still connected after 2 s, having received ${dead.ws.events.pending.filter((e) => e.name === 'ping').length} pings`,
      hint: heartbeatHint,
    });
    const pings = dead.ws.events.pending.filter((e) => e.name === 'ping').length;
    expectThat(pings >= 1, {
      did: 'Your server disconnected client D, which never answers pings',
      expected: 'at least one ping first: a client is dropped for not answering one',
      actual: 'client D never received a ping',
      hint: heartbeatHint,
    });
    for (const other of [a!, b!]) {
      await expectEvent(other, { type: 'leave', nick: deadNick }, 'Your heartbeat terminated client D', 'A client dropped by the heartbeat leaves like any other: its `close` event fires, announce the leave there.');
    }

    const reply = `you there? ${randomInt(0, 1e6)}`;
    b!.ws.socket.send(reply);
    await expectEvent(a!, { type: 'message', from: b!.nick, text: reply }, `After client D was dropped, client B sent ${JSON.stringify(reply)}`, 'The heartbeat must drop only the silent client.');

    await sleep(2 * HEARTBEAT_MS);
    for (const live of [a!, b!]) {
      const closed = live.ws.events.pending.find((e) => e.name === 'close');
      expectThat(!closed, {
        did: `Waited ${2 * HEARTBEAT_MS} ms more with clients A and B, which answer every ping`,
        expected: `${live.who} to stay connected`,
        actual: `it was disconnected (${describeValue(closed?.args)})`,
        hint: 'Drop only a client whose previous ping got no pong: set `alive = true` on `pong`, and check it before the next ping.',
      });
      const livePings = live.ws.events.pending.filter((e) => e.name === 'ping').length;
      expectThat(livePings >= 2, {
        did: `Kept clients A and B connected for several heartbeats of ${HEARTBEAT_MS} ms`,
        expected: `${live.who} to be pinged on every heartbeat`,
        actual: `it received ${livePings} ping${livePings === 1 ? '' : 's'}`,
        hint: heartbeatHint,
      });
    }
  });

  test('close() disconnects every client', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await roomOf(workbench, server.url, ['client A', 'client B']);
    await within(server.close(), 2000, () => ({
      did: 'Called close() with two clients connected',
      expected: 'it to resolve within 2 s',
      actual: 'it had not resolved',
      hint: 'Since ws 8, `wss.close()` leaves open connections alone: terminate() every client in `wss.clients` first, and clear the heartbeat interval.',
    }));
    const gone = await eventually(() => clients.every((c) => c.ws.events.pending.some((e) => e.name === 'close')), 1000);
    expectThat(gone, {
      did: 'Called close() with two clients connected',
      expected: 'both clients to be disconnected',
      actual: 'at least one was still connected after 1 s',
      hint: 'Since ws 8, `wss.close()` leaves open connections alone: terminate() every client in `wss.clients`.',
    });
  });
});
