/**
 * Grades `namespaces`: real `socket.io-client` clients in `/chat`, `/admin` and two
 * random workspaces of the learner's server.
 *
 * Rule → test (README "Your task", and the TSDoc of `startNamespacesServer`):
 * - intro listens on options.port and options.host ......... "listens on the host it is given, and nowhere else",
 *                                                              "asks the system for a free port when given port 0",
 *                                                              "rejects when the port is taken"
 * - 1 /chat say → every other /chat client, not the sender .. "/chat relays messages to its other clients, and /admin is a separate channel"
 *     /chat handles nothing else: announce does nothing ...... "announce on /admin reaches every /chat client; on /chat it does nothing"
 * - 2 /admin announce → every /chat client (not admins, not
 *     workspaces), ack { ok: true, reached } ................ "announce on /admin reaches every /chat client; …"
 *     reached = /chat clients now (0 with none, fewer after
 *     one leaves) ........................................... same test
 *     ack only when there is one (none: nothing throws) ....... same test (an announce without a callback)
 *     /admin has no say: it reaches nobody, two admins ........ "/chat relays messages …" (two admin clients)
 * - 3 each workspace → its other clients only, with its name . "each workspace keeps its messages to itself"
 *     every name matching /^\/workspace-\d+$/ (0, long ones) ... "refuses namespaces that match nothing, and accepts every workspace name"
 * - 4 every other namespace refused with connect_error
 *     (/workspace-, -1e3, -0x1f, " 1", -12x, -abc, …) ........ same test (raw packets for names a URL cannot carry)
 * - 5 close(): every client of every namespace disconnected .. "close() disconnects the clients of every namespace"
 *     nothing left behind ................................... every test's teardown (leaks)
 * - an error escaping a handler ............................. every test (the workbench's uncaught-error recorder)
 */
import { isDeepStrictEqual } from 'node:util';
import { describe } from 'vitest';
import {
  ARRIVAL_MS,
  attemptSocketIo,
  connectSocketIo,
  describeValue,
  emitAndAwaitAck,
  eventually,
  expectAnyFreePortForZero,
  expectListensOnGivenHost,
  expectRejectsTakenPort,
  expectThat,
  fail,
  formatMs,
  pick,
  QUIET_MS,
  randomInt,
  randomWord,
  receivedPayloads,
  sleep,
  startExerciseServer,
  test,
  type CheckFailure,
  type ServerUnderCheck,
  type SocketIoClient,
  type Workbench,
} from './support/index.ts';
import { encodePacket, openRawSocketIo, PACKET } from './support/raw-socketio.ts';
import { expectCloseDisconnectsClients } from './support/socketio-close.ts';

const ID = 'namespaces';
const namespacesServer: ServerUnderCheck = { exerciseId: ID, file: 'server.ts', functionName: 'startNamespacesServer' };
const startServer = (workbench: Workbench) => startExerciseServer(workbench, ID, 'server.ts', 'startNamespacesServer');

/** Connects `count` clients to namespace `nsp`, named `<prefix> 1`, `<prefix> 2`, … */
function connectMany(workbench: Workbench, url: string, nsp: string, count: number, prefix: string): Promise<SocketIoClient[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const who = `${prefix} ${i + 1} (in ${nsp})`;
      try {
        return await connectSocketIo(workbench, `${url}${nsp}`, who);
      } catch (error) {
        const report = (error as CheckFailure).report;
        if (report === undefined) throw error;
        return fail({
          ...report,
          expected: `the namespace \`${nsp}\` to accept it`,
          hint: nsp.startsWith('/workspace-')
            ? 'Create the workspaces with a regular expression: `io.of(/^\\/workspace-\\d+$/)` accepts every matching name.'
            : `Create the namespace with \`io.of("${nsp}")\`: a namespace the server does not know is refused with "Invalid namespace".`,
        });
      }
    }),
  );
}

const textOf = (payload: unknown) => (payload as { text?: unknown } | null)?.text;

interface Said {
  readonly sender: SocketIoClient;
  readonly text: string;
  /** The `chat` payload the others should receive. */
  readonly expected: object;
}

