/**
 * Grades `broadcasting`: the learner's chat server with a changing crowd of real
 * `socket.io-client` clients.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe } from 'vitest';
import {
  ARRIVAL_MS,
  connectSocketIo,
  describeValue,
  emitAndAwaitAck,
  eventually,
  expectThat,
  fail,
  pick,
  QUIET_MS,
  randomInt,
  randomWord,
  receivedPayloads,
  sleep,
  startExerciseServer,
  test,
  type SocketIoClient,
  type Workbench,
} from './support/index.ts';

const ID = 'broadcasting';
const startServer = (workbench: Workbench) => startExerciseServer(workbench, ID, 'server.ts', 'startBroadcastServer');

/** Client names in connection order: client A, client B, … */
const nameOf = (index: number) => `client ${String.fromCharCode(65 + index)}`;

/** Connects `count` clients at once: client A, client B, … */
function connectCrowd(workbench: Workbench, url: string, count: number): Promise<SocketIoClient[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => connectSocketIo(workbench, url, nameOf(i))));
}

/** Has `client` join under a random name; resolves with the name once the server acknowledged. */
async function join(client: SocketIoClient): Promise<string> {
  const name = `${randomWord(5)}-${randomInt(10, 99)}`;
  const { answer } = await emitAndAwaitAck(client, 'join', [{ name }], { withinMs: ARRIVAL_MS, hint: 'Call the acknowledgement of `join` with `{ ok: true }`.' });
  expectThat(isDeepStrictEqual(answer, { ok: true }), {
    did: `${client.who} emitted \`join\` ${describeValue({ name })}`,
    expected: 'the acknowledgement `{"ok":true}`',
    actual: describeValue(answer),
  });
  return name;
}

function failOwnJoined(joiner: SocketIoClient, name: string, joined: unknown): never {
  return fail({
    did: `${joiner.who} emitted \`join\` ${describeValue({ name })}`,
    expected: `every client but ${joiner.who} to receive \`joined\``,
    actual: `${joiner.who} received its own \`joined\` ${describeValue(joined)}`,
    hint: '`io.emit` reaches everyone, the sender included; `socket.broadcast.emit` reaches everyone but `socket`.',
  });
}


