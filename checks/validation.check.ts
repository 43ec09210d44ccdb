/**
 * Grades `validation`: valid orders (random, and exactly at every limit), hand-made and
 * randomly generated malformed ones, odd arguments, messages exactly at the size limit
 * and one byte over it, and `close()` with clients connected, against the learner's server.
 *
 * Rule → test (README "Your task", and the TSDoc of `startOrderServer`, `Order`, `OrderResult`
 * and `exercises/types.ts`):
 * - 1 listens on options.port and options.host ........ "listens on the host it is given, and nowhere else",
 *                                                        "asks the system for a free port when given port 0"
 *   resolves with { port, close } once it listens ...... every test (a wrong port fails to connect)
 *   rejects when it cannot listen (types.ts) ........... "rejects when the port is taken"
 * - 2 messages of up to 16384 bytes are answered ....... "answers a message of exactly 16 KiB …" (ASCII and 2-byte
 *                                                        characters, so bytes are counted, not characters)
 *   a larger one disconnects its sender ................ "… and disconnects the sender of one byte more" (ASCII and 2-byte)
 *   while everyone else goes on ........................ same test: a bystander stays connected and served
 * - 3 a valid order → { ok: true, order } ............. "accepts valid orders and passes on only the keys it knows"
 *   only the known keys (__proto__, constructor too) ... same test (extra keys on half the orders, an own __proto__)
 *   every bound inclusive, lengths in code points ...... "accepts orders exactly at every limit" (1 and 99, 1 and 40
 *                                                        characters, 0 and 5 tags, 1 and 20, 0 and 200, emoji, spaces)
 *   anything else → { ok: false, error } ............... "refuses orders one past every limit", "answers every malformed order …"
 *   error: 1 to 200 characters .......................... the same two tests (and no other key in the answer)
 *   item/quantity/tags/note, each rule ................. "refuses orders one past every limit" (one case per bound and type)
 * - 4 never throws, never disconnects for a malformed order: "answers every malformed order …" (sender still connected,
 *                                                        another client served), every test (an uncaught error fails it)
 *   no acknowledgement, no argument, extra arguments ... "survives an `order` without acknowledgement or with odd arguments"
 * - 5 close(): every client disconnected, server closed  "close() disconnects every client and stops listening"
 *   nothing left running ................................ every test's teardown (leaks)
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe } from 'vitest';
import { z } from 'zod';
import {
  CheckFailure,
  connectSocketIo,
  describeValue,
  emitAndAwaitAck,
  eventually,
  expectAnyFreePortForZero,
  expectListensOnGivenHost,
  expectRejectsTakenPort,
  expectThat,
  fail,
  randomWord,
  recordUncaught,
  startExerciseServer,
  test,
  type ServerUnderCheck,
  type SocketIoClient,
  type UncaughtErrors,
  type Workbench,
} from './support/index.ts';
import { expectCloseDisconnectsClients } from './support/socketio-close.ts';

const ID = 'validation';
/** The limit the README states. */
const MAX_MESSAGE_BYTES = 16 * 1024;

/** The README's rules, as the check's own reference (zod 4 counts string lengths in code points, as the README says). */
const ORDER = z.object({
  item: z.string().min(1).max(40),
  quantity: z.number().int().min(1).max(99),
  tags: z.array(z.string().min(1).max(20)).max(5),
  note: z.string().max(200).optional(),
});

const orderServer: ServerUnderCheck = { exerciseId: ID, file: 'server.ts', functionName: 'startOrderServer' };
const startServer = (workbench: Workbench) => startExerciseServer(workbench, ID, orderServer.file, orderServer.functionName);

const THROWN = 'Never let a handler throw: validate the payload with `safeParse` before touching it, and check `typeof ack === "function"` before calling it.';

/** A character outside the Basic Multilingual Plane: one code point, two UTF-16 units (`.length` 2), four bytes. */
const EMOJI = '😀';

const validOrder = fc.record(
  {
    item: fc.string({ minLength: 1, maxLength: 40 }),
    quantity: fc.integer({ min: 1, max: 99 }),
    tags: fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 5 }),
    note: fc.string({ maxLength: 200 }),
  },
  { requiredKeys: ['item', 'quantity', 'tags'] },
);

