/**
 * Grades `middleware-auth`: clients with good, bad and missing tokens against the
 * learner's server, and a member trying the admin-only event.
 *
 * Rule → test (README "Your task", and the TSDoc of `startAuthServer`, `AuthServerOptions`, `RejectionReason`):
 * - 1 listens on options.port and options.host ............. "listens on the host it is given, and nowhere else",
 *                                                              "asks the system for a free port when given port 0",
 *                                                              "rejects when the port is taken"
 * - 2 missing token: absent, not a string (number, boolean,
 *     null, object, array — even ["<a real token>"]), "",
 *     and a real token in the query string but not in auth .. "refuses a client without a token with reason "missing token""
 *     invalid token: not exactly a key (case, spaces at
 *     either end, " ", a letter less or more, a name) ........ "refuses a client with a wrong token with reason "invalid token""
 *     err.data is the reason, missing and invalid told apart . both tests above
 *     a refused client never connects (no CONNECT after the
 *     CONNECT_ERROR, no event handled) ....................... "a refused client is not admitted on the server side"
 *     otherwise socket.data.user, let in .................... "lets in each client with a valid token and remembers who it is"
 * - 3 whoami → this client's own { name, role } only ........ "lets in each client …" (five clients, two admins)
 * - 4 announce from an admin → every client, admin included,
 *     { from: that admin's name, text }, ack { ok: true } ..... "lets every admin announce to every client" (two admins)
 *     … without an acknowledgement: announced, nothing throws  same test
 * - 5 announce from a member: refused in socket.use, nobody
 *     receives it, ack { ok: false, error: 'forbidden' },
 *     with and without ack (and with an ack alone), stays
 *     connected, whoami goes on .............................. "refuses `announce` from every member, who stays connected"
 *   every other event of a member goes through .............. "lets every other event of a member through: only `announce` is refused"
 * - 6 close(): every client disconnected, server closed ...... "close() disconnects every client, and closes the server"
 *     nothing left behind ................................... every test's teardown (leaks)
 * - whoami without an acknowledgement callback ............... "events sent without an acknowledgement callback neither throw nor drop the client"
 * - a middleware or handler that throws ...................... every test (the workbench's uncaught-error recorder)
 */
import { isDeepStrictEqual } from 'node:util';
import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import { describe } from 'vitest';
import {
  attemptSocketIo,
  connectSocketIo,
  ARRIVAL_MS,
  describeValue,
  emitAndAwaitAck,
  expectAnyFreePortForZero,
  expectListensOnGivenHost,
  expectRejectsTakenPort,
  expectThat,
  fail,
  pick,
  QUIET_MS,
  randomWord,
  recordUncaught,
  sleep,
  startExerciseServer,
  test,
  type ConnectAttempt,
  type ServerUnderCheck,
  type SocketIoClient,
  type UncaughtErrors,
  type Workbench,
} from './support/index.ts';
import { encodePacket, openRawSocketIo, PACKET } from './support/raw-socketio.ts';
import { expectCloseDisconnectsClients } from './support/socketio-close.ts';

type User = import('../exercises/middleware-auth/server.ts').User;

const ID = 'middleware-auth';

/** A random token table: two admins and three members, with random tokens and names. */
function randomUsers(): Map<string, User> {
  const roles: User['role'][] = ['admin', 'admin', 'member', 'member', 'member'];
  return new Map(roles.map((role) => [randomWord(20), { name: `${randomWord(6)}-${role}`, role }]));
}

/** With any token table: the server contract tests start it without caring who may connect. */
const authServer: ServerUnderCheck = { exerciseId: ID, file: 'server.ts', functionName: 'startAuthServer', extra: { users: randomUsers() } };

async function startServer(workbench: Workbench, users: Map<string, User>) {
  const server = await startExerciseServer(workbench, ID, 'server.ts', 'startAuthServer', { users });
  return { ...server, uncaught: recordUncaught(workbench) };
}

/** Connects a client that presents `token` (found in the table). */
function connectAs(workbench: Workbench, url: string, token: string, who: string): Promise<SocketIoClient> {
  return connectSocketIo(workbench, url, who, { auth: { token } });
}

const HUNG_HINT = 'Your `io.use` middleware must call `next()` or `next(error)` on every path.';

/** Tries to connect with `options`; a middleware that throws is named as such rather than as a hang. */
async function attempt(server: { url: string; uncaught: UncaughtErrors }, workbench: Workbench, label: string, options: Partial<ManagerOptions & SocketOptions>) {
  try {
    return await attemptSocketIo(workbench, server.url, `a client with ${label}`, options, HUNG_HINT);
  } catch (error) {
    server.uncaught.expectNone(
      `Connected a client with ${label}`,
      'Your middleware threw: check that `auth.token` is a non-empty string before using it, and refuse with `next(error)` instead of throwing.',
    );
    throw error;
  }
}

