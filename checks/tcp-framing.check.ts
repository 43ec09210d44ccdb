/**
 * Grades `tcp-framing`: real `net` clients write newline-delimited JSON cut at
 * random byte positions, and read the learner's replies line by line, byte for byte.
 *
 * Rule → test (README "Your task", the TSDoc of `startFramingServer` and its types, and `exercises/types.ts`):
 * - 1 listens on options.port and options.host ........... "listens on the host it is given, and nowhere else"
 *   the real port for port 0 .............................. "asks the system for a free port when given port 0", every test
 *   rejects when it cannot listen (ListenOptions) ......... "rejects when the port is taken"
 * - 2 lines: bytes up to each \n, decoded as UTF-8 ....... "answers one request …", "reassembles requests cut at random byte positions …"
 *   cut anywhere, inside a multi-byte character too ....... "reassembles …" (two cuts inside a character on purpose, with a pause)
 *   one chunk holds several lines ......................... "answers every request of a chunk that holds several, in order"
 * - 3 exactly one reply line per line, in order .......... every test (replies counted, and nothing more after a quiet wait),
 *                                                            "answers an empty line …" (an empty line is a line too)
 *   JSON.stringify(reply) + "\n" .......................... every reply compared with what JSON.stringify writes for it (no \r, no spaces)
 *   {id, echo, bytes} for a request ....................... "answers one request …" (the edge texts and ids on purpose: "", whitespace around,
 *                                                            1–4-byte characters, ids 0, -0.25, 1.5, 1e300), every test
 *   {"error": non-empty text} for any other line .......... "answers a malformed line with an error and keeps the connection" (every kind)
 *   … and the connection stays open ....................... same test (a request after them is answered)
 * - 4 up to MAX_LINE_BYTES accepted ...................... "accepts a line of exactly 65536 bytes …" (multi-byte text, the \n held back)
 *   more than that without \n: error, then end ............ "ends the connection once an unfinished line grows beyond …" (65 537 bytes of
 *                                                            multi-byte text, counted in bytes), "… a complete line longer than the limit"
 *   … without waiting for a \n, the reply read before the end  "… a client that keeps sending after the limit still reads the error, then the end"
 * - 5 each connection's unfinished line its own .......... "keeps a separate buffer for each of three clients …" (and a silent fourth
 *                                                            client receives nothing; a client that resets mid-line harms no one)
 * - 6 close(): every connection and the server ........... "close() ends every connection, even mid-line and half-open"
 *   leaving nothing running ............................... every test's teardown (leaks), "forgets each connection once it closes",
 *                                                            "close() with no client connected"
 */
import { isDeepStrictEqual } from 'node:util';
import type net from 'node:net';
import { describe } from 'vitest';
import {
  connectTcp,
  cutAtRandom,
  describeValue,
  eventually,
  expectAnyFreePortForZero,
  expectForgetsClosedConnections,
  expectListensOnGivenHost,
  expectRejectsTakenPort,
  expectThat,
  fail,
  formatMs,
  pick,
  QUIET_MS,
  randomInt,
  sleep,
  startExerciseServer,
  test,
  type ServerUnderCheck,
  type TcpClient,
  watchAcceptedSockets,
  type Workbench,
} from './support/index.ts';
import { expectCloseStopsListening } from './support/stops-listening.ts';

const MAX_LINE_BYTES = 64 * 1024;
const REPLY_LIMIT_MS = 3000;

const framingServer: ServerUnderCheck = { exerciseId: 'tcp-framing', file: 'server.ts', functionName: 'startFramingServer' };
const startServer = (workbench: Workbench) => startExerciseServer(workbench, framingServer.exerciseId, framingServer.file, framingServer.functionName);

/** Characters of every UTF-8 length (1 to 4 bytes), plus the ones JSON must escape. */
const ALPHABET = ['a', 'b', 'z', ' ', '"', '\\', '\n', '\t', 'é', 'ß', 'Ж', '中', '€', '😀', '🦊'];

