/**
 * Grades `tcp-framing`: real `net` clients write newline-delimited JSON cut at
 * random byte positions, and read the learner's replies line by line.
 */
import { isDeepStrictEqual } from 'node:util';
import type net from 'node:net';
import { describe } from 'vitest';
import {
  connectTcp,
  cutAtRandom,
  describeValue,
  eventually,
  expectThat,
  fail,
  pick,
  randomInt,
  sleep,
  startExerciseServer,
  test,
  type TcpClient,
  type Workbench,
} from './support/index.ts';

const MAX_LINE_BYTES = 64 * 1024;
const REPLY_LIMIT_MS = 3000;

const startServer = (workbench: Workbench) => startExerciseServer(workbench, 'tcp-framing', 'server.ts', 'startFramingServer');

/** Characters of every UTF-8 length (1 to 4 bytes), plus the ones JSON must escape. */
const ALPHABET = ['a', 'b', 'z', ' ', '"', '\\', '\n', 'é', 'ß', 'Ж', '中', '€', '😀', '🦊'];

function randomText(maxChars = 40): string {
  return Array.from({ length: randomInt(0, maxChars) }, () => pick(ALPHABET)).join('');
}

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

/** The complete lines received so far (a trailing unfinished line is left out). */
function receivedLines(client: TcpClient): string[] {
  return client.received.toString('utf8').split('\n').slice(0, -1);
}

/** Waits for `count` reply lines and parses them; fails with a learner-facing message otherwise. */
async function readReplies(client: TcpClient, count: number, did: string, hint?: string): Promise<unknown[]> {
  await eventually(() => receivedLines(client).length >= count || client.ended, REPLY_LIMIT_MS);
  const lines = receivedLines(client);
  if (lines.length < count) {
    fail({
      did,
      expected: `${count} reply line${count === 1 ? '' : 's'}, each ending with "\\n"`,
      actual:
        `${lines.length} complete line${lines.length === 1 ? '' : 's'}` +
        (client.ended ? ', then the server ended the connection' : ` after ${REPLY_LIMIT_MS / 1000} s`) +
        (client.received.length > 0 && !client.received.toString().endsWith('\n') ? ' (the last reply has no "\\n" at its end)' : ''),
      hint:
        hint ??
        (client.ended
          ? 'Only a line longer than MAX_LINE_BYTES closes the connection: answer anything else (a malformed line too) and keep reading.'
          : lines.length === 0
            ? 'A request is complete when its "\\n" arrives, not when a `data` event fires: keep the bytes received so far, and answer each complete line with `socket.write(JSON.stringify(reply) + "\\n")`.'
            : 'Answer every complete line in a chunk, not only the first: loop while the buffer holds a "\\n".'),
    });
  }
  return lines.slice(0, count).map((line, index) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      return fail({ did, expected: `reply ${index + 1} to be one line of JSON`, actual: describeValue(line), hint: 'Send `JSON.stringify(reply) + "\\n"`.' });
    }
  });
}

/** Compares each reply with what its request called for, and names the first one that is wrong. */
function expectReplies(replies: unknown[], sent: readonly Sent[], did: string, hint?: string): void {
  sent.forEach(({ line, expected }, index) => {
    const reply = replies[index];
    const request = describeValue(line.toString('utf8').trimEnd(), 90);
    if (expected === 'error') {
      const isError = typeof reply === 'object' && reply !== null && typeof (reply as { error?: unknown }).error === 'string' && (reply as { error: string }).error.length > 0;
      expectThat(isError, {
        did: `${did}; line ${index + 1} was ${request}`,
        expected: 'an error reply such as {"error":"this line is not JSON"}',
        actual: describeValue(reply),
        hint: 'Parse inside `try { … } catch`, and check that the result is an object with a number `id` and a string `text` before using it.',
      });
      return;
    }
    if (isDeepStrictEqual(reply, expected)) return;
    const echo = (reply as { echo?: unknown } | null)?.echo;
    const otherIndex = sent.findIndex((other) => other.expected !== 'error' && other.expected.id === (reply as { id?: unknown } | null)?.id);
    fail({
      did: `${did}; request ${index + 1} was ${request}`,
      expected: describeValue(expected, 200),
      actual: describeValue(reply, 200),
      hint:
        hint ??
        (typeof (reply as { error?: unknown } | null)?.error === 'string'
          ? 'A valid request got an error reply: was a piece of a line parsed on its own? A `data` event is a chunk of bytes, not a message: keep the bytes until a "\\n" completes the line.'
          : typeof echo === 'string' && echo.includes('\uFFFD')
          ? 'The echo holds "\uFFFD", the replacement character: a chunk was decoded on its own and a UTF-8 character cut between two chunks was broken. Keep bytes (Buffers) until the "\\n" arrives, then decode the whole line.'
          : otherIndex !== -1 && otherIndex !== index
            ? `This is the reply to request ${otherIndex + 1}: replies must come in the order of the requests, one per line. Was a line lost, or two lines read as one?`
            : '`echo` is the request\'s `text` unchanged and `bytes` is `Buffer.byteLength(text)` (bytes in UTF-8, not characters).'),
    });
  });
}

