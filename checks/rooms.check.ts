/**
 * Grades `rooms`: the learner's server with several real `socket.io-client` clients
 * spread over random rooms.
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

const ID = 'rooms';
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

/** Every client of the running test, by socket id, to name the ids an answer holds. */
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

describe('rooms', () => {
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

    await expectRefused(alice, 'whisper', { to: randomWord(20), text: randomWord() }, 'no client has that id', 'Check that a client has the id `to` (`io.of("/").sockets.has(to)`), and answer `{ ok: false, error }` when none does.');
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
});
