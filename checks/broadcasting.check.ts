/**
 * Grades `broadcasting`: the learner's chat server with a changing crowd of real
 * `socket.io-client` clients.
 *
 * Rule → test (README "Your task", the TSDoc of `startBroadcastServer` and `exercises/types.ts`):
 * - 1 listens on options.port and options.host .......... "listens on the host it is given, and nowhere else"
 *   port 0 is any free port; resolves with the real one . "asks the system for a free port when given port 0"
 *   rejects when it cannot listen (types.ts) ............. "rejects when the port is taken"
 * - 2 `users` { count } to every client on each connect
 *   and each disconnect, the newcomer too, exactly one .. "broadcasts the exact user count to everyone on every connect and disconnect"
 *   nowhere else (not on join, not on say) ............... "announces a join …", "relays each message …" (no `users` after the crowd settled)
 * - 3 join: remembers the name .......................... "remembers the latest name …" (a second join renames)
 *   `joined` { id, name } to every other client, never
 *   the joiner, once per join ............................ "announces a join to every other client, never to the joiner",
 *                                                          "remembers the latest name …" (the second join is announced too)
 *   acknowledges { ok: true } when there is a callback ... "announces a join …"
 *   … and keeps going when there is none ................. "remembers the latest name, also from a join sent without a callback"
 * - 4 say: `chat` { from, name, text } to every other
 *   client, never the sender; name null before joining,
 *   an empty name stays "" (not null) .................... "relays each message to every other client, never back to its sender"
 *   leaves out the ids in `except` (when given) .......... "leaves out the clients listed in `except`" (some, none, `[]`, every
 *                                                          other client, the sender's own id, an id nobody has; exact payload)
 * - 5 close(): every client disconnected, server closed .. "close() disconnects every client …";
 *   nothing left running ................................. every test's teardown (leaks, uncaught errors)
 */
import { isDeepStrictEqual } from 'node:util';
import { describe } from 'vitest';
import {
  ARRIVAL_MS,
  connectSocketIo,
  describeValue,
  emitAndAwaitAck,
  eventually,
  expectAnyFreePortForZero,
  expectListensOnGivenHost,
  expectRejectsTakenPort,
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
  type ServerUnderCheck,
  type SocketIoClient,
  type Workbench,
} from './support/index.ts';
import { expectCloseDisconnectsClients } from './support/socketio-close.ts';

const broadcastServer: ServerUnderCheck = { exerciseId: 'broadcasting', file: 'server.ts', functionName: 'startBroadcastServer' };
const startServer = (workbench: Workbench) => startExerciseServer(workbench, broadcastServer.exerciseId, broadcastServer.file, broadcastServer.functionName);

/** Client names in connection order: client A, client B, … */
const nameOf = (index: number) => `client ${String.fromCharCode(65 + index)}`;

/**
 * Connects `count` clients at once (client A, client B, …) and waits, up to the arrival
 * limit, for the crowd to settle: the last `users` each one received says `count`.
 * Whether it did is the first test's business; the others only skip what depends on it.
 */
async function connectCrowd(workbench: Workbench, url: string, count: number): Promise<{ clients: SocketIoClient[]; settled: boolean }> {
  const clients = await Promise.all(Array.from({ length: count }, (_, i) => connectSocketIo(workbench, url, nameOf(i))));
  const lastCount = (client: SocketIoClient) => (receivedPayloads(client, 'users').at(-1) as { count?: unknown } | undefined)?.count;
  const settled = await eventually(() => clients.every((client) => lastCount(client) === count), ARRIVAL_MS);
  return { clients, settled };
}

