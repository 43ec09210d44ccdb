/**
 * Grades `namespaces`: real `socket.io-client` clients in `/chat`, `/admin` and two
 * random workspaces of the learner's server.
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
  expectThat,
  fail,
  QUIET_MS,
  randomInt,
  randomWord,
  receivedPayloads,
  sleep,
  startExerciseServer,
  test,
  type CheckFailure,
  type SocketIoClient,
  type Workbench,
} from './support/index.ts';

const ID = 'namespaces';
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

describe('namespaces', () => {
  test('/chat relays messages to its other clients, and /admin is a separate channel', async ({ workbench }) => {
    const server = await startServer(workbench);
    const chatters = await connectMany(workbench, server.url, '/chat', randomInt(2, 4), 'chat client');
    const [admin] = await connectMany(workbench, server.url, '/admin', 1, 'admin client');
    const said: Said[] = chatters.map((sender) => {
      const text = `${randomWord(4)} ${randomWord(6)}`;
      return { sender, text, expected: { from: sender.socket.id, text } };
    });
    for (const { sender, text } of said) sender.socket.emit('say', { text });
    // A `say` on /admin is not a chat message: /admin has no such handler.
    const adminText = randomWord(12);
    admin!.socket.emit('say', { text: adminText });
    const groups = new Map<SocketIoClient, string>([...chatters.map((c) => [c, '/chat'] as const), [admin!, '/admin']]);
    await expectRelayed(
      groups,
      said,
      `${chatters.length} clients of /chat each emitted \`say\` { text } at once; an admin client of /admin emitted \`say\` ${describeValue({ text: adminText })}`,
      'Handlers belong to one namespace: `io.of("/chat").on("connection", …)`, and `socket.broadcast` stays inside `socket.nsp`.',
    );
  });

  test('announce on /admin reaches every /chat client; on /chat it does nothing', async ({ workbench }) => {
    const server = await startServer(workbench);
    const chatters = await connectMany(workbench, server.url, '/chat', randomInt(2, 4), 'chat client');
    const [admin] = await connectMany(workbench, server.url, '/admin', 1, 'admin client');
    const [worker] = await connectMany(workbench, server.url, `/workspace-${randomInt(1, 999)}`, 1, 'workspace client');
    const bystanders = [admin!, worker!];

    const announce = { text: randomWord(12) };
    const { answer } = await emitAndAwaitAck(admin!, 'announce', [announce], {
      withinMs: ARRIVAL_MS,
      hint: 'Handle `announce` in `io.of("/admin").on("connection", …)`, and call its acknowledgement.',
    });
    expectThat(isDeepStrictEqual(answer, { ok: true, reached: chatters.length }), {
      did: `With ${chatters.length} clients in /chat, 1 in /admin and 1 in a workspace, the admin client emitted \`announce\` ${describeValue(announce)}`,
      expected: `the acknowledgement ${describeValue({ ok: true, reached: chatters.length })}`,
      actual: describeValue(answer),
      hint: '`reached` counts the clients of /chat only: `io.of("/chat").sockets.size`.',
    });
    for (const chatter of chatters) {
      const [announcement] = await chatter.events.next('announcement', {
        who: chatter.who,
        withinMs: ARRIVAL_MS,
        hint: 'Emit to the other namespace: `io.of("/chat").emit("announcement", { text })`.',
      });
      expectThat(isDeepStrictEqual(announcement, announce), {
        did: `The admin client emitted \`announce\` ${describeValue(announce)}`,
        expected: `${chatter.who} to receive \`announcement\` ${describeValue(announce)}`,
        actual: `\`announcement\` ${describeValue(announcement)}`,
      });
    }

    // The same event on /chat is not an admin command.
    const [impostor] = chatters;
    const forged = { text: randomWord(12) };
    impostor!.socket.emit('announce', forged);
    await Promise.all(
      [...chatters, ...bystanders].map((client) =>
        client.events.expectNone('announcement', QUIET_MS, (args) => ({
          did:
            client === admin || client === worker
              ? `The admin client emitted \`announce\` ${describeValue(announce)}; then ${impostor!.who} emitted \`announce\` ${describeValue(forged)} on /chat`
              : `${impostor!.who} emitted \`announce\` ${describeValue(forged)} on /chat`,
          expected: client === admin || client === worker ? `\`announcement\` to reach the clients of /chat only` : '`announce` to do nothing on /chat: it is an admin-only event',
          actual: `${client.who} received \`announcement\` ${describeValue(args[0])}`,
          hint:
            textOf(args[0]) === forged.text
              ? 'Register `announce` on /admin only: a handler shared by every namespace lets any chat client make announcements.'
              : 'Send announcements with `io.of("/chat").emit(…)`: `io.emit` is the main namespace, and a parent namespace reaches every workspace.',
        })),
      ),
    );
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

  test('refuses namespaces that match nothing', async ({ workbench }) => {
    const server = await startServer(workbench);
    for (const nsp of [`/workspace-${randomWord(4)}`, `/workspace-${randomInt(1, 99)}x`, `/workspaces-${randomInt(1, 99)}`, `/${randomWord(6)}`]) {
      const outcome = await attemptSocketIo(workbench, `${server.url}${nsp}`, `a client of ${nsp}`);
      expectThat(!outcome.connected, {
        did: `Connected a client to the namespace \`${nsp}\``,
        expected: 'a `connect_error`: this name is not /chat, /admin or a workspace (`/workspace-<digits>`)',
        actual: 'the server accepted it',
        hint: 'Anchor the regular expression at both ends, digits only: `/^\\/workspace-\\d+$/`. Do not accept every namespace with a function that always says yes.',
      });
    }
  });
});
