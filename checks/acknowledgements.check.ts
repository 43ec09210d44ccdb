/**
 * Grades `acknowledgements`: the learner's delivery server with real `socket.io-client`
 * clients, and the learner's messenger against a reference delivery server.
 *
 * Rule → test (README "Your task", the TSDoc of `server.ts`, `client.ts`, `protocol.ts`
 * and `exercises/types.ts`):
 *
 * Part 1, the server (`startDeliveryServer`):
 * - 1 listens on options.port and options.host .......... "server: listens on the host it is given, and nowhere else"
 *   port 0 is any free port; resolves with the real one . "server: asks the system for a free port when given port 0"
 *   rejects when it cannot listen (types.ts) ............. "server: rejects when the port is taken"
 * - 2 unknown-recipient at once (also a client that left) "server: answers unknown-recipient at once …"
 *   `message` { from, text } to that one client, with an
 *   acknowledgement (no other field, nobody else) ....... "server: delivers each text to its recipient only …",
 *                                                          "server: waits the timeoutMs of each request …"
 *   delivered with the *first* argument of the ack ....... "server: delivers each text …" (one recipient confirms with two
 *                                                          arguments; replies of every kind: falsy ones, objects, non-ASCII)
 *   waits this request's own timeoutMs, then timeout .... "server: waits the timeoutMs of each request …" (a request of
 *                                                          1.5 s or more confirmed after 1.05 s is delivered: no cap at
 *                                                          1 s; a confirmation just after timeoutMs is too late)
 * - 3 many at once, each on its own ...................... "server: delivers each text …" (eleven at once),
 *                                                          "server: waits the timeoutMs of each request …" (three requests
 *                                                          to the same slow client, each timed on its own, and one to a
 *                                                          prompt client)
 * - 4 ignores a deliver without a callback, keeps running  "server: ignores a `deliver` sent without a callback …"
 * - 5 close(): every client disconnected, server closed .. "server: close() disconnects every client …";
 *   nothing left running ................................. every server test's teardown (leaks, uncaught errors)
 *
 * Part 2, the messenger (`connectMessenger`):
 * - 1 connects, resolves once connected with its socket.id "messenger: delivers through the server …" (`id` as the server sees it)
 *   rejects with an Error naming url when unreachable ... "messenger: rejects with a clear Error when its server cannot be reached"
 *   a connection of its own (two messengers at once) ..... "messenger: delivers through the server …"
 *   no reconnection ...................................... "messenger: gives up on a server … and never reconnects by itself"
 *                                                          (its server goes away)
 * - 2 confirms every message with reply()'s value ........ "messenger: delivers through the server …" (async reply),
 *                                                          "messenger: leaves a message unconfirmed when reply throws or rejects"
 *                                                          (sync and falsy replies too)
 *   reply throws / rejects → not confirmed (TSDoc) ....... "messenger: leaves a message unconfirmed …" (and no error escapes)
 * - 3 emits deliver { to, text, timeoutMs } exactly ....... "messenger: delivers through the server …" (the server records it)
 *   resolves with reply (whatever it is) ................. "messenger: delivers through the server …"
 *   "did not confirm" / "unknown" errors, naming `to` .... "messenger: turns a timeout or unknown-recipient receipt …"
 *   waits timeoutMs + RECEIPT_MARGIN_MS, then "timed out"  "messenger: gives up on a server that never answers …" (two
 *                                                          requests at once, each bounded on both sides; one above 1 s)
 * - 4 close(): disconnects, nothing left running ......... "messenger: gives up on a server that never answers …" (the server
 *                                                          sees it leave), every messenger test's teardown (leaks: a
 *                                                          delivery's own timer must not outlive it)
 */
import { isDeepStrictEqual } from 'node:util';
import { describe } from 'vitest';
import type { Server } from 'socket.io';
import {
  closedPort,
  connectSocketIo,
  describeOutcome,
  describeValue,
  emitAndAwaitAck,
  eventually,
  expectAnyFreePortForZero,
  expectListensOnGivenHost,
  expectRejectsTakenPort,
  expectThat,
  exportedFunction,
  fail,
  formatMs,
  loadLearnerModule,
  pick,
  randomInt,
  randomWord,
  receivedArgs,
  settle,
  sleep,
  startExerciseServer,
  startReferenceServer,
  startRestartableServer,
  test,
  type ServerUnderCheck,
  type SocketIoClient,
  type Workbench,
} from './support/index.ts';
import { expectCloseDisconnectsClients } from './support/socketio-close.ts';

type ClientModule = typeof import('../exercises/acknowledgements/client.ts');
type Messenger = Awaited<ReturnType<ClientModule['connectMessenger']>>;

const ID = 'acknowledgements';
const deliveryServer: ServerUnderCheck = { exerciseId: ID, file: 'server.ts', functionName: 'startDeliveryServer' };
/** The margin `protocol.ts` gives a client over `timeoutMs` to wait for its receipt. */
const RECEIPT_MARGIN_MS = 300;
/** Timers never fire early, but the client's clock starts a little before the server's. */
const CLOCK_SLACK_MS = 20;
/** How long after its `timeoutMs` a late recipient confirms: by then the server must have given up. */
const LATE_BY_MS = 20;
/** When a patient recipient confirms a request whose timeoutMs is 1.5 s or more: in time, but after any cap at one second. */
const AFTER_A_SECOND_MS = 1050;

const startServer = (workbench: Workbench) => startExerciseServer(workbench, ID, deliveryServer.file, deliveryServer.functionName);

/**
 * Makes a check client confirm every `message` with `replyFor(message)` (and any `extra`
 * arguments after it), after `delayMs(message)` — a short random delay by default.
 */
