/**
 * Grades `hello-socketio`: several real `socket.io-client` clients against the learner's server.
 */
import { describe } from 'vitest';
import {
  connectSocketIo,
  describeValue,
  eventually,
  expectThat,
  fail,
  randomInt,
  startExerciseServer,
  test,
  within,
  type SocketIoClient,
  type Workbench,
} from './support/index.ts';

const startServer = (workbench: Workbench) => startExerciseServer(workbench, 'hello-socketio', 'server.ts', 'startHelloServer');

const NAMES = ['client A', 'client B', 'client C'];

/** A random number of the kinds a learner's arithmetic could get wrong. */
function randomNumber(): number {
  const kinds = [() => randomInt(-1000, 1000), () => randomInt(0, 1e9) / 7, () => -randomInt(1, 1e6) / 3, () => randomInt(2 ** 40, 2 ** 48)];
  return kinds[randomInt(0, kinds.length - 1)]!();
}

/** Emits `ping` with `n` and returns the acknowledgement's argument; the wait is bounded by Socket.IO's own timeout. */
async function ping(client: SocketIoClient, n: number): Promise<unknown> {
  try {
    return await client.socket.timeout(1500).emitWithAck('ping', n);
  } catch {
    return fail({
      did: `${client.who} emitted \`ping\` with ${n} and waited 1.5 s for the acknowledgement`,
      expected: `the acknowledgement to be called with ${n + 1}`,
      actual: 'it was never called',
      hint: 'Your handler gets the callback as its last argument: `socket.on("ping", (n, ack) => ack(n + 1))`.',
    });
  }
}

describe('hello-socketio', () => {
  test('welcomes each client with its own id and a greeting', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await Promise.all(NAMES.map((who) => connectSocketIo(workbench, server.url, who)));
    for (const client of clients) {
      const [welcome] = await client.events.next('welcome', {
        who: client.who,
        withinMs: 1000,
        hint: 'Did you call `socket.emit("welcome", …)` inside `io.on("connection", (socket) => …)`?',
      });
      const { id, greeting } = (welcome ?? {}) as Partial<Record<'id' | 'greeting', unknown>>;
      expectThat(id === client.socket.id, {
        did: `${client.who} (socket id ${client.socket.id}) received \`welcome\` ${describeValue(welcome)}`,
        expected: `\`id\` to be this client's own id, ${client.socket.id}`,
        actual: `\`id\` is ${describeValue(id)}`,
        hint: 'Use `socket.id` of the socket passed to your connection handler (not `io`, not a variable shared by all clients).',
      });
      expectThat(typeof greeting === 'string' && greeting.trim().length > 0, {
        did: `${client.who} received \`welcome\` ${describeValue(welcome)}`,
        expected: '`greeting` to be a non-empty string',
        actual: `\`greeting\` is ${describeValue(greeting)}`,
      });
    }
    await Promise.all(clients.map((client) =>
      client.events.expectNone('welcome', 100, (args) => ({
        did: `${client.who} received its \`welcome\`, then waited a moment`,
        expected: 'exactly one `welcome` per client',
        actual: `a second \`welcome\` arrived: ${describeValue(args[0])}`,
        hint: '`io.emit` sends to every connected client; `socket.emit` sends to this one only.',
      })),
    ));
  });

  test('answers each ping with n + 1 through the acknowledgement', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await Promise.all(NAMES.map((who) => connectSocketIo(workbench, server.url, who)));
    // Several pings in flight at once per client: each answer must match its own question.
    await Promise.all(
      clients.flatMap((client) =>
        Array.from({ length: 4 }, async () => {
          const n = randomNumber();
          const answer = await ping(client, n);
          expectThat(answer === n + 1, {
            did: `${client.who} emitted \`ping\` with ${n}`,
            expected: `the acknowledgement with ${n + 1}`,
            actual: `it was called with ${describeValue(answer)}`,
            hint: typeof answer === 'string' ? 'The number arrives as a number: add 1 to it, do not concatenate.' : 'Answer `n + 1` for the `n` of this very ping.',
          });
        }),
      ),
    );
  });

  test('keeps answering after a ping without an acknowledgement', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [careless, careful] = await Promise.all([
      connectSocketIo(workbench, server.url, 'client A'),
      connectSocketIo(workbench, server.url, 'client B'),
    ]);
    careless!.socket.emit('ping', randomInt(1, 100));
    const n = randomNumber();
    const answer = await ping(careful!, n);
    expectThat(answer === n + 1, {
      did: `client A emitted \`ping\` without a callback; then client B emitted \`ping\` with ${n}`,
      expected: `client B's acknowledgement with ${n + 1}`,
      actual: describeValue(answer),
    });
    expectThat(careless!.socket.connected, {
      did: 'client A emitted `ping` without an acknowledgement callback',
      expected: 'client A to stay connected',
      actual: 'it was disconnected',
      hint: 'Check `typeof ack === "function"` before calling it.',
    });
  });

  test('close() disconnects every client', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await Promise.all(NAMES.map((who) => connectSocketIo(workbench, server.url, who)));
    await within(server.close(), 2000, () => ({
      did: 'Called close() with three clients connected',
      expected: 'it to resolve within 2 s',
      actual: 'it had not resolved',
      hint: '`io.close(callback)` disconnects the clients and closes the HTTP server; resolve in its callback.',
    }));
    const allGone = await eventually(() => clients.every((client) => !client.socket.connected), 1000);
    expectThat(allGone, {
      did: 'Called close() with three clients connected',
      expected: 'every client to be disconnected',
      actual: `${clients.filter((c) => c.socket.connected).length} still connected after 1 s`,
      hint: 'Close the Socket.IO server (`io.close()`), not only the HTTP server.',
    });
  });
});