function randomText(maxChars = 40): string {
  return Array.from({ length: randomInt(0, maxChars) }, () => pick(ALPHABET)).join('');
}

/** Texts sent on purpose every run: empty, whitespace around, whitespace only, one character of each UTF-8 length, escapes. */
const EDGE_TEXTS = ['', '  spaces and a tab around\t ', ' \n ', 'a', 'é', '中', '🦊', '\\"\\n', '{"id":1,"text":"json inside"}\n'];
/** Ids sent on purpose every run: any number is an id. */
const EDGE_IDS = [0, -1, 1.5, -0.25, 1e300, Number.MAX_SAFE_INTEGER + 2];

interface Sent {
  readonly line: Buffer;
  /** The reply a correct server sends, or `'error'` for a line it must refuse. */
  readonly expected: { id: number; echo: string; bytes: number } | 'error';
}

function request(text = randomText(), id = randomInt(-1e6, 1e6)): Sent {
  return { line: Buffer.from(`${JSON.stringify({ id, text })}\n`), expected: { id, echo: text, bytes: Buffer.byteLength(text) } };
}

function malformed(line: string): Sent {
  return { line: Buffer.from(`${line}\n`), expected: 'error' };
}

/** Writes `pieces` one by one, letting the event loop run between them so they arrive as separate chunks. */
async function writeInPieces(socket: net.Socket, pieces: Buffer[], pauseMs = 0): Promise<void> {
  socket.setNoDelay(true);
  for (const piece of pieces) {
    // The server may end the connection mid-way (that can be right): stop writing then.
    if (socket.destroyed || socket.writableEnded) return;
    if (!socket.write(piece)) await new Promise((resolve) => (socket.once('drain', resolve), socket.once('close', resolve)));
    await (pauseMs > 0 ? sleep(pauseMs) : new Promise((resolve) => setImmediate(resolve)));
  }
}

/** The complete lines received so far, as bytes (a trailing unfinished line is left out). */
function receivedLines(client: TcpClient): Buffer[] {
  const lines: Buffer[] = [];
  const received = client.received;
  for (let start = 0, end: number; (end = received.indexOf(0x0a, start)) !== -1; start = end + 1) lines.push(received.subarray(start, end));
  return lines;
}

/** Waits for `count` reply lines and parses them; fails with a learner-facing message otherwise. */
async function readReplies(client: TcpClient, count: number, did: string, hint?: string): Promise<unknown[]> {
  await eventually(() => receivedLines(client).length >= count || client.ended || client.socket.destroyed, REPLY_LIMIT_MS);
  const lines = receivedLines(client);
  if (lines.length < count) {
    fail({
      did,
      expected: `${count} reply line${count === 1 ? '' : 's'}, each ending with "\\n"`,
      actual:
        `${lines.length} complete line${lines.length === 1 ? '' : 's'}` +
        (client.ended ? ', then the server ended the connection' : client.socket.destroyed ? ', then the connection was reset' : ` after ${formatMs(REPLY_LIMIT_MS)}`) +
        (client.received.length > 0 && !client.received.toString().endsWith('\n') ? ' (the last reply has no "\\n" at its end)' : ''),
      hint:
        hint ??
        (client.ended || client.socket.destroyed
          ? 'Only a line longer than MAX_LINE_BYTES closes the connection: answer anything else (a malformed line too) and keep reading.'
          : lines.length === 0
            ? 'A request is complete when its "\\n" arrives, not when a `data` event fires: keep the bytes received so far, and answer each complete line with `socket.write(JSON.stringify(reply) + "\\n")`.'
            : 'Answer every line, an empty or malformed one too, and every complete line in a chunk, not only the first: loop while the buffer holds a "\\n".'),
    });
  }
  return lines.slice(0, count).map((bytes, index) => {
    const line = bytes.toString('utf8');
    let reply: unknown;
    try {
      reply = JSON.parse(line) as unknown;
    } catch {
      return fail({ did, expected: `reply ${index + 1} to be one line of JSON`, actual: describeValue(line), hint: 'Send `JSON.stringify(reply) + "\\n"`.' });
    }
    // What JSON.stringify writes for this very reply: no \r before the \n, no spaces, no indentation.
    const canonical = JSON.stringify(reply);
    expectThat(line === canonical, {
      did,
      expected: `reply ${index + 1} to be exactly \`JSON.stringify(reply) + "\\n"\`: ${describeValue(`${canonical}\n`)}`,
      actual: describeValue(`${line}\n`),
      hint: line.endsWith('\r')
        ? 'End each reply with "\\n" alone, not "\\r\\n": the "\\r" becomes part of the line.'
        : 'Write the reply as `JSON.stringify(reply)` writes it, without spaces or indentation, then "\\n".',
    });
    return reply;
  });
}