const nested = (depth: number, leaf: unknown, wrap: (inner: unknown) => unknown) => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
};

/** Valid orders exactly at every limit of the README, each named for the message. */
function atEveryLimit(): [string, Record<string, unknown>][] {
  const base = { item: randomWord(8), quantity: 7, tags: ['gift'] };
  return [
    ['`quantity` 1 (the lowest)', { ...base, quantity: 1 }],
    ['`quantity` 99 (the highest)', { ...base, quantity: 99 }],
    ['an `item` of 1 character', { ...base, item: 'x' }],
    ['an `item` of exactly 40 characters', { ...base, item: 'i'.repeat(40) }],
    [`an \`item\` of 40 emoji (40 characters, \`.length\` 80)`, { ...base, item: EMOJI.repeat(40) }],
    ['an `item` that is one space', { ...base, item: ' ' }],
    ['no `tags` at all (an empty array)', { ...base, tags: [] }],
    ['exactly 5 `tags`', { ...base, tags: ['a', 'b', 'c', 'd', 'e'] }],
    ['a tag of 1 character and one of exactly 20', { ...base, tags: ['t', 'u'.repeat(20)] }],
    [`a tag of 20 emoji (20 characters, \`.length\` 40)`, { ...base, tags: [EMOJI.repeat(20)] }],
    ['an empty `note`', { ...base, note: '' }],
    ['a `note` of exactly 200 characters', { ...base, note: 'n'.repeat(200) }],
    [`a \`note\` of 200 emoji (200 characters, \`.length\` 400)`, { ...base, note: EMOJI.repeat(200) }],
  ];
}

/** Orders one step past each limit, and each key of the wrong type, each named for the message. */
function pastEveryLimit(): [string, unknown][] {
  const base = { item: randomWord(8), quantity: 3, tags: ['gift'] };
  return [
    ['no `item`', { quantity: 1, tags: [] }],
    ['no `quantity`', { item: 'tea', tags: [] }],
    ['no `tags`', { item: 'tea', quantity: 1 }],
    ['an empty `item`', { ...base, item: '' }],
    ['an `item` of 41 characters', { ...base, item: 'x'.repeat(41) }],
    [`an \`item\` of 41 emoji`, { ...base, item: EMOJI.repeat(41) }],
    ['`item` as a number', { ...base, item: 7 }],
    ['`item` as an array of one string', { ...base, item: ['tea'] }],
    ['`item` as an object', { ...base, item: { toString: 'tea' } }],
    ['`quantity` 0', { ...base, quantity: 0 }],
    ['`quantity` 100', { ...base, quantity: 100 }],
    ['`quantity` -1', { ...base, quantity: -1 }],
    ['`quantity` 1.5', { ...base, quantity: 1.5 }],
    ['`quantity` 98.5', { ...base, quantity: 98.5 }],
    ['`quantity` as the string "3"', { ...base, quantity: '3' }],
    ['`quantity` as an array [3]', { ...base, quantity: [3] }],
    ['`quantity` true', { ...base, quantity: true }],
    ['`quantity` null', { ...base, quantity: null }],
    ['`tags` as a string', { ...base, tags: 'gift' }],
    ['`tags` null', { ...base, tags: null }],
    ['6 `tags`', { ...base, tags: ['a', 'b', 'c', 'd', 'e', 'f'] }],
    ['an empty tag', { ...base, tags: [''] }],
    ['a tag of 21 characters', { ...base, tags: ['t'.repeat(21)] }],
    [`a tag of 21 emoji`, { ...base, tags: [EMOJI.repeat(21)] }],
    ['a number among `tags`', { ...base, tags: ['ok', 5] }],
    ['an array among `tags`', { ...base, tags: [['ok']] }],
    ['a `note` of 201 characters', { ...base, note: 'n'.repeat(201) }],
    [`a \`note\` of 201 emoji`, { ...base, note: EMOJI.repeat(201) }],
    ['`note` null', { ...base, note: null }],
    ['`note` as a number', { ...base, note: 5 }],
  ];
}