/**
 * After `said` were all sent, checks that each of `listeners` received exactly the
 * messages of the others in its own group, none of its own, none of another group.
 */
async function expectRelayed(groups: ReadonlyMap<SocketIoClient, string>, said: readonly Said[], story: string, hint: string): Promise<void> {
  const listeners = [...groups.keys()];
  const expectedBy = new Map(listeners.map((client) => [client, said.filter((s) => s.sender !== client && groups.get(s.sender) === groups.get(client))]));
  await Promise.all(listeners.map((client) => eventually(() => receivedPayloads(client, 'chat').length >= expectedBy.get(client)!.length, ARRIVAL_MS)));
  await sleep(QUIET_MS);
  for (const client of listeners) {
    const expected = [...expectedBy.get(client)!];
    // Cross-talk first: it is the worse bug, and fixing it often fixes an echo too.
    for (const chat of receivedPayloads(client, 'chat')) {
      const origin = said.find((s) => s.text === textOf(chat));
      if (origin && groups.get(origin.sender) !== groups.get(client))
        fail({
          did: story,
          expected: `messages said in \`${groups.get(origin.sender)}\` to stay in \`${groups.get(origin.sender)}\``,
          actual: `${client.who} received \`chat\` ${describeValue(chat)}, said by ${origin.sender.who}`,
          hint,
        });
    }
    for (const chat of receivedPayloads(client, 'chat')) {
      const origin = said.find((s) => s.text === textOf(chat));
      if (origin?.sender === client)
        fail({ did: story, expected: 'a sender not to receive its own message', actual: `${client.who} received its own \`chat\` ${describeValue(chat)}`, hint: 'Relay with `socket.broadcast.emit(…)`, which leaves out the sender.' });
      const match = expected.findIndex((s) => isDeepStrictEqual(s.expected, chat));
      expectThat(match !== -1, {
        did: story,
        expected: origin ? `${client.who} to receive \`chat\` ${describeValue(origin.expected)}, once` : `${client.who} to receive only the others' messages`,
        actual: `\`chat\` ${describeValue(chat)}`,
        hint: 'Check the payload: `from` is the sender\'s `socket.id` in that namespace, and `workspace` (in a workspace) is `socket.nsp.name`, e.g. "/workspace-42".',
      });
      expected.splice(match, 1);
    }
    expectThat(expected.length === 0, {
      did: story,
      expected: `${client.who} to receive \`chat\` ${describeValue(expected[0]?.expected)} (said by ${expected[0]?.sender.who})`,
      actual: `it never arrived (${receivedPayloads(client, 'chat').length} \`chat\` received)`,
      hint: `Relay each \`say\` to the other clients of the same namespace: \`socket.broadcast.emit("chat", …)\`.`,
    });
  }
}