function confirmMessages(
  client: SocketIoClient,
  replyFor: (message: unknown) => unknown,
  { delayMs = () => randomInt(0, 30), extra = [] }: { delayMs?: (message: unknown) => number; extra?: readonly unknown[] } = {},
): void {
  client.socket.on('message', (message: unknown, confirm: unknown) => {
    if (typeof confirm === 'function') setTimeout(() => confirm(replyFor(message), ...extra), delayMs(message));
  });
}

const textOf = (message: unknown) => (message as { text?: unknown } | null)?.text;

const RECEIPT_HINT =
  'Answer the sender through the acknowledgement of its `deliver` event, with `{ status: "delivered", reply }`, `{ status: "timeout" }` or `{ status: "unknown-recipient" }`.';

/** Hints for a receipt that is not the expected one, from what it is. */
function receiptHint(receipt: unknown): string {
  if (Array.isArray(receipt) || Array.isArray((receipt as { reply?: unknown } | null)?.reply))
    return 'An array of answers comes from a broadcast (`io.to(id).timeout(…).emitWithAck(…)` collects one answer per socket), or from keeping every argument of the acknowledgement: emit on the recipient\'s own Socket, `io.sockets.sockets.get(to)`, and report the first argument only.';
  return RECEIPT_HINT;
}

/**
 * Replies the check's recipients give to some texts: falsy values and a nested object,
 * which a server or messenger that tests `if (reply)` or rebuilds the value gets wrong.
 */
const SPECIAL_REPLIES: readonly unknown[] = [0, false, null, '', { nested: { list: [1, 'two', null] } }];