/** Payloads a careless server trips on, each named for the message. */
function hostile(): [string, unknown][] {
  const base = { item: randomWord(8), quantity: 3, tags: ['gift'] };
  return [
    ['null', null],
    ['a number', 42],
    ['a string', 'one pizza please'],
    ['an empty object', {}],
    ['an array', [base]],
    ['3,000 `tags` (a huge array)', { ...base, tags: Array.from({ length: 3000 }, () => 'a') }],
    ['`tags` nested 3,000 arrays deep', { ...base, tags: nested(3000, 'a', (inner) => [inner]) }],
    ['`item` nested 2,000 objects deep', { ...base, item: nested(2000, 'a', (inner) => ({ a: inner })) }],
  ];
}

/** What the server receives for `payload`: Socket.IO sends JSON (`undefined` becomes `null`, `-0` becomes `0`, …). */
function asSent(payload: unknown): unknown {
  return payload === undefined ? null : JSON.parse(JSON.stringify(payload));
}

/** What the server should answer for `payload`, by the README's rules. */
function expectedResult(payload: unknown) {
  const result = ORDER.safeParse(asSent(payload));
  return result.success ? { ok: true as const, order: result.data } : { ok: false as const };
}

/** What was wrong with one answer: `kind` tells which hint the evidence supports. */
interface Problem {
  readonly text: string;
  /** `kept-keys`: a valid order came back with keys the README does not name; `refused`: a valid order was refused. */
  readonly kind: 'kept-keys' | 'refused' | 'wrong-answer' | 'accepted' | 'bad-error';
}

/** How many characters `text` has, counted as the README counts them: in code points. */
const characters = (text: string) => [...text].length;

/** Sends one `order` and checks the answer against the rules; returns a problem, or undefined. */
async function orderAndJudge(client: SocketIoClient, label: string, payload: unknown, uncaught: UncaughtErrors): Promise<Problem | undefined> {
  const hint = client.socket.connected
    ? `No answer to ${label}: did your handler throw on it? Validate before you touch any property, and answer every \`order\` that has an acknowledgement.`
    : `${client.who} was disconnected before the answer: is \`maxHttpBufferSize\` at least ${MAX_MESSAGE_BYTES}? A malformed order is answered with an error, never with a disconnection.`;
  const { answer } = await emitAndAwaitAck(client, 'order', [payload], { withinMs: 1500, hint }).catch((error: unknown) => {
    // Say what really happened: the handler threw, or the client was dropped.
    uncaught.expectNone(`${client.who} sent ${label} as \`order\`, and got no answer`, THROWN);
    if (error instanceof CheckFailure && !client.socket.connected) fail({ ...error.report, hint: `${client.who} was disconnected: is \`maxHttpBufferSize\` at least ${MAX_MESSAGE_BYTES}? A malformed order is answered with an error, never with a disconnection.` });
    throw error;
  });
  const expected = expectedResult(payload);
  const got = (answer ?? {}) as Record<string, unknown>;
  if (expected.ok) {
    if (isDeepStrictEqual(answer, expected)) return undefined;
    const text = `${label}, a valid order, was answered ${describeValue(answer)} instead of ${describeValue(expected)}`;
    const order = got.order;
    const keptKeys =
      got.ok === true && typeof order === 'object' && order !== null && Object.getOwnPropertyNames(order).some((key) => !Object.hasOwn(expected.order, key));
    return { text, kind: keptKeys ? 'kept-keys' : got.ok === false ? 'refused' : 'wrong-answer' };
  }
  const { ok, error, ...rest } = got;
  if (ok === false && typeof error === 'string' && characters(error) >= 1 && characters(error) <= 200 && Object.keys(rest).length === 0) return undefined;
  const text = `${label} was answered ${describeValue(answer)} instead of { ok: false, error: <1 to 200 characters> }`;
  return { text, kind: ok === false ? 'bad-error' : 'accepted' };
}

/** Sends every case from `client`, 20 at a time, and fails on the first batch with a problem. */
async function expectAllJudged(client: SocketIoClient, cases: readonly [string, unknown][], uncaught: UncaughtErrors, report: { did: string; expected: string; hint: (problems: readonly Problem[]) => string }) {
  for (let i = 0; i < cases.length; i += 20) {
    const batch = cases.slice(i, i + 20);
    const problems = (await Promise.all(batch.map(([label, payload]) => orderAndJudge(client, label, payload, uncaught)))).filter((p): p is Problem => p !== undefined);
    uncaught.expectNone(`${report.did}, among them ${batch.map(([label]) => label).slice(0, 3).join('; ')}`, THROWN);
    if (problems.length > 0) {
      fail({ did: report.did, expected: report.expected, actual: `${problems.length} were not; first: ${problems[0]!.text}`, hint: report.hint(problems) });
    }
  }
}