describe.concurrent('namespaces', () => {
  test('listens on the host it is given, and nowhere else', async ({ workbench }) => {
    await expectListensOnGivenHost(workbench, namespacesServer);
  });

  test('asks the system for a free port when given port 0', async ({ workbench }) => {
    await expectAnyFreePortForZero(workbench, namespacesServer);
  });

  test('rejects when the port is taken', async ({ workbench }) => {
    await expectRejectsTakenPort(workbench, namespacesServer);
  });

  test('/chat relays messages to its other clients, and /admin is a separate channel', async ({ workbench }) => {
    const server = await startServer(workbench);
    const chatters = await connectMany(workbench, server.url, '/chat', randomInt(2, 4), 'chat client');
    const admins = await connectMany(workbench, server.url, '/admin', 2, 'admin client');
    const said: Said[] = chatters.map((sender) => {
      const text = `${randomWord(4)} ${randomWord(6)}`;
      return { sender, text, expected: { from: sender.socket.id, text } };
    });
    for (const { sender, text } of said) sender.socket.emit('say', { text });
    // A `say` on /admin is not a chat message: /admin has no such handler, so the other admin hears nothing either.
    const adminText = randomWord(12);
    admins[0]!.socket.emit('say', { text: adminText });
    const groups = new Map<SocketIoClient, string>([...chatters.map((c) => [c, '/chat'] as const), ...admins.map((a) => [a, '/admin'] as const)]);
    await eventually(() => [...groups.keys()].some((client) => receivedPayloads(client, 'chat').some((chat) => textOf(chat) === adminText)), QUIET_MS);
    for (const client of groups.keys()) {
      const heard = receivedPayloads(client, 'chat').find((chat) => textOf(chat) === adminText);
      expectThat(heard === undefined, {
        did: `Of two admin clients of /admin, the first emitted \`say\` ${describeValue({ text: adminText })}`,
        expected: 'it to reach nobody: /admin has no `say`',
        actual: `${client.who} received \`chat\` ${describeValue(heard)}`,
        hint:
          groups.get(client) === '/admin'
            ? 'Give /admin only its `announce` handler: a `say` handler there relays between admins.'
            : 'Handlers belong to one namespace: a `say` on /admin must not reach /chat (is one handler registered on several namespaces?).',
      });
    }
    await expectRelayed(
      groups,
      said,
      `${chatters.length} clients of /chat each emitted \`say\` { text } at once; of two admin clients of /admin, the first emitted \`say\` ${describeValue({ text: adminText })}`,
      'Handlers belong to one namespace: `io.of("/chat").on("connection", …)`, and `socket.broadcast` stays inside `socket.nsp`.',
    );
  });

  test('announce on /admin reaches every /chat client; on /chat it does nothing', async ({ workbench }) => {
    const server = await startServer(workbench);
    const admins = await connectMany(workbench, server.url, '/admin', 2, 'admin client');
    const admin = pick(admins);
    const [worker] = await connectMany(workbench, server.url, `/workspace-${randomInt(1, 999)}`, 1, 'workspace client');
    const bystanders = [...admins, worker!];
    const reachedHint = '`reached` counts the clients of /chat only, as they are now: `io.of("/chat").sockets.size`.';

    /** The admin announces `announce` and expects `{ ok: true, reached }`. */
    const expectAnnounced = async (announce: { text: string }, reached: number, story: string) => {
      const { answer } = await emitAndAwaitAck(admin, 'announce', [announce], {
        withinMs: ARRIVAL_MS,
        hint: 'Handle `announce` in `io.of("/admin").on("connection", …)`, and call its acknowledgement.',
      });
      expectThat(isDeepStrictEqual(answer, { ok: true, reached }), {
        did: `${story}, ${admin.who} emitted \`announce\` ${describeValue(announce)}`,
        expected: `the acknowledgement ${describeValue({ ok: true, reached })}`,
        actual: describeValue(answer),
        hint: reachedHint,
      });
    };
    /** Each of `chatters` receives `announcement` `announce`. */
    const expectReceived = async (chatters: readonly SocketIoClient[], announce: { text: string }, story: string) => {
      for (const chatter of chatters) {
        const [announcement] = await chatter.events.next('announcement', {
          who: chatter.who,
          withinMs: ARRIVAL_MS,
          hint: 'Emit to the other namespace: `io.of("/chat").emit("announcement", { text })`.',
        });
        expectThat(isDeepStrictEqual(announcement, announce), {
          did: `${story}, ${admin.who} emitted \`announce\` ${describeValue(announce)}`,
          expected: `${chatter.who} to receive \`announcement\` ${describeValue(announce)}`,
          actual: `\`announcement\` ${describeValue(announcement)}`,
        });
      }
    };

    // Nobody in /chat yet: nobody reached.
    const early = { text: randomWord(12) };
    await expectAnnounced(early, 0, 'With nobody in /chat, 2 clients in /admin and 1 in a workspace');

    const chatters = await connectMany(workbench, server.url, '/chat', randomInt(2, 4), 'chat client');
    const story = `With ${chatters.length} clients in /chat, 2 in /admin and 1 in a workspace`;
    const announce = { text: randomWord(12) };
    await expectAnnounced(announce, chatters.length, story);
    await expectReceived(chatters, announce, story);

    // Without an acknowledgement callback, it is announced all the same, and nothing throws.
    const unacknowledged = { text: randomWord(12) };
    admin.socket.emit('announce', unacknowledged);
    await expectReceived(chatters, unacknowledged, `${story}, without an acknowledgement callback`);

    // The same event on /chat is not an admin command.
    const [impostor] = chatters;
    const forged = { text: randomWord(12) };
    impostor!.socket.emit('announce', forged);
    await Promise.all(
      [...chatters, ...bystanders].map((client) =>
        client.events.expectNone('announcement', QUIET_MS, (args) => ({
          did: bystanders.includes(client)
            ? `${admin.who} emitted \`announce\` three times; then ${impostor!.who} emitted \`announce\` ${describeValue(forged)} on /chat`
            : `${impostor!.who} emitted \`announce\` ${describeValue(forged)} on /chat`,
          expected: bystanders.includes(client) ? `\`announcement\` to reach the clients of /chat only` : '`announce` to do nothing on /chat: it is an admin-only event',
          actual: `${client.who} received \`announcement\` ${describeValue(args[0])}`,
          hint:
            textOf(args[0]) === forged.text
              ? 'Register `announce` on /admin only: a handler shared by every namespace lets any chat client make announcements.'
              : 'Send announcements with `io.of("/chat").emit(…)`: `io.emit` is the main namespace, and a parent namespace reaches every workspace.',
        })),
      ),
    );

    // A chat client leaves: `reached` counts the clients connected now.
    const leaving = chatters.at(-1)!;
    leaving.socket.disconnect();
    const remaining = chatters.slice(0, -1);
    const later = { text: randomWord(12) };
    const after = `${story}, ${leaving.who} disconnected; then`;
    // The server learns of the disconnection a moment later, on another connection: ask again until it has (bounded).
    let answer: unknown;
    for (const deadline = Date.now() + ARRIVAL_MS; ; await sleep(50)) {
      ({ answer } = await emitAndAwaitAck(admin, 'announce', [later], { withinMs: ARRIVAL_MS }));
      if (isDeepStrictEqual(answer, { ok: true, reached: remaining.length }) || Date.now() > deadline) break;
    }
    expectThat(isDeepStrictEqual(answer, { ok: true, reached: remaining.length }), {
      did: `${after} ${admin.who} emitted \`announce\` ${describeValue(later)} (again every 50 ms for ${formatMs(ARRIVAL_MS)})`,
      expected: `the acknowledgement ${describeValue({ ok: true, reached: remaining.length })}: ${remaining.length} clients are left in /chat`,
      actual: describeValue(answer),
      hint: 'Count the clients of /chat as they are when the admin announces (`io.of("/chat").sockets.size`): a counter of your own must go down on `disconnect`.',
    });
    await expectReceived(remaining, later, after);
    expectThat(admins.every((client) => client.socket.connected), {
      did: `${admin.who} emitted \`announce\` with and without an acknowledgement callback`,
      expected: 'every admin client to stay connected',
      actual: `${admins.filter((c) => !c.socket.connected).map((c) => c.who).join(', ')} was disconnected`,
      hint: 'Call the acknowledgement only when there is one: `if (typeof ack === "function") ack(…)`.',
    });
  });

  test('each workspace keeps its messages to itself', async ({ workbench }) => {
    const server = await startServer(workbench);
    const first = randomInt(1, 4999);
    const second = randomInt(5000, 99999);
    const names = [`/workspace-${first}`, `/workspace-${second}`];
    const groups = new Map<SocketIoClient, string>();
    for (const [index, nsp] of names.entries()) {
      for (const client of await connectMany(workbench, server.url, nsp, randomInt(2, 3), `client ${'XY'[index]}`)) groups.set(client, nsp);
    }
    const said: Said[] = [...groups].map(([sender, nsp]) => {
      const text = `${randomWord(4)} ${randomWord(6)}`;
      return { sender, text, expected: { from: sender.socket.id, workspace: nsp, text } };
    });
    for (const { sender, text } of said) sender.socket.emit('say', { text });
    await expectRelayed(
      groups,
      said,
      `Clients in ${names.join(' and ')} each emitted \`say\` { text } at once`,
      'Relay with `socket.broadcast.emit(…)`, which stays inside `socket.nsp` (that one workspace). Emitting on `io.of(/^\\/workspace-\\d+$/)` itself reaches every workspace.',
    );
  });

  test('refuses namespaces that match nothing, and accepts every workspace name', async ({ workbench }) => {
    const server = await startServer(workbench);
    const hintFor = (nsp: string) => {
      const suffix = nsp.startsWith('/workspace-') ? nsp.slice('/workspace-'.length) : undefined;
      // Only where a learner's Number() would have let this name in does the hint speak of it.
      const parsed = suffix !== undefined && Number.isInteger(Number(suffix)) ? ` Do not parse the number: \`Number(${JSON.stringify(suffix)})\` is an integer too.` : '';
      return `Anchor the regular expression at both ends, ASCII digits only, one or more: \`/^\\/workspace-\\d+$/\`.${parsed} Do not accept every namespace with a function that always says yes.`;
    };
    const expectedRefusal = 'a `connect_error`: this name is not /chat, /admin or a workspace (`/workspace-` and one or more digits, nothing else)';
    // Names a URL carries as they are: a real client.
    for (const nsp of [
      `/workspace-${randomWord(4)}`,
      `/workspace-${randomInt(1, 99)}x`,
      `/workspaces-${randomInt(1, 99)}`,
      `/${randomWord(6)}`,
      '/workspace-',
      '/workspace-1e3',
      '/workspace-0x1f',
      `/workspace--${randomInt(1, 99)}`,
      `/workspace-${randomInt(1, 99)}.5`,
      `/Workspace-${randomInt(1, 99)}`,
      `/x/workspace-${randomInt(1, 99)}`,
      `/workspace-${randomInt(1, 99)}/`,
    ]) {
      const outcome = await attemptSocketIo(workbench, `${server.url}${nsp}`, `a client of ${nsp}`);
      expectThat(!outcome.connected, { did: `Connected a client to the namespace \`${nsp}\``, expected: expectedRefusal, actual: 'the server accepted it', hint: hintFor(nsp) });
    }
    // Names a URL would escape (a space, a digit that is not ASCII): written into the CONNECT packet by hand.
    for (const nsp of [`/workspace- ${randomInt(1, 99)}`, `/workspace-${randomInt(1, 99)} `, '/workspace-\u0663']) {
      const raw = await openRawSocketIo(workbench, server.port, `a raw client of ${describeValue(nsp)}`);
      raw.send(encodePacket(PACKET.CONNECT, nsp, {}));
      const answer = await raw.waitFor((packet) => packet.nsp === nsp && (packet.type === PACKET.CONNECT || packet.type === PACKET.CONNECT_ERROR), ARRIVAL_MS);
      expectThat(answer?.type === PACKET.CONNECT_ERROR, {
        did: `Sent a CONNECT packet for the namespace ${describeValue(nsp)}`,
        expected: expectedRefusal,
        actual: answer === undefined ? `no answer in ${formatMs(ARRIVAL_MS)}` : `the server accepted it (${describeValue(answer.text)})`,
        hint: hintFor(nsp),
      });
    }
    // Every name that does match is a workspace: 0, leading zeros, more digits than a number holds.
    for (const nsp of ['/workspace-0', `/workspace-00${randomInt(1, 9)}`, `/workspace-${randomInt(1, 9)}${'0'.repeat(24)}`]) {
      const outcome = await attemptSocketIo(workbench, `${server.url}${nsp}`, `a client of ${nsp}`);
      expectThat(outcome.connected, {
        did: `Connected a client to the namespace \`${nsp}\``,
        expected: `the namespace to accept it: it matches \`/^\\/workspace-\\d+$/\``,
        actual: outcome.connected ? 'it connected' : `\`connect_error\` ${describeValue(outcome.error.message)}`,
        hint: 'Use the regular expression `WORKSPACE_NAMESPACE` itself: every name of `/workspace-` and digits is a workspace, whatever number the digits make.',
      });
    }
  });

  test('close() disconnects the clients of every namespace', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = [
      ...(await connectMany(workbench, server.url, '/chat', 2, 'chat client')),
      ...(await connectMany(workbench, server.url, '/admin', 1, 'admin client')),
      ...(await connectMany(workbench, server.url, `/workspace-${randomInt(1, 999)}`, 2, 'workspace client')),
    ];
    await expectCloseDisconnectsClients(server, clients, 'Connected 2 clients to /chat, 1 to /admin and 2 to a workspace');
  });
});
