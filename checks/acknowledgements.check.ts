/**
 * Grades `acknowledgements`: the learner's delivery server with real `socket.io-client`
 * clients, and the learner's messenger against a reference delivery server.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe } from 'vitest';
import type { Server } from 'socket.io';
import {
  connectSocketIo,
  describeOutcome,
  describeValue,
  emitAndAwaitAck,
  eventually,
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
  test,
  type SocketIoClient,
  type Workbench,
} from './support/index.ts';

type ClientModule = typeof import('../exercises/acknowledgements/client.ts');
type Messenger = Awaited<ReturnType<ClientModule['connectMessenger']>>;

const ID = 'acknowledgements';
/** The margin `protocol.ts` gives a client over `timeoutMs` to wait for its receipt. */
const RECEIPT_MARGIN_MS = 300;
/** Timers never fire early, but the client's clock starts a little before the server's. */
const CLOCK_SLACK_MS = 20;

const startServer = (workbench: Workbench) => startExerciseServer(workbench, ID, 'server.ts', 'startDeliveryServer');

/** Makes a check client confirm every `message` with `replyFor(message)`, after a short random delay. */
function confirmMessages(client: SocketIoClient, replyFor: (message: unknown) => unknown): void {
  client.socket.on('message', (message: unknown, confirm: unknown) => {
    if (typeof confirm === 'function') setTimeout(() => confirm(replyFor(message)), randomInt(0, 30));
  });
}

const RECEIPT_HINT =
  'Answer the sender through the acknowledgement of its `deliver` event, with `{ status: "delivered", reply }`, `{ status: "timeout" }` or `{ status: "unknown-recipient" }`.';

/** Hints for a receipt that is not the expected one. */
function receiptHint(receipt: unknown): string {
  if (Array.isArray(receipt) || Array.isArray((receipt as { reply?: unknown } | null)?.reply))
    return 'An array of answers comes from a broadcast (`io.to(id).timeout(…).emitWithAck(…)` collects one answer per socket): emit on the recipient\'s own Socket, `io.sockets.sockets.get(to)`.';
  return RECEIPT_HINT;
}