/** Fails if more than `count` reply lines (or part of one) arrive within a quiet moment. */
async function expectNothingMore(client: TcpClient, count: number, did: string): Promise<void> {
  await sleep(QUIET_MS);
  const lines = receivedLines(client);
  const all = client.received.toString('utf8');
  expectThat(lines.length === count && all.endsWith('\n'), {
    did: `${did}, then waited ${formatMs(QUIET_MS)}`,
    expected: `exactly ${count} reply line${count === 1 ? '' : 's'}, one per line sent, and nothing more`,
    actual: `${lines.length} complete line${lines.length === 1 ? '' : 's'}${all.endsWith('\n') || all.length === 0 ? '' : ' and an unfinished one'}; after the expected ones: ${describeValue(all.split('\n').slice(count).join('\n'), 120)}`,
    hint: 'Answer each line with exactly one `JSON.stringify(reply) + "\\n"`: no greeting, no second line per reply.',
  });
}

interface ReplyContext {
  /** The other clients' requests, when several talk at once: a reply to one of them is a mixed-up buffer. */
  readonly othersSent?: readonly Sent[];
}

/** The hint for a wrong reply to a valid request, from what the reply shows. */
function replyHint(reply: unknown, expected: { id: number; echo: string; bytes: number }, sent: readonly Sent[], index: number, context: ReplyContext): string {
  const { id, echo, bytes, error } = (reply ?? {}) as Record<string, unknown>;
  // First: a replacement character the request did not hold is proof of decoding too early, whatever else is wrong.
  if (typeof echo === 'string' && echo.includes('\uFFFD') && !expected.echo.includes('\uFFFD')) {
    return 'The echo holds "\uFFFD", the replacement character: a chunk was decoded on its own and a UTF-8 character cut between two chunks was broken. Keep bytes (Buffers) until the "\\n" arrives, then decode the whole line.';
  }
  const belongsTo = (list: readonly Sent[]) => list.findIndex((other) => other.expected !== 'error' && other.expected.id === id && other.expected.id !== expected.id);
  if (context.othersSent && belongsTo(context.othersSent) !== -1) {
    return 'That is the reply to another client\'s request: keep the unfinished line per connection (a variable inside the connection handler), not in one variable that all connections share.';
  }
  if (typeof error === 'string') {
    if (expected.echo === '') return 'The request\'s `text` is the empty string: that is a string like any other. Check `typeof text === "string"`, not `if (!text)`.';
    if (!Number.isInteger(expected.id)) return `The request's \`id\` is ${expected.id}: any number is an id, not only an integer. Check \`typeof id === "number"\`.`;
    return context.othersSent
      ? 'A valid request got an error reply: were pieces of two clients\' lines mixed? Keep the unfinished line per connection (a variable inside the connection handler).'
      : 'A valid request got an error reply: was a piece of a line parsed on its own? A `data` event is a chunk of bytes, not a message: keep the bytes until a "\\n" completes the line.';
  }
  const otherIndex = belongsTo(sent);
  if (otherIndex !== -1 && otherIndex !== index) {
    return `This is the reply to request ${otherIndex + 1}: replies must come in the order of the requests, one per line. Was a line lost, or two lines read as one?`;
  }
  if (typeof echo === 'string' && echo !== expected.echo && echo === expected.echo.trim()) return '`echo` is the request\'s `text` unchanged: do not trim it.';
  if (echo === expected.echo && bytes === expected.echo.length && bytes !== expected.bytes) return '`bytes` is the size in UTF-8, `Buffer.byteLength(text)`, not the number of characters (`text.length`).';
  return '`echo` is the request\'s `text` unchanged and `bytes` is `Buffer.byteLength(text)` (bytes in UTF-8, not characters).';
}

