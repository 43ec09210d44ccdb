/**
 * Grades `first-client`: the learner's client against real Socket.IO servers run by the check
 * (and a port that accepts TCP but never answers).
 *
 * Rule → test (README "Your task", and the TSDoc of `askServer` and `AskOptions`):
 * - 1 connects to url ..................................... every test that resolves; "connects to the namespace the url names"
 * - 2 emits event with payload (the single argument) ...... "returns what the server acknowledges …" (the server sees exactly
 *     and an acknowledgement callback                        [payload, callback]), "asks several questions at once …" (edge payloads)
 * - 3 resolves with the ack's first argument .............. "returns what the server acknowledges …",
 *                                                            "asks several questions at once …" (null, 0, false, "", no argument, text, two servers)
 *   disconnects (every call its own socket) ............... same tests (the server sees each connection closed), a second call after the first
 * - 4 unreachable: Error with url and "unreachable" ........ "rejects as unreachable when nothing listens on the port" (with and without options)
 *   … also when the port accepts TCP and never answers .... "gives up on time …" (timeoutMs 2800, and the 2000 ms default; bounded both sides)
 *   no answer within timeoutMs: Error, event + "timed out"  "gives up on time …" (timeoutMs 2800 and the default 2000, measured from the
 *                                                            server's receipt of the event, bounded both sides)
 *   timeoutMs for the connection, *then* for the answer ... "gives up on time …" (a connection let in after 0.53 × timeoutMs, then an answer
 *                                                            0.6 × timeoutMs after the question, still resolves)
 * - 5 nothing left behind: socket disconnected ............ "… and disconnects" (after an answer, after a timeout)
 *   no reconnection attempts, no timers ................... every test's teardown (leaks: a reconnection timer, a socket, a timer still alive)
 */
import { isDeepStrictEqual } from 'node:util';
import { describe } from 'vitest';
import {
  ARRIVAL_MS,
  closedPort,
  describeValue,
  eventually,
  expectThat,
  exportedFunction,
  fail,
  formatMs,
  loadLearnerModule,
  randomInt,
  randomWord,
  settle,
  startReferenceServer,
  test,
  type Outcome,
  type ReferenceServer,
  type Workbench,
} from './support/index.ts';
import { startSilentServer } from './support/silent-server.ts';

type ClientModule = typeof import('../exercises/first-client/client.ts');
type AskServer = ClientModule['askServer'];

const LEAK_HINT = 'Create the socket with `reconnection: false` and call `socket.disconnect()` in every outcome (a `finally` block).';
/** The documented default of `options.timeoutMs`. */
const DEFAULT_TIMEOUT_MS = 2000;
/** How late a timeout may fire on a loaded machine and still count as on time. */
const LATE_SLACK_MS = 1500;
/** How much earlier than `timeoutMs` after the server got the event a timeout may fire: the event's trip from client to server. */
const EARLY_SLACK_MS = 400;
/** The slow call: its timeout, how long its server holds the connection back, then how long it takes to answer (each below the timeout, their sum above it). */
const SLOW_TIMEOUT_MS = 1500;
const SLOW_CONNECT_MS = 800;
const SLOW_ANSWER_MS = 900;

async function loadAskServer(workbench: Workbench): Promise<AskServer> {
  const module = await loadLearnerModule<ClientModule>('first-client', 'client.ts');
  workbench.checkLeaksAfter('askServer()', LEAK_HINT);
  return exportedFunction(module, 'askServer', 'first-client', 'client.ts');
}

/** A payload with a bit of everything JSON can carry, different every run. */
function randomPayload() {
  return { word: randomWord(), n: randomInt(-1e6, 1e6), list: [randomWord(3), randomInt(0, 9), null, true], text: 'é and 🦊', nested: { at: Date.now() } };
}

/** How a call is written in messages. */
function callText(url: string, event: string, payload: unknown, options?: object): string {
  return `askServer("${url}", "${event}", ${describeValue(payload, 60)}${options ? `, ${describeValue(options)}` : ''})`;
}

/** Calls the learner's function, bounded, and reports how it settled. */
function settleCall(ask: () => Promise<unknown>, limitMs: number, call: string, hint = 'Every wait needs a limit: pass a timeout and handle `connect_error`.') {
  return settle(Promise.resolve().then(ask), limitMs, () => ({
    did: `Called ${call}`,
    expected: `it to settle within ${formatMs(limitMs)}`,
    actual: 'it was still pending',
    hint,
  }));
}