describe.concurrent('acknowledgements: the delivery server (server.ts)', () => {
  test('server: listens on the host it is given, and nowhere else', async ({ workbench }) => {
    await expectListensOnGivenHost(workbench, deliveryServer);
  });

  test('server: asks the system for a free port when given port 0', async ({ workbench }) => {
    await expectAnyFreePortForZero(workbench, deliveryServer);
  });

  test('server: rejects when the port is taken', async ({ workbench }) => {
    await expectRejectsTakenPort(workbench, deliveryServer);
  });

  test('server: delivers each text to its recipient only, and returns the recipient\'s reply', async ({ workbench }) => {
    const server = await startServer(workbench);
    const names = ['client A', 'client B', 'client C'];
    const clients = await Promise.all(names.map((who) => connectSocketIo(workbench, server.url, who)));
    const nonces = new Map(clients.map((client) => [client, randomWord(6)]));
    // Texts that pick a special reply, e.g. "reply#2 …": the recipient confirms with SPECIAL_REPLIES[2].
    const special = (text: unknown) => (typeof text === 'string' && /^reply#\d /.test(text) ? Number(text[6]) : undefined);
    const replyOf = (client: SocketIoClient, text: unknown) => {
      const index = special(text);
      return index === undefined ? { by: nonces.get(client), echo: text } : SPECIAL_REPLIES[index];
    };
    // client C confirms with a second argument too: the receipt carries the first only.
    for (const client of clients) confirmMessages(client, (message) => replyOf(client, textOf(message)), { extra: client === clients[2] ? ['a second argument'] : [] });

    // Deliveries in flight at once, between random pairs: random texts, an empty one, non-ASCII, and one per special reply.
    const texts = [
      ...Array.from({ length: 4 }, () => `${randomWord(5)} ${randomWord(7)}`),
      '',
      `é ${randomWord(4)} 🦊 ✓`,
      ...SPECIAL_REPLIES.map((_, index) => `reply#${index} ${randomWord(6)}`),
    ];
    const deliveries = texts.map((text) => {
      const from = pick(clients);
      const to = pick(clients.filter((client) => client !== from));
      return { from, to, text };
    });
    await Promise.all(
      deliveries.map(async ({ from, to, text }) => {
        const request = { to: to.socket.id, text, timeoutMs: 2000 };
        const { answer } = await emitAndAwaitAck(from, 'deliver', [request], {
          withinMs: 3000,
          hint: `${to.who} confirmed at once. ${RECEIPT_HINT}`,
        });
        const expected = { status: 'delivered', reply: replyOf(to, text) };
        const reply = (answer as { reply?: unknown } | null)?.reply;
        expectThat(isDeepStrictEqual(answer, expected), {
          did: `${from.who} emitted \`deliver\` ${describeValue(request)} (the id of ${to.who}; ${deliveries.length} deliveries at once); ${to.who} confirmed the \`message\` with ${describeValue(expected.reply)}${to === clients[2] ? ' (and a second argument, "a second argument")' : ''}`,
          expected: `the receipt ${describeValue(expected)}`,
          actual: `the receipt ${describeValue(answer, 200)}`,
          hint:
            (answer as { status?: unknown } | null)?.status === 'delivered' && !isDeepStrictEqual(reply, expected.reply) && !Array.isArray(reply)
              ? '`reply` is the first argument the recipient passed to its acknowledgement, exactly as it came: even `0`, `false`, `null` or `""`.'
              : receiptHint(answer),
        });
      }),
    );

    for (const client of clients) {
      const received = receivedArgs(client, 'message');
      const mine = deliveries.filter((delivery) => delivery.to === client);
      for (const [message] of received) {
        const match = mine.find((d) => isDeepStrictEqual(message, { from: d.from.socket.id, text: d.text }));
        if (match) {
          mine.splice(mine.indexOf(match), 1);
          continue;
        }
        const meantFor = deliveries.find((d) => textOf(message) === d.text);
        const elsewhere = meantFor !== undefined && meantFor.to !== client;
        const keys = message !== null && typeof message === 'object' ? Object.keys(message) : [];
        const extraKeys = keys.filter((key) => key !== 'from' && key !== 'text');
        fail({
          did: `Made ${deliveries.length} deliveries between clients A, B and C; ${client.who} received \`message\` ${describeValue(message)}`,
          expected: elsewhere ? `\`message\` to reach ${meantFor.to.who} only` : '`message` to be exactly `{ from, text }`: the sender\'s id and its text',
          actual: elsewhere
            ? `${client.who} received it too, though it was addressed to ${meantFor.to.who}`
            : extraKeys.length > 0
              ? `it has extra keys: ${extraKeys.join(', ')}`
              : `it does not match any delivery made to ${client.who}`,
          hint: elsewhere
            ? '`io.emit` and `socket.broadcast.emit` reach everyone: emit on the recipient\'s Socket only.'
            : extraKeys.length > 0
              ? 'Build the message yourself, `{ from: socket.id, text: request.text }`: forwarding the request leaks its other fields to the recipient.'
              : '`from` is the `socket.id` of the client that emitted `deliver`, `text` its text unchanged.',
        });
      }
      expectThat(mine.length === 0, {
        did: `Made ${deliveries.length} deliveries between clients A, B and C`,
        expected: `${client.who} to receive one \`message\` per delivery addressed to it`,
        actual: `${mine.length} never arrived, e.g. ${describeValue({ from: mine[0]?.from.socket.id, text: mine[0]?.text })}`,
      });
    }
  });

  test('server: answers unknown-recipient at once for an id that is not (or no longer) connected', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [sender, leaving] = await Promise.all([connectSocketIo(workbench, server.url, 'client A'), connectSocketIo(workbench, server.url, 'client D')]);
    const goneId = leaving!.socket.id!;
    leaving!.socket.disconnect();
    const unknown = { to: randomWord(20), text: randomWord(), timeoutMs: 3000 };
    const { answer } = await emitAndAwaitAck(sender!, 'deliver', [unknown], {
      withinMs: 1000,
      hint: 'Look the recipient up first (`io.sockets.sockets.get(to)`) and answer `{ status: "unknown-recipient" }` at once when there is none: do not wait for a confirmation that cannot come.',
    });
    expectThat(isDeepStrictEqual(answer, { status: 'unknown-recipient' }), {
      did: `client A emitted \`deliver\` ${describeValue(unknown)}: no client has that id`,
      expected: 'the receipt `{"status":"unknown-recipient"}`',
      actual: `the receipt ${describeValue(answer)}`,
      hint: receiptHint(answer),
    });

    // Requests whose `to` no client can have: missing, not a string, or no payload at all.
    for (const [payload, what] of [
      [{ text: randomWord(), timeoutMs: 3000 }, 'without a `to`'],
      [{ to: randomInt(1, 1e6), text: randomWord(), timeoutMs: 3000 }, 'with a number as `to`'],
      [null, 'with `null` as its payload'],
    ] as const) {
      const { answer } = await emitAndAwaitAck(sender!, 'deliver', [payload], {
        withinMs: 1000,
        hint: 'No client has that id: answer `{ status: "unknown-recipient" }` at once. Read the payload with care (`request?.to`): it may be missing.',
      });
      expectThat(isDeepStrictEqual(answer, { status: 'unknown-recipient' }), {
        did: `client A emitted \`deliver\` ${what}, ${describeValue(payload)}, and an acknowledgement callback`,
        expected: 'the receipt `{"status":"unknown-recipient"}`: no connected client has that id',
        actual: `the receipt ${describeValue(answer)}`,
        hint: receiptHint(answer),
      });
    }

    // The server learns of the disconnection a moment later: ask with short timeouts until it has.
    const started = Date.now();
    for (;;) {
      const request = { to: goneId, text: randomWord(), timeoutMs: 100 };
      const { answer } = await emitAndAwaitAck(sender!, 'deliver', [request], { withinMs: 1500 });
      if (isDeepStrictEqual(answer, { status: 'unknown-recipient' })) break;
      const stillThere = isDeepStrictEqual(answer, { status: 'timeout' });
      expectThat(stillThere && Date.now() - started < 1000, {
        did: `client D disconnected; ${formatMs(Date.now() - started)} later, client A emitted \`deliver\` ${describeValue(request)} (the id client D had)`,
        expected: 'the receipt `{"status":"unknown-recipient"}`',
        actual: `the receipt ${describeValue(answer)}`,
        hint: stillThere
          ? 'A disconnected client is gone: look recipients up in `io.sockets.sockets` (which Socket.IO keeps up to date), or remove them from your own map on `disconnect`.'
          : receiptHint(answer),
      });
      await sleep(50);
    }
  });

  test('server: ignores a `deliver` sent without a callback, and keeps running', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [sender, recipient] = await Promise.all([connectSocketIo(workbench, server.url, 'client A'), connectSocketIo(workbench, server.url, 'client B')]);
    confirmMessages(recipient!, () => 'ok', { delayMs: () => 0 });
    // Without a callback: to a connected client, and to an id nobody has.
    const ignored = { to: recipient!.socket.id, text: randomWord(12), timeoutMs: 200 };
    const toNobody = { to: randomWord(20), text: randomWord(12), timeoutMs: 200 };
    sender!.socket.emit('deliver', ignored);
    sender!.socket.emit('deliver', toNobody);
    // Then with one, to the same client: its `message` comes after any the first request caused.
    const after = { to: recipient!.socket.id, text: randomWord(12), timeoutMs: 2000 };
    const did = `client A emitted \`deliver\` ${describeValue(ignored)} and ${describeValue(toNobody)} without an acknowledgement callback, then ${describeValue(after)} with one`;
    const { answer } = await emitAndAwaitAck(sender!, 'deliver', [after], {
      withinMs: 3000,
      hint: 'A `deliver` without a callback must not stop the server: check `typeof ack === "function"` before using it, and return.',
    });
    expectThat(isDeepStrictEqual(answer, { status: 'delivered', reply: 'ok' }), {
      did,
      expected: 'the receipt `{"status":"delivered","reply":"ok"}` for the last one: the server keeps running',
      actual: `the receipt ${describeValue(answer)}`,
      hint: receiptHint(answer),
    });
    const texts = receivedArgs(recipient!, 'message').map(([message]) => textOf(message));
    expectThat(!texts.includes(ignored.text), {
      did,
      expected: 'client B to receive only the last `message`: a `deliver` without a callback is ignored, nobody waits for its receipt',
      actual: `client B received \`message\` with the text "${ignored.text}" too`,
      hint: 'Check `typeof ack === "function"` first, and return before delivering anything.',
    });
    expectThat(sender!.socket.connected, {
      did,
      expected: 'client A to stay connected',
      actual: 'it was disconnected',
      hint: 'Check `typeof ack === "function"` before calling it.',
    });
  });

  test('server: close() disconnects every client and stops listening, with clients still connected', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await Promise.all(['client A', 'client B', 'client C'].map((who) => connectSocketIo(workbench, server.url, who)));
    await expectCloseDisconnectsClients(server, clients);
  });

});

