/**
 * Grades `hello-socketio`: several real `socket.io-client` clients against the learner's server.
 *
 * Rule → test (README "Your task", the TSDoc of `startHelloServer` and `Welcome`, and `exercises/types.ts`):
 * - 1 listens on options.port and options.host ........... "listens on the host it is given, and nowhere else"
 *   port 0 asks for any free port; resolves with it ....... "asks the system for a free port when given port 0", every test
 *   rejects when it cannot listen (ListenOptions) ......... "rejects when the port is taken"
 * - 2 `welcome` as soon as a client connects ............. "welcomes each client as soon as it connects …" (the client sends nothing first)
 *   to that client only (not io.emit, not broadcast) ..... "… and nobody else" (earlier clients get no second `welcome`)
 *   one `{ id, greeting }` argument ....................... "… with its own id and a greeting" (exactly one argument, an object)
 *   id is the client's own socket.id ...................... same test, three clients (client B over HTTP long-polling),
 *                                                            "welcomes a client that reconnects, with its new id"
 *   greeting any non-empty text ........................... same test (a string with something besides whitespace)
 * - 3 every ping with a number n → ack(n + 1) ............ "answers each ping with n + 1 …" (random numbers, several in flight per client),
 *                                                            "answers the edge numbers …" (0, -1, fractions, tiny, 2^53 - 1, 1e21, every run)
 *   the ack's answer is its first argument ................ same tests (Node-style `ack(null, n + 1)` fails)
 * - 4 keeps working after a ping without an ack .......... "keeps answering after a ping without an acknowledgement"
 *                                                            (no error escapes, the sender stays connected and is answered next)
 * - 5 close(): disconnects every client ................... "close() disconnects every client and stops listening" (websocket and polling clients)
 *   … and closes the server, leaving nothing running ..... same test (the port refuses afterwards), "close() with no client connected",
 *                                                            every test's teardown (leaks)
 *   resolves once everything is released (types.ts) ...... "close() resolves only once every connection is closed" (none still open when it resolves)
 */
import { describe } from 'vitest';
import {
  ARRIVAL_MS,
  CLOSE_LIMIT_MS,
  connectSocketIo,
  describeValue,
  emitAndAwaitAck,
  eventually,
  expectAnyFreePortForZero,
  expectListensOnGivenHost,
  expectRejectsTakenPort,
  expectThat,
  formatMs,
  QUIET_MS,
  randomInt,
  startExerciseServer,
  test,
  within,
  type ServerUnderCheck,
  type SocketIoClient,
  watchAcceptedSockets,
  type Workbench,
} from './support/index.ts';
import { expectCloseStopsListening } from './support/stops-listening.ts';

const helloServer: ServerUnderCheck = { exerciseId: 'hello-socketio', file: 'server.ts', functionName: 'startHelloServer' };
const startServer = (workbench: Workbench) => startExerciseServer(workbench, helloServer.exerciseId, helloServer.file, helloServer.functionName);

const NAMES = ['client A', 'client B', 'client C'];

/** Connects over WebSocket; with `polling`, client B uses HTTP long-polling instead (both transports reach the same handlers, and close() must end both). */
function connectClient(workbench: Workbench, url: string, who: string, { polling = false } = {}): Promise<SocketIoClient> {
  return connectSocketIo(workbench, url, who, polling && who === 'client B' ? { transports: ['polling'] } : {});
}

/** A random number of the kinds a learner's arithmetic could get wrong. */
function randomNumber(): number {
  const kinds = [() => randomInt(-1000, 1000), () => randomInt(0, 1e9) / 7, () => -randomInt(1, 1e6) / 3, () => randomInt(2 ** 40, 2 ** 48)];
  return kinds[randomInt(0, kinds.length - 1)]!();
}

/** Numbers sent on purpose every run: zero, a negative, fractions, a tiny one, the largest safe integer, one JSON writes with an exponent. */
const EDGE_NUMBERS = [0, -1, 0.5, -2.25, 1e-7, Number.MAX_SAFE_INTEGER, 1e21];

