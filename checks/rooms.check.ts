/**
 * Grades `rooms`: the learner's server with several real `socket.io-client` clients
 * spread over random rooms.
 *
 * Rule → test (README "Your task", and the TSDoc of `startRoomsServer`):
 * - intro listens on options.port and options.host ......... "listens on the host it is given, and nowhere else",
 *                                                              "asks the system for a free port when given port 0",
 *                                                              "rejects when the port is taken"
 * - 1 join → { ok: true }, the other members told ........... "joins rooms on request, tells the other members, …"
 *     … not the joiner, not outsiders ....................... "joins rooms on request, …" (every `joined` each client got)
 *     joining twice is harmless (no second `joined`) ......... "joining twice is harmless, …"
 *     refused: not a non-empty string (number, array, null,
 *       object, missing, "") ................................ "joining twice is harmless, and only non-empty strings …"
 *     … but " " and non-ASCII names are rooms ................ same test
 *     refused: a connected client's id (another's, its own) .. same test, and "whispers through each client's private room, …"
 * - 2 leave → { ok: true }, the other members told ......... "leaving a room tells its members and drops the leaver from the list"
 *     … not the leaver ...................................... same test (the leaver gets no `left`)
 *     no longer receives the room's messages ................. same test
 *     leave then speak: refused ............................. same test
 *     leaving a room it is not in (or again): nobody told .... same test
 *     rejoin after leaving: announced again .................. same test
 * - 3 say → the room's other members, not the sender, nobody
 *     outside; two members or more per room ................. "sends room messages to the other members of that room, and nobody else"
 *     refused, sending nothing, when not in the room ......... same test
 * - 4 whisper → that client alone ........................... "whispers through each client's private room, …"
 *     … even after it emitted `leave` with its own id ......... same test
 *     refused: an unknown id, a room name, a client gone ..... same test (nobody in the room receives it)
 * - 5 members → an array of ids, [] for an empty room ........ "joins rooms on request, …", and after every change above
 * - 6 disconnect: leaves every room, members told, unlisted .. "a client that disconnects leaves all its rooms, and their members are told"
 * - 7 close(): every client disconnected, server closed ...... "close() disconnects every client, …" (clients still in their rooms)
 *     nothing left behind ................................... every test's teardown (leaks)
 * - intro "with an acknowledgement callback": an event sent
 *     without one neither throws nor drops the client ........ "events sent without an acknowledgement callback …"
 * - an error escaping a handler ............................. every test (the workbench's uncaught-error recorder)
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

const ID = 'rooms';
const roomsServer: ServerUnderCheck = { exerciseId: ID, file: 'server.ts', functionName: 'startRoomsServer' };
const startServer = (workbench: Workbench) => startExerciseServer(workbench, ID, 'server.ts', 'startRoomsServer');

const shuffled = <T>(items: readonly T[]): T[] => [...items].sort(() => Math.random() - 0.5);

/** Emits `event` with `payload` and expects the acknowledgement `{ ok: true }`. */
async function expectOk(client: SocketIoClient, event: string, payload: object, hint: string): Promise<void> {
  const { answer } = await emitAndAwaitAck(client, event, [payload], { withinMs: ARRIVAL_MS, hint: `Answer \`${event}\` through its acknowledgement. ${hint}` });
  expectThat(isDeepStrictEqual(answer, { ok: true }), {
    did: `${client.who} emitted \`${event}\` ${describeValue(payload)}`,
    expected: 'the acknowledgement `{"ok":true}`',
    actual: describeValue(answer),
    hint,
  });
}

/** Emits `event` with `payload` and expects a refusal `{ ok: false, error }`. */
async function expectRefused(client: SocketIoClient, event: string, payload: object, why: string, hint: string): Promise<void> {
  const { answer } = await emitAndAwaitAck(client, event, [payload], { withinMs: ARRIVAL_MS, hint: `Answer \`${event}\` through its acknowledgement, even to refuse it. ${hint}` });
  const { ok, error } = (answer ?? {}) as { ok?: unknown; error?: unknown };
  expectThat(ok === false && typeof error === 'string' && error !== '', {
    did: `${client.who} emitted \`${event}\` ${describeValue(payload)}: ${why}`,
    expected: 'a refusal, `{ ok: false, error: "<why>" }`',
    actual: describeValue(answer),
    hint,
  });
}