/** The delivery protocol, as the reference server speaks it (see `protocol.ts`); `requests` records every `deliver` payload. */
function deliveryProtocol(io: Server, requests: unknown[] = []): void {
  io.on('connection', (socket) => {
    socket.on('deliver', async (request: { to: string; text: string; timeoutMs: number }, answer: (receipt: unknown) => void) => {
      requests.push(request);
      if (typeof answer !== 'function') return;
      const recipient = io.sockets.sockets.get(request?.to);
      if (!recipient) return answer({ status: 'unknown-recipient' });
      try {
        answer({ status: 'delivered', reply: await recipient.timeout(request.timeoutMs).emitWithAck('message', { from: socket.id, text: request.text }) });
      } catch {
        answer({ status: 'timeout' });
      }
    });
  });
}

const CLIENT_LEAK_HINT =
  'Create the socket with `reconnection: false`, have `close()` call `socket.disconnect()`, and time each `deliver` with `socket.timeout(…)` (a `setTimeout` of your own must be cleared once the receipt came).';

/** Connects the learner's messenger to `url`; the workbench closes it. */
async function connectLearnerMessenger(workbench: Workbench, url: string, reply: (message: { from: string; text: string }) => unknown): Promise<Messenger> {
  const module = await loadLearnerModule<ClientModule>(ID, 'client.ts');
  const connectMessenger = exportedFunction(module, 'connectMessenger', ID, 'client.ts');
  workbench.checkLeaksAfter('your messenger', CLIENT_LEAK_HINT);
  const call = `connectMessenger("${url}", reply)`;
  const outcome = await settle(Promise.resolve().then(() => connectMessenger(url, reply)), 3000, () => ({
    did: `Called ${call}`,
    expected: 'it to resolve once connected, within 3 s',
    actual: 'it was still pending',
    hint: 'Resolve on the socket\'s `connect` event.',
  }));
  if (!outcome.ok) fail({ did: `Called ${call}`, expected: 'it to resolve with a messenger', actual: describeOutcome(outcome) });
  const messenger = outcome.value;
  expectThat(typeof messenger?.deliver === 'function' && typeof messenger.close === 'function', {
    did: `Called ${call}`,
    expected: 'a messenger `{ id, deliver, close }`',
    actual: describeOutcome(outcome),
  });
  workbench.defer('your messenger', () => messenger.close());
  return messenger;
}

/** Calls `messenger.deliver(…)`, bounded well beyond the time it may take. */
function deliverFrom(messenger: Messenger, to: string, text: string, timeoutMs: number) {
  const call = `messenger.deliver("${to}", "${text}", ${timeoutMs})`;
  return {
    call,
    outcome: settle(Promise.resolve().then(() => messenger.deliver(to, text, timeoutMs)), timeoutMs + RECEIPT_MARGIN_MS + 1500, () => ({
      did: `Called ${call}`,
      expected: `it to settle within ${timeoutMs + RECEIPT_MARGIN_MS} ms (timeoutMs + RECEIPT_MARGIN_MS)`,
      actual: 'it was still pending',
      hint: 'Emit with `socket.timeout(timeoutMs + RECEIPT_MARGIN_MS).emitWithAck(…)`: it rejects when no receipt comes in time.',
    })),
  };
}

/** The hint for a `deliver` receipt that did not come back as the messenger's own reply. */
function confirmationHint(answer: unknown): string {
  if (isDeepStrictEqual(answer, { status: 'delivered', reply: {} }))
    return 'You confirmed with the promise itself, which arrives as `{}`: `await reply(message)` first, then call the acknowledgement with its value.';
  if (isDeepStrictEqual(answer, { status: 'timeout' })) return 'Confirm every `message`: `socket.on("message", async (message, confirm) => confirm(await reply(message)))`.';
  return 'Call `reply` with the `{ from, text }` the `message` event carries, and confirm with what it returns, unchanged.';
}