describe('acknowledgements: the delivery server (server.ts)', () => {
  test('server: delivers each text to its recipient only, and returns the recipient\'s reply', async ({ workbench }) => {
    const server = await startServer(workbench);
    const names = ['client A', 'client B', 'client C'];
    const clients = await Promise.all(names.map((who) => connectSocketIo(workbench, server.url, who)));
    const nonces = new Map(clients.map((client) => [client, randomWord(6)]));
    for (const client of clients) confirmMessages(client, (message) => ({ by: nonces.get(client), echo: (message as { text?: unknown })?.text }));

    // Six deliveries in flight at once, between random pairs.
    const deliveries = Array.from({ length: 6 }, () => {
      const from = pick(clients);
      const to = pick(clients.filter((client) => client !== from));
      return { from, to, text: `${randomWord(5)} ${randomWord(7)}` };
    });
    await Promise.all(
      deliveries.map(async ({ from, to, text }) => {
        const request = { to: to.socket.id, text, timeoutMs: 2000 };
        const { answer } = await emitAndAwaitAck(from, 'deliver', [request], {
          withinMs: 3000,
          hint: `${to.who} confirmed at once. ${RECEIPT_HINT}`,
        });
        const expected = { status: 'delivered', reply: { by: nonces.get(to), echo: text } };
        expectThat(isDeepStrictEqual(answer, expected), {
          did: `${from.who} emitted \`deliver\` ${describeValue(request)} (the id of ${to.who}); ${to.who} confirmed the \`message\` with ${describeValue(expected.reply)}`,
          expected: `the receipt ${describeValue(expected)}`,
          actual: `the receipt ${describeValue(answer, 200)}`,
          hint: receiptHint(answer),
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
        const meantFor = deliveries.find((d) => (message as { text?: unknown })?.text === d.text);
        fail({
          did: `Made six deliveries between clients A, B and C; ${client.who} received \`message\` ${describeValue(message)}`,
          expected: meantFor && meantFor.to !== client ? `\`message\` to reach ${meantFor.to.who} only` : '`message` to be `{ from, text }` with the sender\'s id and its text',
          actual: meantFor && meantFor.to !== client ? `${client.who} received it too, though it was addressed to ${meantFor.to.who}` : `it does not match any delivery made to ${client.who}`,
          hint: meantFor && meantFor.to !== client ? '`io.emit` and `socket.broadcast.emit` reach everyone: emit on the recipient\'s Socket only.' : '`from` is the `socket.id` of the client that emitted `deliver`.',
        });
      }
      expectThat(mine.length === 0, {
        did: `Made six deliveries between clients A, B and C`,
        expected: `${client.who} to receive one \`message\` per delivery addressed to it`,
        actual: `${mine.length} never arrived, e.g. ${describeValue({ from: mine[0]?.from.socket.id, text: mine[0]?.text })}`,
      });
    }
  });

  test('server: reports a recipient that never confirms, after the timeoutMs of each request', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [sender, silent, quick] = await Promise.all(
      ['client A', 'client B', 'client C'].map((who) => connectSocketIo(workbench, server.url, who)),
    );
    confirmMessages(quick!, () => 'ok');
    // Two timeouts far enough apart that no single fixed delay can pass for both.
    const shortMs = randomInt(100, 200);
    const longMs = shortMs + randomInt(500, 550);
    const short = { to: silent!.socket.id, text: randomWord(9), timeoutMs: shortMs };
    const long = { to: silent!.socket.id, text: randomWord(9), timeoutMs: longMs };
    const toQuick = { to: quick!.socket.id, text: randomWord(9), timeoutMs: longMs };
    const order: string[] = [];
    const ask = (request: typeof short, name: string) =>
      emitAndAwaitAck(sender!, 'deliver', [request], {
        withinMs: request.timeoutMs + 1500,
        hint: `Wait for the recipient with \`recipient.timeout(timeoutMs).emitWithAck(…)\`: it rejects when the time is up, and then you answer \`{ status: "timeout" }\`.`,
      }).finally(() => order.push(name));
    const [shortAck, longAck, quickAck] = await Promise.all([ask(short, 'short'), ask(long, 'long'), ask(toQuick, 'quick')]);

    const three = `client A emitted three \`deliver\` at once: two to client B, which never confirms, and ${describeValue(toQuick)} to client C, which confirms with "ok" at once`;
    expectThat(isDeepStrictEqual(quickAck.answer, { status: 'delivered', reply: 'ok' }), {
      did: three,
      expected: 'client C\'s receipt `{"status":"delivered","reply":"ok"}`',
      actual: `the receipt ${describeValue(quickAck.answer)}`,
      hint: receiptHint(quickAck.answer),
    });
    expectThat(order[0] === 'quick', {
      did: three,
      expected: 'client C\'s receipt first, without waiting for client B',
      actual: `it arrived after ${quickAck.ms} ms, after ${order.indexOf('quick')} of client B's receipts`,
      hint: 'Each delivery waits on its own: `await` inside the `deliver` handler, never a queue shared by all deliveries.',
    });
    for (const [request, { answer, ms }] of [[short, shortAck], [long, longAck]] as const) {
      const did = `client A emitted \`deliver\` ${describeValue(request)}; client B received the \`message\` but never confirmed it`;
      expectThat(isDeepStrictEqual(answer, { status: 'timeout' }), {
        did,
        expected: 'the receipt `{"status":"timeout"}`',
        actual: `the receipt ${describeValue(answer)}`,
        hint: receiptHint(answer),
      });
      expectThat(ms >= request.timeoutMs - CLOCK_SLACK_MS, {
        did,
        expected: `the server to wait the request's timeoutMs, ${request.timeoutMs} ms, before giving up`,
        actual: `the receipt came after ${ms} ms`,
        hint: 'Use the `timeoutMs` of each request: `recipient.timeout(request.timeoutMs)`.',
      });
    }
    expectThat(shortAck.ms <= shortMs + 450, {
      did: `client A emitted \`deliver\` ${describeValue(short)}; client B never confirmed`,
      expected: `the receipt soon after ${shortMs} ms`,
      actual: `it came after ${shortAck.ms} ms`,
      hint: 'Use the `timeoutMs` of each request, not a fixed delay: `recipient.timeout(request.timeoutMs)`.',
    });
    const received = receivedArgs(silent!, 'message');
    for (const request of [short, long]) {
      const args = received.find(([message]) => (message as { text?: unknown })?.text === request.text);
      expectThat(args !== undefined && isDeepStrictEqual(args[0], { from: sender!.socket.id, text: request.text }) && typeof args.at(-1) === 'function', {
        did: `client A emitted \`deliver\` ${describeValue(request)}`,
        expected: `client B to receive \`message\` ${describeValue({ from: sender!.socket.id, text: request.text })} with an acknowledgement callback to confirm it`,
        actual: args === undefined ? 'no such `message` arrived' : `\`message\` with the arguments ${describeValue(args.map((a) => (typeof a === 'function' ? '<callback>' : a)))}`,
        hint: 'Emit with an acknowledgement: `recipient.timeout(ms).emitWithAck("message", { from, text })`; a plain `emit` gives the recipient nothing to call.',
      });
    }
  });

  test('server: answers unknown-recipient at once for an id that is not (or no longer) connected', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [sender, leaving] = await Promise.all([
      connectSocketIo(workbench, server.url, 'client A'),
      connectSocketIo(workbench, server.url, 'client D'),
    ]);
    // A request without a callback must not bring anything down.
    sender!.socket.emit('deliver', { to: leaving!.socket.id, text: randomWord(), timeoutMs: 100 });
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
    expectThat(sender!.socket.connected, {
      did: 'client A emitted `deliver` without an acknowledgement callback, then more requests',
      expected: 'client A to stay connected',
      actual: 'it was disconnected',
      hint: 'Check `typeof ack === "function"` before calling it.',
    });
  });
});

/** The delivery protocol, as the reference server speaks it (see `protocol.ts`). */
function deliveryProtocol(io: Server): void {
  io.on('connection', (socket) => {
    socket.on('deliver', async (request: { to: string; text: string; timeoutMs: number }, answer: (receipt: unknown) => void) => {
      const recipient = io.sockets.sockets.get(request.to);
      if (!recipient) return answer({ status: 'unknown-recipient' });
      try {
        answer({ status: 'delivered', reply: await recipient.timeout(request.timeoutMs).emitWithAck('message', { from: socket.id, text: request.text }) });
      } catch {
        answer({ status: 'timeout' });
      }
    });
  });
}

const CLIENT_LEAK_HINT = 'Create the socket with `reconnection: false`, and have `close()` call `socket.disconnect()`.';

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

describe('acknowledgements: the messenger (client.ts)', () => {
  test('messenger: delivers through the server, and confirms incoming messages with reply()', async ({ workbench }) => {
    const server = await startReferenceServer(workbench, deliveryProtocol);
    const peer = await connectSocketIo(workbench, server.url, 'the check\'s client');
    confirmMessages(peer, (message) => ({ by: 'check', echo: (message as { text?: unknown })?.text }));
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

    const texts = Array.from({ length: 3 }, () => `${randomWord(4)} ${randomWord(6)}`);
    await Promise.all(
      texts.map(async (text) => {
        const { call, outcome } = deliverFrom(messenger, peer.socket.id!, text, 1000);
        const settled = await outcome;
        const expected = { by: 'check', echo: text };
        expectThat(settled.ok && isDeepStrictEqual(settled.value, expected), {
          did: `Called ${call} (three at once); the check's client confirmed with ${describeValue(expected)}`,
          expected: `it to resolve with the reply, ${describeValue(expected)}`,
          actual: describeOutcome(settled),
          hint: settled.ok && (settled.value as { status?: unknown } | null)?.status === 'delivered'
            ? 'Resolve with `receipt.reply`, not the whole receipt.'
            : 'Emit `deliver` with `{ to, text, timeoutMs }` and resolve with the `reply` of the receipt.',
        });
      }),
    );

    const request = { to: messenger.id, text: randomWord(10), timeoutMs: 1000 };
    const { answer } = await emitAndAwaitAck(peer, 'deliver', [request], { withinMs: 2500, hint: 'The reference server always answers: this should not happen.' });
    const expected = { status: 'delivered', reply: { nonce, heard: request.text, from: peer.socket.id } };
    expectThat(isDeepStrictEqual(answer, expected), {
      did: `The check's client delivered ${describeValue(request.text)} to your messenger; its reply function resolves (after a short delay) to ${describeValue(expected.reply)}`,
      expected: `the receipt ${describeValue(expected)}`,
      actual: `the receipt ${describeValue(answer)}`,
      hint: isDeepStrictEqual(answer, { status: 'delivered', reply: {} })
        ? 'You confirmed with the promise itself, which arrives as `{}`: `await reply(message)` first, then call the acknowledgement with its value.'
        : isDeepStrictEqual(answer, { status: 'timeout' })
          ? 'Confirm every `message`: `socket.on("message", async (message, confirm) => confirm(await reply(message)))`.'
          : 'Call `reply` with the `{ from, text }` the `message` event carries, and confirm with what it returns.',
    });
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
      hint: silentError instanceof Error && /timed out/i.test(silentError.message)
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

  test('messenger: rejects with a clear Error when the server never sends a receipt, then closes cleanly', async ({ workbench }) => {
    // This server accepts `deliver` and never answers it.
    const server = await startReferenceServer(workbench, (io) => io.on('connection', (socket) => socket.on('deliver', () => {})));
    const messenger = await connectLearnerMessenger(workbench, server.url, () => 'unused');
    const timeoutMs = randomInt(100, 150);
    const { call, outcome } = deliverFrom(messenger, randomWord(20), randomWord(), timeoutMs);
    const settled = await outcome;
    const did = `Called ${call}; the server never answers \`deliver\``;
    expectThat(!settled.ok, { did, expected: 'it to reject', actual: describeOutcome(settled) });
    expectThat(settled.ms >= timeoutMs + RECEIPT_MARGIN_MS - CLOCK_SLACK_MS, {
      did,
      expected: `it to wait timeoutMs + RECEIPT_MARGIN_MS = ${timeoutMs + RECEIPT_MARGIN_MS} ms for the receipt before giving up`,
      actual: `it gave up after ${settled.ms} ms`,
      hint: 'The server may spend the whole timeoutMs waiting for the recipient: `socket.timeout(timeoutMs + RECEIPT_MARGIN_MS).emitWithAck(…)`.',
    });
    expectThat(settled.error instanceof Error && settled.error.message.includes('deliver') && /timed out/i.test(settled.error.message), {
      did,
      expected: 'an Error whose message contains "deliver" and "timed out"',
      actual: describeOutcome(settled),
      hint: '`emitWithAck` rejects with a generic error when the time is up: catch it and throw your own, clearer Error.',
    });

    messenger.close();
    const closed = await eventually(() => server.io.of('/').sockets.size === 0, 1000);
    expectThat(closed, {
      did: 'Called messenger.close()',
      expected: 'the server to see the messenger disconnect',
      actual: 'it was still connected after 1 s',
      hint: CLIENT_LEAK_HINT,
    });
  });
});
