/**
 * Grades `middleware-auth`: clients with good, bad and missing tokens against the
 * learner's server, and a member trying the admin-only event.
 */
import { isDeepStrictEqual } from 'node:util';
import type { SocketOptions } from 'socket.io-client';
import { describe } from 'vitest';
import {
  attemptSocketIo,
  connectSocketIo,
  describeValue,
  emitAndAwaitAck,
  expectThat,
  fail,
  pick,
  randomWord,
  recordUncaught,
  startExerciseServer,
  test,
  type ConnectAttempt,
  type SocketIoClient,
  type UncaughtErrors,
  type Workbench,
} from './support/index.ts';

type User = import('../exercises/middleware-auth/server.ts').User;

const ID = 'middleware-auth';

/** A random token table: one admin and three members, with random tokens and names. */
function randomUsers(): Map<string, User> {
  const roles: User['role'][] = ['admin', 'member', 'member', 'member'];
  return new Map(roles.map((role) => [randomWord(20), { name: `${randomWord(6)}-${role}`, role }]));
}

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
async function attempt(server: { url: string; uncaught: UncaughtErrors }, workbench: Workbench, label: string, options: Partial<SocketOptions>) {
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

describe('middleware-auth', () => {
  test('lets in each client with a valid token and remembers who it is', async ({ workbench }) => {
    const users = randomUsers();
    const server = await startServer(workbench, users);
    const clients = await Promise.all(entries(users).map(async (entry) => ({ ...entry, client: await connectAs(workbench, server.url, entry.token, entry.who) })));
    await Promise.all(
      clients.map(async ({ user, client, who }) => {
        const answer = await whoami(client);
        expectThat(isDeepStrictEqual(answer, user), {
          did: `${who} connected with its token and emitted \`whoami\``,
          expected: `its own user, ${describeValue(user)}`,
          actual: describeValue(answer),
          hint: isDeepStrictEqual(answer, { ok: false, error: 'forbidden' })
            ? 'Your `socket.use` refused `whoami`: refuse only `announce`, and let every other event through with `next()`.'
            : 'Store the user found by the token on `socket.data.user` in the middleware; each socket has its own `data` (a variable outside the handlers is shared by everyone).',
        });
      }),
    );
  });

  test('refuses a client without a token with reason "missing token"', async ({ workbench }) => {
    const server = await startServer(workbench, randomUsers());
    const cases: [string, Partial<SocketOptions>][] = [
      ['no `auth` at all', {}],
      ['`auth` {}', { auth: {} }],
      ['`auth` { token: "" }', { auth: { token: '' } }],
    ];
    for (const [label, options] of cases) {
      const outcome = await attempt(server, workbench, label, options);
      expectRefused(outcome, `Connected a client with ${label}`, 'missing token');
    }
  });

  test('refuses a client with a wrong token with reason "invalid token"', async ({ workbench }) => {
    const users = randomUsers();
    const server = await startServer(workbench, users);
    const { token } = pick(entries(users));
    const cases: [string, string][] = [
      ['a random token', randomWord(20)],
      ['a real token in capitals', token.toUpperCase()],
      ['a real token with a trailing space', `${token} `],
      ['a real token minus its last letter', token.slice(0, -1)],
    ];
    for (const [label, wrong] of cases) {
      const outcome = await attempt(server, workbench, label, { auth: { token: wrong } });
      expectRefused(outcome, `Connected a client with ${label}, "${wrong}" (the table holds "${token}")`, 'invalid token');
    }
  });

  test('lets an admin announce to every client', async ({ workbench }) => {
    const users = randomUsers();
    const server = await startServer(workbench, users);
    const all = await Promise.all(entries(users).map(async (entry) => ({ ...entry, client: await connectAs(workbench, server.url, entry.token, entry.who) })));
    const admin = all.find((entry) => entry.user.role === 'admin')!;
    const text = `meeting at ${randomWord(5)}`;
    const result = await announce(admin.client, text);
    expectThat(isDeepStrictEqual(result, { ok: true }), {
      did: `${admin.who} emitted \`announce\` "${text}"`,
      expected: 'the acknowledgement { ok: true }',
      actual: describeValue(result),
      hint: 'An admin passes your `socket.use` check: the `announce` handler runs and acknowledges `{ ok: true }`.',
    });
    const expected = { from: admin.user.name, text };
    for (const { client, who } of all) {
      const [announcement] = await client.events.next('announcement', { who, withinMs: 1000, hint: 'Send it to every client, the admin included: `io.emit("announcement", …)`.' });
      expectThat(isDeepStrictEqual(announcement, expected), {
        did: `${admin.who} announced "${text}"; ${who} received \`announcement\``,
        expected: describeValue(expected),
        actual: describeValue(announcement),
        hint: '`from` is the name of the admin who announced (from `socket.data.user`).',
      });
    }
  });

  test('refuses `announce` from a member, who stays connected', async ({ workbench }) => {
    const users = randomUsers();
    const server = await startServer(workbench, users);
    const all = await Promise.all(entries(users).map(async (entry) => ({ ...entry, client: await connectAs(workbench, server.url, entry.token, entry.who) })));
    const admin = all.find((entry) => entry.user.role === 'admin')!;
    const member = pick(all.filter((entry) => entry.user.role === 'member'));
    const text = `free ${randomWord(5)} for all`;

    const result = await announce(member.client, text);
    expectThat(isDeepStrictEqual(result, { ok: false, error: 'forbidden' }), {
      did: `${member.who} emitted \`announce\` "${text}"`,
      expected: "the acknowledgement { ok: false, error: 'forbidden' }",
      actual: describeValue(result),
      hint: 'In `socket.use(([event, ...args], next) => …)`, call the acknowledgement (`args.at(-1)`) with the refusal and `next(new Error("forbidden"))` instead of `next()`.',
    });
    // A refusal without an acknowledgement must not trip the server either.
    member.client.socket.emit('announce', `${text} (again, without acknowledgement)`);
    await Promise.all(
      all.map(({ client, who }) =>
        client.events.expectNone('announcement', 150, (args) => ({
          did: `${member.who} (not an admin) emitted \`announce\` "${text}"`,
          expected: 'nobody to receive `announcement`',
          actual: `${who} received \`announcement\` ${describeValue(args[0])}`,
          hint: 'Refuse the event in `socket.use` before your handler runs: call `next(error)`, not `next()`.',
        })),
      ),
    );
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
    const adminResult = await announce(admin.client, text);
    expectThat(isDeepStrictEqual(adminResult, { ok: true }), {
      did: `After the member was refused, ${admin.who} emitted \`announce\` "${text}"`,
      expected: 'the acknowledgement { ok: true }',
      actual: describeValue(adminResult),
      hint: 'Decide with the role of the socket that sent the event (`socket.data.user.role`), not with something shared by all sockets.',
    });
  });
});