/** Expects the attempt to be refused with `reason` in `err.data.reason`. */
function expectRefused(outcome: ConnectAttempt, did: string, reason: string): void {
  if (outcome.connected) {
    fail({
      did,
      expected: `a \`connect_error\` whose \`data\` is { reason: "${reason}" }`,
      actual: 'the client connected',
      hint: 'Refuse in an `io.use((socket, next) => …)` middleware with `next(error)`: a client disconnected later, from the `connection` handler, was let in first.',
    });
  }
  const data = outcome.error.data;
  expectThat(isDeepStrictEqual(data, { reason }), {
    did,
    expected: `a \`connect_error\` whose \`data\` is { reason: "${reason}" }`,
    actual: `\`connect_error\` "${outcome.error.message}" with \`data\` ${describeValue(data)}`,
    hint:
      data === undefined
        ? 'Socket.IO sends the `data` property of the Error you pass to `next()`: `next(Object.assign(new Error("unauthorized"), { data: { reason } }))`.'
        : '"missing token" when `auth.token` is absent, not a string or empty; "invalid token" when it is not exactly a key of the token table.',
  });
}

async function whoami(client: SocketIoClient): Promise<unknown> {
  const hint = 'Answer with `socket.on("whoami", (ack) => ack(socket.data.user))`.';
  return (await emitAndAwaitAck(client, 'whoami', [], { withinMs: 1000, hint })).answer;
}

async function announce(client: SocketIoClient, text: string): Promise<unknown> {
  const hint =
    'Acknowledge every `announce`: `{ ok: true }` when it is sent, `{ ok: false, error: "forbidden" }` when your `socket.use` refuses it (the acknowledgement is the last element of the packet).';
  return (await emitAndAwaitAck(client, 'announce', [text], { withinMs: 1000, hint })).answer;
}

/** The users of the table, with their tokens, admin first. */
function entries(users: Map<string, User>) {
  return [...users].map(([token, user]) => ({ token, user, who: `client "${user.name}" (${user.role})` }));
}

/** What a client presents, labelled for messages, and why it must be refused. */
type Presented = readonly [label: string, options: Partial<SocketOptions>];

/** Every way of presenting no usable token, for a table holding `token`. */
function missingTokens(token: string): Presented[] {
  return [
    ['no `auth` at all', {}],
    ['`auth` {}', { auth: {} }],
    ['`auth` { token: "" }', { auth: { token: '' } }],
    ['`auth` { token: null }', { auth: { token: null } }],
    ['a number as the token', { auth: { token: 42 } }],
    ['`true` as the token', { auth: { token: true } }],
    ['an array holding a real token', { auth: { token: [token] } }],
    ['an empty array as the token', { auth: { token: [] } }],
    ['an object holding a real token', { auth: { token: { token } } }],
  ];
}

/** Non-empty strings that are not exactly a key of the table holding `token` (for the user `name`). */
function invalidTokens(token: string, name: string): [string, string][] {
  return [
    ['a random token', randomWord(20)],
    ['a real token in capitals', token.toUpperCase()],
    ['a real token with a trailing space', `${token} `],
    ['a real token with a leading space', ` ${token}`],
    ['a real token minus its last letter', token.slice(0, -1)],
    ['a real token plus a letter', `${token}${randomWord(1)}`],
    ['a single space', ' '],
    ['the name of a user instead of a token', name],
  ];
}