/** Every client of this check, by socket id (unique across tests running side by side), to name the ids an answer holds. */
const known = new Map<string, string>();

/** Connects a client and remembers its name by id. */
async function connect(workbench: Workbench, url: string, who: string): Promise<SocketIoClient> {
  const client = await connectSocketIo(workbench, url, who);
  known.set(client.socket.id!, who);
  return client;
}

/** Asks for the members of `room` and compares them, in any order, with `expected`. */
async function expectMembers(asker: SocketIoClient, room: string, expected: readonly SocketIoClient[], context: string, hint: string): Promise<void> {
  const { answer } = await emitAndAwaitAck(asker, 'members', [{ room }], {
    withinMs: ARRIVAL_MS,
    hint: 'Answer `members` with an array of ids: `(await io.in(room).fetchSockets()).map((s) => s.id)`.',
  });
  const want = expected.map((client) => client.socket.id!).sort();
  const got = Array.isArray(answer) ? [...answer].sort() : answer;
  if (isDeepStrictEqual(got, want)) return;
  const who = (id: unknown) => known.get(id as string) ?? `${describeValue(id)} (no client of this check)`;
  fail({
    did: `${context}; then ${asker.who} emitted \`members\` ${describeValue({ room })}`,
    expected: want.length === 0 ? 'an empty array' : `the ids of ${expected.map((c) => c.who).join(', ')}: ${describeValue(want, 300)}`,
    actual: Array.isArray(answer) ? `${describeValue(answer, 300)} (${answer.map(who).join(', ') || 'nobody'})` : describeValue(answer),
    hint,
  });
}

/** Clients spread over two rooms: one client in neither, one in both, each room with two members or more. */
interface Town {
  readonly clients: SocketIoClient[];
  readonly rooms: readonly [string, string];
  readonly members: Map<string, SocketIoClient[]>;
  readonly outsider: SocketIoClient;
  readonly inBoth: SocketIoClient;
  /** Every `joined` the joins should have caused: who receives it, and its payload. */
  readonly notices: { readonly to: SocketIoClient; readonly room: string; readonly id: string }[];
  /** What happened, for messages. */
  readonly story: string;
}

async function buildTown(workbench: Workbench, url: string): Promise<Town> {
  const count = randomInt(4, 5);
  const clients = await Promise.all(Array.from({ length: count }, (_, i) => connect(workbench, url, `client ${String.fromCharCode(65 + i)}`)));
  const rooms = [`room-${randomWord(5)}`, `room-${randomWord(5)}`] as const;
  const [outsider, inBoth, inFirst, inSecond, ...rest] = shuffled(clients) as [SocketIoClient, SocketIoClient, SocketIoClient, SocketIoClient, ...SocketIoClient[]];
  const plan: [SocketIoClient, string][] = [[inBoth, rooms[0]], [inBoth, rooms[1]], [inFirst, rooms[0]], [inSecond, rooms[1]]];
  for (const client of rest) for (const room of pick([[rooms[0]], [rooms[1]], [...rooms]])) plan.push([client, room]);

  const members = new Map<string, SocketIoClient[]>(rooms.map((room) => [room, []]));
  const notices: Town['notices'][number][] = [];
  // One join at a time, so that who should hear of which join is known.
  for (const [client, room] of shuffled(plan)) {
    await expectOk(client, 'join', { room }, 'Call `socket.join(room)` and answer `{ ok: true }`.');
    for (const member of members.get(room)!) notices.push({ to: member, room, id: client.socket.id! });
    members.get(room)!.push(client);
  }
  const story = `${clients.length} clients joined rooms: ${rooms.map((room) => `\`${room}\` (${members.get(room)!.map((c) => c.who).join(', ')})`).join(' and ')}; ${outsider.who} joined none`;
  return { clients, rooms, members, outsider, inBoth, notices, story };
}


const textOf = (payload: unknown) => (payload as { text?: unknown } | null)?.text;

/** Fails if any of `clients` receives `event` within {@link QUIET_MS} (or has received one not yet taken). */
function expectNoneOf(clients: readonly SocketIoClient[], event: string, report: (client: SocketIoClient, args: readonly unknown[]) => { did: string; expected: string; hint?: string | undefined }) {
  return Promise.all(
    clients.map((client) =>
      client.events.expectNone(event, QUIET_MS, (args) => {
        const { did, expected, hint } = report(client, args);
        return { did, expected, actual: `${client.who} received \`${event}\` ${describeValue(args[0])}`, ...(hint === undefined ? {} : { hint }) };
      }),
    ),
  );
}

