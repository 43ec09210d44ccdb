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
 *   … also when the port accepts TCP and never answers .... "gives up on time …" (timeoutMs 2800, and the 2000 ms default; bounded both sides).
 *                                                            That test runs on the check's clock (fake timers, moved on by the check); a call
 *                                                            its clock cannot settle (real timers) is waited for, and bounded, in real time
 *   no answer within timeoutMs: Error, event + "timed out"  "gives up on time …" (timeoutMs 2800 and the default 2000, measured from the
 *                                                            server's receipt of the event, bounded both sides)
 *   timeoutMs for the connection, *then* for the answer ... "gives up on time …" (a connection let in after 0.53 × timeoutMs, then an answer
 *                                                            0.6 × timeoutMs after the question, still resolves; again all in real time when
 *                                                            the learner's timers are real ones)
 * - 5 nothing left behind: socket disconnected ............ "… and disconnects" (after an answer, after a timeout)
 *   no reconnection attempts, no timers ................... every test's teardown (leaks: a reconnection timer, a socket, a timer still alive);
 *                                                            "gives up on time …" for the timers on its clock, before it hands back the real one
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, vi } from 'vitest';
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
/**
 * How late a timeout may fire and still count as on time. On the check's clock a timer fires exactly on time; the slack
 * is for timers it does not move, waited for in real time on a loaded machine.
 */
const LATE_SLACK_MS = 500;
/**
 * How much earlier than `timeoutMs` after the server got the event a timeout may fire: the event's trip from client to
 * server (its timer starts at the emit, and an upgrade to WebSocket under way holds the event back ~100 ms).
 */
const EARLY_SLACK_MS = 300;
/** How long a call may take to settle once its timer fired (a rejection may need some I/O first). */
const SETTLE_GRACE_MS = 100;
/** How long the check's clock may still hold timers of sockets being closed. */
const CLOSE_GRACE_MS = 500;
/** The slow call: its timeout, how long its server holds the connection back, then how long it takes to answer (each below the timeout, their sum above it). */
const SLOW_TIMEOUT_MS = 1500;
const SLOW_CONNECT_MS = 800;
const SLOW_ANSWER_MS = 900;

async function loadAskServer(workbench: Workbench): Promise<AskServer> {
  const module = await loadLearnerModule<ClientModule>('first-client', 'client.ts');
  workbench.checkLeaksAfter('askServer()', LEAK_HINT);
  return exportedFunction(module, 'askServer', 'first-client', 'client.ts');
}

/** The real setTimeout, kept before the check's clock replaces the global one: the check's own waits in real time. */
const realSetTimeout = globalThis.setTimeout;

/**
 * Waits in real time until `condition()` holds, or `ms` real milliseconds have passed; says which. With `paced`, the
 * check's clock (when installed) keeps up with the real one meanwhile; without, it stands still.
 */
async function untilReal(condition: () => boolean, ms: number, paced = false): Promise<boolean> {
  const deadline = performance.now() + ms;
  let movedTo = performance.now();
  while (!condition()) {
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => realSetTimeout(resolve, 5));
    const step = Math.floor(performance.now() - movedTo);
    if (paced && step > 0) {
      movedTo += step;
      await vi.advanceTimersByTimeAsync(step);
    }
  }
  return true;
}

/** A moment on both clocks: `at` on the check's (`Date.now()`, faked), `real` from `performance.now()` (never faked). */
interface Stamp {
  readonly at: number;
  readonly real: number;
}
const stamp = (): Stamp => ({ at: Date.now(), real: performance.now() });

/** A call of the learner's function, timed on both clocks; `limitMs` is how long the check waits for it in real time. */
interface TimedCall {
  readonly started: Stamp;
  readonly limitMs: number;
  settled?: { readonly outcome: { ok: true; value: unknown } | { ok: false; error: unknown }; readonly at: Stamp };
}

function timedCall(ask: () => Promise<unknown>, limitMs: number): TimedCall {
  const call: TimedCall = { started: stamp(), limitMs };
  void Promise.resolve()
    .then(ask)
    .then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    )
    .then((outcome) => void (call.settled = { outcome, at: stamp() }));
  return call;
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

