/**
 * Grades `typed-events`: the chat's behaviour with real clients, and its types with
 * the TypeScript compiler (claims that must compile, and claims that must not).
 */
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe } from 'vitest';
import {
  connectSocketIo,
  emitAndAwaitAck,
  describeValue,
  expectThat,
  fail,
  learnerPath,
  randomWord,
  runTypeProbe,
  targetRoot,
  startExerciseServer,
  test,
  type SocketIoClient,
  type TypeClaim,
  type Workbench,
} from './support/index.ts';

const ID = 'typed-events';

const startServer = (workbench: Workbench) => startExerciseServer(workbench, ID, 'server.ts', 'startChatServer');

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
];

/** TypeScript's `TypeFormatFlags.NoTruncation`: the whole type, however long. */
const NO_TRUNCATION = 1;
const TYPED_SERVER = 'Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>';

describe('typed-events', () => {
  test('welcomes each client with its name and the number online', async ({ workbench }) => {
    const server = await startServer(workbench);
    const name = randomWord(6);
    const named = await connectSocketIo(workbench, server.url, `client "${name}"`, { auth: { name } });
    const [first] = await named.events.next('welcome', { who: named.who, withinMs: 1000, hint: 'Emit `welcome` in the connection handler: `socket.emit("welcome", { name, online })`.' });
    expectThat(isDeepStrictEqual(first, { name, online: 1 }), {
      did: `${named.who} connected alone, with \`auth\` { name: "${name}" }`,
      expected: describeValue({ name, online: 1 }),
      actual: describeValue(first),
      hint: 'The name comes from `socket.handshake.auth.name`; `online` counts the connected clients, this one included (`io.of("/").sockets.size`).',
    });
    const anonymous = await connectSocketIo(workbench, server.url, 'a client without a name');
    const [second] = await anonymous.events.next('welcome', { who: anonymous.who, withinMs: 1000 });
    expectThat(isDeepStrictEqual(second, { name: 'anonymous', online: 2 }), {
      did: `${anonymous.who} connected second, with no \`auth\``,
      expected: describeValue({ name: 'anonymous', online: 2 }),
      actual: describeValue(second),
      hint: 'A client without a non-empty string `auth.name` is called "anonymous".',
    });
  });

  test('relays `say` to everyone as a numbered `message` and acknowledges its id', async ({ workbench }) => {
    const server = await startServer(workbench);
    const names = [randomWord(5), randomWord(6), randomWord(7)];
    const clients = await Promise.all(names.map((name) => connectSocketIo(workbench, server.url, `client "${name}"`, { auth: { name } })));
    for (const [index, sender] of [clients[1]!, clients[0]!].entries()) {
      const text = `${randomWord(4)} ${randomWord(6)}`;
      const before = Date.now();
      const receipt = await request(sender, 'say', text, 'Acknowledge `say` with `{ id }` of the message you relayed.');
      const id = index + 1;
      const did = `${sender.who} said "${text}" (message number ${id} of this server)`;
      expectThat(isDeepStrictEqual(receipt, { id }), { did, expected: `the acknowledgement { id: ${id} }`, actual: describeValue(receipt), hint: 'Count messages over the whole server, starting at 1: a counter outside the connection handler.' });
      const from = names[clients.indexOf(sender)]!;
      for (const client of clients) await expectMessage(client, { id, from, text }, before, did);
    }
  });

  test('`rename` answers the previous name, and later messages use the new one', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [oldName, newName, otherName] = [randomWord(5), randomWord(8), randomWord(6)];
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