/** What a wrong answer to `ping` with `n` looks like it came from, when the evidence says so. */
function pingHint(n: number, answer: unknown, args: readonly unknown[]): string {
  if (args.length > 1 && args.slice(1).includes(n + 1)) {
    return `Your acknowledgement was called with ${args.map((a) => describeValue(a, 40)).join(', ')}: pass the answer as its first argument, \`ack(n + 1)\` (acknowledgements are not Node-style callbacks).`;
  }
  if (typeof answer === 'string' && answer === `${n}1`) return 'The number arrives as a number: add 1 to it, do not concatenate.';
  if (typeof answer === 'string') return 'Answer with a number, not with text: `ack(n + 1)`.';
  if (typeof answer === 'number' && !Number.isInteger(n) && answer === Math.trunc(n) + 1) return 'Your answer lost the fraction: do not parse `n` with `parseInt` or round it; add 1 to the number as it came.';
  if (typeof answer === 'number' && answer === n) return 'Your answer is `n` itself: answer `n + 1`.';
  return 'Answer `n + 1` for the `n` of this very ping.';
}

/** Pings with `n` and expects `n + 1` as the first argument of the acknowledgement. */
async function expectPingAnswered(client: SocketIoClient, n: number, context: { did?: string; hintIfSilent?: string } = {}): Promise<void> {
  const { answer, args } = await emitAndAwaitAck(client, 'ping', [n], {
    withinMs: ARRIVAL_MS,
    hint: context.hintIfSilent ?? 'Your handler gets the callback as its last argument: `socket.on("ping", (n, ack) => ack(n + 1))`.',
  });
  expectThat(answer === n + 1, {
    did: context.did ?? `${client.who} emitted \`ping\` with ${n}`,
    expected: `the acknowledgement to be called with ${n + 1} (n + 1)`,
    actual: `it was called with ${args.length === 0 ? 'no argument' : args.map((a) => describeValue(a)).join(', ')}`,
    hint: pingHint(n, answer, args),
  });
}

/**
 * Waits for `client`'s `welcome` and checks it: one argument, `{ id, greeting }`, with
 * the client's own id (`others` are the ids of the other clients connected, for the hint).
 */
async function expectWelcome(client: SocketIoClient, others: readonly string[]): Promise<void> {
  const args = await client.events.next('welcome', {
    who: `${client.who}, which had connected and sent nothing,`,
    withinMs: ARRIVAL_MS,
    hint: 'Call `socket.emit("welcome", { id: socket.id, greeting })` inside `io.on("connection", (socket) => …)`, on that socket (not `socket.broadcast`), without waiting for the client to say anything.',
  });
  const [welcome] = args;
  const ownId = client.socket.id;
  const did = `${client.who} (socket id ${ownId}) received \`welcome\` with ${args.length === 0 ? 'no argument' : args.map((a) => describeValue(a)).join(', ')}`;
  expectThat(args.length === 1 && typeof welcome === 'object' && welcome !== null, {
    did,
    expected: 'one argument, an object `{ id, greeting }`',
    actual: `${args.length} argument${args.length === 1 ? '' : 's'}${args.length === 1 ? `, ${describeValue(welcome)}` : ''}`,
    hint: 'Emit one object with both fields: `socket.emit("welcome", { id: socket.id, greeting: "Hello!" })`.',
  });
  const { id, greeting } = welcome as Partial<Record<'id' | 'greeting', unknown>>;
  expectThat(id === ownId, {
    did,
    expected: `\`id\` to be this client's own socket id, ${ownId}`,
    actual: `\`id\` is ${describeValue(id)}${typeof id === 'string' && others.includes(id) ? ', the id of another client' : ''}`,
    hint:
      typeof id === 'string' && others.includes(id)
        ? 'Use `socket.id` of the socket passed to your connection handler, not a variable shared by all clients.'
        : 'Use `socket.id` of the socket passed to your connection handler: Socket.IO chose that id, not your server.',
  });
  expectThat(typeof greeting === 'string' && greeting.trim().length > 0, {
    did,
    expected: '`greeting` to be a non-empty string (something besides whitespace)',
    actual: `\`greeting\` is ${describeValue(greeting)}`,
    ...('greeting' in (welcome as object) ? {} : { hint: 'The field is called `greeting`.' }),
  });
}