describe.concurrent('acknowledgements: the messenger (client.ts)', () => {
  test('messenger: delivers through the server, and confirms incoming messages with reply()', async ({ workbench }) => {
    const requests: unknown[] = [];
    const server = await startReferenceServer(workbench, (io) => deliveryProtocol(io, requests));
    const peer = await connectSocketIo(workbench, server.url, 'the check\'s client');
    // A special text picks a special reply (a falsy one, say): the messenger must resolve with it as it is.
    const peerReply = (text: unknown) => {
      const index = typeof text === 'string' && /^reply#\d /.test(text) ? Number(text[6]) : undefined;
      return index === undefined ? { by: 'check', echo: text } : SPECIAL_REPLIES[index];
    };
    confirmMessages(peer, (message) => peerReply(textOf(message)));
    const nonce = randomWord(8);
    const messenger = await connectLearnerMessenger(workbench, server.url, async (message) => {
      // An async reply: the messenger must confirm with its value, not with the promise.
      await sleep(randomInt(0, 40));
      return { nonce, heard: message.text, from: message.from };
    });
    expectThat(typeof messenger.id === 'string' && server.io.of('/').sockets.has(messenger.id), {
      did: 'Connected your messenger to the check\'s server',
      expected: '`messenger.id` to be the id of its socket, as the server sees it',
      actual: `\`messenger.id\` is ${describeValue(messenger.id)}; the server sees ${describeValue([...server.io.of('/').sockets.keys()])}`,
      hint: 'Return `socket.id`, read after `connect` (it is undefined before).',
    });

    const request = { to: messenger.id, text: `${randomWord(6)} ✓ ${randomWord(4)}`, timeoutMs: 1000 };
    const { answer } = await emitAndAwaitAck(peer, 'deliver', [request], { withinMs: 2500, hint: 'The reference server always answers: this should not happen.' });
    const expected = { status: 'delivered', reply: { nonce, heard: request.text, from: peer.socket.id } };
    expectThat(isDeepStrictEqual(answer, expected), {
      did: `The check's client delivered ${describeValue(request.text)} to your messenger; its reply function resolves (after a short delay) to ${describeValue(expected.reply)}`,
      expected: `the receipt ${describeValue(expected)}`,
      actual: `the receipt ${describeValue(answer)}`,
      hint: confirmationHint(answer),
    });

    // A second messenger beside it: a client of its own, which delivers to the first.
    const second = await connectLearnerMessenger(workbench, server.url, () => 'unused');
    const bothSeen = [messenger.id, second.id].every((id) => server.io.of('/').sockets.has(id));
    expectThat(second.id !== messenger.id && bothSeen, {
      did: 'Connected a second messenger to the same server',
      expected: 'a connection of its own, with an id of its own, both seen by the server',
      actual: `the ids are ${describeValue(messenger.id)} and ${describeValue(second.id)}; the server sees ${describeValue([...server.io.of('/').sockets.keys()])}`,
      hint: 'Call `io(url, …)` once per messenger, and keep each socket in its own messenger (no socket shared at module level).',
    });
    const betweenText = randomWord(10);
    const between = deliverFrom(second, messenger.id, betweenText, 1000);
    const fromSecond = await between.outcome;
    const expectedBetween = { nonce, heard: betweenText, from: second.id };
    expectThat(fromSecond.ok && isDeepStrictEqual(fromSecond.value, expectedBetween), {
      did: `Called ${between.call} on the second messenger, to the first`,
      expected: `it to resolve with the first messenger's reply, ${describeValue(expectedBetween)}`,
      actual: describeOutcome(fromSecond),
      hint: 'Each messenger both delivers and confirms: `deliver` emits on its own socket, and `message` is answered with its own `reply`.',
    });

    // Deliveries at once, with long timeouts: once they resolved and the messenger closed, none of their timers may be left.
    const texts = [...Array.from({ length: 3 }, () => `${randomWord(4)} ${randomWord(6)}`), '', ...SPECIAL_REPLIES.map((_, index) => `reply#${index} ${randomWord(5)}`)];
    const timeouts = texts.map(() => randomInt(2500, 3000));
    await Promise.all(
      texts.map(async (text, i) => {
        const { call, outcome } = deliverFrom(messenger, peer.socket.id!, text, timeouts[i]!);
        const settled = await outcome;
        const expected = peerReply(text);
        expectThat(settled.ok && isDeepStrictEqual(settled.value, expected), {
          did: `Called ${call} (${texts.length} at once); the check's client confirmed with ${describeValue(expected)}`,
          expected: `it to resolve with the reply, ${describeValue(expected)}`,
          actual: describeOutcome(settled),
          hint:
            settled.ok && (settled.value as { status?: unknown } | null)?.status === 'delivered'
              ? 'Resolve with `receipt.reply`, not the whole receipt.'
              : settled.ok
                ? 'Resolve with `receipt.reply` exactly as it came, even when it is `0`, `false`, `null` or `""`: check `receipt.status`, not the reply.'
                : 'Emit `deliver` with `{ to, text, timeoutMs }` and resolve with the `reply` of the receipt.',
        });
      }),
    );
    const own = requests.filter((r) => texts.includes(textOf(r) as string));
    for (const [i, text] of texts.entries()) {
      const sent = own.find((r) => textOf(r) === text);
      const expected = { to: peer.socket.id, text, timeoutMs: timeouts[i] };
      expectThat(isDeepStrictEqual(sent, expected), {
        did: `Called messenger.deliver("${peer.socket.id}", ${describeValue(text)}, ${timeouts[i]})`,
        expected: `the server to receive \`deliver\` with exactly ${describeValue(expected)}`,
        actual: sent === undefined ? `it received ${describeValue(own, 300)}` : `it received ${describeValue(sent)}`,
        hint: 'Emit `deliver` with `{ to, text, timeoutMs }`, the three arguments as they were given (the margin is for your own wait only).',
      });
    }
    // The teardown closes the messenger now, while each delivery's timer would still run for seconds.
  });

  test('messenger: rejects with a clear Error when its server cannot be reached', async ({ workbench }) => {
    const module = await loadLearnerModule<ClientModule>(ID, 'client.ts');
    const connectMessenger = exportedFunction(module, 'connectMessenger', ID, 'client.ts');
    workbench.checkLeaksAfter('your messenger', CLIENT_LEAK_HINT);
    const url = `http://127.0.0.1:${await closedPort()}`;
    const call = `connectMessenger("${url}", reply), where nothing listens`;
    const outcome = await settle(Promise.resolve().then(() => connectMessenger(url, () => 'unused')), 3000, () => ({
      did: `Called ${call}`,
      expected: 'it to reject within 3 s: the connection was refused',
      actual: 'it was still pending',
      hint: 'Listen for `connect_error` too, and reject with it (after `socket.disconnect()`): with reconnection off, nothing else will happen.',
    }));
    if (outcome.ok) {
      const messenger = outcome.value as Partial<Messenger> | undefined;
      if (typeof messenger?.close === 'function') workbench.defer('your messenger', () => messenger.close!());
    }
    const error = outcome.ok ? undefined : outcome.error;
    expectThat(error instanceof Error && error.message.includes(url), {
      did: `Called ${call}`,
      expected: `it to reject with an Error whose message names the url, ${url}`,
      actual: describeOutcome(outcome),
      hint: outcome.ok
        ? 'Resolve on `connect` only; on `connect_error`, reject.'
        : `Reject with \`new Error(\`\${url} is unreachable: \${error.message}\`)\`, so the caller learns which server failed.`,
    });
  });

  test('messenger: leaves a message unconfirmed when reply throws or rejects, and goes on confirming', async ({ workbench }) => {
    const server = await startReferenceServer(workbench, deliveryProtocol);
    const peer = await connectSocketIo(workbench, server.url, 'the check\'s client');
    const messenger = await connectLearnerMessenger(workbench, server.url, (message) => {
      if (message.text.startsWith('throw')) throw new Error('reply() threw, as the check asked');
      if (message.text.startsWith('reject')) return Promise.reject(new Error('reply() rejected, as the check asked'));
      // A plain, synchronous reply; a falsy one for texts that ask for it.
      return message.text.startsWith('zero') ? 0 : `sync ${message.text}`;
    });
    const deliver = (text: string, timeoutMs: number) =>
      emitAndAwaitAck(peer, 'deliver', [{ to: messenger.id, text, timeoutMs }], { withinMs: timeoutMs + 1500, hint: 'The reference server always answers: this should not happen.' });
    const [threw, rejected] = [`throw ${randomWord(6)}`, `reject ${randomWord(6)}`];
    const failing = await Promise.all([deliver(threw, 300), deliver(rejected, 300)]);
    for (const [text, { answer }, how] of [[threw, failing[0], 'throws'], [rejected, failing[1], 'returns a rejected promise']] as const) {
      expectThat(isDeepStrictEqual(answer, { status: 'timeout' }), {
        did: `The check's client delivered "${text}" to your messenger (timeoutMs 300), whose reply function ${how} for it`,
        expected: 'the message not to be confirmed, so the receipt is `{"status":"timeout"}`',
        actual: `the receipt ${describeValue(answer)}`,
        hint: 'When `reply` throws or its promise rejects, do not call the acknowledgement at all: `try { confirm(await reply(message)) } catch { /* not confirmed */ }` — and catch, so nothing escapes.',
      });
    }
    // Afterwards it still confirms, with sync replies too (a falsy one included).
    for (const text of [`plain ${randomWord(6)}`, `zero ${randomWord(6)}`]) {
      const { answer } = await deliver(text, 1000);
      const reply = text.startsWith('zero') ? 0 : `sync ${text}`;
      expectThat(isDeepStrictEqual(answer, { status: 'delivered', reply }), {
        did: `After two messages that reply() refused, the check's client delivered "${text}" to your messenger; reply() returns ${describeValue(reply)} at once (not a promise)`,
        expected: `the receipt ${describeValue({ status: 'delivered', reply })}`,
        actual: `the receipt ${describeValue(answer)}`,
        hint: isDeepStrictEqual(answer, { status: 'timeout' }) && reply === 0
          ? 'Confirm with the reply whatever it is, even `0`: do not test it for truthiness.'
          : confirmationHint(answer),
      });
    }
  });

  test('messenger: turns a timeout or unknown-recipient receipt into a clear Error', async ({ workbench }) => {
    const server = await startReferenceServer(workbench, deliveryProtocol);
    const silent = await connectSocketIo(workbench, server.url, 'the check\'s silent client');
    const messenger = await connectLearnerMessenger(workbench, server.url, () => 'unused');
    const timeoutMs = randomInt(150, 250);
    const unknownId = randomWord(20);
    const [toSilent, toNobody] = [deliverFrom(messenger, silent.socket.id!, randomWord(), timeoutMs), deliverFrom(messenger, unknownId, randomWord(), timeoutMs)];
    const [silentOutcome, nobodyOutcome] = await Promise.all([toSilent.outcome, toNobody.outcome]);

    const silentError = silentOutcome.ok ? undefined : silentOutcome.error;
    expectThat(silentError instanceof Error && silentError.message.includes(silent.socket.id!) && /did not confirm/i.test(silentError.message), {
      did: `Called ${toSilent.call}; the recipient never confirms, so the server answers \`{"status":"timeout"}\``,
      expected: `an Error whose message contains "${silent.socket.id}" and "did not confirm"`,
      actual: describeOutcome(silentOutcome),
      hint:
        silentError instanceof Error && /timed out/i.test(silentError.message)
          ? 'You gave up before the server\'s receipt came: the server itself waits timeoutMs for the recipient, so wait `timeoutMs + RECEIPT_MARGIN_MS`.'
          : 'Check `receipt.status` and throw `new Error(`${to} did not confirm …`)` for `timeout`.',
    });
    const nobodyError = nobodyOutcome.ok ? undefined : nobodyOutcome.error;
    expectThat(nobodyError instanceof Error && nobodyError.message.includes(unknownId) && /unknown/i.test(nobodyError.message), {
      did: `Called ${toNobody.call}; no client has that id, so the server answers \`{"status":"unknown-recipient"}\``,
      expected: `an Error whose message contains "${unknownId}" and "unknown"`,
      actual: describeOutcome(nobodyOutcome),
      hint: 'Check `receipt.status` and throw `new Error(`${to} is an unknown recipient`)` for `unknown-recipient`.',
    });
  });

  test('messenger: gives up on a server that never answers after timeoutMs + RECEIPT_MARGIN_MS, and never reconnects by itself', async ({ workbench }) => {
    // This server accepts `deliver` and never answers it.
    const server = await startReferenceServer(workbench, (io) => io.on('connection', (socket) => socket.on('deliver', () => {})));
    const messenger = await connectLearnerMessenger(workbench, server.url, () => 'unused');
    // A second messenger, whose server goes away at once: with reconnection on (the default),
    // socket.io-client would try again within 1.5 s. Watched while the first one waits.
    const leaving = await startRestartableServer(workbench, deliveryProtocol);
    const stranded = await connectLearnerMessenger(workbench, leaving.url, () => 'unused');
    const strandedId = stranded.id;
    await leaving.stop({ refuse: true });
    const stoppedAt = Date.now();

    // Two requests at once, each bounded on both sides by its own timeoutMs + RECEIPT_MARGIN_MS:
    // far enough apart that no fixed wait, and no cap at 1 s, fits both.
    const [shortMs, longMs] = [randomInt(100, 130), randomInt(1150, 1250)];
    const [short, long] = [shortMs, longMs].map((ms) => ({ ms, ...deliverFrom(messenger, randomWord(20), randomWord(), ms) }));
    const SLACK_MS = 700;
    for (const { ms, call, outcome } of [short!, long!]) {
      const settled = await outcome;
      const did = `Called ${call} (and another with a ${ms === shortMs ? longMs : shortMs} ms timeoutMs at the same time); the server never answers \`deliver\``;
      expectThat(!settled.ok, { did, expected: 'it to reject', actual: describeOutcome(settled) });
      expectThat(settled.ms >= ms + RECEIPT_MARGIN_MS - CLOCK_SLACK_MS, {
        did,
        expected: `it to wait timeoutMs + RECEIPT_MARGIN_MS = ${ms + RECEIPT_MARGIN_MS} ms for the receipt before giving up`,
        actual: `it gave up after ${settled.ms} ms`,
        hint:
          settled.ms < ms / 2
            ? 'It gave up long before any wait of yours could end: Socket.IO also rejects a pending acknowledgement when its socket disconnects. Is `deliver` emitting on this messenger\'s own socket, connected until its `close()`?'
            : 'The server may spend the whole timeoutMs waiting for the recipient: `socket.timeout(timeoutMs + RECEIPT_MARGIN_MS).emitWithAck(…)`, whatever timeoutMs is (no cap).',
      });
      expectThat(settled.ms <= ms + RECEIPT_MARGIN_MS + SLACK_MS, {
        did,
        expected: `it to give up soon after timeoutMs + RECEIPT_MARGIN_MS = ${ms + RECEIPT_MARGIN_MS} ms`,
        actual: `it gave up only after ${settled.ms} ms`,
        hint: 'Wait exactly `timeoutMs + RECEIPT_MARGIN_MS` for this request, not a fixed delay: `socket.timeout(timeoutMs + RECEIPT_MARGIN_MS).emitWithAck(…)`.',
      });
      expectThat(settled.error instanceof Error && settled.error.message.includes('deliver') && /timed out/i.test(settled.error.message), {
        did,
        expected: 'an Error whose message contains "deliver" and "timed out"',
        actual: describeOutcome(settled),
        hint: '`emitWithAck` rejects with a generic error when the time is up: catch it and throw your own, clearer Error.',
      });
    }

    messenger.close();
    const closed = await eventually(() => server.io.of('/').sockets.size === 0, 1000);
    expectThat(closed, {
      did: 'Called messenger.close()',
      expected: 'the server to see the messenger disconnect',
      actual: 'it was still connected after 1 s',
      hint: CLIENT_LEAK_HINT,
    });

    // The first reconnection attempt of a default socket.io-client comes 0.5 to 1.5 s after the loss.
    await sleep(Math.max(0, stoppedAt + 1900 - Date.now()));
    expectThat(leaving.refused.length === 0, {
      did: `Connected a second messenger (id ${strandedId}), then took its server away and watched the port for 1.9 s`,
      expected: 'no connection attempt: the messenger connects with reconnection off',
      actual: `it tried to reconnect ${leaving.refused.length} time(s), the first ${formatMs(leaving.refused[0]! - stoppedAt)} after the server went away`,
      hint: 'Pass `reconnection: false` to `io(url, …)`: socket.io-client reconnects by itself by default.',
    });
  });
});