describe.concurrent('middleware-auth', () => {
  test('listens on the host it is given, and nowhere else', async ({ workbench }) => {
    await expectListensOnGivenHost(workbench, authServer);
  });

  test('asks the system for a free port when given port 0', async ({ workbench }) => {
    await expectAnyFreePortForZero(workbench, authServer);
  });

  test('rejects when the port is taken', async ({ workbench }) => {
    await expectRejectsTakenPort(workbench, authServer);
  });

  test('lets in each client with a valid token and remembers who it is', async ({ workbench }) => {
    const users = randomUsers();
    const server = await startServer(workbench, users);
    const clients = await Promise.all(entries(users).map(async (entry) => ({ ...entry, client: await connectAs(workbench, server.url, entry.token, entry.who) })));
    await Promise.all(
      clients.map(async ({ user, client, who }) => {
        const answer = await whoami(client);
        expectThat(isDeepStrictEqual(answer, user), {
          did: `${who} connected with its token and emitted \`whoami\``,
          expected: `its own user, ${describeValue(user)}, and nothing else`,
          actual: describeValue(answer),
          hint: isDeepStrictEqual(answer, { ok: false, error: 'forbidden' })
            ? 'Your `socket.use` refused `whoami`: refuse only `announce`, and let every other event through with `next()`.'
            : answer !== null && typeof answer === 'object' && 'token' in answer
              ? 'Answer with the user alone, `{ name, role }`: never send a token back.'
              : 'Store the user found by the token on `socket.data.user` in the middleware; each socket has its own `data` (a variable outside the handlers is shared by everyone).',
        });
      }),
    );
  });

  test('refuses a client without a token with reason "missing token"', async ({ workbench }) => {
    const users = randomUsers();
    const server = await startServer(workbench, users);
    const { token } = pick(entries(users));
    for (const [label, options] of missingTokens(token)) {
      const outcome = await attempt(server, workbench, label, options);
      expectRefused(outcome, `Connected a client with ${label}${JSON.stringify(options.auth ?? null).includes(token) ? ` (the table holds "${token}")` : ''}`, 'missing token');
    }
    // The token where the README does not look for it: in the query string, with no `auth`.
    const label = `a real token in the query string (\`?token=${token}\`) and no \`auth\``;
    const inQuery = await attempt(server, workbench, label, { query: { token } });
    if (inQuery.connected)
      fail({
        did: `Connected a client with ${label}`,
        expected: 'a `connect_error` whose `data` is { reason: "missing token" }: the token is read from `socket.handshake.auth.token` only',
        actual: 'the client connected',
        hint: 'Read the token from `socket.handshake.auth.token` alone: `socket.handshake.query` is not where a client presents it, and a token there counts as missing.',
      });
    expectRefused(inQuery, `Connected a client with ${label}`, 'missing token');
  });

  test('refuses a client with a wrong token with reason "invalid token"', async ({ workbench }) => {
    const users = randomUsers();
    const server = await startServer(workbench, users);
    const { token, user } = pick(entries(users));
    for (const [label, wrong] of invalidTokens(token, user.name)) {
      const outcome = await attempt(server, workbench, label, { auth: { token: wrong } });
      expectRefused(outcome, `Connected a client with ${label}, ${JSON.stringify(wrong)} (the table holds "${token}")`, 'invalid token');
    }
  });

  test('a refused client is not admitted on the server side', async ({ workbench }) => {
    const users = randomUsers();
    const server = await startServer(workbench, users);
    const { token, user } = pick(entries(users));
    const presented: [string, unknown][] = [
      ...missingTokens(token).map(([label, options]): [string, unknown] => [label, options.auth]),
      ...invalidTokens(token, user.name).map(([label, wrong]): [string, unknown] => [label, { token: wrong }]),
    ];
    // Raw clients, which keep whatever the server sends after refusing them (socket.io-client stops listening).
    const raws = await Promise.all(presented.map(([label]) => openRawSocketIo(workbench, server.port, `a raw client with ${label}`)));
    presented.forEach(([, auth], i) => raws[i]!.send(encodePacket(PACKET.CONNECT, '/', auth)));
    await Promise.all(raws.map((raw) => raw.waitFor((packet) => packet.type === PACKET.CONNECT_ERROR, ARRIVAL_MS)));
    // Each then asks who it is, as if it had been let in.
    for (const raw of raws) if (!raw.closed) raw.send(encodePacket(PACKET.EVENT, '/', ['whoami'], 1));
    await sleep(QUIET_MS);
    raws.forEach((raw, i) => {
      const [label, auth] = presented[i]!;
      const did = `A client sent the CONNECT packet with \`auth\` ${describeValue(auth ?? null)} (${label}), then \`whoami\` with an acknowledgement`;
      const refusal = raw.packets.find((packet) => packet.type === PACKET.CONNECT_ERROR);
      const admitted = raw.packets.find((packet) => packet.type === PACKET.CONNECT);
      const answered = raw.packets.find((packet) => packet.type === PACKET.ACK);
      expectThat(admitted === undefined && answered === undefined, {
        did,
        expected: refusal ? 'the CONNECT_ERROR alone: a refused client never connects' : 'a CONNECT_ERROR, and nothing else',
        actual: `${refusal ? 'after the CONNECT_ERROR, ' : ''}the server ${admitted ? `admitted it (${describeValue(admitted.text)})` : 'never sent a CONNECT_ERROR'}${answered ? ` and answered its \`whoami\` (${describeValue(answered.text)})` : ''}`,
        hint: refusal
          ? 'Return after refusing: `return next(error)`. Without `return`, the middleware goes on to `next()`, and the refused client is let in behind its back.'
          : 'Refuse with `next(error)` in an `io.use` middleware.',
      });
    });
  });

  test('lets every admin announce to every client', async ({ workbench }) => {
    const users = randomUsers();
    const server = await startServer(workbench, users);
    const all = await Promise.all(entries(users).map(async (entry) => ({ ...entry, client: await connectAs(workbench, server.url, entry.token, entry.who) })));
    const admins = all.filter((entry) => entry.user.role === 'admin');
    const expectEveryoneReceives = async (expected: { from: string; text: string }, story: string) => {
      for (const { client, who } of all) {
        const [announcement] = await client.events.next('announcement', { who, withinMs: ARRIVAL_MS, hint: 'Send it to every client, the admin included: `io.emit("announcement", …)`.' });
        expectThat(isDeepStrictEqual(announcement, expected), {
          did: `${story}; ${who} received \`announcement\``,
          expected: describeValue(expected),
          actual: describeValue(announcement),
          hint: '`from` is the name of the admin who announced (from `socket.data.user` of the socket that sent it).',
        });
      }
    };
    for (const admin of admins) {
      const text = `meeting at ${randomWord(5)}`;
      const result = await announce(admin.client, text);
      expectThat(isDeepStrictEqual(result, { ok: true }), {
        did: `${admin.who} emitted \`announce\` "${text}"`,
        expected: 'the acknowledgement { ok: true }',
        actual: describeValue(result),
        hint: 'An admin passes your `socket.use` check: the `announce` handler runs and acknowledges `{ ok: true }`.',
      });
      await expectEveryoneReceives({ from: admin.user.name, text }, `${admin.who} announced "${text}"`);
    }
    // Without an acknowledgement callback: announced all the same, and nothing throws.
    const admin = pick(admins);
    const text = `no answer needed ${randomWord(5)}`;
    admin.client.socket.emit('announce', text);
    await expectEveryoneReceives({ from: admin.user.name, text }, `${admin.who} emitted \`announce\` "${text}" without an acknowledgement callback`);
    expectThat(admin.client.socket.connected, {
      did: `${admin.who} emitted \`announce\` without an acknowledgement callback`,
      expected: 'it to stay connected',
      actual: 'it was disconnected',
      hint: 'Call the acknowledgement only when there is one: `if (typeof ack === "function") ack({ ok: true })`.',
    });
  });

  test('lets every other event of a member through: only `announce` is refused', async ({ workbench }) => {
    const users = randomUsers();
    const server = await startServer(workbench, users);
    const member = pick(entries(users).filter((entry) => entry.user.role === 'member'));
    const client = await connectAs(workbench, server.url, member.token, member.who);
    // Names a refusal by prefix, case or substring would also catch. None has a handler: let through, none is
    // acknowledged; refused, each gets { ok: false, error: 'forbidden' }.
    const names = ['announcement', 'announce-later', 'Announce', 'announce ', 'reannounce', `say-${randomWord(4)}`];
    const answered: string[] = [];
    for (const name of names) client.socket.emit(name, 'hello', () => answered.push(name));
    // Packets of one socket are handled in order: once whoami is answered, the events before it have been through the middleware.
    const me = await whoami(client);
    await sleep(QUIET_MS);
    expectThat(answered.length === 0, {
      did: `${member.who} (a member) emitted ${names.map((name) => JSON.stringify(name)).join(', ')} with an acknowledgement each, then \`whoami\``,
      expected: 'no acknowledgement for any of them: they are not `announce`, so they go through, and no handler answers them',
      actual: `acknowledged: ${answered.map((name) => JSON.stringify(name)).join(', ')}`,
      hint: 'Compare the event name exactly: `event === "announce"` (not `startsWith`, `includes` or a case-insensitive match); every other event of a member goes through with `next()`.',
    });
    expectThat(isDeepStrictEqual(me, member.user), {
      did: `${member.who} emitted events of other names, then \`whoami\``,
      expected: describeValue(member.user),
      actual: describeValue(me),
      hint: 'Refuse only `announce` in `socket.use`; every other event must go through (`next()`).',
    });
  });

  test('refuses `announce` from every member, who stays connected', async ({ workbench }) => {
    const users = randomUsers();
    const server = await startServer(workbench, users);
    const all = await Promise.all(entries(users).map(async (entry) => ({ ...entry, client: await connectAs(workbench, server.url, entry.token, entry.who) })));
    const admin = pick(all.filter((entry) => entry.user.role === 'admin'));
    const members = all.filter((entry) => entry.user.role === 'member');
    const text = `free ${randomWord(5)} for all`;

    for (const member of members) {
      const result = await announce(member.client, text);
      expectThat(isDeepStrictEqual(result, { ok: false, error: 'forbidden' }), {
        did: `${member.who} emitted \`announce\` "${text}"`,
        expected: "the acknowledgement { ok: false, error: 'forbidden' }",
        actual: describeValue(result),
        hint: 'In `socket.use(([event, ...args], next) => …)`, call the acknowledgement (`args.at(-1)`) with the refusal and `next(new Error("forbidden"))` instead of `next()`.',
      });
      // A refusal without an acknowledgement must not trip the server either.
      member.client.socket.emit('announce', `${text} (again, without acknowledgement)`);
    }
    // The acknowledgement is the last argument, whatever comes before it: here, nothing.
    const bare = pick(members);
    const { answer: bareResult } = await emitAndAwaitAck(bare.client, 'announce', [], {
      withinMs: 1000,
      hint: 'The acknowledgement is the last element of the packet, however many arguments come before it: `args.at(-1)`.',
    });
    expectThat(isDeepStrictEqual(bareResult, { ok: false, error: 'forbidden' }), {
      did: `${bare.who} emitted \`announce\` with no text, only an acknowledgement callback`,
      expected: "the acknowledgement { ok: false, error: 'forbidden' }",
      actual: describeValue(bareResult),
      hint: 'The acknowledgement is the last element of the packet, however many arguments come before it: `args.at(-1)`.',
    });
    await Promise.all(
      all.map(({ client, who }) =>
        client.events.expectNone('announcement', QUIET_MS, (args) => ({
          did: `Each member (not an admin) emitted \`announce\` "${text}", with and then without an acknowledgement`,
          expected: 'nobody to receive `announcement`',
          actual: `${who} received \`announcement\` ${describeValue(args[0])}`,
          hint: 'Refuse the event in `socket.use` before your handler runs: call `next(error)`, not `next()`.',
        })),
      ),
    );
    for (const member of members) {
      expectThat(member.client.socket.connected, {
        did: `${member.who} emitted \`announce\`, which it may not`,
        expected: 'it to stay connected: a refused event is not a reason to drop the client',
        actual: 'it was disconnected',
        hint: 'Refuse the event with `next(new Error("forbidden"))` and leave the connection alone: no `socket.disconnect()` for a refused event.',
      });
      const me = await whoami(member.client);
      expectThat(isDeepStrictEqual(me, member.user), {
        did: `${member.who} was refused \`announce\`, then emitted \`whoami\``,
        expected: describeValue(member.user),
        actual: describeValue(me),
        hint: 'Refuse only `announce` in `socket.use`; every other event must go through (`next()`).',
      });
    }
    const adminResult = await announce(admin.client, text);
    expectThat(isDeepStrictEqual(adminResult, { ok: true }), {
      did: `After the members were refused, ${admin.who} emitted \`announce\` "${text}"`,
      expected: 'the acknowledgement { ok: true }',
      actual: describeValue(adminResult),
      hint: 'Decide with the role of the socket that sent the event (`socket.data.user.role`), not with something shared by all sockets.',
    });
  });

  test('events sent without an acknowledgement callback neither throw nor drop the client', async ({ workbench }) => {
    const users = randomUsers();
    const server = await startServer(workbench, users);
    const all = await Promise.all(entries(users).map(async (entry) => ({ ...entry, client: await connectAs(workbench, server.url, entry.token, entry.who) })));
    for (const { client } of all) client.socket.emit('whoami');
    for (const { client, user, who } of all) {
      const me = await whoami(client);
      expectThat(isDeepStrictEqual(me, user) && client.socket.connected, {
        did: `${who} emitted \`whoami\` without an acknowledgement callback, then with one`,
        expected: `the second to be answered with ${describeValue(user)}, and the client to stay connected`,
        actual: client.socket.connected ? describeValue(me) : 'it was disconnected',
        hint: 'A client may leave out the callback: check `typeof ack === "function"` before calling it.',
      });
    }
  });

  test('close() disconnects every client, and closes the server', async ({ workbench }) => {
    const users = randomUsers();
    const server = await startServer(workbench, users);
    const all = await Promise.all(entries(users).map((entry) => connectAs(workbench, server.url, entry.token, entry.who)));
    await expectCloseDisconnectsClients(server, all, `Connected ${all.length} clients, each with its own token`);
  });
});