/** How many sockets are still connected to the reference server (in any namespace). */
function connectedTo(server: ReferenceServer): number {
  let count = 0;
  for (const namespace of server.io._nsps.values()) count += namespace.sockets.size;
  return count;
}

async function expectAllDisconnected(server: ReferenceServer, did: string): Promise<void> {
  const closed = await eventually(() => connectedTo(server) === 0, ARRIVAL_MS);
  expectThat(closed, {
    did,
    expected: 'every connection it opened to the server to be closed',
    actual: `the server still sees ${connectedTo(server)} connected after ${formatMs(ARRIVAL_MS)}`,
    hint: LEAK_HINT,
  });
}

/** What `askServer` rejected with, or a failure saying it resolved. */
function expectRejected(outcome: Outcome<unknown>, did: string): unknown {
  if (outcome.ok) fail({ did, expected: 'it to reject', actual: `it resolved with ${describeValue(outcome.value)}` });
  return outcome.error;
}

function expectUnreachableError(error: unknown, url: string, did: string): void {
  expectThat(error instanceof Error, {
    did,
    expected: 'it to reject with an `Error`',
    actual: `it rejected with ${describeValue(error, 200)}, which is not an Error`,
    hint: 'Reject with `new Error(…)`, not a string or a plain object: callers read `error.message`.',
  });
  expectThat(error.message.includes(url) && /unreachable/i.test(error.message), {
    did,
    expected: `an Error whose message contains "${url}" and "unreachable"`,
    actual: describeValue(error, 200),
    hint: /timed out/i.test(error.message)
      ? 'The connection never opened: that is "unreachable", not an answer that "timed out". Reject on `connect_error` (it fires after the `timeout` option too).'
      : 'Listen for `connect_error` and reject with `new Error(`${url} is unreachable: …`)`.',
  });
}

/** The value a check's server answers with, and what its tests call it. */
const EDGE_ANSWERS: readonly { readonly label: string; readonly args: readonly unknown[] }[] = [
  { label: 'null', args: [null] },
  { label: '0', args: [0] },
  { label: 'false', args: [false] },
  { label: 'the empty string', args: [''] },
  { label: 'no argument at all', args: [] },
  { label: 'text', args: ['é and 🦊'] },
  { label: 'an object', args: [{ ok: true, list: [1, 'two'] }] },
];
const EDGE_PAYLOADS: readonly unknown[] = [null, 0, false, '', 'é and 🦊', [1, [2, { three: 3 }]]];

