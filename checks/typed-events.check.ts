/**
 * Grades `typed-events`: the chat's behaviour with real clients, and its types with
 * the TypeScript compiler (claims that must compile, and claims that must not).
 *
 * Rule → test (README "Your task" part 1 (the types) and part 2 (the server), and the TSDoc
 * of `events.ts`, `startChatServer` and `exercises/types.ts`):
 * - types: every member, exact payload and acknowledgement ..... "its types let through what is right and reject
 *   what is wrong": one claim that must compile and at least one that must not per member (`say` text and
 *   ack, `rename` name and ack, `welcome`, `message`, `ping`, `SocketData.name`); no `any` (a claim that reads each
 *   payload and ack as a wrong type), no index signature (an unknown event in each of the four maps), each
 *   direction in its own interface, the acknowledgements required
 *   the Server created with the four interfaces ................ same test (the type of `new Server(…)` in server.ts)
 * - 1 listens on options.port and options.host .................. "listens on the host it is given, and nowhere else",
 *                                                                  "asks the system for a free port when given port 0"
 *   rejects when it cannot listen (types.ts) ..................... "rejects when the port is taken"
 * - 2 name from auth.name when a non-empty string ................ "welcomes each client with its name and the number online"
 *   otherwise "anonymous" (none, "", 42, ["ada"]) ................. "calls a client "anonymous" unless its name is a non-empty string"
 * - 3 welcome to the newcomer only, { name, online } ............. "welcomes each client …" (the others receive no `welcome`)
 *   online = connected now, itself included ....................... "… counts only the clients still connected"
 * - 4 say → message to every client, the sender included ........ "relays `say` to everyone as a numbered `message` …"
 *   ids 1, 2, 3 over the whole server, from, sentAt Date.now() .... same test (two senders; sentAt within the emit)
 *   acknowledges { id } ............................................ same test
 *   nothing else sent, and no ack callback: no crash ............. same test (no extra events), "… without an acknowledgement"
 * - 5 rename sets the name, acknowledges the previous one ......... "`rename` answers the previous name …" (twice in a row)
 *   without an ack callback the name still changes ................ "`say` and `rename` without an acknowledgement …"
 * - 6 close(): every client disconnected, server closed ........... "close() disconnects every client and stops listening"
 *   nothing left running ........................................... every test's teardown (leaks)
 */
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe } from 'vitest';
import {
  connectSocketIo,
  emitAndAwaitAck,
  describeValue,
  expectAnyFreePortForZero,
  expectListensOnGivenHost,
  expectRejectsTakenPort,
  expectThat,
  fail,
  learnerPath,
  QUIET_MS,
  randomWord,
  recordUncaught,
  runTypeProbe,
  targetRoot,
  sleep,
  startExerciseServer,
  test,
  type ServerUnderCheck,
  type SocketIoClient,
  type TypeClaim,
  type Workbench,
} from './support/index.ts';
import { expectCloseDisconnectsClients } from './support/socketio-close.ts';

const ID = 'typed-events';

const chatServer: ServerUnderCheck = { exerciseId: ID, file: 'server.ts', functionName: 'startChatServer' };
const startServer = (workbench: Workbench) => startExerciseServer(workbench, ID, chatServer.file, chatServer.functionName);

const THROWN = 'A client written without TypeScript can leave the acknowledgement out: check `typeof ack === "function"` before calling it.';

/** Fails if `client` received anything after what the test took from its queue, once a quiet moment passed. */
async function expectNothingElse(client: SocketIoClient, did: string, hint: string) {
  await sleep(QUIET_MS);
  const extra = client.events.pending;
  expectThat(extra.length === 0, {
    did: `${did}; then watched ${client.who} for ${QUIET_MS} ms more`,
    expected: 'no other event',
    actual: `it also received ${extra.map((e) => `\`${e.name}\` ${describeValue(e.args, 80)}`).join(', ')}`,
    hint,
  });
}

/** Waits for the `welcome` of `client` and checks it is `expected`. */
async function expectWelcome(client: SocketIoClient, expected: { name: string; online: number }, did: string, hint: string) {
  const [welcome] = await client.events.next('welcome', { who: client.who, withinMs: 1000, hint: 'Emit `welcome` in the connection handler: `socket.emit("welcome", { name, online })`.' });
  expectThat(isDeepStrictEqual(welcome, expected), { did, expected: `\`welcome\` ${describeValue(expected)}`, actual: describeValue(welcome), hint });
}

