/**
 * Grades `first-client`: the learner's client against a real Socket.IO server run by the check.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe } from 'vitest';
import {
  closedPort,
  describeValue,
  eventually,
  expectThat,
  exportedFunction,
  loadLearnerModule,
  randomInt,
  randomWord,
  settle,
  startReferenceServer,
  test,
  type ReferenceServer,
  type Workbench,
} from './support/index.ts';

type ClientModule = typeof import('../exercises/first-client/client.ts');

const LEAK_HINT = 'Create the socket with `reconnection: false` and call `socket.disconnect()` in every outcome (a `finally` block).';

async function loadAskServer(workbench: Workbench) {
  const module = await loadLearnerModule<ClientModule>('first-client', 'client.ts');
  workbench.checkLeaksAfter('askServer()', LEAK_HINT);
  return exportedFunction(module, 'askServer', 'first-client', 'client.ts');
}

/** A payload with a bit of everything JSON can carry, different every run. */
function randomPayload() {
  return { word: randomWord(), n: randomInt(-1e6, 1e6), list: [randomWord(3), randomInt(0, 9), null, true], nested: { at: Date.now() } };
}

/** Calls the learner's function, bounded, and reports how it settled. */
function settleCall(promise: Promise<unknown>, limitMs: number, call: string) {
  return settle(promise, limitMs, () => ({
    did: `Called ${call}`,
    expected: `it to settle within ${limitMs} ms`,
    actual: 'it was still pending',
    hint: 'Every wait needs a limit: pass a timeout and handle `connect_error`.',
  }));
}

/** How many sockets are still connected to the reference server. */
const connectedTo = (server: ReferenceServer) => server.io.of('/').sockets.size;

describe('first-client', () => {
  test('returns what the server acknowledges, and disconnects', async ({ workbench }) => {
    const askServer = await loadAskServer(workbench);
    const event = randomWord();
    const nonce = randomWord(12);
    const server = await startReferenceServer(workbench, (io) =>
      io.on('connection', (socket) => socket.on(event, (payload: unknown, ack: (answer: unknown) => void) => ack({ nonce, echo: payload }))),
    );
    const payload = randomPayload();
    const call = `askServer("${server.url}", "${event}", ${describeValue(payload, 60)})`;
    const outcome = await settleCall(askServer(server.url, event, payload), 4000, call);
    expectThat(outcome.ok, { did: `Called ${call}`, expected: 'it to resolve with the answer', actual: `it rejected with ${describeValue(outcome.ok ? null : outcome.error)}` });
    expectThat(isDeepStrictEqual(outcome.value, { nonce, echo: payload }), {
      did: `Called ${call}; the server acknowledged with { nonce: "${nonce}", echo: <the payload> }`,
      expected: describeValue({ nonce, echo: payload }),
      actual: describeValue(outcome.value),
      hint: 'Resolve with the first argument the server passed to the acknowledgement.',
    });
    const closed = await eventually(() => connectedTo(server) === 0, 1000);
    expectThat(closed, { did: `askServer() resolved`, expected: 'its connection to the server to be closed', actual: 'the server still sees it connected after 1 s', hint: LEAK_HINT });
  });

  test('asks five questions at once, each getting its own answer', async ({ workbench }) => {
    const askServer = await loadAskServer(workbench);
    const answers = new Map(Array.from({ length: 5 }, () => [randomWord(), randomInt(0, 1e9)] as const));
    const server = await startReferenceServer(workbench, (io) =>
      io.on('connection', (socket) => {
        for (const [event, answer] of answers) socket.on(event, (_payload: unknown, ack: (a: unknown) => void) => setTimeout(() => ack(answer), randomInt(0, 50)));
      }),
    );
    await Promise.all(
      [...answers].map(async ([event, answer]) => {
        const call = `askServer("${server.url}", "${event}", …)`;
        const outcome = await settleCall(askServer(server.url, event, randomPayload()), 4000, call);
        expectThat(outcome.ok && outcome.value === answer, {
          did: `Called five askServer() at once; this one was ${call}`,
          expected: `it to resolve with ${answer}`,
          actual: outcome.ok ? `it resolved with ${describeValue(outcome.value)}` : `it rejected with ${describeValue(outcome.error)}`,
          hint: 'Each call needs its own socket (a new `io()` per call, with `forceNew: true`), not one shared by all calls.',
        });
      }),
    );
    const closed = await eventually(() => connectedTo(server) === 0, 1000);
    expectThat(closed, { did: 'Five askServer() calls resolved', expected: 'every connection to be closed', actual: `${connectedTo(server)} still connected after 1 s`, hint: LEAK_HINT });
  });

  test('rejects with a clear error when the server is unreachable', async ({ workbench }) => {
    const askServer = await loadAskServer(workbench);
    const url = `http://127.0.0.1:${await closedPort()}`;
    const call = `askServer("${url}", "question", …, { timeoutMs: 1000 })`;
    const outcome = await settleCall(askServer(url, 'question', randomPayload(), { timeoutMs: 1000 }), 3000, call);
    expectThat(!outcome.ok, { did: `Called ${call} (nothing listens there)`, expected: 'it to reject', actual: `it resolved with ${describeValue(outcome.ok && outcome.value)}` });
    const error = outcome.error;
    expectThat(error instanceof Error && error.message.includes(url) && /unreachable/i.test(error.message), {
      did: `Called ${call} (nothing listens there)`,
      expected: `an Error whose message contains "${url}" and "unreachable"`,
      actual: describeValue(error, 200),
      hint: 'Listen for `connect_error` and reject with `new Error(`${url} is unreachable: …`)`.',
    });
  });

  test('rejects with a clear error when the server never answers', async ({ workbench }) => {
    const askServer = await loadAskServer(workbench);
    const event = randomWord();
    const server = await startReferenceServer(workbench, (io) => io.on('connection', (socket) => socket.on(event, () => {})));
    const call = `askServer("${server.url}", "${event}", …, { timeoutMs: 400 })`;
    const outcome = await settleCall(askServer(server.url, event, randomPayload(), { timeoutMs: 400 }), 3000, call);
    expectThat(!outcome.ok, { did: `Called ${call}; the server never acknowledges`, expected: 'it to reject', actual: `it resolved with ${describeValue(outcome.ok && outcome.value)}` });
    expectThat(outcome.ms >= 350, {
      did: `Called ${call}; the server never acknowledges`,
      expected: 'it to wait about 400 ms for the answer before giving up',
      actual: `it gave up after ${outcome.ms} ms`,
      hint: 'Use the timeout the caller passed: `socket.timeout(options.timeoutMs)`.',
    });
    const error = outcome.error;
    expectThat(error instanceof Error && error.message.includes(event) && /timed out/i.test(error.message), {
      did: `Called ${call}; the server never acknowledges`,
      expected: `an Error whose message contains "${event}" and "timed out"`,
      actual: describeValue(error, 200),
      hint: '`emitWithAck` rejects when the timeout passes: catch that and throw your own, clearer Error.',
    });
    const closed = await eventually(() => connectedTo(server) === 0, 1000);
    expectThat(closed, { did: 'askServer() timed out', expected: 'its connection to the server to be closed', actual: 'the server still sees it connected after 1 s', hint: LEAK_HINT });
  });
});