/** Has `client` join as `name`; resolves once the server acknowledged with `{ ok: true }`. */
async function join(client: SocketIoClient, name = `${randomWord(5)}-${randomInt(10, 99)}`): Promise<string> {
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

/** Each of `others` must receive `joined` `{ id, name }` of `joiner` next. */
async function expectJoinedAnnounced(joiner: SocketIoClient, name: string, others: readonly SocketIoClient[], did: string): Promise<void> {
  for (const other of others) {
    const [joined] = await other.events.next('joined', {
      who: other.who,
      withinMs: ARRIVAL_MS,
      hint: `${joiner.who} joined as "${name}". Announce with \`socket.broadcast.emit("joined", { id: socket.id, name })\`, on every \`join\`.`,
    });
    expectThat(isDeepStrictEqual(joined, { id: joiner.socket.id, name }), {
      did,
      expected: `${other.who} to receive \`joined\` ${describeValue({ id: joiner.socket.id, name })}`,
      actual: `it received \`joined\` ${describeValue(joined)}`,
      hint: '`id` is the `socket.id` of the client that joined, `name` the name it gave, and nothing else.',
    });
  }
}

/**
 * Fails if any of `clients` received a `users` since `seen` (their counts of `users`
 * when the crowd settled): only connections and disconnections send `users`. Without
 * a settled crowd there is nothing to compare with, and it checks nothing.
 */
function expectNoUsersSince(clients: readonly SocketIoClient[], seen: ReadonlyMap<SocketIoClient, number> | undefined, did: string): void {
  if (seen === undefined) return;
  for (const client of clients) {
    const users = receivedPayloads(client, 'users');
    expectThat(users.length === seen.get(client), {
      did,
      expected: `no \`users\` to ${client.who}: nobody connected or disconnected`,
      actual: `it received ${users.length - seen.get(client)!} more, e.g. \`users\` ${describeValue(users.at(-1))}`,
      hint: 'Emit `users` on `connection` and on `disconnect` only.',
    });
  }
}

/** How many `users` each client has received, when the crowd settled (`undefined` if it did not). */
const usersSeen = ({ clients, settled }: { clients: readonly SocketIoClient[]; settled: boolean }) =>
  settled ? new Map(clients.map((client) => [client, receivedPayloads(client, 'users').length])) : undefined;

describe.concurrent('broadcasting', () => {
  test('listens on the host it is given, and nowhere else', async ({ workbench }) => {
    await expectListensOnGivenHost(workbench, broadcastServer);
  });

  test('asks the system for a free port when given port 0', async ({ workbench }) => {
    await expectAnyFreePortForZero(workbench, broadcastServer);
  });

  test('rejects when the port is taken', async ({ workbench }) => {
    await expectRejectsTakenPort(workbench, broadcastServer);
  });

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
    const crowd = await connectCrowd(workbench, server.url, randomInt(3, 4));
    const { clients } = crowd;
    const seen = usersSeen(crowd);
    // Joins one at a time, in random order; each must reach all the others.
    for (const joiner of [...clients].sort(() => Math.random() - 0.5)) {
      const name = await join(joiner);
      await expectJoinedAnnounced(joiner, name, clients.filter((client) => client !== joiner), `${joiner.who} (id ${joiner.socket.id}) emitted \`join\` ${describeValue({ name })}`);
      const own = joiner.events.pending.find((event) => event.name === 'joined' && (event.args[0] as { id?: unknown })?.id === joiner.socket.id);
      if (own) failOwnJoined(joiner, name, own.args[0]);
    }
    await sleep(QUIET_MS);
    const did = `${clients.length} clients joined one after the other`;
    for (const client of clients) {
      const extra = client.events.pending.find((event) => event.name === 'joined');
      if (extra !== undefined) {
        if ((extra.args[0] as { id?: unknown })?.id === client.socket.id) failOwnJoined(client, '…', extra.args[0]);
        fail({
          did,
          expected: `${client.who} to receive one \`joined\` per other client`,
          actual: `it received one more: \`joined\` ${describeValue(extra.args[0])}`,
          hint: 'Emit `joined` once per `join`, with `socket.broadcast.emit`.',
        });
      }
      const chat = receivedPayloads(client, 'chat');
      expectThat(chat.length === 0, {
        did,
        expected: `no \`chat\` to ${client.who}: nobody said anything`,
        actual: `it received \`chat\` ${describeValue(chat[0])}`,
        hint: 'A `join` is announced with `joined` only.',
      });
    }
    expectNoUsersSince(clients, seen, did);
  });

  test('remembers the latest name, also from a join sent without a callback', async ({ workbench }) => {
    const server = await startServer(workbench);
    const { clients } = await connectCrowd(workbench, server.url, 3);
    const [renamer, careless, listener] = clients as [SocketIoClient, SocketIoClient, SocketIoClient];
    const first = await join(renamer);
    await expectJoinedAnnounced(renamer, first, [careless, listener], `${renamer.who} emitted \`join\` ${describeValue({ name: first })}`);
    // A second join, under another name: announced again, and its messages carry the new name.
    const second = await join(renamer, `${randomWord(6)}-${randomInt(100, 999)}`);
    const renamed = `${renamer.who} joined as "${first}", then emitted \`join\` ${describeValue({ name: second })}`;
    await expectJoinedAnnounced(renamer, second, [careless, listener], renamed);
    // A join without an acknowledgement callback: the server must go on as if there were one.
    const carelessName = `${randomWord(5)}-${randomInt(10, 99)}`;
    careless.socket.emit('join', { name: carelessName });
    const withoutAck = `${careless.who} emitted \`join\` ${describeValue({ name: carelessName })} without an acknowledgement callback`;
    await expectJoinedAnnounced(careless, carelessName, [renamer, listener], withoutAck);

    const said = [
      { sender: renamer, name: second, text: randomWord(12), did: renamed },
      { sender: careless, name: carelessName, text: randomWord(12), did: withoutAck },
    ];
    for (const { sender, text } of said) sender.socket.emit('say', { text });
    for (const { sender, name, text, did } of said) {
      const [chat] = await listener.events.next('chat', { who: listener.who, withinMs: ARRIVAL_MS, hint: 'Relay every `say` to the other clients as `chat`.' });
      const expected = { from: sender.socket.id, name, text };
      expectThat(isDeepStrictEqual(chat, expected), {
        did: `${did}; then it emitted \`say\` ${describeValue({ text })}`,
        expected: `${listener.who} to receive \`chat\` ${describeValue(expected)}`,
        actual: `\`chat\` ${describeValue(chat)}`,
        hint:
          sender === renamer && (chat as { name?: unknown } | undefined)?.name === first
            ? 'Each `join` replaces the name: assign it every time (`socket.data.name = name`), do not keep the first one.'
            : '`name` is the name the sender gave in its latest `join`.',
      });
    }
    expectThat(careless.socket.connected && renamer.socket.connected, {
      did: withoutAck,
      expected: 'every client to stay connected',
      actual: `${careless.socket.connected ? renamer.who : careless.who} was disconnected`,
      hint: 'Check `typeof ack === "function"` before calling it.',
    });
  });

  test('relays each message to every other client, never back to its sender', async ({ workbench }) => {
    const server = await startServer(workbench);
    const crowd = await connectCrowd(workbench, server.url, randomInt(3, 5));
    const { clients } = crowd;
    // Everyone joins but the last client, whose messages carry `name: null`; the first joins as "", a name all the same.
    const names = new Map<SocketIoClient, string | null>();
    for (const client of clients) names.set(client, client === clients.at(-1) ? null : await join(client, client === clients[0] ? '' : undefined));
    // Every client hears of every other joiner: wait for all of them, so that none arrives during what follows.
    const joiners = (client: SocketIoClient) => clients.filter((other) => other !== client && names.get(other) !== null).length;
    await Promise.all(clients.map((client) => eventually(() => receivedPayloads(client, 'joined').length >= joiners(client), ARRIVAL_MS)));
    const seen = usersSeen(crowd);
    const joinedSeen = new Map(clients.map((client) => [client, receivedPayloads(client, 'joined').length]));

    const said = clients.flatMap((client) => Array.from({ length: randomInt(1, 3) }, () => ({ sender: client, text: `${randomWord(4)} ${randomWord(8)}` })));
    // An empty text and a non-ASCII one too, from random senders.
    said.push({ sender: pick(clients), text: '' }, { sender: pick(clients), text: `é ${randomWord(3)} 🦊` });
    for (const { sender, text } of [...said].sort(() => Math.random() - 0.5)) sender.socket.emit('say', { text });

    const expectedBy = new Map(clients.map((client) => [client, said.filter((s) => s.sender !== client).map((s) => ({ from: s.sender.socket.id, name: names.get(s.sender), text: s.text }))]));
    await Promise.all(clients.map((client) => eventually(() => receivedPayloads(client, 'chat').length >= expectedBy.get(client)!.length, ARRIVAL_MS)));
    // A little longer, for an echo or a duplicate that would come last.
    await sleep(QUIET_MS);
    const did = `${said.length} messages were said by ${clients.length} clients`;
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
          did: `${sender.who} emitted \`say\` ${describeValue({ text: message.text })} (${did})`,
          expected: `${client.who} to receive \`chat\` ${describeValue(message)}`,
          actual: `it never arrived; ${client.who} received ${received.length} \`chat\` events`,
          hint: 'Relay every `say` to all other clients with `socket.broadcast.emit("chat", …)`.',
        });
        expectThat(isDeepStrictEqual(match, message), {
          did: `${sender.who} emitted \`say\` ${describeValue({ text: message.text })}`,
          expected: `${client.who} to receive \`chat\` ${describeValue(message)}`,
          actual: `\`chat\` ${describeValue(match)}`,
          hint:
            message.name === '' && (match as { name?: unknown })?.name === null
              ? `${sender.who} joined with the name "": that is its name, not "never joined". Fall back with \`socket.data.name ?? null\` (only when there is no name), not \`|| null\` (which also replaces "").`
              : '`from` is the sender\'s `socket.id`, `name` the name it joined with (`null` if it never joined), `text` its text.',
        });
      }
      expectThat(received.length === expected.length, {
        did,
        expected: `${client.who} to receive exactly the ${expected.length} messages of the others`,
        actual: `it received ${received.length}: ${describeValue(received, 300)}`,
        hint: 'Emit one `chat` per `say`, to the other clients only.',
      });
      const joined = receivedPayloads(client, 'joined');
      expectThat(joined.length === joinedSeen.get(client), {
        did,
        expected: `no \`joined\` to ${client.who}: nobody joined`,
        actual: `it received \`joined\` ${describeValue(joined.at(-1))}`,
        hint: 'A `say` is relayed as `chat` only.',
      });
    }
    expectNoUsersSince(clients, seen, did);
  });

  test('leaves out the clients listed in `except`', async ({ workbench }) => {
    const server = await startServer(workbench);
    const { clients } = await connectCrowd(workbench, server.url, randomInt(4, 5));
    const sender = pick(clients);
    const name = await join(sender);
    const others = clients.filter((client) => client !== sender);
    const shuffled = [...others].sort(() => Math.random() - 0.5);
    const ids = (list: readonly SocketIoClient[]) => list.map((client) => client.socket.id!);
    const who = (list: readonly SocketIoClient[]) => (list.length === 0 ? 'nobody' : list.map((c) => c.who).join(' and '));
    // One sender, several `except` lists, in order; a last message with no `except` marks the end.
    const some = shuffled.slice(0, randomInt(1, others.length - 2));
    const requests: { request: { text: string; except?: string[] }; leftOut: readonly SocketIoClient[]; what: string }[] = [
      { request: { text: randomWord(12), except: ids(some) }, leftOut: some, what: `the ids of ${who(some)}` },
      { request: { text: randomWord(12), except: [randomWord(20)] }, leftOut: [], what: 'an id no client has' },
      { request: { text: randomWord(12), except: [] }, leftOut: [], what: 'an empty list' },
      { request: { text: randomWord(12), except: [sender.socket.id!, shuffled[0]!.socket.id!] }, leftOut: [shuffled[0]!], what: `the sender's own id and the id of ${shuffled[0]!.who}` },
      { request: { text: randomWord(12), except: ids(others) }, leftOut: others, what: 'the ids of every other client' },
      { request: { text: randomWord(12) }, leftOut: [], what: 'no `except`' },
    ];
    for (const { request } of requests) sender.socket.emit('say', request);
    const said = requests.map(({ request, what }) => `\`say\` ${describeValue(request, 200)} (\`except\`: ${what})`).join(', then ');
    const did = `${sender.who} (joined as "${name}") emitted ${said}`;

    const marker = requests.at(-1)!.request.text;
    for (const client of others) {
      // Messages from one sender arrive in order: once the last one is here, every earlier one meant for this client is too.
      const arrived = await eventually(() => receivedPayloads(client, 'chat').some((chat) => (chat as { text?: unknown })?.text === marker), ARRIVAL_MS);
      expectThat(arrived, {
        did,
        expected: `${client.who} to receive the last one, "${marker}", as \`chat\``,
        actual: `it received ${describeValue(receivedPayloads(client, 'chat'), 300)}`,
        hint: 'Relay every `say` to the other clients; without `except`, leave nobody out.',
      });
      const texts = receivedPayloads(client, 'chat').map((chat) => (chat as { text?: unknown })?.text);
      for (const { request, leftOut, what } of requests) {
        const excluded = leftOut.includes(client);
        const got = texts.filter((text) => text === request.text).length;
        expectThat(got === (excluded ? 0 : 1), {
          did: `${sender.who} emitted \`say\` ${describeValue(request, 200)} (\`except\`: ${what}), among others`,
          expected: excluded ? `${client.who} not to receive it: its id is in \`except\`` : `${client.who} to receive it once: it is not left out`,
          actual: `it received it ${got === 0 ? 'not at all' : got === 1 ? 'once' : `${got} times`}`,
          hint: excluded
            ? 'Leave them out with `socket.broadcast.except(request.except).emit(…)`: every socket is in a room named by its own id.'
            : request.except?.length === 0 || request.except === undefined
              ? 'An empty or missing `except` leaves nobody out: `socket.broadcast.except(except ?? [])`.'
              : 'Leave out only the clients whose ids are listed: an id nobody has changes nothing.',
        });
      }
      for (const chat of receivedPayloads(client, 'chat')) {
        const request = requests.find((r) => r.request.text === (chat as { text?: unknown })?.text)?.request;
        const expected = { from: sender.socket.id, name, text: request?.text };
        const extraKeys = chat !== null && typeof chat === 'object' ? Object.keys(chat).filter((key) => !['from', 'name', 'text'].includes(key)) : [];
        expectThat(isDeepStrictEqual(chat, expected), {
          did: `${sender.who} (id ${sender.socket.id}, joined as "${name}") emitted \`say\` ${describeValue(request, 200)}`,
          expected: `${client.who} to receive exactly \`chat\` ${describeValue(expected)}`,
          actual: `\`chat\` ${describeValue(chat, 200)}`,
          hint:
            extraKeys.length > 0
              ? `Extra keys reached the others: ${extraKeys.join(', ')}. Build the message yourself, \`{ from, name, text }\`: spreading the request leaks \`except\`.`
              : '`from` is the sender\'s `socket.id`, `name` the name it joined with, `text` its text.',
        });
      }
    }
    await sender.events.expectNone('chat', QUIET_MS, (args) => ({
      did,
      expected: `${sender.who} never to receive its own messages`,
      actual: `${sender.who} received \`chat\` ${describeValue(args[0])}`,
      hint: 'Start from `socket.broadcast`, which already leaves out the sender, then `.except(…)`.',
    }));
  });

  test('close() disconnects every client and stops listening, with clients still connected', async ({ workbench }) => {
    const server = await startServer(workbench);
    const { clients } = await connectCrowd(workbench, server.url, randomInt(2, 4));
    await expectCloseDisconnectsClients(server, clients);
  });
});