/** Compares each reply with what its request called for, and names the first one that is wrong. */
function expectReplies(replies: unknown[], sent: readonly Sent[], did: string, context: ReplyContext = {}): void {
  sent.forEach(({ line, expected }, index) => {
    const reply = replies[index];
    const request = describeValue(line.toString('utf8').replace(/\n$/, ''), 90);
    if (expected === 'error') {
      const isError = typeof reply === 'object' && reply !== null && typeof (reply as { error?: unknown }).error === 'string' && (reply as { error: string }).error.length > 0;
      expectThat(isError, {
        did: `${did}; line ${index + 1} was ${request}`,
        expected: 'an error reply such as {"error":"this line is not JSON"}',
        actual: describeValue(reply),
        hint:
          typeof reply === 'object' && reply !== null && 'error' in reply
            ? '`error` must be a non-empty string saying what is wrong.'
            : 'Parse inside `try { … } catch`, and check that the result is an object (not null, not an array) with a number `id` and a string `text` before using it.',
      });
      return;
    }
    if (isDeepStrictEqual(reply, expected)) return;
    fail({
      did: `${did}; request ${index + 1} was ${request}`,
      expected: describeValue(expected, 200),
      actual: describeValue(reply, 200),
      hint: replyHint(reply, expected, sent, index, context),
    });
  });
}

/** A request whose line, without its "\n", is exactly `bytes` long, its text made of 1- to 4-byte characters. */
function requestOfLength(bytes: number): Sent {
  const id = randomInt(1, 1e6);
  const room = bytes - JSON.stringify({ id, text: '' }).length;
  const wide = '中🦊é'.repeat(Math.floor((room - 16) / 9));
  return request(wide + 'x'.repeat(room - Buffer.byteLength(wide)), id);
}

/** The start of a request line that never ends, `bytes` long, its text made of 3-byte characters (a string of it is a third as long). */
function unfinishedLineOfLength(bytes: number): Buffer {
  const head = '{"id":1,"text":"';
  const wide = '中'.repeat(Math.floor((bytes - head.length) / 3));
  return Buffer.from(head + wide + 'x'.repeat(bytes - head.length - Buffer.byteLength(wide)));
}

/** Expects, on a connection that sent one answered request then too long a line, the error reply and then the end (FIN, not a reset). */
async function expectErrorThenEnd(client: TcpClient, first: Sent, did: string, hint: string): Promise<void> {
  await client.serverEnded(REPLY_LIMIT_MS, () => ({ did, expected: 'an error reply, then the server ending the connection', hint }));
  const replies = await readReplies(client, 2, did, client.ended ? undefined : 'Write the error reply, then `socket.end()`: it sends the reply first. `socket.destroy()` may lose it.');
  expectReplies(replies, [first, malformed('(the line that grew too long)')], did);
  expectThat(client.ended, {
    did,
    expected: 'the server to end the connection after the error reply (a FIN: `socket.end()`)',
    actual: 'the connection was reset',
    hint: '`socket.destroy()` resets a connection whose client is still sending: end it with `socket.end()`, and stop reading the line.',
  });
}