describe.concurrent('first-client', () => {
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

  // Alone, last: the clock it fakes is every test's in this thread.
  test.sequential('gives up on time: timeoutMs for the connection, then for the answer (given, and the 2000 ms default)', async ({ workbench }) => {
    const askServer = await loadAskServer(workbench);
    const silent = await startSilentServer(workbench);
    const mute = randomWord();
    const slow = randomWord();
    const arrivals = new Map<string, Stamp>();
    const server = await startReferenceServer(workbench, (io) =>
      io.on('connection', (socket) => {
        // The payload names the call, so that each arrival is timed for its own call.
        socket.on(mute, (payload: string) => void arrivals.set(payload, stamp()));
      }),
    );
    // The slow call's server lets a connection in only after a while: the connection's time must not count against the answer.
    // Its waits are on the check's clock, or on the real one for the rerun below.
    let slowOnRealClock = false;
    const slowWait = (ms: number, then: () => void) => void (slowOnRealClock ? realSetTimeout : setTimeout)(then, ms);
    let slowKnocked: Stamp | undefined;
    let slowAsked: Stamp | undefined;
    const slowServer = await startReferenceServer(workbench, (io) => {
      io.use((_socket, next) => ((slowKnocked = stamp()), slowWait(SLOW_CONNECT_MS, next)));
      io.on('connection', (socket) =>
        socket.on(slow, (_payload: unknown, ack: (a: unknown) => void) => ((slowAsked = stamp()), slowWait(SLOW_ANSWER_MS, () => ack('slow but in time')))),
      );
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
    const slowHint = 'Wait up to `timeoutMs` for the connection, and then up to `timeoutMs` again for the answer, counted from the question: not one deadline for both, nor half each.';
    const slowDid = (clock: string) =>
      `Called ${slowCall}; the server lets the connection in after ${SLOW_CONNECT_MS} ms, and answers ${SLOW_ANSWER_MS} ms after it receives the question (${clock})`;
    const expectSlowResolved = (call: TimedCall, clock: string) => {
      const outcome = call.settled?.outcome;
      expectThat(outcome !== undefined && outcome.ok && outcome.value === 'slow but in time', {
        did: slowDid(clock),
        expected: 'it to resolve with "slow but in time": the connection opened within timeoutMs, and the answer came within timeoutMs of the question',
        actual: outcome === undefined ? 'it was still pending' : outcome.ok ? `it resolved with ${describeValue(outcome.value)}` : `it rejected with ${describeValue(outcome.error, 200)}`,
        hint: slowHint,
      });
    };

    // The check's clock: the learner's timers (and the servers') fire when the check moves it on, not seconds later; it
    // moves only then (no shouldAdvanceTime), so that a timer it fires is told from a real one. It is installed before
    // askServer() creates its socket: socket.io-client takes the global setTimeout when it makes a Manager.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    try {
      const slowTimed = timedCall(() => askServer(slowServer.url, slow, 'slow', { timeoutMs: SLOW_TIMEOUT_MS }), 2 * SLOW_TIMEOUT_MS + LATE_SLACK_MS + 1000);
      const calls = scenarios.map(({ kind, options }, i) => {
        const url = kind === 'silent' ? silent.url : server.url;
        const event = kind === 'silent' ? 'question' : mute;
        const timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        // The silent port needs timeoutMs, the mute server up to twice (connection, then answer); then slack: a longer wait is a verdict of its own, below.
        return timedCall(() => askServer(url, event, `call ${i}`, options), (kind === 'silent' ? 1 : 2) * timeoutMs + LATE_SLACK_MS + 1000);
      });
      const all = [slowTimed, ...calls];
      const muteIndices = scenarios.flatMap(({ kind }, i) => (kind === 'mute' ? [i] : []));

      // Connections and questions take real milliseconds: the clock moves on only once each question reached its server
      // (a timer started at the emit must not run out while the question is still on its way).
      // (Socket.IO's own timers, such as the server's flush during an upgrade to WebSocket, run meanwhile: paced.)
      await untilReal(() => muteIndices.every((i) => calls[i]!.settled || arrivals.has(`call ${i}`)) && (slowTimed.settled || slowKnocked) !== undefined, ARRIVAL_MS, true);
      if (slowKnocked) {
        await vi.advanceTimersByTimeAsync(Math.max(0, slowKnocked.at + SLOW_CONNECT_MS - Date.now()));
        await untilReal(() => slowTimed.settled !== undefined || slowAsked !== undefined, ARRIVAL_MS, true);
        if (slowAsked) await vi.advanceTimersByTimeAsync(Math.max(0, slowAsked.at + SLOW_ANSWER_MS - Date.now()));
        await untilReal(() => slowTimed.settled !== undefined, ARRIVAL_MS, true);
      }
      // Then straight to the latest moment any call may still give up on time.
      const latest = Math.max(
        ...scenarios.map(({ kind, options }, i) => {
          const timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
          const from = kind === 'silent' ? calls[i]!.started.at : (arrivals.get(`call ${i}`)?.at ?? calls[i]!.started.at + timeoutMs);
          return from + timeoutMs + LATE_SLACK_MS;
        }),
      );
      await vi.advanceTimersByTimeAsync(Math.max(0, latest - Date.now()));
      // A rejection may still need a few milliseconds of I/O after its timer.
      await untilReal(() => all.every((call) => call.settled), SETTLE_GRACE_MS);
      // Too late is a verdict too: on to each call's limit, to see whether it gives up at all (and when).
      const pending = all.filter((call) => !call.settled);
      if (pending.length > 0) {
        await vi.advanceTimersByTimeAsync(Math.max(0, ...pending.map((call) => call.started.at + call.limitMs - Date.now())));
        await untilReal(() => all.every((call) => call.settled), SETTLE_GRACE_MS);
      }
      // A call still pending uses timers the check's clock does not move (node:timers/promises, AbortSignal.timeout…): it is
      // waited for in real time, the check's clock standing still, and judged on the real clock.
      const realSince = performance.now();
      await untilReal(() => all.every((call) => call.settled || performance.now() - call.started.real >= call.limitMs), Math.max(...all.map((call) => call.limitMs)));
      const onRealClock = all.filter((call) => call.settled && call.settled.at.real >= realSince);
      const clockOf = (call: TimedCall) => (onRealClock.includes(call) ? 'on the real clock' : "on the check's clock");
      /** How long after `from` the call settled, on the clock that timed it. */
      const elapsed = (call: TimedCall, from: Stamp) => (onRealClock.includes(call) ? call.settled!.at.real - from.real : call.settled!.at.at - from.at);
      const settledOrFail = (call: TimedCall, text: string, hint: string): Outcome<unknown> => {
        if (!call.settled) {
          fail({ did: `Called ${text}`, expected: `it to settle within ${formatMs(call.limitMs)}`, actual: `it was still pending ${formatMs(call.limitMs)} later, on the check's clock and in real time`, hint });
        }
        return { ...call.settled.outcome, ms: Math.round(elapsed(call, call.started)) };
      };

      // Connected within timeoutMs, answered within timeoutMs of the question, but later than timeoutMs after the call.
      settledOrFail(slowTimed, slowCall, slowHint);
      expectSlowResolved(slowTimed, clockOf(slowTimed));

      for (const [i, { kind, options }] of scenarios.entries()) {
        const call = calls[i]!;
        const timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        const which = options ? `timeoutMs ${timeoutMs}` : `no options (the default, ${DEFAULT_TIMEOUT_MS} ms)`;
        const url = kind === 'silent' ? silent.url : server.url;
        const event = kind === 'silent' ? 'question' : mute;
        const outcome = settledOrFail(
          call,
          callText(url, event, `call ${i}`, options),
          `Pass ${options ? '`options.timeoutMs`' : 'the 2000 ms default'} on: as \`timeout\` to \`io()\` for the connection, and to \`socket.timeout()\` for the answer.`,
        );
        if (kind === 'silent') {
          const did = `Called ${callText(silent.url, 'question', `call ${i}`, options)}: that port accepts TCP connections and never sends a byte`;
          const error = expectRejected(outcome, did);
          expectThat(outcome.ms >= timeoutMs - 50 && outcome.ms <= timeoutMs + LATE_SLACK_MS, {
            did: `${did}, with ${which}`,
            expected: `it to give up on the connection after about ${formatMs(timeoutMs)} (between ${formatMs(timeoutMs - 50)} and ${formatMs(timeoutMs + LATE_SLACK_MS)})`,
            actual: `it rejected after ${outcome.ms} ms (${clockOf(call)})`,
            hint:
              outcome.ms < timeoutMs
                ? 'Wait the whole timeoutMs for the connection.'
                : `Pass the timeout to \`io(url, { timeout: … })\`: without it Socket.IO waits 20 s for a connection.${options ? '' : ` Without options, the timeout is ${DEFAULT_TIMEOUT_MS} ms.`}`,
          });
          expectUnreachableError(error, silent.url, `${did}, with ${which}`);
        } else {
          const did = `Called ${callText(server.url, mute, `call ${i}`, options)}; the server receives the question and never acknowledges it`;
          const error = expectRejected(outcome, did);
          const arrived = arrivals.get(`call ${i}`);
          expectThat(arrived !== undefined, { did, expected: `the server to receive \`${mute}\``, actual: 'it never did' });
          const waited = Math.round(elapsed(call, arrived));
          expectThat(waited >= timeoutMs - EARLY_SLACK_MS && waited <= timeoutMs + LATE_SLACK_MS && outcome.ms >= timeoutMs - 50, {
            did: `${did}, with ${which}`,
            expected: `it to give up about ${formatMs(timeoutMs)} after the server received the question (between ${formatMs(timeoutMs - EARLY_SLACK_MS)} and ${formatMs(timeoutMs + LATE_SLACK_MS)})`,
            actual: `it rejected ${waited} ms after the server received it (${clockOf(call)})`,
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

      // Timers the check's clock does not move could also count one deadline for the whole call, unseen above (the
      // slow server's waits were on the check's clock): the slow call again, all on the real clock.
      if (onRealClock.length > 0) {
        slowOnRealClock = true;
        slowAsked = undefined;
        const again = timedCall(() => askServer(slowServer.url, slow, 'slow', { timeoutMs: SLOW_TIMEOUT_MS }), 2 * SLOW_TIMEOUT_MS + LATE_SLACK_MS + 1000);
        await untilReal(() => again.settled !== undefined, again.limitMs, true);
        settledOrFail(again, slowCall, slowHint);
        expectSlowResolved(again, 'on the real clock, as your timers are');
      }

      // The workbench looks for leaks once the real timers are back, and cannot see the check's clock: its timers are
      // looked at here (a second later on it, as the workbench waits), before uninstalling it drops them. A connection
      // still open keeps the servers' timers alive: that is said below, after the real timers are back.
      if (await untilReal(() => connectedTo(server) + connectedTo(slowServer) === 0, ARRIVAL_MS, true)) {
        await vi.advanceTimersByTimeAsync(1000);
        // Closing sockets clear their timers as the closes arrive: real milliseconds, more on a loaded machine.
        await untilReal(() => vi.getTimerCount() === 0, CLOSE_GRACE_MS, true);
        const left = vi.getTimerCount();
        expectThat(left === 0, {
          did: "Waited 1 s (on the check's clock) after askServer() finished",
          expected: 'every server, socket and timer it made to be released',
          actual: `still alive: ${left} × timer (setTimeout/setInterval) on the check's clock`,
          hint: LEAK_HINT,
        });
      }
    } finally {
      vi.useRealTimers();
    }
    await expectAllDisconnected(server, 'askServer() calls timed out');
    await expectAllDisconnected(slowServer, `${slowCall} settled`);
  });
});