describe('broadcasting', () => {
  test('broadcasts the exact user count to everyone on every connect and disconnect', async ({ workbench }) => {
    const server = await startServer(workbench);
    const live: SocketIoClient[] = [];
    let created = 0;
    const history: string[] = [];

    /** Every live client must receive `users` with the live count, as its next `users` event. */
    const expectCountEverywhere = async (change: string) => {
      history.push(`${change} → ${live.length} connected`);
      for (const client of live) {
        const [update] = await client.events.next('users', {
          who: client.who,
          withinMs: ARRIVAL_MS,
          hint: `After: ${history.join('; ')}. Emit \`users\` to everyone with \`io.emit\`, on \`connection\` and on \`disconnect\` — not \`socket.broadcast.emit\`, which skips the client that just connected.`,
        });
        expectThat(isDeepStrictEqual(update, { count: live.length }), {
          did: `${history.join('; ')}`,
          expected: `${client.who} to receive \`users\` ${describeValue({ count: live.length })}`,
          actual: `it received \`users\` ${describeValue(update)}`,
          hint:
            typeof (update as { count?: unknown })?.count === 'number' && (update as { count: number }).count === live.length + 1
              ? 'One too many: on `disconnecting` the socket is still counted; count on `disconnect` (or keep your counter in step).'
              : 'Count the clients connected after the change: `io.of("/").sockets.size`, or a counter you increase on `connection` and decrease on `disconnect`.',
        });
      }
    };
    const connectOne = async () => {
      const client = await connectSocketIo(workbench, server.url, nameOf(created++));
      live.push(client);
      await expectCountEverywhere(`${client.who} connected`);
    };
    const disconnectOne = async () => {
      const client = pick(live);
      live.splice(live.indexOf(client), 1);
      client.socket.disconnect();
      await expectCountEverywhere(`${client.who} disconnected`);
    };

    // A crowd that grows, shrinks and grows again, by random amounts.
    const first = randomInt(3, 5);
    for (let i = 0; i < first; i++) await connectOne();
    const leaving = randomInt(1, first - 1);
    for (let i = 0; i < leaving; i++) await disconnectOne();
    const more = randomInt(1, 2);
    for (let i = 0; i < more; i++) await connectOne();
    await disconnectOne();

    await Promise.all(
      live.map((client) =>
        client.events.expectNone('users', QUIET_MS, (args) => ({
          did: history.join('; '),
          expected: `one \`users\` per connect or disconnect`,
          actual: `${client.who} received one more: \`users\` ${describeValue(args[0])}`,
          hint: 'Emit `users` once on `connection` and once on `disconnect`, nowhere else.',
        })),
      ),
    );
  });

  test('announces a join to every other client, never to the joiner', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await connectCrowd(workbench, server.url, randomInt(3, 4));
    // Joins one at a time, in random order; each must reach all the others.
    for (const joiner of [...clients].sort(() => Math.random() - 0.5)) {
      const name = await join(joiner);
      for (const other of clients.filter((client) => client !== joiner)) {
        const [joined] = await other.events.next('joined', {
          who: other.who,
          withinMs: ARRIVAL_MS,
          hint: `${joiner.who} joined as "${name}". Announce with \`socket.broadcast.emit("joined", { id: socket.id, name })\`.`,
        });
        expectThat(isDeepStrictEqual(joined, { id: joiner.socket.id, name }), {
          did: `${joiner.who} (id ${joiner.socket.id}) emitted \`join\` ${describeValue({ name })}`,
          expected: `${other.who} to receive \`joined\` ${describeValue({ id: joiner.socket.id, name })}`,
          actual: `it received \`joined\` ${describeValue(joined)}`,
          hint: '`id` is the `socket.id` of the client that joined, `name` the name it gave.',
        });
      }
      const own = joiner.events.pending.find((event) => event.name === 'joined' && (event.args[0] as { id?: unknown })?.id === joiner.socket.id);
      if (own) failOwnJoined(joiner, name, own.args[0]);
    }
    await sleep(QUIET_MS);
    for (const client of clients) {
      const extra = client.events.pending.find((event) => event.name === 'joined');
      if (extra === undefined) continue;
      if ((extra.args[0] as { id?: unknown })?.id === client.socket.id) failOwnJoined(client, '…', extra.args[0]);
      fail({
        did: `${clients.length} clients joined one after the other`,
        expected: `${client.who} to receive one \`joined\` per other client`,
        actual: `it received one more: \`joined\` ${describeValue(extra.args[0])}`,
        hint: 'Emit `joined` once per `join`, with `socket.broadcast.emit`.',
      });
    }
  });

  test('relays each message to every other client, never back to its sender', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await connectCrowd(workbench, server.url, randomInt(3, 5));
    // Everyone joins but the last client, whose messages carry `name: null`.
    const names = new Map<SocketIoClient, string | null>();
    for (const client of clients) names.set(client, client === clients.at(-1) ? null : await join(client));

    const said = clients.flatMap((client) => Array.from({ length: randomInt(1, 3) }, () => ({ sender: client, text: `${randomWord(4)} ${randomWord(8)}` })));
    for (const { sender, text } of [...said].sort(() => Math.random() - 0.5)) sender.socket.emit('say', { text });

    const expectedBy = new Map(clients.map((client) => [client, said.filter((s) => s.sender !== client).map((s) => ({ from: s.sender.socket.id, name: names.get(s.sender), text: s.text }))]));
    await Promise.all(clients.map((client) => eventually(() => receivedPayloads(client, 'chat').length >= expectedBy.get(client)!.length, ARRIVAL_MS)));
    // A little longer, for an echo or a duplicate that would come last.
    await sleep(QUIET_MS);
    for (const client of clients) {
      const expected = expectedBy.get(client)!;
      const received = receivedPayloads(client, 'chat');
      for (const chat of received) {
        const own = said.find((s) => s.sender === client && s.text === (chat as { text?: unknown })?.text);
        if (own)
          fail({
            did: `${client.who} emitted \`say\` ${describeValue({ text: own.text })}`,
            expected: 'every other client to receive it as `chat`, and not the sender',
            actual: `${client.who} received its own message back: \`chat\` ${describeValue(chat)}`,
            hint: '`io.emit` and `io.except(…)` include the sender; relay with `socket.broadcast.emit("chat", …)`.',
          });
      }
      for (const message of expected) {
        const sender = said.find((s) => s.text === message.text)!.sender;
        const match = received.find((chat) => (chat as { text?: unknown })?.text === message.text);
        expectThat(match !== undefined, {
          did: `${sender.who} emitted \`say\` ${describeValue({ text: message.text })} (${said.length} messages from ${clients.length} clients)`,
          expected: `${client.who} to receive \`chat\` ${describeValue(message)}`,
          actual: `it never arrived; ${client.who} received ${received.length} \`chat\` events`,
          hint: 'Relay every `say` to all other clients with `socket.broadcast.emit("chat", …)`.',
        });
        expectThat(isDeepStrictEqual(match, message), {
          did: `${sender.who} emitted \`say\` ${describeValue({ text: message.text })}`,
          expected: `${client.who} to receive \`chat\` ${describeValue(message)}`,
          actual: `\`chat\` ${describeValue(match)}`,
          hint: '`from` is the sender\'s `socket.id`, `name` the name it joined with (`null` if it never joined), `text` its text.',
        });
      }
      expectThat(received.length === expected.length, {
        did: `${said.length} messages were said by ${clients.length} clients`,
        expected: `${client.who} to receive exactly the ${expected.length} messages of the others`,
        actual: `it received ${received.length}: ${describeValue(received, 300)}`,
        hint: 'Emit one `chat` per `say`, to the other clients only.',
      });
    }
  });

  test('leaves out the clients listed in `except`', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await connectCrowd(workbench, server.url, randomInt(4, 5));
    const sender = pick(clients);
    const others = clients.filter((client) => client !== sender);
    const excluded = [...others].sort(() => Math.random() - 0.5).slice(0, randomInt(1, others.length - 2));
    const request = { text: randomWord(12), except: excluded.map((client) => client.socket.id) };
    sender.socket.emit('say', request);
    const excludedNames = excluded.map((c) => c.who).join(' and ');

    for (const client of others.filter((c) => !excluded.includes(c))) {
      const [chat] = await client.events.next('chat', {
        who: client.who,
        withinMs: ARRIVAL_MS,
        hint: `${sender.who} emitted \`say\` ${describeValue(request)}, leaving out ${excludedNames} only.`,
      });
      expectThat((chat as { text?: unknown })?.text === request.text, {
        did: `${sender.who} emitted \`say\` ${describeValue(request)}`,
        expected: `${client.who} to receive \`chat\` with the text "${request.text}"`,
        actual: `\`chat\` ${describeValue(chat)}`,
      });
    }
    await Promise.all(
      [...excluded, sender].map((client) =>
        client.events.expectNone('chat', QUIET_MS, (args) => ({
          did: `${sender.who} emitted \`say\` ${describeValue(request)} (\`except\` holds the ids of ${excludedNames})`,
          expected: `neither ${excludedNames} nor ${sender.who} to receive it`,
          actual: `${client.who} received \`chat\` ${describeValue(args[0])}`,
          hint: client === sender ? 'Start from `socket.broadcast`, which already leaves out the sender.' : 'Leave them out with `socket.broadcast.except(request.except).emit(…)`: every socket is in a room named by its own id.',
        })),
      ),
    );

    // An `except` that names nobody leaves out nobody.
    const nobody = { text: randomWord(12), except: [randomWord(20)] };
    sender.socket.emit('say', nobody);
    for (const client of others) {
      const [chat] = await client.events.next('chat', {
        who: client.who,
        withinMs: ARRIVAL_MS,
        hint: `${sender.who} emitted \`say\` ${describeValue(nobody)}: \`except\` names no connected client, so everyone else should get it.`,
      });
      expectThat((chat as { text?: unknown })?.text === nobody.text, {
        did: `${sender.who} emitted \`say\` ${describeValue(nobody)}`,
        expected: `${client.who} to receive \`chat\` with the text "${nobody.text}"`,
        actual: `\`chat\` ${describeValue(chat)}`,
      });
    }
  });
});