async function request(client: SocketIoClient, event: string, arg: unknown, hint: string): Promise<unknown> {
  return (await emitAndAwaitAck(client, event, [arg], { withinMs: 1000, hint })).answer;
}

/** Waits for `message` on `client` and checks it is `expected`, with `sentAt` between `before` and now. */
async function expectMessage(client: SocketIoClient, expected: { id: number; from: string; text: string }, before: number, did: string) {
  const [message] = await client.events.next('message', { who: client.who, withinMs: 1000, hint: 'Relay to every client, the sender included: `io.emit("message", …)`.' });
  const { sentAt, ...rest } = (message ?? {}) as Record<string, unknown>;
  expectThat(isDeepStrictEqual(rest, expected) && typeof sentAt === 'number' && sentAt >= before && sentAt <= Date.now(), {
    did: `${did}; ${client.who} received \`message\``,
    expected: `${describeValue(expected).slice(0, -1)},"sentAt":<Date.now() when relayed>}`,
    actual: describeValue(message, 200),
    hint: 'Ids count 1, 2, 3, … over the whole server; `from` is the sender\'s current `socket.data.name`; `sentAt` is `Date.now()`.',
  });
}

/** The type claims, about the learner's `events.ts`. */
const CLAIMS: readonly TypeClaim[] = [
  { claim: 'a client can emit `say` with a text and an acknowledgement that receives a `Receipt`', code: "client.emit('say', 'hello', (receipt) => { const id: number = receipt.id; });" },
  { claim: 'a client can emit `rename` with a name and an acknowledgement that receives the previous name', code: "client.emit('rename', 'ada', (previous) => { const name: string = previous; });" },
  { claim: 'a client listening to `welcome` gets a `Welcome`', code: "client.on('welcome', (welcome) => { const exact: Welcome = welcome; const back: typeof welcome = exact; });" },
  { claim: 'a client listening to `message` gets a `ChatMessage`', code: "client.on('message', (received) => { const exact: ChatMessage = received; const back: typeof received = exact; });" },
  { claim: 'the server\'s `say` handler gets a `string` and an acknowledgement taking a `Receipt`', code: "socket.on('say', (text, ack) => { const t: string = text; const receipt: Receipt = { id: 1 }; ack(receipt); });" },
  { claim: 'the server\'s `rename` handler gets a `string` and an acknowledgement taking a `string`', code: "socket.on('rename', (name, ack) => { const n: string = name; ack(n); });" },
  { claim: 'the server can emit `message` with a `ChatMessage` and `welcome` with a `Welcome`', code: "socket.emit('message', message); io.emit('welcome', { name: 'ada', online: 2 });" },
  { claim: '`socket.data.name` is always a `string`', code: 'const name: string = socket.data.name;' },
  { claim: '`socket.data.name` can be set to a `string`', code: "socket.data.name = 'ada';" },
  { claim: 'servers can send each other `ping` with no arguments', code: "io.serverSideEmit('ping');" },
  { claim: 'a client cannot emit an unknown event `sya`', code: "client.emit('sya', 'hello', () => {});", mustFail: true },
  { claim: 'a client cannot emit `say` with a number', code: "client.emit('say', 42, () => {});", mustFail: true },
  { claim: 'a client cannot expect a `say` receipt whose `id` is a string', code: "client.emit('say', 'hello', (receipt: { id: string }) => {});", mustFail: true },
  { claim: 'a client cannot emit `rename` with a number', code: "client.emit('rename', 7, () => {});", mustFail: true },
  { claim: 'a client cannot listen to an unknown event `mesage`', code: "client.on('mesage', () => {});", mustFail: true },
  { claim: 'a client cannot emit `message`, which only the server sends', code: "client.emit('message', message);", mustFail: true },
  { claim: 'the server cannot emit `say`, which only clients send', code: "socket.emit('say', 'hello', () => {});", mustFail: true },
  { claim: 'the server cannot emit `message` without `sentAt`', code: "socket.emit('message', { id: 1, from: 'ada', text: 'hi' });", mustFail: true },
  { claim: 'the server cannot emit `welcome` with `online` as a string', code: "socket.emit('welcome', { name: 'ada', online: '2' });", mustFail: true },
  { claim: 'the server\'s `rename` handler cannot take the name as a number', code: "socket.on('rename', (name: number) => {});", mustFail: true },
  { claim: '`socket.data.name` cannot be set to a number', code: 'socket.data.name = 42;', mustFail: true },
  { claim: 'servers cannot send each other an unknown event `pong`', code: "io.serverSideEmit('pong');", mustFail: true },
  // No `any` anywhere: each payload and acknowledgement read as a wrong type must not compile.
  { claim: 'a client cannot read the `id` of a `say` receipt as a string', code: "client.emit('say', 'hello', (receipt) => { const id: string = receipt.id; });", mustFail: true },
  { claim: 'a client cannot pass a number where the `say` acknowledgement goes', code: "client.emit('say', 'hello', 42);", mustFail: true },
  { claim: 'a client cannot take the previous name of `rename` as a number', code: "client.emit('rename', 'ada', (previous: number) => {});", mustFail: true },
  { claim: 'a client cannot read `welcome.name` as a number', code: "client.on('welcome', (welcome) => { const name: number = welcome.name; });", mustFail: true },
  { claim: 'a client cannot read `message.sentAt` as a string', code: "client.on('message', (received) => { const sentAt: string = received.sentAt; });", mustFail: true },
  { claim: 'the server\'s `say` handler cannot take the text as a number', code: "socket.on('say', (text: number) => {});", mustFail: true },
  { claim: 'the server\'s `say` handler cannot acknowledge with a string', code: "socket.on('say', (text, ack) => { ack('sent'); });", mustFail: true },
  { claim: 'the server\'s `rename` handler cannot acknowledge with a number', code: "socket.on('rename', (name, ack) => { ack(42); });", mustFail: true },
  { claim: 'servers cannot send each other `ping` with an argument', code: "io.serverSideEmit('ping', 1);", mustFail: true },
  { claim: 'the server cannot emit `welcome` with an extra argument', code: "socket.emit('welcome', { name: 'ada', online: 1 }, 'extra');", mustFail: true },
  // The acknowledgements are part of the events: a client that forgets one does not compile.
  { claim: 'a client cannot emit `say` without its acknowledgement', code: "client.emit('say', 'hello');", mustFail: true },
  { claim: 'a client cannot emit `rename` without its acknowledgement', code: "client.emit('rename', 'ada');", mustFail: true },
  // No index signature in any of the four.
  { claim: 'the server cannot listen to an unknown event `sya`', code: "socket.on('sya', () => {});", mustFail: true },
  { claim: 'the server cannot emit an unknown event `mesage`', code: "socket.emit('mesage', message);", mustFail: true },
  { claim: '`socket.data` has no key but `name` (no `socket.data.nam`)', code: "socket.data.nam = 'ada';", mustFail: true },
];