// Alone, after every other test of both parts: it tells timers 20 ms apart from 300 ms apart, which the
// work of tests beside it could blur.
describe('acknowledgements: the delivery server (server.ts)', () => {
  test('server: waits the timeoutMs of each request, however long, then answers timeout', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [sender, slow, quick] = await Promise.all(['client A', 'client B', 'client C'].map((who) => connectSocketIo(workbench, server.url, who)));
    confirmMessages(quick!, () => 'ok', { delayMs: () => 0 });
    // Three requests to client B at once, in this order:
    // - `patient`, with a timeoutMs of 1.5 s or more, which B confirms after AFTER_A_SECOND_MS: in time, but after
    //   any cap at one second (the server's timer of a capped wait is due first, so it has given up by then);
    // - `long` then `short`, which B confirms only LATE_BY_MS after their own timeoutMs: too late, both must be
    //   `timeout`; `short` was sent last but must be answered first (no queue per recipient, no fixed delay).
    const patient = { to: slow!.socket.id, text: randomWord(9), timeoutMs: randomInt(1500, 1700) };
    const long = { to: slow!.socket.id, text: randomWord(9), timeoutMs: randomInt(500, 600) };
    const short = { to: slow!.socket.id, text: randomWord(9), timeoutMs: randomInt(100, 200) };
    const toQuick = { to: quick!.socket.id, text: randomWord(9), timeoutMs: patient.timeoutMs };
    const confirmAfter = new Map([
      [patient.text, AFTER_A_SECOND_MS],
      [long.text, long.timeoutMs + LATE_BY_MS],
      [short.text, short.timeoutMs + LATE_BY_MS],
    ]);
    confirmMessages(slow!, (message) => (textOf(message) === patient.text ? 'in time' : 'too late'), { delayMs: (message) => confirmAfter.get(textOf(message) as string) ?? 0 });
    const order: string[] = [];
    const ask = (request: typeof short, name: string) =>
      emitAndAwaitAck(sender!, 'deliver', [request], {
        withinMs: request.timeoutMs + 1500,
        hint: `Wait for the recipient with \`recipient.timeout(request.timeoutMs).emitWithAck(…)\`: it rejects when the time is up, and then you answer \`{ status: "timeout" }\`.`,
      }).finally(() => order.push(name));
    const [patientAck, longAck, shortAck, quickAck] = await Promise.all([ask(patient, 'patient'), ask(long, 'long'), ask(short, 'short'), ask(toQuick, 'quick')]);

    const four = `client A emitted four \`deliver\` at once: ${describeValue(patient)}, ${describeValue(long)} and ${describeValue(short)} to client B, which confirms the first after ${formatMs(AFTER_A_SECOND_MS)} and the others only ${LATE_BY_MS} ms after their timeoutMs, and ${describeValue(toQuick)} to client C, which confirms with "ok" at once`;
    expectThat(isDeepStrictEqual(quickAck.answer, { status: 'delivered', reply: 'ok' }), {
      did: four,
      expected: 'client C\'s receipt `{"status":"delivered","reply":"ok"}`',
      actual: `the receipt ${describeValue(quickAck.answer)}`,
      hint: receiptHint(quickAck.answer),
    });
    expectThat(order.indexOf('quick') < order.indexOf('long'), {
      did: four,
      expected: `client C's receipt before the ${long.timeoutMs} ms request to client B is answered: each delivery waits on its own`,
      actual: `client C's receipt came after ${quickAck.ms} ms, after that one`,
      hint: 'Each delivery waits on its own: `await` inside the `deliver` handler, never a queue shared by all deliveries.',
    });
    expectThat(order.indexOf('short') < order.indexOf('long'), {
      did: four,
      expected: `the ${short.timeoutMs} ms request to client B answered before the ${long.timeoutMs} ms one, though it was sent after it to the same client`,
      actual: `it was answered after ${shortAck.ms} ms, after the ${long.timeoutMs} ms one (answered after ${longAck.ms} ms)`,
      hint: 'Each delivery waits on its own, also two to the same recipient: no queue per recipient, every request gets its own `recipient.timeout(request.timeoutMs).emitWithAck(…)`.',
    });
    expectThat(isDeepStrictEqual(patientAck.answer, { status: 'delivered', reply: 'in time' }), {
      did: `client A emitted \`deliver\` ${describeValue(patient)}; client B confirmed it with "in time" after ${formatMs(AFTER_A_SECOND_MS)}, well within that timeoutMs`,
      expected: 'the receipt `{"status":"delivered","reply":"in time"}`',
      actual: `the receipt ${describeValue(patientAck.answer)}, after ${patientAck.ms} ms`,
      hint: isDeepStrictEqual(patientAck.answer, { status: 'timeout' })
        ? `Your server gave up after ${formatMs(patientAck.ms)}, before the request's own ${patient.timeoutMs} ms: wait its timeoutMs however long it is — no cap, no fixed delay: \`recipient.timeout(request.timeoutMs)\`.`
        : receiptHint(patientAck.answer),
    });
    for (const [request, { answer, ms }] of [[long, longAck], [short, shortAck]] as const) {
      const did = `client A emitted \`deliver\` ${describeValue(request)}; client B received the \`message\` and confirmed it with "too late" ${LATE_BY_MS} ms after that timeoutMs`;
      expectThat(ms >= request.timeoutMs - CLOCK_SLACK_MS, {
        did,
        expected: `the server to wait the request's timeoutMs, ${request.timeoutMs} ms, before giving up`,
        actual: `the receipt ${describeValue(answer)} came after ${ms} ms`,
        hint: 'Use the `timeoutMs` of each request, not a fixed delay: `recipient.timeout(request.timeoutMs)`.',
      });
      expectThat(isDeepStrictEqual(answer, { status: 'timeout' }), {
        did,
        expected: `the receipt \`{"status":"timeout"}\`: the server must have given up at ${request.timeoutMs} ms, before the confirmation came`,
        actual: `the receipt ${describeValue(answer)}, after ${ms} ms`,
        hint: isDeepStrictEqual(answer, { status: 'delivered', reply: 'too late' })
          ? 'Your server waited longer than the request\'s timeoutMs (RECEIPT_MARGIN_MS is the client\'s margin, not the server\'s): `recipient.timeout(request.timeoutMs).emitWithAck(…)`.'
          : receiptHint(answer),
      });
    }
    const received = receivedArgs(slow!, 'message');
    for (const request of [patient, long, short]) {
      const args = received.find(([message]) => textOf(message) === request.text);
      expectThat(args !== undefined && isDeepStrictEqual(args[0], { from: sender!.socket.id, text: request.text }) && typeof args.at(-1) === 'function', {
        did: `client A emitted \`deliver\` ${describeValue(request)}`,
        expected: `client B to receive \`message\` ${describeValue({ from: sender!.socket.id, text: request.text })} with an acknowledgement callback to confirm it`,
        actual: args === undefined ? 'no such `message` arrived' : `\`message\` with the arguments ${describeValue(args.map((a) => (typeof a === 'function' ? '<callback>' : a)))}`,
        hint: 'Emit with an acknowledgement: `recipient.timeout(ms).emitWithAck("message", { from, text })`; a plain `emit` gives the recipient nothing to call.',
      });
    }
  });
});