/** Starts the server, connects a client, and sends one request it must answer: the connection works before the test breaks a rule on it. */
async function connectAndAskOnce(workbench: Workbench, options: { allowHalfOpen?: boolean } = {}): Promise<{ client: TcpClient; first: Sent }> {
  const server = await startServer(workbench);
  const client = await connectTcp(workbench, server.port, 'a TCP client', options);
  const first = request();
  client.socket.write(first.line);
  expectReplies(await readReplies(client, 1, 'Sent one request'), [first], 'Sent one request');
  return { client, first };
}

describe.concurrent('tcp-framing', () => {
  test('listens on the host it is given, and nowhere else', async ({ workbench }) => {
    await expectListensOnGivenHost(workbench, framingServer);
  });

  test('asks the system for a free port when given port 0', async ({ workbench }) => {
    await expectAnyFreePortForZero(workbench, framingServer);
  });

  test('rejects when the port is taken', async ({ workbench }) => {
    await expectRejectsTakenPort(workbench, framingServer);
  });

  test('answers one request with its id, its text and its size in bytes; edge texts and ids too', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    const first = request(`héllo ${randomText(10)}`);
    client.socket.write(first.line);
    const did = `Sent one request line: ${describeValue(first.line.toString().trimEnd())}`;
    expectReplies(await readReplies(client, 1, did), [first], did);
    // Then, one at a time, every edge text and every edge id: each alone on its line.
    const edges = [...EDGE_TEXTS.map((text) => request(text)), ...EDGE_IDS.map((id) => request(randomText(8), id))];
    const sent = [first];
    for (const edge of edges) {
      sent.push(edge);
      client.socket.write(edge.line);
      const didEdge = `Sent requests one by one; the last was ${describeValue(edge.line.toString().replace(/\n$/, ''), 90)}`;
      expectReplies(await readReplies(client, sent.length, didEdge), sent, didEdge);
    }
    await expectNothingMore(client, sent.length, `Sent ${sent.length} requests one by one`);
  });

  test('reassembles requests cut at random byte positions, even inside a UTF-8 character', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    // First, cuts placed inside a multi-byte character on purpose, with a pause so each half arrives alone.
    const cutInside = [request('😀 fox 🦊'), request('中文 and é')];
    for (const { line } of cutInside) {
      const at = line.indexOf(Buffer.from(line.includes(Buffer.from('😀')) ? '😀' : '中')) + randomInt(1, 2);
      await writeInPieces(client.socket, [line.subarray(0, at), line.subarray(at)], 30);
    }
    // Then many requests, coalesced and cut anywhere.
    const rest = Array.from({ length: 40 }, () => request());
    await writeInPieces(client.socket, cutAtRandom(Buffer.concat(rest.map((r) => r.line)), 24));
    const sent = [...cutInside, ...rest];
    const did = `Sent ${sent.length} requests cut at random byte positions (some inside a multi-byte character)`;
    expectReplies(await readReplies(client, sent.length, did), sent, did);
    await expectNothingMore(client, sent.length, did);
  });

  test('answers every request of a chunk that holds several, in order', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    const batch = Array.from({ length: 20 }, () => request());
    client.socket.write(Buffer.concat(batch.map((r) => r.line)));
    const did = `Sent ${batch.length} requests in a single write`;
    expectReplies(await readReplies(client, batch.length, did), batch, did);
    // One more request on its own: its reply must come next, with nothing stray before it.
    const last = request();
    client.socket.write(last.line);
    const did2 = `${did}, then one more request on its own`;
    expectReplies(await readReplies(client, batch.length + 1, did2), [...batch, last], did2);
    await expectNothingMore(client, batch.length + 1, did2);
  });

  test('answers an empty line with an error, as every line gets one reply', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    const sent = [malformed(''), request(), malformed(''), malformed(''), request()];
    client.socket.write(Buffer.concat(sent.map((s) => s.line)));
    const did = 'Sent, in one write, "\\n" alone, a request, "\\n\\n", and a request';
    const hint = 'An empty line is a line too: answer it with an error reply, so that replies stay one per line.';
    expectReplies(await readReplies(client, sent.length, did, hint), sent, did);
    await expectNothingMore(client, sent.length, did);
  });

  test('answers a malformed line with an error and keeps the connection', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    const id = () => randomInt(1, 99);
    const sent = [
      request(),
      malformed(`hello ${randomText(5).replaceAll('\n', '')}`),
      request(),
      malformed(`{"id":${id()}}`),
      malformed('{"text":"no id"}'),
      malformed(`[${id()},2,3]`),
      malformed(`{"id":"${id()}","text":"an id that is a string"}`),
      malformed(`{"id":null,"text":"a null id"}`),
      malformed(`{"id":${id()},"text":null}`),
      malformed(`{"id":${id()},"text":["a","list"]}`),
      malformed(`{"id":${id()},"text":${id()}}`),
      malformed('null'),
      malformed('"a JSON string"'),
      malformed(String(id())),
      malformed('true'),
      malformed('   '),
      malformed(`{"id":${id()},"text":"no closing brace"`),
      malformed(`{"id":${id()},"text":"two"} {"id":2,"text":"objects"}`),
      request(),
    ];
    await writeInPieces(client.socket, cutAtRandom(Buffer.concat(sent.map((s) => s.line)), 30));
    const did =
      'Sent valid requests mixed with malformed lines (not JSON, missing `id` or `text`, an array, an id or text of the wrong type, `null`, a string, a number, `true`, spaces, cut-off JSON, two objects)';
    expectReplies(await readReplies(client, sent.length, did), sent, did);
    expectThat(!client.ended && !client.socket.destroyed, {
      did,
      expected: 'the connection to stay open after the malformed lines',
      actual: 'the server ended it',
      hint: 'A malformed line is answered with an error; only a line that is too long closes the connection.',
    });
    await expectNothingMore(client, sent.length, did);
  });

  test(`accepts a line of exactly ${MAX_LINE_BYTES} bytes of multi-byte text, its "\\n" sent on its own`, async ({ workbench }) => {
    const accepted = watchAcceptedSockets(workbench);
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    const long = requestOfLength(MAX_LINE_BYTES);
    const justUnder = requestOfLength(MAX_LINE_BYTES - 1);
    const body = long.line.subarray(0, -1);
    // All of the line but its "\n", read by the server before the "\n" is sent: it holds exactly MAX_LINE_BYTES unfinished bytes, which is allowed.
    await writeInPieces(client.socket, cutAtRandom(body, 16 * 1024));
    const readByServer = () => accepted.live().reduce((most, socket) => Math.max(most, socket.bytesRead), 0);
    await eventually(() => readByServer() >= body.length || client.ended || client.socket.destroyed, REPLY_LIMIT_MS);
    const last = request();
    await writeInPieces(client.socket, [Buffer.from('\n'), ...cutAtRandom(Buffer.concat([justUnder.line, last.line]), 16 * 1024)]);
    const sent = [long, justUnder, last];
    const did = `Sent a request line of exactly ${MAX_LINE_BYTES} bytes (not counting its "\\n"; its text mixes 中, 🦊 and é), its "\\n" after a pause, then one of ${MAX_LINE_BYTES - 1} bytes and a short one`;
    const hint = `A line of up to MAX_LINE_BYTES (${MAX_LINE_BYTES}) bytes without its "\\n" is allowed: refuse only a *longer* one (\`>\`, not \`>=\`), and look for the "\\n" before you measure what is left.`;
    expectReplies(await readReplies(client, sent.length, did, hint), sent, did);
    await expectNothingMore(client, sent.length, did);
  });

  test(`ends the connection once an unfinished line grows beyond ${MAX_LINE_BYTES} bytes, counted in bytes`, async ({ workbench }) => {
    const { client, first } = await connectAndAskOnce(workbench);
    // One byte more than allowed, of 3-byte characters, and no "\n": the server must not wait for one.
    const endless = unfinishedLineOfLength(MAX_LINE_BYTES + 1);
    await writeInPieces(client.socket, cutAtRandom(endless, 16 * 1024));
    const did = `Sent one request, then ${endless.length} bytes of a line (its text all 中, 3 bytes each) with no "\\n"`;
    await expectErrorThenEnd(
      client,
      first,
      did,
      `Once the bytes kept for the unfinished line exceed MAX_LINE_BYTES (${MAX_LINE_BYTES}), send an error reply and call \`socket.end()\`: never wait for a "\\n" that may never come. Count bytes (\`buffer.length\`), not characters of a string.`,
    );
  });

  test(`ends the connection after a complete line longer than ${MAX_LINE_BYTES} bytes`, async ({ workbench }) => {
    const { client, first } = await connectAndAskOnce(workbench);
    const tooLong = requestOfLength(MAX_LINE_BYTES + 1);
    client.socket.write(tooLong.line);
    const did = `Sent one request, then, in one write, a complete request line of ${MAX_LINE_BYTES + 1} bytes and its "\\n"`;
    await expectErrorThenEnd(client, first, did, `A line longer than MAX_LINE_BYTES (${MAX_LINE_BYTES}) is refused, whether or not its "\\n" has arrived: an error reply, then \`socket.end()\`.`);
  });

  test('a client that keeps sending after the limit still reads the error, then the end', async ({ workbench }) => {
    const { client, first } = await connectAndAskOnce(workbench, { allowHalfOpen: true });
    // Far more than the limit in one write: the server sees the limit passed while the rest is still on its way.
    const flood = unfinishedLineOfLength(4 * MAX_LINE_BYTES);
    client.socket.write(flood);
    const did = `Sent one request, then ${flood.length} bytes of a line with no "\\n" in one write, still sending after the limit`;
    let reset: Error | undefined;
    client.socket.on('error', (error) => (reset = error));
    await expectErrorThenEnd(client, first, did, 'Write the error reply, then `socket.end()`, and ignore what the client sends after it.');
    // Ended, not destroyed: the server still takes (and ignores) what the client sends, until the client ends its side too.
    await writeInPieces(client.socket, Array.from({ length: 3 }, () => Buffer.from('z'.repeat(100))), 20);
    client.socket.end();
    const closed = await eventually(() => client.socket.destroyed || client.socket.closed, REPLY_LIMIT_MS);
    const didAfter = `${did}; after the error reply and the end, it sent 300 bytes more, then ended its side`;
    expectThat(reset === undefined, {
      did: didAfter,
      expected: 'the connection to close cleanly, the server having ended it with `socket.end()`',
      actual: `the connection was reset: ${describeValue(reset)}`,
      hint: 'A reset comes when the server closes its socket while the client still sends (`socket.destroy()`?): end the connection with `socket.end()` and ignore what follows.',
    });
    expectThat(closed, { did: didAfter, expected: 'the connection to be closed', actual: `it was still open after ${formatMs(REPLY_LIMIT_MS)}`, hint: 'Keep reading (and ignoring) what the client sends after `socket.end()`, so that its end is seen.' });
  });

  test('keeps a separate buffer for each of three clients; a silent one and one that resets mid-line change nothing', async ({ workbench }) => {
    const accepted = watchAcceptedSockets(workbench);
    const server = await startServer(workbench);
    const names = ['client A', 'client B', 'client C'];
    const clients = await Promise.all(names.map((who) => connectTcp(workbench, server.port, who)));
    const silent = await connectTcp(workbench, server.port, 'client D');
    const leaver = await connectTcp(workbench, server.port, 'client E');
    // Client E sends half a request and leaves with a reset (RST): the server must survive it, and nobody may get its bytes.
    const half = Buffer.from('{"id":424242,"text":"left in the mid');
    leaver.socket.write(half);
    // Reset only once the server has read those bytes: its socket is then open and reading, and the reset reaches it as an error.
    await eventually(() => accepted.live().some((socket) => socket.bytesRead >= half.length), REPLY_LIMIT_MS);
    const leaverOnServer = accepted.live().find((socket) => socket.bytesRead >= half.length);
    leaver.socket.resetAndDestroy();
    await eventually(() => leaverOnServer?.destroyed !== false, REPLY_LIMIT_MS);
    const sent = clients.map(() => Array.from({ length: 15 }, () => request()));
    await Promise.all(clients.map((client, i) => writeInPieces(client.socket, cutAtRandom(Buffer.concat(sent[i]!.map((r) => r.line)), 12))));
    const did = (i: number) => `Three clients sent 15 requests each at the same time, cut at random; ${names[i]} read its replies`;
    for (const [i, client] of clients.entries()) {
      const othersSent = sent.filter((_, k) => k !== i).flat();
      expectReplies(await readReplies(client, sent[i]!.length, did(i)), sent[i]!, did(i), { othersSent });
    }
    await Promise.all(clients.map((client, i) => expectNothingMore(client, sent[i]!.length, did(i))));
    expectThat(silent.received.length === 0 && !silent.ended, {
      did: 'client D connected and sent nothing while three clients talked',
      expected: 'it to receive nothing, and stay connected',
      actual: silent.received.length > 0 ? `it received ${describeValue(silent.received.toString('utf8'))}` : 'the server ended its connection',
      hint: 'Write each reply to the socket the line came from, never to every connection.',
    });
  });

  test('forgets each connection once it closes', async ({ workbench }) => {
    await expectForgetsClosedConnections(workbench, framingServer, async (port) => {
      const client = await connectTcp(workbench, port);
      const one = request();
      client.socket.write(one.line);
      await readReplies(client, 1, 'Sent one request');
      client.socket.end();
      await client.serverEnded(REPLY_LIMIT_MS, () => ({ did: 'Sent one request and ended its side', expected: 'the server to end its side too' }));
      client.socket.destroy();
    });
  });

  test('close() ends every connection, even mid-line and half-open', async ({ workbench }) => {
    const server = await startServer(workbench);
    const idle = await connectTcp(workbench, server.port, 'an idle client');
    const midLine = await connectTcp(workbench, server.port, 'a client in the middle of a line');
    const halfOpen = await connectTcp(workbench, server.port, 'a client that keeps its side open', { allowHalfOpen: true });
    const one = request();
    halfOpen.socket.write(one.line);
    await readReplies(halfOpen, 1, 'Sent one request');
    midLine.socket.write('{"id":7,"text":"not fini');
    await sleep(20);
    const clients = [idle, midLine, halfOpen];
    const did = 'Called close() with three clients connected: one idle, one in the middle of a line, one that keeps its side open';
    await expectCloseStopsListening(server, did, {
      slow: '`server.close()` waits for every open connection: destroy the sockets you keep (a Set, pruned on `close`) first.',
      stillListening: 'Close the listening server too: `server.close()`.',
    });
    const allEnded = await eventually(() => clients.every((c) => c.ended || c.socket.destroyed), 1000);
    expectThat(allEnded, {
      did,
      expected: 'every client to see its connection closed',
      actual: `still open: ${clients.filter((c) => !(c.ended || c.socket.destroyed)).length} of 3`,
      hint: 'Keep every socket in a Set and end or destroy each one in close().',
    });
  });

  test('close() with no client connected', async ({ workbench }) => {
    const server = await startServer(workbench);
    await expectCloseStopsListening(server, 'Called close() with no client connected', { stillListening: 'Close the listening server too: `server.close()`.' });
  });
});
