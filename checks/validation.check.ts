/**
 * Grades `validation`: valid orders, hand-made and randomly generated malformed ones,
 * odd arguments, and a message over the size limit, sent to the learner's server.
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
  expectThat,
  fail,
  randomWord,
  recordUncaught,
  startExerciseServer,
  test,
  type SocketIoClient,
  type UncaughtErrors,
  type Workbench,
} from './support/index.ts';

const ID = 'validation';
/** The limit the README states. */
const MAX_MESSAGE_BYTES = 16 * 1024;

/** The README's rules, as the check's own reference. */
const ORDER = z.object({
  item: z.string().min(1).max(40),
  quantity: z.number().int().min(1).max(99),
  tags: z.array(z.string().min(1).max(20)).max(5),
  note: z.string().max(200).optional(),
});

const startServer = (workbench: Workbench) => startExerciseServer(workbench, ID, 'server.ts', 'startOrderServer');

const THROWN = 'Never let a handler throw: validate the payload with `safeParse` before touching it, and check `typeof ack === "function"` before calling it.';

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

/** Payloads a careless server trips on, each named for the message. */
function handMadeMalformed(): [string, unknown][] {
  const base = { item: randomWord(8), quantity: 3, tags: ['gift'] };
  return [
    ['null', null],
    ['a number', 42],
    ['a string', 'one pizza please'],
    ['an empty object', {}],
    ['an array', [base]],
    ['no `item`', { quantity: 1, tags: [] }],
    ['no `quantity`', { item: 'tea', tags: [] }],
    ['no `tags`', { item: 'tea', quantity: 1 }],
    ['an empty `item`', { ...base, item: '' }],
    ['an `item` of 41 characters', { ...base, item: 'x'.repeat(41) }],
    ['`item` as a number', { ...base, item: 7 }],
    ['`item` as an object', { ...base, item: { toString: 'tea' } }],
    ['`quantity` 0', { ...base, quantity: 0 }],
    ['`quantity` 100', { ...base, quantity: 100 }],
    ['`quantity` 1.5', { ...base, quantity: 1.5 }],
    ['`quantity` as the string "3"', { ...base, quantity: '3' }],
    ['`quantity` null', { ...base, quantity: null }],
    ['`tags` as a string', { ...base, tags: 'gift' }],
    ['6 `tags`', { ...base, tags: ['a', 'b', 'c', 'd', 'e', 'f'] }],
    ['an empty tag', { ...base, tags: [''] }],
    ['a tag of 21 characters', { ...base, tags: ['t'.repeat(21)] }],
    ['a number among `tags`', { ...base, tags: ['ok', 5] }],
    ['a `note` of 201 characters', { ...base, note: 'n'.repeat(201) }],
    ['`note` null', { ...base, note: null }],
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

/** Sends one `order` and checks the answer against the rules; returns a problem, or undefined. */
async function orderAndJudge(client: SocketIoClient, label: string, payload: unknown, uncaught: UncaughtErrors): Promise<string | undefined> {
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
  if (expected.ok) {
    return isDeepStrictEqual(answer, expected) ? undefined : `${label}, a valid order, was answered ${describeValue(answer)} instead of ${describeValue(expected)}`;
  }
  const { ok, error, ...rest } = (answer ?? {}) as Record<string, unknown>;
  const fine = ok === false && typeof error === 'string' && error.length >= 1 && error.length <= 200 && Object.keys(rest).length === 0;
  return fine ? undefined : `${label} was answered ${describeValue(answer)} instead of { ok: false, error: <1 to 200 characters> }`;
}

describe('validation', () => {
  test('accepts valid orders and passes on only the keys it knows', async ({ workbench }) => {
    const server = await startServer(workbench);
    const uncaught = recordUncaught(workbench);
    const client = await connectSocketIo(workbench, server.url, 'client A');
    const orders = fc.sample(validOrder, 25).map((order, i) => (i % 2 === 0 ? { ...order, isAdmin: true, price: 0 } : order));
    // An own `__proto__` key, as JSON.parse makes it: it must be dropped like any other unknown key.
    orders.push(JSON.parse(`{"item":"${randomWord(6)}","quantity":2,"tags":[],"__proto__":{"quantity":0},"constructor":"x"}`));
    const problems = (await Promise.all(orders.map((order) => orderAndJudge(client, `the order ${describeValue(order, 160)}`, order, uncaught)))).filter(Boolean);
    uncaught.expectNone(`client A sent ${orders.length} valid orders`, THROWN);
    expectThat(problems.length === 0, {
      did: `client A sent ${orders.length} valid orders (some with extra keys such as \`isAdmin\` and \`__proto__\`)`,
      expected: 'each answered { ok: true, order } with the order as sent, minus the keys the README does not name',
      actual: `${problems.length} were not; first: ${problems[0]}`,
      hint: 'A zod object (`z.object({ … })`) drops unknown keys: answer with `result.data`, not with the payload you received.',
    });
  });

  test('answers every malformed order with an error, without crashing', async ({ workbench }) => {
    const server = await startServer(workbench);
    const uncaught = recordUncaught(workbench);
    const [sender, bystander] = await Promise.all([connectSocketIo(workbench, server.url, 'client A'), connectSocketIo(workbench, server.url, 'client B')]);
    const handMade = handMadeMalformed();
    // Random junk and near-misses; only those the rules reject are kept.
    const generated = fc
      .sample(fc.oneof(fc.anything(), fc.record({ item: fc.anything(), quantity: fc.oneof(fc.integer(), fc.double(), fc.string()), tags: fc.anything() })), 80)
      .filter((payload) => !expectedResult(payload).ok)
      .map((payload): [string, unknown] => [`the generated payload ${describeValue(payload, 160)}`, payload]);
    const cases = [...handMade.map(([label, payload]): [string, unknown] => [`an order with ${label}`, payload]), ...generated];
    for (let i = 0; i < cases.length; i += 20) {
      const batch = cases.slice(i, i + 20);
      const problems = (await Promise.all(batch.map(([label, payload]) => orderAndJudge(sender, label, payload, uncaught)))).filter(Boolean);
      uncaught.expectNone(`client A sent malformed orders, among them ${batch.map(([label]) => label).slice(0, 3).join('; ')}`, THROWN);
      if (problems.length > 0) {
        fail({
          did: 'client A sent malformed orders',
          expected: 'each answered { ok: false, error } with a short reason (1 to 200 characters)',
          actual: `${problems.length} were not; first: ${problems[0]}`,
          hint: 'Validate with a schema (`OrderSchema.safeParse(payload)`) and answer `{ ok: false, error }` whenever it fails; keep `error` short (the first issue is enough).',
        });
      }
    }
    const valid = { item: randomWord(10), quantity: 5, tags: ['after'] };
    const problem = await orderAndJudge(bystander, `client B's valid order ${describeValue(valid)}`, valid, uncaught);
    expectThat(problem === undefined && sender.socket.connected, {
      did: `client A sent ${cases.length} malformed orders; then client B sent a valid one`,
      expected: 'client B answered { ok: true, … } and client A still connected',
      actual: problem ?? 'client A was disconnected',
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
    expectThat(problem === undefined, {
      did: 'client A emitted `order` with no arguments, without acknowledgement, with `1, 2, 3`, and with a string where the acknowledgement goes; then a valid order',
      expected: 'the valid order answered { ok: true, order }',
      actual: problem ?? '',
      hint: 'Check `typeof ack === "function"` before calling it: without one there is nobody to answer.',
    });
  });

  test(`disconnects a client whose message is over ${MAX_MESSAGE_BYTES / 1024} KiB, and only that client`, async ({ workbench }) => {
    const server = await startServer(workbench);
    const uncaught = recordUncaught(workbench);
    const [sender, bystander] = await Promise.all([connectSocketIo(workbench, server.url, 'client A'), connectSocketIo(workbench, server.url, 'client B')]);
    const base = { item: 'big', quantity: 1, tags: [] };
    const below = { ...base, note: 'n'.repeat(12 * 1024) };
    const problem = await orderAndJudge(sender, 'an order with a 12 KiB `note`', below, uncaught);
    expectThat(problem === undefined && sender.socket.connected, {
      did: 'client A sent an order with a 12 KiB `note` (under the 16 KiB limit)',
      expected: 'an answer { ok: false, error } (the note is too long), and client A still connected',
      actual: problem ?? 'client A was disconnected',
      hint: problem
        ? 'A `note` longer than 200 characters makes the order invalid.'
        : `Set \`maxHttpBufferSize\` to ${MAX_MESSAGE_BYTES} (16 KiB): a smaller limit drops clients the server should answer.`,
    });
    sender.socket.emit('order', { ...base, note: 'n'.repeat(20 * 1024) }, () => {});
    const dropped = await eventually(() => !sender.socket.connected, 2000);
    expectThat(dropped, {
      did: 'client A sent an order of 20 KiB (over the 16 KiB limit)',
      expected: 'the server to disconnect client A',
      actual: 'client A was still connected 2 s later',
      hint: `Pass \`{ maxHttpBufferSize: ${MAX_MESSAGE_BYTES} }\` to \`new Server(httpServer, …)\`: the default is 1 MB.`,
    });
    const valid = { item: randomWord(5), quantity: 1, tags: [] };
    const after = await orderAndJudge(bystander, `client B's valid order ${describeValue(valid)}`, valid, uncaught);
    expectThat(after === undefined && bystander.socket.connected, {
      did: 'client A was disconnected for an oversized message; then client B sent a valid order',
      expected: 'client B still connected and answered { ok: true, order }',
      actual: after ?? 'client B was disconnected',
      hint: 'Only the sender of an oversized message is dropped; the server goes on serving everyone else.',
    });
  });
});