const MALFORMED_HINT = (problems: readonly Problem[]) =>
  problems.some((p) => p.kind === 'accepted')
    ? 'Validate with a schema (`OrderSchema.safeParse(payload)`) that states every rule of the README, and answer `{ ok: false, error }` whenever it fails.'
    : 'Answer `{ ok: false, error }` and nothing else, with `error` short (1 to 200 characters): the first issue is enough.';

/** A payload `{ item, quantity, tags, note }` whose `order` packet is exactly `bytes` long on the wire, its note made of `unit`. */
function orderOfBytes(bytes: number, unit: 'n' | 'é'): { payload: object; characters: number } {
  // What socket.io-client sends for the first emit with an acknowledgement: "4" (an Engine.IO message),
  // "2" (a Socket.IO event), "0" (the acknowledgement's id), then the arguments as JSON.
  const frame = (note: string) => `420${JSON.stringify(['order', { item: 'big', quantity: 1, tags: [], note }])}`;
  const empty = Buffer.byteLength(frame(''));
  const unitBytes = Buffer.byteLength(unit);
  const count = Math.floor((bytes - empty) / unitBytes);
  const note = unit.repeat(count) + 'n'.repeat(bytes - empty - count * unitBytes);
  if (Buffer.byteLength(frame(note)) !== bytes) throw new Error(`the check could not build a message of ${bytes} bytes`);
  return { payload: { item: 'big', quantity: 1, tags: [], note }, characters: frame(note).length };
}