/** TypeScript's `TypeFormatFlags.NoTruncation`: the whole type, however long. */
const NO_TRUNCATION = 1;
const TYPED_SERVER = 'Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>';

describe.concurrent('typed-events', () => {
  test('listens on the host it is given, and nowhere else', async ({ workbench }) => {
    await expectListensOnGivenHost(workbench, chatServer);
  });

  test('asks the system for a free port when given port 0', async ({ workbench }) => {
    await expectAnyFreePortForZero(workbench, chatServer);
  });

  test('rejects when the port is taken', async ({ workbench }) => {
    await expectRejectsTakenPort(workbench, chatServer);
  });

  test('welcomes each client with its name and the number online, and nobody else', async ({ workbench }) => {
    const server = await startServer(workbench);
    const name = randomWord(6);
    const named = await connectSocketIo(workbench, server.url, `client "${name}"`, { auth: { name } });
    await expectWelcome(named, { name, online: 1 }, `${named.who} connected alone, with \`auth\` { name: "${name}" }`,
      'The name comes from `socket.handshake.auth.name`; `online` counts the connected clients, this one included (`io.of("/").sockets.size`).');
    const anonymous = await connectSocketIo(workbench, server.url, 'a client without a name');
    await expectWelcome(anonymous, { name: 'anonymous', online: 2 }, `${anonymous.who} connected second, with no \`auth\``, 'A client without a non-empty string `auth.name` is called "anonymous".');
    // A name of spaces is a non-empty string: kept as it is.
    const spaces = await connectSocketIo(workbench, server.url, 'a client named " "', { auth: { name: ' ' } });
    await expectWelcome(spaces, { name: ' ', online: 3 }, `${spaces.who} connected third, with \`auth\` { name: " " }`,
      '" " is a non-empty string: keep it as it is (do not trim). Only a name that is missing, empty or not a string becomes "anonymous".');
    await Promise.all([
      expectNothingElse(named, `${anonymous.who} and ${spaces.who} connected after ${named.who}`, 'Emit `welcome` to the newcomer only (`socket.emit`), not to everyone (`io.emit`).'),
      expectNothingElse(anonymous, `${spaces.who} connected after ${anonymous.who}`, 'Emit `welcome` to the newcomer only (`socket.emit`), not to everyone (`io.emit`).'),
    ]);
  });

  test('calls a client "anonymous" unless its name is a non-empty string', async ({ workbench }) => {
    const server = await startServer(workbench);
    const odd: [string, Record<string, unknown>][] = [
      ['an empty name ""', { name: '' }],
      ['a number as its name', { name: 42 }],
      ['an array as its name', { name: [randomWord(5)] }],
      ['`auth` without `name`', { nickname: randomWord(5) }],
    ];
    for (const [index, [label, auth]] of odd.entries()) {
      const client = await connectSocketIo(workbench, server.url, `a client with ${label}`, { auth });
      await expectWelcome(client, { name: 'anonymous', online: index + 1 }, `${client.who} connected, with \`auth\` ${describeValue(auth)}`,
        'Keep `auth.name` only when `typeof name === "string" && name !== ""`; anything else (missing, "", a number, an array) is "anonymous".');
    }
  });

  test('counts only the clients still connected', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [first, second] = [randomWord(5), randomWord(6)];
    const a = await connectSocketIo(workbench, server.url, `client "${first}"`, { auth: { name: first } });
    await expectWelcome(a, { name: first, online: 1 }, `${a.who} connected alone`, '`online` counts the connected clients, this one included.');
    const b = await connectSocketIo(workbench, server.url, `client "${second}"`, { auth: { name: second } });
    await expectWelcome(b, { name: second, online: 2 }, `${b.who} connected second`, '`online` counts the connected clients, this one included.');
    a.socket.disconnect();
    // The server sees the disconnection a moment after the client.
    await sleep(100);
    const third = randomWord(7);
    const c = await connectSocketIo(workbench, server.url, `client "${third}"`, { auth: { name: third } });
    await expectWelcome(c, { name: third, online: 2 }, `${a.who} left, then ${`client "${third}"`} connected`,
      '`online` is the number connected *now*: read `io.of("/").sockets.size` (or count down on `disconnect`), not a counter of every connection so far.');
  });

  test('relays `say` to everyone as a numbered `message` and acknowledges its id', async ({ workbench }) => {
    const server = await startServer(workbench);
    const names = [randomWord(5), randomWord(6), randomWord(7)];
    const clients = await Promise.all(names.map((name) => connectSocketIo(workbench, server.url, `client "${name}"`, { auth: { name } })));
    for (const client of clients) await client.events.next('welcome', { who: client.who, withinMs: 1000 });
    for (const [index, sender] of [clients[1]!, clients[0]!, clients[1]!].entries()) {
      const text = `${randomWord(4)} ${randomWord(6)}`;
      const before = Date.now();
      const receipt = await request(sender, 'say', text, 'Acknowledge `say` with `{ id }` of the message you relayed.');
      const id = index + 1;
      const did = `${sender.who} said "${text}" (message number ${id} of this server)`;
      expectThat(isDeepStrictEqual(receipt, { id }), { did, expected: `the acknowledgement { id: ${id} }`, actual: describeValue(receipt), hint: 'Count messages over the whole server, starting at 1: a counter outside the connection handler.' });
      const from = names[clients.indexOf(sender)]!;
      for (const client of clients) await expectMessage(client, { id, from, text }, before, did);
    }
    await Promise.all(clients.map((client) => expectNothingElse(client, 'Two clients said three texts', 'Each `say` makes one `message`, sent once to each client: `io.emit("message", …)`.')));
  });

  test('`say` and `rename` without an acknowledgement still work, and crash nothing', async ({ workbench }) => {
    const server = await startServer(workbench);
    const uncaught = recordUncaught(workbench);
    const [name, other, renamed] = [randomWord(5), randomWord(6), randomWord(8)];
    const sender = await connectSocketIo(workbench, server.url, `client "${name}"`, { auth: { name } });
    const listener = await connectSocketIo(workbench, server.url, `client "${other}"`, { auth: { name: other } });
    let before = Date.now();
    sender.socket.emit('say', 'no receipt wanted');
    const did = `${sender.who} emitted \`say\` "no receipt wanted" without an acknowledgement callback`;
    await expectMessage(listener, { id: 1, from: name, text: 'no receipt wanted' }, before, did);
    uncaught.expectNone(did, THROWN);
    sender.socket.emit('rename', renamed);
    // The rename is applied before the next `say`: Socket.IO delivers one client's events in order.
    before = Date.now();
    await request(sender, 'say', 'renamed', 'Acknowledge `say` with `{ id }`.');
    const after = `${sender.who} emitted \`rename\` "${renamed}" without an acknowledgement callback, then said "renamed"`;
    uncaught.expectNone(after, THROWN);
    await expectMessage(listener, { id: 2, from: renamed, text: 'renamed' }, before, after);
  });

  test('`rename` answers the previous name, and later messages use the new one', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [oldName, newName, newerName, otherName] = [randomWord(5), randomWord(8), randomWord(7), randomWord(6)];
    const renamed = await connectSocketIo(workbench, server.url, `client "${oldName}"`, { auth: { name: oldName } });
    const other = await connectSocketIo(workbench, server.url, `client "${otherName}"`, { auth: { name: otherName } });
    const previous = await request(renamed, 'rename', newName, 'Acknowledge `rename` with the previous name.');
    expectThat(previous === oldName, {
      did: `${renamed.who} emitted \`rename\` "${newName}"`,
      expected: `the acknowledgement with its previous name, "${oldName}"`,
      actual: describeValue(previous),
      hint: 'Read `socket.data.name` before you overwrite it.',
    });
    let before = Date.now();
    await request(renamed, 'say', 'after rename', 'Acknowledge `say` with `{ id }`.');
    for (const client of [renamed, other]) await expectMessage(client, { id: 1, from: newName, text: 'after rename' }, before, `${renamed.who}, renamed "${newName}", said "after rename"`);
    before = Date.now();
    await request(other, 'say', 'me too', 'Acknowledge `say` with `{ id }`.');
    await expectMessage(renamed, { id: 2, from: otherName, text: 'me too' }, before, `${other.who}, who did not rename, said "me too"`);
    const again = await request(renamed, 'rename', newerName, 'Acknowledge `rename` with the previous name.');
    expectThat(again === newName, {
      did: `${renamed.who} emitted \`rename\` "${newName}", then \`rename\` "${newerName}"`,
      expected: `the second acknowledgement with the name before it, "${newName}"`,
      actual: describeValue(again),
      hint: 'The previous name is the current `socket.data.name`, not the name the client connected with.',
    });
  });

  test('close() disconnects every client and stops listening', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await Promise.all([connectSocketIo(workbench, server.url, 'client A', { auth: { name: 'a' } }), connectSocketIo(workbench, server.url, 'client B')]);
    for (const client of clients) await client.events.next('welcome', { who: client.who, withinMs: 1000 });
    await expectCloseDisconnectsClients(server, clients);
  });

  test('its types let through what is right and reject what is wrong', async () => {
    const folder = path.join(targetRoot(), ID);
    const eventsFile = path.join(folder, 'events.ts');
    const serverFile = path.join(folder, 'server.ts');
    const result = await runTypeProbe({
      name: ID,
      learnerFiles: [eventsFile, serverFile],
      prelude: `
        import type { Server, Socket as ServerSocket } from 'socket.io';
        import type { Socket as ClientSocket } from 'socket.io-client';
        import type { ChatMessage, ClientToServerEvents, InterServerEvents, Receipt, ServerToClientEvents, SocketData, Welcome } from ${JSON.stringify(eventsFile)};
        declare const client: ClientSocket<ServerToClientEvents, ClientToServerEvents>;
        declare const io: Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
        declare const socket: ServerSocket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
        declare const message: ChatMessage;
      `,
      claims: CLAIMS,
      // The type of every `new Server(…)` in server.ts: the server itself must be typed, or its emits go unchecked.
      inspect: async ({ program, checker, ast }) => {
        const source = await program.getSourceFile(serverFile);
        const created: import('typescript-7/unstable/ast').Node[] = [];
        const visit = (node: import('typescript-7/unstable/ast').Node): undefined => {
          if (ast.isNewExpression(node) && /(^|\.)Server$/.test(node.expression.getText(source))) created.push(node);
          node.forEachChild(visit);
        };
        source?.forEachChild(visit);
        const servers: string[] = [];
        for (const node of created) {
          const type = await checker.getTypeAtLocation(node);
          servers.push(type ? await checker.typeToString(type, undefined, NO_TRUNCATION) : 'a type TypeScript could not tell');
        }
        return servers;
      },
    });
    const events = learnerPath(ID, 'events.ts');
    if (result.errors.length > 0) {
      fail({
        did: `Compiled ${events} and ${learnerPath(ID, 'server.ts')} with the TypeScript compiler`,
        expected: 'no type errors',
        actual: `${result.errors.length} type error(s):\n            ${[...result.errors.slice(0, 8), ...(result.errors.length > 8 ? [`… and ${result.errors.length - 8} more`] : [])].join('\n            ')}`,
        hint: `Keep the exported names of ${events} (ChatMessage, Receipt, Welcome and the four event interfaces) and fix the errors above.`,
      });
    }
    if (result.broken.length > 0) {
      const describe = (claim: (typeof result.broken)[number]) =>
        claim.mustFail ? `✘ ${claim.claim} — yet it compiled: \`${claim.code}\`` : `✘ ${claim.claim} — TypeScript says: ${claim.messages[0] ?? '?'}`;
      fail({
        did: `Compiled ${CLAIMS.length} statements against the types of ${events}`,
        expected: 'every right use to compile and every wrong one to be a type error',
        actual: `${result.broken.length} claim(s) did not hold:\n            ${[...result.broken.slice(0, 8).map(describe), ...(result.broken.length > 8 ? [`… and ${result.broken.length - 8} more`] : [])].join('\n            ')}`,
        hint: result.broken.some((c) => c.mustFail)
          ? 'A type that lets a mistake through is too loose: no `any`, no index signature (`[event: string]: …`), exact payload types, and each direction\'s events in its own interface.'
          : 'Give everything exactly the type the README states: an event is a function type whose parameters are its arguments, the acknowledgement last (`say: (text: string, ack: (receipt: Receipt) => void) => void`), and `SocketData` has `name: string`.',
      });
    }
    const servers = result.findings;
    expectThat(servers.includes(TYPED_SERVER), {
      did: `Looked for \`new Server(…)\` in ${learnerPath(ID, 'server.ts')}`,
      expected: `a server typed \`${TYPED_SERVER}\``,
      actual: servers.length === 0 ? 'no `new Server(…)` at all' : `\`${servers.join('`, `')}\``,
      hint: 'Pass the four interfaces of events.ts as type arguments: `new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(httpServer)`.',
    });
  });
});