describe('first-client', () => {
  test('returns what the server acknowledges, and disconnects; twice in a row', async ({ workbench }) => {
    const askServer = await loadAskServer(workbench);
    const event = randomWord();
    const received: (readonly unknown[])[] = [];
    const server = await startReferenceServer(workbench, (io) =>
      io.on('connection', (socket) =>
        socket.on(event, (...args: unknown[]) => {
          received.push(args);
          const ack = args.at(-1);
          if (typeof ack === 'function') ack({ nonce: `answer ${received.length}`, echo: args[0] });
        }),
      ),
    );
    for (const round of [1, 2]) {
      const payload = randomPayload();
      const call = callText(server.url, event, payload);
      const did = `Called ${call}${round === 2 ? ', after a first call that resolved' : ''}`;
      const outcome = await settleCall(() => askServer(server.url, event, payload), 4000, call);
      expectThat(outcome.ok, { did, expected: 'it to resolve with the answer', actual: `it rejected with ${describeValue(outcome.ok ? null : outcome.error, 200)}` });
      const args = received[round - 1] ?? [];
      const sent = args[0];
      expectThat(args.length === 2 && typeof args[1] === 'function' && isDeepStrictEqual(sent, payload), {
        did: `${did}; the server received \`${event}\` with ${args.length === 0 ? 'nothing' : args.map((a) => describeValue(a, 60)).join(', ')}`,
        expected: `the payload itself, ${describeValue(payload, 60)}, then the acknowledgement callback`,
        actual: `${args.length} argument${args.length === 1 ? '' : 's'}`,
        hint:
          typeof sent === 'string' && isDeepStrictEqual(JSON.parse(sent), payload)
            ? 'You sent the payload as JSON text: pass the value itself, Socket.IO serialises it.'
            : '`socket.emitWithAck(event, payload)` sends the payload as the only argument, followed by the callback.',
      });
      const expected = { nonce: `answer ${round}`, echo: payload };
      expectThat(isDeepStrictEqual(outcome.value, expected), {
        did: `${did}; the server acknowledged with ${describeValue(expected, 60)}`,
        expected: `it to resolve with ${describeValue(expected, 80)}`,
        actual: `it resolved with ${describeValue(outcome.value)}`,
        hint:
          outcome.value === null
            ? 'null is the error slot of the callback of `socket.timeout(ms).emit(…)`: the answer is its second argument (`emitWithAck` resolves with the answer itself).'
            : 'Resolve with the first argument the server passed to the acknowledgement.',
      });
      await expectAllDisconnected(server, `${did}, and it resolved`);
    }
  });

  test('asks several questions at once, of two servers, each getting its own answer (null, 0, false, "", nothing)', async ({ workbench }) => {
    const askServer = await loadAskServer(workbench);
    const questions = EDGE_ANSWERS.map((answer, i) => ({ ...answer, event: `${randomWord(6)}${i}`, payload: EDGE_PAYLOADS[i % EDGE_PAYLOADS.length], on: i % 2 }));
    const payloadsSeen = new Map<string, unknown[]>();
    const ackedAt = new Map<string, number>();
    const servers = await Promise.all(
      [0, 1].map((which) =>
        startReferenceServer(workbench, (io) =>
          io.on('connection', (socket) => {
            for (const q of questions.filter((q) => q.on === which)) {
              socket.on(q.event, (...args: unknown[]) => {
                payloadsSeen.set(q.event, args);
                const ack = args.at(-1);
                if (typeof ack === 'function') setTimeout(() => (ackedAt.set(q.event, Date.now()), ack(...q.args)), randomInt(0, 50));
              });
            }
          }),
        ),
      ),
    );
    const outcomes = await Promise.all(
      questions.map((q) => {
        const url = servers[q.on]!.url;
        return settleCall(() => askServer(url, q.event, q.payload), 4000, callText(url, q.event, q.payload)).then((outcome) => ({ outcome, settledAt: Date.now() }));
      }),
    );
    for (const [i, q] of questions.entries()) {
      const { outcome, settledAt } = outcomes[i]!;
      const answeredBefore = settledAt - (ackedAt.get(q.event) ?? settledAt);
      const url = servers[q.on]!.url;
      const did = `Called ${questions.length} askServer() at once, on two servers; this one was ${callText(url, q.event, q.payload)}, which the server answered with ${q.label}`;
      const answer = q.args[0];
      const seen = payloadsSeen.get(q.event);
      expectThat(seen === undefined || (seen.length === 2 && typeof seen[1] === 'function' && isDeepStrictEqual(seen[0], q.payload)), {
        did,
        expected: `the server to receive \`${q.event}\` with ${describeValue(q.payload)}, then the acknowledgement callback`,
        actual: `it received ${(seen ?? []).map((arg) => describeValue(arg, 60)).join(', ')}`,
        hint: 'Send the payload itself as the one argument: `socket.emitWithAck(event, payload)`, never spread or converted.',
      });
      const othersAnswer = outcome.ok && questions.some((other) => other !== q && other.args.length > 0 && isDeepStrictEqual(other.args[0], outcome.value));
      expectThat(outcome.ok && isDeepStrictEqual(outcome.value, answer), {
        did,
        expected: `it to resolve with ${q.args.length === 0 ? 'undefined' : describeValue(answer)}`,
        actual: outcome.ok
          ? `it resolved with ${describeValue(outcome.value)}`
          : `it rejected with ${describeValue(outcome.error, 200)}${seen === undefined ? ' (the server never received the question)' : ''}`,
        ...(outcome.ok
          ? {
              hint: othersAnswer
                ? 'That is the answer to another call: each call needs its own socket (a new `io()` per call, with `forceNew: true`).'
                : 'Resolve with the first argument the server passed to the acknowledgement, whatever it is.',
            }
          : seen === undefined
            ? {}
            : {
                hint:
                  answeredBefore > 500
                    ? `The server had answered, with ${q.label}, ${answeredBefore} ms before it rejected: whatever it passes to the acknowledgement is an answer, even a falsy one or none.`
                    : 'The server answers within 50 ms of receiving the question: did the call wait the whole `timeoutMs` (2000 ms by default) for it?',
              }),
      });
    }
    for (const server of servers) await expectAllDisconnected(server, `${questions.length} askServer() calls resolved`);
  });

  test('connects to the namespace the url names', async ({ workbench }) => {
    const askServer = await loadAskServer(workbench);
    const event = randomWord();
    const namespace = `/${randomWord(6)}`;
    const nonce = randomWord(12);
    const server = await startReferenceServer(workbench, (io) => {
      io.on('connection', (socket) => socket.on(event, (_payload: unknown, ack: (a: unknown) => void) => ack('the main namespace "/"')));
      io.of(namespace).on('connection', (socket) => socket.on(event, (_payload: unknown, ack: (a: unknown) => void) => ack(nonce)));
    });
    const url = `${server.url}${namespace}`;
    const call = callText(url, event, 1);
    const outcome = await settleCall(() => askServer(url, event, 1), 4000, call);
    expectThat(outcome.ok && outcome.value === nonce, {
      did: `Called ${call}; the namespace ${namespace} answers "${nonce}", the main namespace answers something else`,
      expected: `it to resolve with "${nonce}"`,
      actual: outcome.ok ? `it resolved with ${describeValue(outcome.value)}` : `it rejected with ${describeValue(outcome.error, 200)}`,
      ...(outcome.ok && outcome.value === 'the main namespace "/"' ? { hint: 'The path of the url names a namespace: pass the whole url to `io(url, …)`, not only its origin.' } : {}),
    });
    await expectAllDisconnected(server, `${call} resolved`);
  });

  test('rejects as unreachable when nothing listens on the port (with and without options)', async ({ workbench }) => {
    const askServer = await loadAskServer(workbench);
    const url = `http://127.0.0.1:${await closedPort()}`;
    await Promise.all(
      [{ timeoutMs: 1000 }, undefined].map(async (options) => {
        const call = callText(url, 'question', 1, options);
        const outcome = await settleCall(() => askServer(url, 'question', 1, options), 3000 + (options?.timeoutMs ?? DEFAULT_TIMEOUT_MS), call);
        const did = `Called ${call} (nothing listens there: the connection is refused at once)`;
        expectUnreachableError(expectRejected(outcome, did), url, did);
      }),
    );
  });

  test('gives up on time: timeoutMs for the connection, then for the answer (given, and the 2000 ms default)', async ({ workbench }) => {
    const askServer = await loadAskServer(workbench);
    const silent = await startSilentServer(workbench);
    const mute = randomWord();
    const slow = randomWord();
    const arrivals = new Map<string, number>();
    const server = await startReferenceServer(workbench, (io) =>
      io.on('connection', (socket) => {
        // The payload names the call, so that each arrival is timed for its own call.
        socket.on(mute, (payload: string) => void arrivals.set(payload, Date.now()));
      }),
    );
    // The slow call's server lets a connection in only after a while: the connection's time must not count against the answer.
    const slowServer = await startReferenceServer(workbench, (io) => {
      io.use((_socket, next) => void setTimeout(next, SLOW_CONNECT_MS));
      io.on('connection', (socket) => socket.on(slow, (_payload: unknown, ack: (a: unknown) => void) => void setTimeout(() => ack('slow but in time'), SLOW_ANSWER_MS)));
    });
    const scenarios = [
      // A port that accepts TCP and never answers: the connection must give up after timeoutMs, as unreachable.
      { kind: 'silent', options: { timeoutMs: 2800 } },
      { kind: 'silent', options: undefined },
      // A server that never acknowledges: the answer must be given up on timeoutMs after the question.
      { kind: 'mute', options: { timeoutMs: 2800 } },
      { kind: 'mute', options: undefined },
    ] as const;
    const slowCall = callText(slowServer.url, slow, 'slow', { timeoutMs: SLOW_TIMEOUT_MS });
    const [slowOutcome, ...outcomes] = await Promise.all([
      settleCall(() => askServer(slowServer.url, slow, 'slow', { timeoutMs: SLOW_TIMEOUT_MS }), 2 * SLOW_TIMEOUT_MS + LATE_SLACK_MS, slowCall),
      ...scenarios.map(({ kind, options }, i) => {
        const url = kind === 'silent' ? silent.url : server.url;
        const event = kind === 'silent' ? 'question' : mute;
        const timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        return settleCall(
          () => askServer(url, event, `call ${i}`, options),
          // Twice the timeout (connection, then answer) and slack: a longer wait is a verdict of its own, below.
          2 * timeoutMs + LATE_SLACK_MS + 1000,
          callText(url, event, `call ${i}`, options),
          `Pass ${options ? '`options.timeoutMs`' : 'the 2000 ms default'} on: as \`timeout\` to \`io()\` for the connection, and to \`socket.timeout()\` for the answer.`,
        ).then((outcome) => ({ outcome, settledAt: Date.now() }));
      }),
    ]);

    // Connected within timeoutMs, answered within timeoutMs of the question, but later than timeoutMs after the call.
    expectThat(slowOutcome.ok && slowOutcome.value === 'slow but in time', {
      did: `Called ${slowCall}; the server lets the connection in after ${SLOW_CONNECT_MS} ms, and answers ${SLOW_ANSWER_MS} ms after it receives the question`,
      expected: 'it to resolve with "slow but in time": the connection opened within timeoutMs, and the answer came within timeoutMs of the question',
      actual: slowOutcome.ok ? `it resolved with ${describeValue(slowOutcome.value)}` : `it rejected with ${describeValue(slowOutcome.error, 200)}`,
      hint: 'Wait up to `timeoutMs` for the connection, and then up to `timeoutMs` again for the answer, counted from the question: not one deadline for both, nor half each.',
    });

    for (const [i, { kind, options }] of scenarios.entries()) {
      const { outcome, settledAt } = outcomes[i]!;
      const timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const which = options ? `timeoutMs ${timeoutMs}` : `no options (the default, ${DEFAULT_TIMEOUT_MS} ms)`;
      if (kind === 'silent') {
        const did = `Called ${callText(silent.url, 'question', `call ${i}`, options)}: that port accepts TCP connections and never sends a byte`;
        const error = expectRejected(outcome, did);
        expectThat(outcome.ms >= timeoutMs - 50 && outcome.ms <= timeoutMs + LATE_SLACK_MS, {
          did: `${did}, with ${which}`,
          expected: `it to give up on the connection after about ${formatMs(timeoutMs)} (between ${formatMs(timeoutMs - 50)} and ${formatMs(timeoutMs + LATE_SLACK_MS)})`,
          actual: `it rejected after ${outcome.ms} ms`,
          hint: outcome.ms < timeoutMs ? 'Wait the whole timeoutMs for the connection.' : `Pass the timeout to \`io(url, { timeout: … })\`: without it Socket.IO waits 20 s for a connection.${options ? '' : ` Without options, the timeout is ${DEFAULT_TIMEOUT_MS} ms.`}`,
        });
        expectUnreachableError(error, silent.url, `${did}, with ${which}`);
      } else {
        const did = `Called ${callText(server.url, mute, `call ${i}`, options)}; the server receives the question and never acknowledges it`;
        const error = expectRejected(outcome, did);
        const arrived = arrivals.get(`call ${i}`);
        expectThat(arrived !== undefined, { did, expected: `the server to receive \`${mute}\``, actual: 'it never did' });
        const waited = settledAt - arrived;
        expectThat(waited >= timeoutMs - EARLY_SLACK_MS && waited <= timeoutMs + LATE_SLACK_MS && outcome.ms >= timeoutMs - 50, {
          did: `${did}, with ${which}`,
          expected: `it to give up about ${formatMs(timeoutMs)} after the server received the question (between ${formatMs(timeoutMs - EARLY_SLACK_MS)} and ${formatMs(timeoutMs + LATE_SLACK_MS)})`,
          actual: `it rejected ${waited} ms after the server received it`,
          hint:
            waited < timeoutMs - EARLY_SLACK_MS
              ? `Wait the whole ${options ? '`options.timeoutMs`' : 'default of 2000 ms'} for the answer, counted from the question: \`socket.timeout(timeoutMs).emitWithAck(…)\`.`
              : `${options ? 'Use `options.timeoutMs`' : `The default is ${DEFAULT_TIMEOUT_MS} ms`}: \`socket.timeout(timeoutMs).emitWithAck(…)\`.`,
        });
        expectThat(error instanceof Error && error.message.includes(mute) && /timed out/i.test(error.message), {
          did,
          expected: `an Error whose message contains the event "${mute}" and "timed out"`,
          actual: describeValue(error, 200),
          hint: '`emitWithAck` rejects when the timeout passes: catch that and throw your own, clearer Error.',
        });
      }
    }
    await expectAllDisconnected(server, 'askServer() calls timed out');
    await expectAllDisconnected(slowServer, `${slowCall} settled`);
  });
});