describe.concurrent('validation', () => {
  test('listens on the host it is given, and nowhere else', async ({ workbench }) => {
    await expectListensOnGivenHost(workbench, orderServer);
  });

  test('asks the system for a free port when given port 0', async ({ workbench }) => {
    await expectAnyFreePortForZero(workbench, orderServer);
  });

  test('rejects when the port is taken', async ({ workbench }) => {
    await expectRejectsTakenPort(workbench, orderServer);
  });

  test('accepts valid orders and passes on only the keys it knows', async ({ workbench }) => {
    const server = await startServer(workbench);
    const uncaught = recordUncaught(workbench);
    const client = await connectSocketIo(workbench, server.url, 'client A');
    const orders = fc.sample(validOrder, 25).map((order, i) => (i % 2 === 0 ? { ...order, isAdmin: true, price: 0 } : order));
    // An own `__proto__` key, as JSON.parse makes it: it must be dropped like any other unknown key.
    orders.push(JSON.parse(`{"item":"${randomWord(6)}","quantity":2,"tags":[],"__proto__":{"quantity":0},"constructor":"x"}`));
    const cases = orders.map((order): [string, unknown] => [`the order ${describeValue(order, 160)}`, order]);
    await expectAllJudged(client, cases, uncaught, {
      did: `client A sent ${orders.length} valid orders (some with extra keys such as \`isAdmin\` and \`__proto__\`)`,
      expected: 'each answered { ok: true, order } with the order as sent, minus the keys the README does not name',
      hint: (problems) =>
        problems.some((p) => p.kind === 'kept-keys')
          ? 'A zod object (`z.object({ … })`) drops unknown keys: answer with `result.data`, not with the payload you received.'
          : problems.some((p) => p.kind === 'refused')
            ? 'These orders follow every rule of the README: is one of your bounds stricter than the README\'s?'
            : 'Answer a valid order with exactly `{ ok: true, order: result.data }`.',
    });
  });

  test('accepts orders exactly at every limit', async ({ workbench }) => {
    const server = await startServer(workbench);
    const uncaught = recordUncaught(workbench);
    const client = await connectSocketIo(workbench, server.url, 'client A');
    const cases = atEveryLimit().map(([label, order]): [string, unknown] => [`an order with ${label}`, order]);
    await expectAllJudged(client, cases, uncaught, {
      did: `client A sent ${cases.length} valid orders, each exactly at one limit of the README`,
      expected: 'each answered { ok: true, order }',
      hint: (problems) =>
        problems.some((p) => p.kind === 'refused')
          ? 'Every bound is inclusive ("from 1 to 99" accepts 1 and 99; "at most 5" accepts 5), and characters are code points: an emoji is one character though its `.length` is 2 — zod\'s `.min()`/`.max()` count that way.'
          : 'Answer a valid order with exactly `{ ok: true, order: result.data }`.',
    });
  });

  test('refuses orders one past every limit, and keys of the wrong type', async ({ workbench }) => {
    const server = await startServer(workbench);
    const uncaught = recordUncaught(workbench);
    const client = await connectSocketIo(workbench, server.url, 'client A');
    const cases = pastEveryLimit().map(([label, order]): [string, unknown] => [`an order with ${label}`, order]);
    await expectAllJudged(client, cases, uncaught, {
      did: `client A sent ${cases.length} invalid orders, each one step past one rule of the README`,
      expected: 'each answered { ok: false, error } with a short reason (1 to 200 characters)',
      hint: MALFORMED_HINT,
    });
  });

  test('answers every malformed order with an error, without crashing', async ({ workbench }) => {
    const server = await startServer(workbench);
    const uncaught = recordUncaught(workbench);
    const [sender, bystander] = await Promise.all([connectSocketIo(workbench, server.url, 'client A'), connectSocketIo(workbench, server.url, 'client B')]);
    // Random junk and near-misses; only those the rules reject are kept.
    const generated = fc
      .sample(fc.oneof(fc.anything(), fc.record({ item: fc.anything(), quantity: fc.oneof(fc.integer(), fc.double(), fc.string()), tags: fc.anything() })), 80)
      .filter((payload) => !expectedResult(payload).ok)
      .map((payload): [string, unknown] => [`the generated payload ${describeValue(payload, 160)}`, payload]);
    const cases = [...hostile().map(([label, payload]): [string, unknown] => [`an order with ${label}`, payload]), ...generated];
    await expectAllJudged(sender, cases, uncaught, {
      did: 'client A sent malformed orders',
      expected: 'each answered { ok: false, error } with a short reason (1 to 200 characters)',
      hint: MALFORMED_HINT,
    });
    const valid = { item: randomWord(10), quantity: 5, tags: ['after'] };
    const problem = await orderAndJudge(bystander, `client B's valid order ${describeValue(valid)}`, valid, uncaught);
    expectThat(problem === undefined && sender.socket.connected, {
      did: `client A sent ${cases.length} malformed orders; then client B sent a valid one`,
      expected: 'client B answered { ok: true, … } and client A still connected',
      actual: problem?.text ?? 'client A was disconnected',
      hint: 'A malformed order is answered with an error, never with a disconnection.',
    });
  });

  test('survives an `order` without acknowledgement or with odd arguments', async ({ workbench }) => {
    const server = await startServer(workbench);
    const uncaught = recordUncaught(workbench);
    const client = await connectSocketIo(workbench, server.url, 'client A');
    const valid = { item: randomWord(7), quantity: 9, tags: [] };
    client.socket.emit('order');
    client.socket.emit('order', valid);
    client.socket.emit('order', null);
    client.socket.emit('order', 1, 2, 3);
    client.socket.emit('order', valid, 'not a function');
    const problem = await orderAndJudge(client, `the valid order ${describeValue(valid)} sent right after`, valid, uncaught);
    uncaught.expectNone('client A emitted `order` with no arguments, without acknowledgement, with `1, 2, 3`, and with a string where the acknowledgement goes', THROWN);
    expectThat(problem === undefined && client.socket.connected, {
      did: 'client A emitted `order` with no arguments, without acknowledgement, with `1, 2, 3`, and with a string where the acknowledgement goes; then a valid order',
      expected: 'the valid order answered { ok: true, order }, and client A still connected',
      actual: problem?.text ?? 'client A was disconnected',
      hint: 'Check `typeof ack === "function"` before calling it: without one there is nobody to answer.',
    });
  });

  test(`answers a message of exactly ${MAX_MESSAGE_BYTES} bytes, and disconnects the sender of one byte more`, async ({ workbench }) => {
    const server = await startServer(workbench);
    const uncaught = recordUncaught(workbench);
    // One client per message: each message is its client's first emit, so its size on the wire is known to the byte.
    const sizes = [
      { who: 'client A', bytes: MAX_MESSAGE_BYTES, unit: 'n' as const },
      { who: 'client B', bytes: MAX_MESSAGE_BYTES, unit: 'é' as const },
      { who: 'client C', bytes: MAX_MESSAGE_BYTES + 1, unit: 'n' as const },
      { who: 'client D', bytes: MAX_MESSAGE_BYTES + 1, unit: 'é' as const },
    ];
    const clients = await Promise.all([...sizes.map(({ who }) => connectSocketIo(workbench, server.url, who)), connectSocketIo(workbench, server.url, 'client E')]);
    const bystander = clients.at(-1)!;
    const describeSize = (bytes: number, unit: 'n' | 'é', characters: number) =>
      `an order of ${bytes} bytes on the wire (${unit === 'é' ? `a \`note\` of "é", 2 bytes each: ${characters} characters` : `${characters} ASCII characters`})`;
    for (const [index, { who, bytes, unit }] of sizes.entries()) {
      const client = clients[index]!;
      const { payload, characters } = orderOfBytes(bytes, unit);
      const did = `${who} sent ${describeSize(bytes, unit, characters)}; the limit is ${MAX_MESSAGE_BYTES} bytes`;
      if (bytes <= MAX_MESSAGE_BYTES) {
        const problem = await orderAndJudge(client, describeSize(bytes, unit, characters), payload, uncaught);
        expectThat(problem === undefined && client.socket.connected, {
          did,
          expected: `an answer { ok: false, error } (the note is too long), and ${who} still connected: a message of up to ${MAX_MESSAGE_BYTES} bytes is allowed`,
          actual: problem?.text ?? `${who} was disconnected`,
          hint: problem
            ? 'A `note` longer than 200 characters makes the order invalid.'
            : `Set \`maxHttpBufferSize\` to ${MAX_MESSAGE_BYTES} exactly (16 KiB = 16 × 1024 bytes): a smaller limit drops clients the server should answer.`,
        });
      } else {
        let answered = false;
        client.socket.emit('order', payload, () => void (answered = true));
        const dropped = await eventually(() => !client.socket.connected, 2000);
        expectThat(dropped, {
          did,
          expected: `the server to disconnect ${who}`,
          actual: `${who} was still connected 2 s later${answered ? ', and its order was answered' : ''}`,
          hint: answered
            ? `Limit messages in Socket.IO itself, in bytes: \`new Server(httpServer, { maxHttpBufferSize: ${MAX_MESSAGE_BYTES} })\`. Measuring the payload in your handler counts characters, not bytes, and answers instead of disconnecting.`
            : `Pass \`{ maxHttpBufferSize: ${MAX_MESSAGE_BYTES} }\` to \`new Server(httpServer, …)\`: the default is 1 MB.`,
        });
      }
    }
    const valid = { item: randomWord(5), quantity: 1, tags: [] };
    const after = await orderAndJudge(bystander, `client E's valid order ${describeValue(valid)}`, valid, uncaught);
    expectThat(after === undefined && bystander.socket.connected && clients[0]!.socket.connected && clients[1]!.socket.connected, {
      did: 'clients C and D were disconnected for oversized messages; then client E sent a valid order',
      expected: 'clients A, B and E still connected, and client E answered { ok: true, order }',
      actual: after?.text ?? `connected: ${clients.map((c) => `${c.who} ${c.socket.connected ? 'yes' : 'no'}`).join(', ')}`,
      hint: 'Only the sender of an oversized message is dropped; the server goes on serving everyone else.',
    });
  });

  test('close() disconnects every client and stops listening', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await Promise.all([connectSocketIo(workbench, server.url, 'client A'), connectSocketIo(workbench, server.url, 'client B')]);
    const valid = { item: randomWord(6), quantity: 2, tags: [] };
    await emitAndAwaitAck(clients[0]!, 'order', [valid], { withinMs: 1500 });
    await expectCloseDisconnectsClients(server, clients);
  });
});