/** Asks for the members of `room` until `done(ids)` holds (the server sees a disconnection a moment after the client); returns the last answer. */
async function membersUntil(asker: SocketIoClient, room: string, done: (ids: unknown) => boolean): Promise<unknown> {
  let answer: unknown;
  for (const deadline = Date.now() + ARRIVAL_MS; ; ) {
    ({ answer } = await emitAndAwaitAck(asker, 'members', [{ room }], { withinMs: ARRIVAL_MS }));
    if (done(answer) || Date.now() > deadline) return answer;
    await sleep(20);
  }
}

describe.concurrent('rooms', () => {
  test('listens on the host it is given, and nowhere else', async ({ workbench }) => {
    await expectListensOnGivenHost(workbench, roomsServer);
  });

  test('asks the system for a free port when given port 0', async ({ workbench }) => {
    await expectAnyFreePortForZero(workbench, roomsServer);
  });

  test('rejects when the port is taken', async ({ workbench }) => {
    await expectRejectsTakenPort(workbench, roomsServer);
  });

  test('joins rooms on request, tells the other members, and lists each room\'s members', async ({ workbench }) => {
    const server = await startServer(workbench);
    const town = await buildTown(workbench, server.url);
    const listHint = 'List the sockets really in the room: `(await io.in(room).fetchSockets()).map((s) => s.id)`.';
    for (const room of town.rooms) await expectMembers(pick(town.clients), room, town.members.get(room)!, town.story, listHint);
    await expectMembers(town.outsider, `room-${randomWord(9)}`, [], `${town.story}`, 'A room nobody joined has no members: answer `[]`.');

    // Each join must have reached exactly the members already in that room.
    await Promise.all(town.clients.map((client) => eventually(() => receivedPayloads(client, 'joined').length >= town.notices.filter((n) => n.to === client).length, ARRIVAL_MS)));
    await sleep(QUIET_MS);
    for (const client of town.clients) {
      const expected = town.notices.filter((n) => n.to === client).map(({ room, id }) => ({ room, id }));
      const got = receivedPayloads(client, 'joined');
      for (const notice of got) {
        const match = expected.findIndex((e) => isDeepStrictEqual(e, notice));
        if (match !== -1) {
          expected.splice(match, 1);
          continue;
        }
        const { room, id } = (notice ?? {}) as { room?: unknown; id?: unknown };
        const joiner = town.clients.find((c) => c.socket.id === id);
        fail({
          did: town.story,
          expected: `${client.who} to receive \`joined\` only for joins to its own rooms, made after it joined, by others`,
          actual: `${client.who} received \`joined\` ${describeValue(notice)} (${joiner?.who ?? 'unknown client'} joining \`${String(room)}\`)`,
          hint:
            joiner === client
              ? 'The joiner is not told of its own join: `socket.to(room).emit("joined", …)` leaves out `socket`.'
              : '`io.emit` tells everyone; `socket.to(room).emit("joined", …)` tells only the members of `room`, after `socket.join(room)`.',
        });
      }
      expectThat(expected.length === 0, {
        did: town.story,
        expected: `${client.who} to receive \`joined\` ${describeValue(expected[0])}`,
        actual: `it never arrived (${got.length} \`joined\` received)`,
        hint: 'After `socket.join(room)`, tell the others: `socket.to(room).emit("joined", { room, id: socket.id })`.',
      });
    }
  });

  test('joining twice is harmless, and only non-empty strings that are no client\'s id are rooms', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [alice, bob, carol] = (await Promise.all(['client A', 'client B', 'client C'].map((who) => connect(workbench, server.url, who)))) as [SocketIoClient, SocketIoClient, SocketIoClient];
    const room = `room-${randomWord(6)}`;
    const joinHint = 'Call `socket.join(room)` and answer `{ ok: true }`.';
    await expectOk(alice, 'join', { room }, joinHint);
    await expectOk(bob, 'join', { room }, joinHint);
    await alice.events.next('joined', { who: alice.who, withinMs: ARRIVAL_MS, hint: 'After `socket.join(room)`, tell the others: `socket.to(room).emit("joined", { room, id: socket.id })`.' });
    const story = `client A and client B joined \`${room}\``;

    // A second join changes nothing: answered ok, told to nobody, listed once.
    const twiceHint = 'Joining a room you are in already is harmless: answer `{ ok: true }`, and tell the room only when the client was not in it yet (`if (!socket.rooms.has(room))`).';
    await expectOk(bob, 'join', { room }, twiceHint);
    await expectOk(alice, 'join', { room }, twiceHint);
    await expectNoneOf([alice, bob, carol], 'joined', () => ({
      did: `${story}; then each of them emitted \`join\` ${describeValue({ room })} a second time`,
      expected: 'nobody to receive a second `joined`: a second join changes nothing',
      hint: twiceHint,
    }));
    await expectMembers(carol, room, [alice, bob], `${story}, then each joined it again`, 'List each member once: a second join does not make a second member.');

    // What is not a non-empty string is no room name; neither is a connected client's id (its own included).
    const refusals: [string, unknown, string][] = [
      ['a number', randomInt(1, 999), 'a number is not a room name: check `typeof room === "string"`'],
      ['an array holding the room\'s name', [room], 'an array is not a room name (and `socket.join([…])` would join every room in it)'],
      ['null', null, 'null is not a room name'],
      ['an object', { room }, 'an object is not a room name'],
      ['no `room` at all', undefined, 'a missing room is no room name'],
      ['the empty string', '', 'the empty string is not a room name: `room === ""` must be refused'],
      [`its own id`, carol.socket.id, 'that is the id of client C itself: a private room'],
      [`the id of client A`, alice.socket.id, 'that is the id of client A, the name of its private room'],
    ];
    for (const [label, value, why] of refusals) {
      await expectRefused(carol, 'join', value === undefined ? {} : { room: value }, `\`room\` is ${label}: ${why}`, 'Refuse unless `typeof room === "string" && room !== ""` and no connected client has the id `room` (`io.of("/").sockets.has(room)`).');
    }
    await expectNoneOf([alice, bob, carol], 'joined', (client, args) => ({
      did: `${story}; then client C emitted \`join\` with rooms that are not allowed (a number, an array, null, an object, nothing, "", its own id, client A's id)`,
      expected: 'each to be refused, and nobody to be told of a join',
      hint: (args[0] as { id?: unknown } | null)?.id === carol.socket.id && client !== carol ? 'Refuse before joining: `socket.join` with an array joins every room in it.' : undefined,
    }));
    await expectMembers(alice, room, [alice, bob], `${story}; then client C emitted \`join\` with ${describeValue({ room: [room] })} and other rooms that are not allowed`, 'Refuse before calling `socket.join`: `socket.join([room])` joins `room`.');

    // A name of spaces, or of any characters, is a non-empty string: a room like any other.
    for (const odd of [' ', `🦊 salle-${randomWord(3)} é`]) {
      await expectOk(carol, 'join', { room: odd }, `${describeValue(odd)} is a non-empty string, so it is a room name: do not trim or restrict room names.`);
      await expectMembers(bob, odd, [carol], `client C joined the room ${describeValue(odd)}`, 'Any non-empty string is a room name; list its members like any other room.');
    }
  });

  test('leaving a room tells its members and drops the leaver from the list', async ({ workbench }) => {
    const server = await startServer(workbench);
    const town = await buildTown(workbench, server.url);
    const room = pick(town.rooms);
    const leaver = town.inBoth;
    const stay = town.members.get(room)!.filter((client) => client !== leaver);
    await expectOk(leaver, 'leave', { room }, 'Call `socket.leave(room)` and answer `{ ok: true }`.');
    for (const member of stay) {
      const [left] = await member.events.next('left', {
        who: member.who,
        withinMs: ARRIVAL_MS,
        hint: `${leaver.who} left \`${room}\`. Tell the room: \`socket.to(room).emit("left", { room, id: socket.id })\`.`,
      });
      expectThat(isDeepStrictEqual(left, { room, id: leaver.socket.id }), {
        did: `${town.story}; then ${leaver.who} emitted \`leave\` ${describeValue({ room })}`,
        expected: `${member.who} to receive \`left\` ${describeValue({ room, id: leaver.socket.id })}`,
        actual: `\`left\` ${describeValue(left)}`,
      });
    }
    const toldItself = receivedPayloads(leaver, 'left');
    expectThat(toldItself.length === 0, {
      did: `${town.story}; then ${leaver.who} emitted \`leave\` ${describeValue({ room })}`,
      expected: `the other members to be told, not ${leaver.who} itself`,
      actual: `${leaver.who} received \`left\` ${describeValue(toldItself[0])}`,
      hint: '`io.to(room)` includes the leaver while it is still in the room: leave first, then tell the others with `socket.to(room).emit("left", …)`.',
    });
    await expectMembers(pick(town.clients), room, stay, `${town.story}; then ${leaver.who} left \`${room}\``, 'Call `socket.leave(room)`; list with `io.in(room).fetchSockets()`.');
    const after = { room, text: randomWord(11) };
    await expectOk(pick(stay), 'say', after, 'Send with `socket.to(room).emit("chat", …)` and answer `{ ok: true }`.');
    await sleep(QUIET_MS);
    const overheard = receivedPayloads(leaver, 'chat').find((chat) => textOf(chat) === after.text);
    expectThat(overheard === undefined, {
      did: `${town.story}; then ${leaver.who} left \`${room}\`, and a member emitted \`say\` ${describeValue(after)}`,
      expected: `${leaver.who} not to receive it any more`,
      actual: `${leaver.who} received \`chat\` ${describeValue(overheard)} though it left room \`${room}\``,
      hint: 'Call `socket.leave(room)`, so that Socket.IO stops sending it the room\'s messages.',
    });
    // Leaving a room leaves the other rooms alone.
    const other = town.rooms.find((r) => r !== room)!;
    await expectMembers(pick(town.clients), other, town.members.get(other)!, `${town.story}; then ${leaver.who} left \`${room}\` only`, 'Leave only the room asked for.');

    // Leave, then speak: the leaver is no member any more.
    const late = { room, text: randomWord(11) };
    await expectRefused(leaver, 'say', late, `${leaver.who} left \`${room}\``, 'After `socket.leave(room)`, `socket.rooms.has(room)` is false: refuse its `say` like any outsider\'s.');

    // Leaving a room one is not in (again, or never joined) tells nobody.
    await expectOk(leaver, 'leave', { room }, 'Leaving a room you are not in is harmless: answer `{ ok: true }`.');
    await expectOk(town.outsider, 'leave', { room: other }, 'Leaving a room you are not in is harmless: answer `{ ok: true }`.');
    await expectNoneOf(town.clients, 'left', () => ({
      did: `${town.story}; then ${leaver.who} left \`${room}\` and was told about once; then it emitted \`leave\` ${describeValue({ room })} again, and ${town.outsider.who} (in no room) emitted \`leave\` ${describeValue({ room: other })}`,
      expected: 'nobody to be told: neither was a member of the room it left',
      hint: 'Tell the room only when the client really was in it: `if (socket.rooms.has(room)) { socket.leave(room); socket.to(room).emit("left", …) }`.',
    }));
    await expectMembers(leaver, other, town.members.get(other)!, `${town.story}; then ${town.outsider.who} (in no room) emitted \`leave\` ${describeValue({ room: other })}`, 'Leaving a room you are not in changes nothing.');

    // A second episode: the leaver comes back, and the room is told again.
    const notice = { room, id: leaver.socket.id };
    const noticesOf = (member: SocketIoClient) => receivedPayloads(member, 'joined').filter((joined) => isDeepStrictEqual(joined, notice)).length;
    const before = new Map(stay.map((member) => [member, noticesOf(member)]));
    await expectOk(leaver, 'join', { room }, 'A client that left a room may join it again: `socket.join(room)`.');
    for (const member of stay) {
      const told = await eventually(() => noticesOf(member) > before.get(member)!, ARRIVAL_MS);
      expectThat(told, {
        did: `${town.story}; then ${leaver.who} left \`${room}\` and joined it again`,
        expected: `${member.who} to receive \`joined\` ${describeValue(notice)} again`,
        actual: 'no new `joined` arrived',
        hint: 'A client that left and joins again is a new join: forget it when it leaves (`socket.leave(room)`), and tell the room when it comes back.',
      });
    }
    await expectMembers(town.outsider, room, [...stay, leaver], `${town.story}; then ${leaver.who} left \`${room}\` and joined it again`, 'List the sockets really in the room: `io.in(room).fetchSockets()`.');
  });

  test('sends room messages to the other members of that room, and nobody else', async ({ workbench }) => {
    const server = await startServer(workbench);
    const town = await buildTown(workbench, server.url);
    const said = town.rooms.flatMap((room) => town.members.get(room)!.map((sender) => ({ room, sender, text: `${randomWord(4)} ${randomWord(7)}` })));
    await Promise.all(said.map(({ room, sender, text }) => expectOk(sender, 'say', { room, text }, 'Send with `socket.to(room).emit("chat", …)` and answer `{ ok: true }`.')));

    const expectedBy = new Map(
      town.clients.map((client) => [
        client,
        said.filter(({ room, sender }) => sender !== client && town.members.get(room)!.includes(client)).map(({ room, sender, text }) => ({ room, from: sender.socket.id, text })),
      ]),
    );
    await Promise.all(town.clients.map((client) => eventually(() => receivedPayloads(client, 'chat').length >= expectedBy.get(client)!.length, ARRIVAL_MS)));
    await sleep(QUIET_MS);
    for (const client of town.clients) {
      const expected = expectedBy.get(client)!;
      const got = receivedPayloads(client, 'chat');
      for (const chat of got) {
        const origin = said.find((s) => s.text === textOf(chat));
        if (origin && origin.sender === client)
          fail({
            did: `${town.story}; each member said something in each of its rooms`,
            expected: 'a sender not to receive its own message',
            actual: `${client.who} received its own \`chat\` ${describeValue(chat)}`,
            hint: '`io.to(room)` includes the sender; `socket.to(room)` leaves it out.',
          });
        if (origin && !town.members.get(origin.room)!.includes(client))
          fail({
            did: `${town.story}; ${origin.sender.who} emitted \`say\` ${describeValue({ room: origin.room, text: origin.text })}`,
            expected: `only the other members of \`${origin.room}\` to receive it`,
            actual: `${client.who} received \`chat\` ${describeValue(chat)} though it is not in room \`${origin.room}\``,
            hint: 'Send to the room only: `socket.to(room).emit("chat", …)`, not `socket.broadcast.emit` or `io.emit`.',
          });
        const match = expected.findIndex((e) => isDeepStrictEqual(e, chat));
        expectThat(match !== -1, {
          did: `${town.story}; each member said something in each of its rooms`,
          expected: `${client.who} to receive each \`chat\` as \`{ room, from, text }\`, once`,
          actual: `\`chat\` ${describeValue(chat)}${origin ? `, for the message of ${origin.sender.who}: ${describeValue({ room: origin.room, from: origin.sender.socket.id, text: origin.text })}` : ''}`,
          hint: '`room` is the room it was said in, `from` the sender\'s `socket.id`, `text` its text.',
        });
        expected.splice(match, 1);
      }
      expectThat(expected.length === 0, {
        did: `${town.story}; each member said something in each of its rooms`,
        expected: `${client.who} to receive \`chat\` ${describeValue(expected[0])}`,
        actual: `it never arrived (${got.length} \`chat\` received)`,
        hint: 'Send to the room: `socket.to(room).emit("chat", { room, from: socket.id, text })`.',
      });
    }

    // An outsider may not talk into a room.
    const room = pick(town.rooms);
    const intrusion = { room, text: randomWord(11) };
    await expectRefused(town.outsider, 'say', intrusion, `${town.outsider.who} is not in \`${room}\``, 'Check `socket.rooms.has(room)` before sending, and answer `{ ok: false, error }` when it is not.');
    await sleep(QUIET_MS);
    for (const client of town.members.get(room)!) {
      const leak = receivedPayloads(client, 'chat').find((chat) => textOf(chat) === intrusion.text);
      expectThat(leak === undefined, {
        did: `${town.story}; ${town.outsider.who}, not a member, emitted \`say\` ${describeValue(intrusion)}`,
        expected: 'nobody to receive it',
        actual: `${client.who} received \`chat\` ${describeValue(leak)}`,
        hint: 'Refuse before sending: `if (!socket.rooms.has(room)) return ack({ ok: false, error: … })`.',
      });
    }
  });

  test('whispers through each client\'s private room, which nobody else may join', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [alice, bob, carol, dave] = await Promise.all(['client A', 'client B', 'client C', 'client D'].map((who) => connect(workbench, server.url, who))) as [SocketIoClient, SocketIoClient, SocketIoClient, SocketIoClient];
    const hint = 'Every socket is in a room named by its own id: `socket.to(to).emit("whisper", { from: socket.id, text })`.';

    const first = { to: bob.socket.id!, text: randomWord(10) };
    await expectOk(alice, 'whisper', first, hint);
    const [whisper] = await bob.events.next('whisper', { who: bob.who, withinMs: ARRIVAL_MS, hint: `client A emitted \`whisper\` ${describeValue(first)} (client B's id). ${hint}` });
    expectThat(isDeepStrictEqual(whisper, { from: alice.socket.id, text: first.text }), {
      did: `client A emitted \`whisper\` ${describeValue(first)} (client B's id)`,
      expected: `client B to receive \`whisper\` ${describeValue({ from: alice.socket.id, text: first.text })}`,
      actual: `\`whisper\` ${describeValue(whisper)}`,
    });

    // Client C tries to listen in by joining client B's private room.
    await expectRefused(carol, 'join', { room: bob.socket.id }, 'that is the id of client B, the name of its private room', 'Refuse a `join` to a room named like a connected client\'s id (`io.of("/").sockets.has(room)`): anyone in it reads that client\'s whispers.');
    const second = { to: bob.socket.id!, text: randomWord(10) };
    await expectOk(alice, 'whisper', second, hint);
    await bob.events.next('whisper', { who: bob.who, withinMs: ARRIVAL_MS, hint });
    await Promise.all(
      [alice, carol, dave].map((client) =>
        client.events.expectNone('whisper', QUIET_MS, (args) => ({
          did: `client A whispered ${describeValue(first.text)} and then ${describeValue(second.text)} to client B (id ${bob.socket.id})`,
          expected: 'client B alone to receive them',
          actual: `${client.who} received \`whisper\` ${describeValue(args[0])}`,
          hint: client === alice ? 'A whisper goes to the client whose id is `to`, not back to its sender.' : hint,
        })),
      ),
    );

    // Its own private room is no room a client can leave: whispers must still reach it.
    await expectOk(bob, 'leave', { room: bob.socket.id }, 'Leaving a room you are not in (or may not leave) is harmless: answer `{ ok: true }`.');
    const third = { to: bob.socket.id!, text: randomWord(10) };
    await expectOk(alice, 'whisper', third, hint);
    await bob.events.next('whisper', {
      who: bob.who,
      withinMs: ARRIVAL_MS,
      hint: 'client B emitted `leave` with its own id before this whisper: a client must stay in its private room, or whispers no longer reach it. Leave only rooms that are not a client\'s id (`room !== socket.id`).',
    });

    const unknownHint = 'Check that a client has the id `to` (`io.of("/").sockets.has(to)`), and answer `{ ok: false, error }` when none does.';
    await expectRefused(alice, 'whisper', { to: randomWord(20), text: randomWord() }, 'no client has that id', unknownHint);

    // A room's name is no client's id, even though `socket.to(name)` would reach its members.
    const room = `room-${randomWord(6)}`;
    await expectOk(carol, 'join', { room }, 'Call `socket.join(room)` and answer `{ ok: true }`.');
    await expectOk(dave, 'join', { room }, 'Call `socket.join(room)` and answer `{ ok: true }`.');
    const toRoom = { to: room, text: randomWord(10) };
    await expectRefused(alice, 'whisper', toRoom, `\`${room}\` is a room (client C and client D are in it), not the id of a client`, 'A room that exists is not a client: look `to` up among the connected clients (`io.of("/").sockets.has(to)`), not among the rooms (`adapter.rooms`).');
    await expectNoneOf([alice, bob, carol, dave], 'whisper', () => ({
      did: `client C and client D joined \`${room}\`; client A emitted \`whisper\` ${describeValue(toRoom)}`,
      expected: 'nobody to receive it: a whisper goes to one client, named by its id',
      hint: 'Refuse it before sending: `socket.to(to)` reaches every member of a room named `to`.',
    }));

    // A client that left is no longer anyone's to whisper to.
    const goneId = dave.socket.id!;
    dave.socket.disconnect();
    await membersUntil(alice, room, (ids) => Array.isArray(ids) && !ids.includes(goneId));
    await expectRefused(alice, 'whisper', { to: goneId, text: randomWord() }, 'that was the id of client D, which disconnected', 'A disconnected client is gone: look it up in `io.of("/").sockets`, which Socket.IO keeps up to date (a Set of your own must forget it on `disconnect`).');
  });

  test('a client that disconnects leaves all its rooms, and their members are told', async ({ workbench }) => {
    const server = await startServer(workbench);
    const town = await buildTown(workbench, server.url);
    const leaver = town.inBoth;
    const leaverId = leaver.socket.id!;
    leaver.socket.disconnect();
    for (const room of town.rooms) {
      const stay = town.members.get(room)!.filter((client) => client !== leaver);
      for (const member of stay) {
        const notice = { room, id: leaverId };
        const ok = await eventually(() => receivedPayloads(member, 'left').some((left) => isDeepStrictEqual(left, notice)), ARRIVAL_MS);
        expectThat(ok, {
          did: `${town.story}; then ${leaver.who} (in both rooms) disconnected`,
          expected: `${member.who} to receive \`left\` ${describeValue(notice)}`,
          actual: receivedPayloads(member, 'left').length === 0 ? 'no `left` arrived' : `only \`left\` ${describeValue(receivedPayloads(member, 'left'))}`,
          hint: 'On `disconnect`, `socket.rooms` is already empty: tell the rooms on `disconnecting`, when it still holds them.',
        });
      }
      await expectMembers(pick(stay), room, stay, `${town.story}; then ${leaver.who} disconnected`, 'A disconnected client is in no room any more: list the sockets really in the room (`io.in(room).fetchSockets()`), or clean your own records on disconnect.');
    }
  });

  test('events sent without an acknowledgement callback neither throw nor drop the client', async ({ workbench }) => {
    const server = await startServer(workbench);
    const [alice, bob] = (await Promise.all(['client A', 'client B'].map((who) => connect(workbench, server.url, who)))) as [SocketIoClient, SocketIoClient];
    const room = `room-${randomWord(6)}`;
    await expectOk(bob, 'join', { room }, 'Call `socket.join(room)` and answer `{ ok: true }`.');
    const sent: [string, object][] = [
      ['join', { room }],
      ['say', { room, text: randomWord() }],
      ['whisper', { to: bob.socket.id!, text: randomWord() }],
      ['members', { room }],
      ['leave', { room }],
      // And the refusals, which answer too.
      ['join', { room: '' }],
      ['say', { room: `room-${randomWord(9)}`, text: randomWord() }],
      ['whisper', { to: randomWord(20), text: randomWord() }],
      ['leave', { room: `room-${randomWord(9)}` }],
    ];
    for (const [event, payload] of sent) alice.socket.emit(event, payload);
    // Handled in order: once this is answered, every event above was handled.
    await expectMembers(alice, room, [bob], `client A emitted ${sent.map(([event, payload]) => `\`${event}\` ${describeValue(payload)}`).join(', ')}, each without an acknowledgement callback`, 'Handle every event the same with or without a callback; answer only when there is one.');
    await sleep(QUIET_MS);
    expectThat(alice.socket.connected && bob.socket.connected, {
      did: 'client A emitted `join`, `say`, `whisper`, `members` and `leave` without an acknowledgement callback',
      expected: 'both clients to stay connected',
      actual: `${[alice, bob].filter((c) => !c.socket.connected).map((c) => c.who).join(' and ')} was disconnected`,
      hint: 'A client may leave out the callback: check `typeof ack === "function"` before calling it.',
    });
  });

  test('close() disconnects every client, and closes the server', async ({ workbench }) => {
    const server = await startServer(workbench);
    const town = await buildTown(workbench, server.url);
    await expectCloseDisconnectsClients(server, town.clients, town.story);
  });
});