/** Fails if `client` received a `welcome` beyond the one already taken. */
function expectNoSecondWelcome(client: SocketIoClient, after: string): Promise<void> {
  return client.events.expectNone('welcome', QUIET_MS, (args) => ({
    did: `${client.who} received its own \`welcome\`, then ${after}`,
    expected: 'exactly one `welcome` per client: the one for its own connection',
    actual: `another \`welcome\` arrived: ${describeValue(args[0])}`,
    hint: '`io.emit` sends to every connected client: `socket.emit` sends to this one only.',
  }));
}

describe.concurrent('hello-socketio', () => {
  test('listens on the host it is given, and nowhere else', async ({ workbench }) => {
    await expectListensOnGivenHost(workbench, helloServer);
  });

  test('asks the system for a free port when given port 0', async ({ workbench }) => {
    await expectAnyFreePortForZero(workbench, helloServer);
  });

  test('rejects when the port is taken', async ({ workbench }) => {
    await expectRejectsTakenPort(workbench, helloServer);
  });

  test('welcomes each client as soon as it connects, with its own id and a greeting, and nobody else', async ({ workbench }) => {
    const server = await startServer(workbench);
    // One after the other: each newcomer's welcome would reach the clients already there if it were sent to everyone.
    const clients: SocketIoClient[] = [];
    for (const who of NAMES) {
      const client = await connectClient(workbench, server.url, who, { polling: true });
      await expectWelcome(
        client,
        clients.map((c) => c.socket.id!),
      );
      clients.push(client);
    }
    // A round trip on each connection after the last welcome: anything the server sent before it has arrived by then.
    await Promise.all(clients.map((client) => client.socket.timeout(ARRIVAL_MS).emitWithAck('ping', 1).catch(() => undefined)));
    await Promise.all(clients.map((client) => expectNoSecondWelcome(client, `${NAMES.length - 1} more clients connected`)));
  });

  test('welcomes a client that reconnects, with its new id', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectClient(workbench, server.url, 'client A');
    await expectWelcome(client, []);
    const firstId = client.socket.id!;
    client.socket.disconnect();
    await within(
      new Promise<void>((resolve) => {
        client.socket.once('connect', () => resolve());
        client.socket.connect();
      }),
      ARRIVAL_MS,
      () => ({ did: 'client A disconnected and connected again', expected: `it to be connected again within ${formatMs(ARRIVAL_MS)}` }),
    );
    expectThat(client.socket.id !== firstId, { did: 'client A connected a second time', expected: 'a new socket id', actual: `the same, ${firstId}` });
    await expectWelcome(client, [firstId]);
    await expectPingAnswered(client, randomNumber());
  });

  test('answers each ping with n + 1 through the acknowledgement', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await Promise.all(NAMES.map((who) => connectClient(workbench, server.url, who)));
    // Several pings in flight at once per client, twice: each answer must match its own question.
    for (let round = 0; round < 2; round++) {
      await Promise.all(clients.flatMap((client) => Array.from({ length: 4 }, () => expectPingAnswered(client, randomNumber()))));
    }
  });

  test('answers the edge numbers: 0, negatives, fractions, tiny and huge numbers', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectClient(workbench, server.url, 'client A');
    // A number it must answer first, so that silence on an edge number is that number's doing.
    await expectPingAnswered(client, randomInt(2, 1000));
    for (const n of EDGE_NUMBERS) {
      await expectPingAnswered(client, n, {
        did: `client A emitted \`ping\` with ${n}, after a \`ping\` your server answered`,
        hintIfSilent:
          n === 0
            ? 'Your server answered another number but not 0: 0 is a number too. Test `typeof n === "number"`, not `if (n)`.'
            : `Your server answered another number but not ${n}: answer every number.`,
      });
    }
  });

  test('keeps answering after a ping without an acknowledgement', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [careless, careful] = await Promise.all(NAMES.slice(0, 2).map((who) => connectClient(workbench, server.url, who)));
    const n = randomInt(1, 100);
    careless!.socket.emit('ping', n);
    careless!.socket.emit('ping', 0);
    // Sent after the pings without a callback on the same connection: by the time it is answered, they were handled.
    const did = `client A emitted \`ping\` with ${n} and with 0, both without an acknowledgement callback, then \`ping\` with a callback`;
    await expectPingAnswered(careless!, randomNumber(), { did, hintIfSilent: 'Check `typeof ack === "function"` before calling it: a ping without a callback must not stop your handler.' });
    workbench.uncaught.expectNone(
      `client A emitted \`ping\` with ${n} without an acknowledgement callback`,
      'The sender may leave out the callback: check `typeof ack === "function"` before calling it.',
    );
    expectThat(careless!.socket.connected, {
      did: 'client A emitted `ping` without an acknowledgement callback',
      expected: 'client A to stay connected',
      actual: 'it was disconnected',
      hint: 'Check `typeof ack === "function"` before calling it.',
    });
    await expectPingAnswered(careful!, randomNumber(), { did: 'after client A\'s `ping` without a callback, client B emitted `ping`' });
  });

  test('close() disconnects every client and stops listening', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await Promise.all(NAMES.map((who) => connectClient(workbench, server.url, who, { polling: true })));
    const did = `Called close() with ${clients.length} clients connected (client B over HTTP long-polling)`;
    await expectCloseStopsListening(server, did, {
      slow: '`io.close(callback)` disconnects the clients and closes the HTTP server; resolve in its callback.',
      stillListening: '`io.close()` closes the HTTP server it is attached to; disconnecting the sockets alone leaves it running.',
    });
    const allGone = await eventually(() => clients.every((client) => !client.socket.connected), ARRIVAL_MS);
    expectThat(allGone, {
      did,
      expected: 'every client to be disconnected',
      actual: `${clients.filter((c) => c.socket.connected).map((c) => c.who).join(', ')} still connected ${formatMs(ARRIVAL_MS)} after close() resolved`,
      hint: 'Close the Socket.IO server (`io.close()`), not only the HTTP server.',
    });
  });

  test('close() resolves only once every connection is closed', async ({ workbench }) => {
    const accepted = watchAcceptedSockets(workbench);
    const server = await startServer(workbench);
    await Promise.all(NAMES.map((who) => connectClient(workbench, server.url, who, { polling: true })));
    const did = `Called close() with ${NAMES.length} clients connected (client B over HTTP long-polling), and looked at your server's connections the moment it resolved`;
    await within(server.close(), CLOSE_LIMIT_MS, () => ({ did, expected: `close() to resolve within ${formatMs(CLOSE_LIMIT_MS)}`, actual: 'it had not resolved' }));
    // Read at once, before any I/O: a close() that resolved early left them open.
    const open = accepted.live().filter((socket) => !socket.destroyed).length;
    expectThat(accepted.accepted > 0 && open === 0, {
      did,
      expected: 'every connection your server accepted to be closed already: close() resolves once everything is released',
      actual: accepted.accepted === 0 ? 'the check saw no connection to your server' : `${open} of the ${accepted.accepted} connections your server accepted were still open`,
      hint: accepted.accepted === 0 ? undefined : 'Resolve in the callback of `io.close(callback)` (or await the promise it returns): it is called once the HTTP server and every connection are closed.',
    });
  });

  test('close() with no client connected', async ({ workbench }) => {
    const server = await startServer(workbench);
    await expectCloseStopsListening(server, 'Called close() with no client connected');
  });
});