/** A request whose line, without its "\n", is exactly `bytes` long. */
function requestOfLength(bytes: number): Sent {
  const id = randomInt(1, 1e6);
  return request('x'.repeat(bytes - JSON.stringify({ id, text: '' }).length), id);
}

describe('tcp-framing', () => {
  test('answers one request with its id, its text and its size in bytes', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    const sent = [request(`héllo ${randomText(10)}`)];
    client.socket.write(sent[0]!.line);
    const did = `Sent one request line: ${describeValue(sent[0]!.line.toString().trimEnd())}`;
    expectReplies(await readReplies(client, 1, did), sent, did);
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
  });

  test('answers a malformed line with an error and keeps the connection', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    const sent = [
      request(),
      malformed(`hello ${randomText(5).replaceAll('\n', '')}`),
      request(),
      malformed(`{"id":${randomInt(1, 99)}}`),
      malformed(`[${randomInt(1, 9)},2,3]`),
      malformed(`{"id":"${randomInt(1, 99)}","text":"an id that is a string"}`),
      malformed('null'),
      malformed(`{"id":${randomInt(1, 9)},"text":"no closing brace"`),
      request(),
    ];
    await writeInPieces(client.socket, cutAtRandom(Buffer.concat(sent.map((s) => s.line)), 30));
    const did = 'Sent valid requests mixed with malformed lines (not JSON, missing `text`, an array, a string id, `null`, cut-off JSON)';
    expectReplies(await readReplies(client, sent.length, did), sent, did);
    expectThat(!client.ended, {
      did,
      expected: 'the connection to stay open after the malformed lines',
      actual: 'the server ended it',
      hint: 'A malformed line is answered with an error; only a line that is too long closes the connection.',
    });
  });

  test(`accepts a line of exactly ${MAX_LINE_BYTES} bytes`, async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    const sent = [requestOfLength(MAX_LINE_BYTES), request()];
    await writeInPieces(client.socket, cutAtRandom(Buffer.concat(sent.map((s) => s.line)), 16 * 1024));
    const did = `Sent a request line of exactly ${MAX_LINE_BYTES} bytes (not counting its "\\n"), then a short one`;
    const hint = 'A line of up to MAX_LINE_BYTES bytes without its "\\n" is allowed: refuse only a *longer* one (`>`, not `>=`), and look for the "\\n" before you measure what is left.';
    const replies = await readReplies(client, sent.length, did, hint);
    expectReplies(replies, sent, did);
  });

  test(`ends the connection once a line grows beyond ${MAX_LINE_BYTES} bytes`, async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    const first = request();
    client.socket.write(first.line);
    const did = 'Sent one request';
    expectReplies(await readReplies(client, 1, did), [first], did);
    // A line that never ends: the server must not wait for its "\n".
    const endless = Buffer.from(`{"id":1,"text":"${'y'.repeat(MAX_LINE_BYTES)}`);
    await writeInPieces(client.socket, cutAtRandom(endless, 16 * 1024));
    const did2 = `Sent one request, then ${endless.length} bytes of a line with no "\\n"`;
    await client.serverEnded(REPLY_LIMIT_MS, () => ({
      did: did2,
      expected: 'an error reply, then the server ending the connection',
      hint: `Once the bytes kept for the unfinished line exceed MAX_LINE_BYTES (${MAX_LINE_BYTES}), send an error reply and call \`socket.end()\`: never wait for a "\\n" that may never come.`,
    }));
    const replies = await readReplies(client, 2, did2);
    expectReplies(replies, [first, malformed('(the line that grew too long)')], did2);
  });

  test('keeps a separate buffer for each of three clients', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await Promise.all(['client A', 'client B', 'client C'].map((who) => connectTcp(workbench, server.port, who)));
    const sent = clients.map(() => Array.from({ length: 15 }, () => request()));
    await Promise.all(clients.map((client, i) => writeInPieces(client.socket, cutAtRandom(Buffer.concat(sent[i]!.map((r) => r.line)), 12))));
    for (const [i, client] of clients.entries()) {
      const did = `Three clients sent 15 requests each at the same time, cut at random; client ${'ABC'[i]} read its replies`;
      const hint = 'Keep the unfinished line per connection (a variable inside the connection handler), not in one variable that all connections share.';
      expectReplies(await readReplies(client, sent[i]!.length, did, hint), sent[i]!, did, hint);
    }
  });
});
