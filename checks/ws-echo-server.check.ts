/**
 * Grades `ws-echo-server`: the learner's echo server, which stands on the learner's
 * own handshake and frames, seen byte by byte from raw TCP clients (one frame or
 * several, masked or not, the close code, nothing after the close), and from real
 * `ws` clients for many at once.
 *
 * Rule → test (README "Your task", and the TSDoc of `startWsEchoServer` and `exercises/types.ts`):
 * - 1 listens on options.port and options.host ........ "listens on the host it is given, and nowhere else"
 *   resolves with the real port ........................ every test, "asks the system for a free port when given port 0"
 *   rejects when it cannot listen ....................... "rejects when the port is taken"
 * - 2 upgrade → completeHandshake ...................... every test (raw and `ws` handshakes)
 *   any other request → 400 Bad Request ................ "answers a plain HTTP request with 400 Bad Request"
 * - 3 a frame in many data events ...................... "reads frames however TCP cuts them …" (a frame in 8 writes)
 *   several frames in one data event .................. "reads frames however TCP cuts them …" (five frames in the same write)
 *   a buffer per connection ............................ "serves four clients at once …", "keeps each connection's fragments apart"
 *   head is the start of the stream .................... "reads frames that arrive in the same write as the handshake"
 * - 4 echo text/binary, same type, one unmasked frame .. "echoes text and binary messages of 0 bytes to 1 MiB, each in one unmasked frame"
 *   to its sender ...................................... "serves four clients at once, each getting only its own echoes"
 * - 5 reassemble fragments, echo once when complete .... "reassembles a fragmented message and echoes it once, in one frame"
 *   control frames between fragments ................... same test (a ping and a pong between them)
 *   per connection ..................................... "keeps each connection's fragments apart"
 * - 6 ping → pong with the same payload ................ "answers every ping with a pong carrying its payload, and never answers a pong"
 *   ignore pongs ....................................... same test, and the fragments test
 * - 7 close → close with the same code ................. "completes the closing handshake: the same code back, then the end"
 *   empty payload if it had none ....................... "answers an empty close frame with an empty one, never with 1005"
 *   then end the connection (nothing after the close) .. both close tests (a half-open client; a frame after the close),
 *     "ends the connection after the close frame without throwing away the echoes still queued" (end, not destroy)
 * - 8 protocol errors → close 1002, then end ........... "closes with 1002 on every protocol error …": no mask (data and
 *     control frames), every reserved opcode, each RSV bit, a fragmented or too long control frame, a continuation
 *     with no message begun, a new text or binary frame during a message, a close of 1 byte; frames before it
 *     answered, none after
 * - 9 close(): every connection, upgraded ones too ..... "close() disconnects every client, even one that keeps its side open"
 *   nothing left behind ................................ every test's teardown (leaks), "forgets each connection once it closes"
 * - (every server) an error nobody catches fails ........ "survives a client that resets its connection in the middle of a frame"
 */
import { describe } from 'vitest';
import {
  accepts,
  ANSWER_MS,
  connectTcp,
  connectWs,
  eventually,
  expectAnyFreePortForZero,
  expectForgetsClosedConnections,
  expectListensOnGivenHost,
  expectRejectsTakenPort,
  expectThat,
  fail,
  nextWsEvent,
  randomBuffer,
  resetOnceServerRead,
  randomInt,
  randomWebSocketKey,
  randomWord,
  sendRawHttp,
  sleep,
  startExerciseServer,
  test,
  upgradeRequest,
  within,
  type ServerUnderCheck,
  watchAcceptedSockets,
  type WsClient,
  type Workbench,
} from './support/index.ts';
import { clientFrame, closePayload, describeFrames, expectFrames, openRawFrames, readFrames, serverFrame, WsOpcode, type RawWebSocket, type ReadFrame } from './support/raw-frames.ts';

const echoServer: ServerUnderCheck = { exerciseId: 'ws-echo-server', file: 'server.ts', functionName: 'startWsEchoServer' };

async function startServer(workbench: Workbench) {
  const server = await startExerciseServer(workbench, echoServer.exerciseId, echoServer.file, echoServer.functionName);
  return { ...server, url: `ws://127.0.0.1:${server.port}/` };
}

/** Messages of 1 MiB a slow reader leaves unread: more than the kernel's socket buffers on loopback (4 MiB to send, a little to receive). */
const QUEUED_MESSAGES = 8;

/** How long the check waits, after the last answer it expects, for anything extra. */
const QUIET_MS = 100;

const { Text, Binary, Continuation, Close, Ping, Pong } = WsOpcode;

/** Text of exactly `bytes` bytes in UTF-8, with some multi-byte characters when there is room. */
function textOfBytes(bytes: number): string {
  const fancy = bytes >= 16 ? 'é中🦊' : '';
  const rest = bytes - Buffer.byteLength(fancy);
  return fancy + Buffer.from(randomBuffer(rest).map((byte) => 97 + (byte % 26))).toString('latin1');
}

/** The likely cause when a message of `size` bytes does not come back right. */
function sizeHint(size: number): string {
  const buffering = 'A frame this large may arrive in several `data` events: append each chunk to a per-connection buffer, and decode only when decodeFrame no longer says "need-more-bytes".';
  if (size === 0) return 'An empty message is still a message: a frame with length 0.';
  if (size <= 125) return 'Echo the payload in one unmasked frame with the same opcode.';
  if (size <= 65_535) return `From 126 bytes on, the length takes 16 more bits (see the \`ws-frames\` check). ${buffering}`;
  if (size <= 65_536) return `From 65 536 bytes on, the length takes 64 more bits (see the \`ws-frames\` check). ${buffering}`;
  return buffering;
}

/** What the frames that came say about an echo that went wrong, or undefined. */
function echoHint(opcode: number, frames: ReadFrame[]): string | undefined {
  if (frames.some((f) => f.masked)) return 'A server never masks: encode the echo without a `mask` (a client masks, a server does not).';
  const data = frames.filter((f) => f.opcode !== Ping && f.opcode !== Pong);
  if (data.length > 1 || data.some((f) => !f.fin)) return 'Echo the whole message in one frame with FIN set, once its last fragment arrived: not each fragment as it comes.';
  if (data[0] && data[0].opcode !== opcode) return 'Echo with the opcode of the message you received: text stays text (0x1), binary stays binary (0x2).';
  return undefined;
}

/** Message sizes around the length-field boundaries. */
function pickSize(): number {
  const sizes = [0, 1, 125, 126, 127, 1000, 65_535, 65_536, 100_000];
  return sizes[randomInt(0, sizes.length - 1)]!;
}

function hex(bytes: Buffer, count = 12): string {
  return `${bytes.subarray(0, count).toString('hex').replace(/(..)/g, '$1 ').trim() || '(no bytes)'}${bytes.length > count ? ' …' : ''}`;
}

/** Waits for the echo of one message at a `ws` client and compares it, type and bytes. */
async function expectWsEcho(client: WsClient, sent: Buffer, did: string, hint: string): Promise<void> {
  const [data, isBinary] = (await nextWsEvent(client, 'message', { did, expected: `the same binary message back (${sent.length} bytes)`, hint }, 3000)) as [Buffer, boolean];
  if (isBinary && data.equals(sent)) return;
  fail({
    did,
    expected: `a binary message of ${sent.length} bytes: ${hex(sent)}`,
    actual: `a ${isBinary ? 'binary' : 'text'} message of ${data.length} bytes: ${hex(data)}`,
    hint: isBinary ? hint : 'Echo with the opcode of the message you received: binary stays binary (0x2).',
  });
}

/** The close code a frame carries, if it is a close frame with one. */
function closeCodeOf(frame: ReadFrame | undefined): number | undefined {
  return frame?.opcode === Close && frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : undefined;
}

/**
 * Expects, after `before` (the answers due first), a close frame with `code` and then
 * the end of the connection, with nothing in between or after. `raw` keeps its side open,
 * so the end is the server's own.
 */
async function expectCloseThenEnd(raw: RawWebSocket, before: readonly Buffer[], code: number, report: { did: string; hint: string }): Promise<void> {
  const due = readFrames(Buffer.concat(before)).frames.length + 1;
  await raw.waitForFrames(due, ANSWER_MS);
  const ended = await raw.waitForEnd(1500);
  const frames = raw.frames;
  const close = frames[due - 1];
  const beforeOk = raw.bytes.subarray(0, close?.offset ?? raw.bytes.length).equals(Buffer.concat(before));
  const codeOk = closeCodeOf(close) === code && !close!.masked && close!.fin;
  const nothingAfter = frames.length === due && raw.rest.length === 0;
  if (beforeOk && codeOk && nothingAfter && ended) return;
  const expected = `${before.length > 0 ? `${describeFrames(readFrames(Buffer.concat(before)).frames).replace(/:\n[\s\S]*/, '')} answering the frames before it, then ` : ''}one close frame with code ${code} (88 xx ${hex(closePayload(code), 2)} …), nothing after it, and the end of the connection`;
  fail({
    did: report.did,
    expected,
    actual: `${describeFrames(frames, raw.rest)}${ended ? '\n            then the connection ended' : `\n            and the connection was still open ${1500 / 1000} s later`}`,
    hint:
      frames.length === 0 && ended
        ? 'Send the close frame before you end the connection: `socket.end(encodeFrame({ fin: true, opcode: Opcode.Close, payload }))` writes it, then ends.'
        : codeOk && !ended
          ? 'After the close frame, end the connection (`socket.end(frame)`) and stop reading it: the conversation is over.'
          : codeOk && !nothingAfter
            ? 'The close frame is the last frame you send: stop handling what comes after it, even if it arrived in the same chunk.'
            : report.hint,
  });
}

describe.concurrent('ws-echo-server', () => {
  test('listens on the host it is given, and nowhere else', async ({ workbench }) => {
    await expectListensOnGivenHost(workbench, echoServer);
  });

  test('asks the system for a free port when given port 0', async ({ workbench }) => {
    await expectAnyFreePortForZero(workbench, echoServer);
  });

  test('rejects when the port is taken', async ({ workbench }) => {
    await expectRejectsTakenPort(workbench, echoServer);
  });

  test('answers a plain HTTP request with 400 Bad Request', async ({ workbench }) => {
    const server = await startServer(workbench);
    const requests = [
      { what: 'a plain GET / without Upgrade', text: `GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n` },
      { what: `a POST /${randomWord(5)} with a body`, text: `POST /${randomWord(5)} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello` },
    ];
    for (const { what, text } of requests) {
      const { response } = await sendRawHttp(workbench, server.port, text, what);
      expectThat(response.statusCode === 400, {
        did: `Sent ${what} (an HTTP request that asks for no WebSocket)`,
        expected: 'HTTP/1.1 400 Bad Request',
        actual: response.statusLine,
        hint: 'Answer the `request` event of the http server (every request without `Upgrade`) with status 400: `response.writeHead(400).end()`.',
      });
    }
  });

  test('reads frames however TCP cuts them: in pieces, and five frames in the same write', async ({ workbench }) => {
    const server = await startServer(workbench);
    const raw = await openRawFrames(workbench, server.port);
    // A frame with a 16-bit length in pieces: a byte of the header at a time, then the mask and payload cut in two.
    const slow = Buffer.from(textOfBytes(randomInt(126, 300)));
    const bytes = clientFrame({ opcode: Text, payload: slow });
    const cuts = [0, 1, 2, 3, 4, 6, 8, randomInt(9, bytes.length - 1), bytes.length];
    for (let i = 1; i < cuts.length; i++) {
      raw.send(bytes.subarray(cuts[i - 1], cuts[i]));
      await sleep(5);
    }
    await expectFrames(
      raw,
      [serverFrame(Text, slow)],
      { did: `Sent a text frame of ${bytes.length} bytes one byte a write, so that it reached your server in many \`data\` events`, expected: 'its echo once the last byte came' },
      { withinMs: 3000 },
    );
    // Five frames in the same write: they arrive in one `data` event.
    const messages = [randomBuffer(randomInt(1, 125)), Buffer.from(`first ${randomWord(5)}`), randomBuffer(randomInt(126, 2000)), Buffer.from(`last ${randomWord(5)}`)];
    const ping = randomBuffer(randomInt(1, 30));
    raw.send(
      clientFrame({ opcode: Binary, payload: messages[0] }),
      clientFrame({ opcode: Text, payload: messages[1] }),
      clientFrame({ opcode: Ping, payload: ping }),
      clientFrame({ opcode: Binary, payload: messages[2] }),
      clientFrame({ opcode: Text, payload: messages[3] }),
    );
    await expectFrames(
      raw,
      [serverFrame(Text, slow), serverFrame(Binary, messages[0]), serverFrame(Text, messages[1]), serverFrame(Pong, ping), serverFrame(Binary, messages[2]), serverFrame(Text, messages[3])],
      {
        did: 'Then sent five frames in the same write (binary, text, ping, binary, text): they reach your server in one `data` event',
        expected: 'an answer to each of the five, in order',
        hint: () => 'One chunk may hold several frames: after decoding one, decode again from `bytesUsed` on, in a loop, until decodeFrame says "need-more-bytes".',
      },
      { quietMs: QUIET_MS },
    );
  });

  test('reads frames that arrive in the same write as the handshake', async ({ workbench }) => {
    const server = await startServer(workbench);
    const text = Buffer.from(`early bird ${randomWord(6)}`);
    const ping = randomBuffer(randomInt(1, 20));
    const long = Buffer.from(textOfBytes(randomInt(200, 400)));
    const longFrame = clientFrame({ opcode: Text, payload: long });
    const cut = randomInt(3, longFrame.length - 2);
    const cases = [
      { what: `a masked text frame ${JSON.stringify(text.toString())}`, head: clientFrame({ opcode: Text, payload: text }), later: Buffer.alloc(0), answer: [serverFrame(Text, text)] },
      {
        what: 'a text frame and a ping',
        head: Buffer.concat([clientFrame({ opcode: Text, payload: text }), clientFrame({ opcode: Ping, payload: ping })]),
        later: Buffer.alloc(0),
        answer: [serverFrame(Text, text), serverFrame(Pong, ping)],
      },
      { what: `the first ${cut} bytes of a ${longFrame.length}-byte text frame (the rest sent a moment later)`, head: longFrame.subarray(0, cut), later: longFrame.subarray(cut), answer: [serverFrame(Text, long)] },
    ];
    for (const { what, head, later, answer } of cases) {
      const key = randomWebSocketKey();
      const request = Buffer.concat([Buffer.from(upgradeRequest(server.port, { headers: { 'Sec-WebSocket-Key': key } })), head]);
      const did = `Sent a handshake and, in the same write, ${what}`;
      const { client, response } = await sendRawHttp(workbench, server.port, request, `a handshake followed at once by ${what}`);
      expectThat(response.statusCode === 101, { did, expected: 'HTTP/1.1 101 Switching Protocols', actual: response.statusLine, hint: 'Run the `ws-handshake` check first: this exercise builds on it.' });
      if (later.length > 0) {
        await sleep(20);
        client.socket.write(later);
      }
      const expected = Buffer.concat(answer);
      await eventually(() => client.received.length >= response.headLength + expected.length || client.ended, 2000);
      const got = client.received.subarray(response.headLength);
      const { frames, rest } = readFrames(got);
      expectThat(got.equals(expected), {
        did,
        expected: `${describeFrames(readFrames(expected).frames)}`,
        actual: describeFrames(frames, rest),
        hint: 'Node may read the first frames together with the handshake: they are in the `head` argument of the `upgrade` event (`(request, socket, head) => …`). Put them at the start of the connection\'s buffer, before the `data` events.',
      });
    }
  });

  test('reassembles a fragmented message and echoes it once, in one frame', async ({ workbench }) => {
    const server = await startServer(workbench);
    const raw = await openRawFrames(workbench, server.port);
    const word = randomWord(6);
    const ping = randomBuffer(randomInt(1, 125));
    const parts = [`Hel${word}`, ' lo ', 'wörld 🦊'];
    raw.send(clientFrame({ opcode: Text, payload: parts[0], fin: false }));
    raw.send(clientFrame({ opcode: Ping, payload: ping }), clientFrame({ opcode: Continuation, payload: parts[1], fin: false }));
    raw.send(clientFrame({ opcode: Pong, payload: randomBuffer(8) }), clientFrame({ opcode: Continuation, payload: parts[2], fin: true }));
    const text = Buffer.from(parts.join(''));
    const answers = [serverFrame(Pong, ping), serverFrame(Text, text)];
    await expectFrames(
      raw,
      answers,
      {
        did: `Sent a text message in three fragments (${parts.map((p) => JSON.stringify(p)).join(', ')}), with a ping after the first and a pong before the last`,
        expected: 'the pong for the ping, then the whole message in one text frame (a control frame between fragments is answered at once; a pong is not answered)',
        hint: (frames) =>
          frames.length > 0 && frames[0]!.opcode === Close
            ? 'Control frames (ping, pong, close) may come between the fragments of a message: answer them, and keep the fragments.'
            : (echoHint(Text, frames) ?? 'Keep the payloads of a fragmented message until the frame with FIN set, then echo them joined, with the opcode of the first fragment.'),
      },
    );

    const binary = [randomBuffer(randomInt(1, 300)), Buffer.alloc(0), randomBuffer(randomInt(65_536, 100_000))];
    raw.send(clientFrame({ opcode: Binary, payload: binary[0], fin: false }), clientFrame({ opcode: Continuation, payload: binary[1], fin: false }), clientFrame({ opcode: Continuation, payload: binary[2] }));
    answers.push(serverFrame(Binary, Buffer.concat(binary)));
    await expectFrames(raw, answers, {
      did: `Then sent a binary message in three fragments of ${binary.map((p) => p.length).join(', ')} bytes`,
      expected: 'the whole message in one binary frame',
      hint: (frames) => echoHint(Binary, frames.slice(2)) ?? 'Continuation frames (opcode 0x0) carry the rest of the message; the type comes from the first fragment.',
    });
    // A message in one frame after those: the reassembly was reset.
    const after = Buffer.from(`after ${randomWord(5)}`);
    raw.send(clientFrame({ opcode: Text, payload: after }));
    answers.push(serverFrame(Text, after));
    await expectFrames(
      raw,
      answers,
      { did: `Then sent a text message ${JSON.stringify(after.toString())} in one frame`, expected: 'its echo alone', hint: () => 'Once a fragmented message is echoed, forget its parts: the next message starts afresh.' },
      { quietMs: QUIET_MS },
    );
  });

  test("keeps each connection's fragments apart", async ({ workbench }) => {
    const server = await startServer(workbench);
    const [a, b] = await Promise.all([openRawFrames(workbench, server.port, 'client A'), openRawFrames(workbench, server.port, 'client B')]);
    const parts = { A: [Buffer.from(`A1 ${randomWord(5)} `), Buffer.from(`A2 ${randomWord(5)}`)], B: [randomBuffer(randomInt(1, 100)), randomBuffer(randomInt(1, 100))] };
    /**
     * Sends a frame, then a ping, and waits for the pong: the server has then read the frame. Once a pong did
     * not come, the next steps wait no more (the frames compared below say what went wrong).
     */
    let inStep = true;
    const sendAndSync = async (raw: RawWebSocket, frame: Buffer) => {
      const seen = raw.frames.length;
      raw.send(frame, clientFrame({ opcode: Ping }));
      if (inStep) inStep = (await raw.waitForFrames(seen + 1, 2000)).length > seen;
    };
    await sendAndSync(a, clientFrame({ opcode: Text, payload: parts.A[0], fin: false }));
    await sendAndSync(b, clientFrame({ opcode: Binary, payload: parts.B[0], fin: false }));
    await sendAndSync(a, clientFrame({ opcode: Continuation, payload: parts.A[1] }));
    await sendAndSync(b, clientFrame({ opcode: Continuation, payload: parts.B[1] }));
    const did = 'Client A began a fragmented text message, client B a fragmented binary one; then A sent its last fragment, then B (each step waited for a pong, so your server read them in that order)';
    await expectFrames(
      a,
      [serverFrame(Pong), serverFrame(Text, Buffer.concat(parts.A)), serverFrame(Pong)],
      { did, expected: 'client A to get its own message back, whole', hint: () => 'Keep the message being reassembled per connection (inside the upgrade handler), not in one variable for the whole server.' },
      { quietMs: QUIET_MS },
    );
    await expectFrames(b, [serverFrame(Pong), serverFrame(Binary, Buffer.concat(parts.B)), serverFrame(Pong)], {
      did,
      expected: 'client B to get its own message back, whole',
      hint: () => 'Keep the message being reassembled per connection (inside the upgrade handler), not in one variable for the whole server.',
    });
  });

  test('answers every ping with a pong carrying its payload, and never answers a pong', async ({ workbench }) => {
    const server = await startServer(workbench);
    const raw = await openRawFrames(workbench, server.port);
    raw.send(clientFrame({ opcode: Pong, payload: randomBuffer(randomInt(1, 125)) }));
    const pings = [Buffer.alloc(0), randomBuffer(randomInt(1, 60)), randomBuffer(125)];
    raw.send(...pings.map((payload) => clientFrame({ opcode: Ping, payload })));
    await expectFrames(
      raw,
      pings.map((payload) => serverFrame(Pong, payload)),
      {
        did: `Sent a pong nobody asked for, then ${pings.length} pings (of ${pings.map((p) => p.length).join(', ')} bytes)`,
        expected: 'one pong per ping, in order, each with the payload of its ping, and no answer to the pong',
        hint: (frames) =>
          frames[0]?.opcode === Pong && frames.length > pings.length
            ? 'Ignore a pong (opcode 0xA): answering it too would have two peers bounce pongs forever.'
            : 'Answer a ping (opcode 0x9) with a pong (opcode 0xA) carrying the same payload.',
      },
      { quietMs: QUIET_MS },
    );
  });

  test('completes the closing handshake: the same code back, then the end', async ({ workbench }) => {
    const server = await startServer(workbench);
    const codes = [1000, 1001, randomInt(3000, 3999), randomInt(4000, 4999)];
    await Promise.all(
      codes.map(async (code, i) => {
        // Half-open: the client keeps its side open, so the end must come from your server.
        const raw = await openRawFrames(workbench, server.port, `client ${i + 1}`, { halfOpen: true });
        const reason = i % 2 === 0 ? '' : `bye ${randomWord(4)}`;
        // A frame after the close, in the same write: it must not be answered.
        raw.send(clientFrame({ opcode: Close, payload: closePayload(code, reason) }), clientFrame({ opcode: Text, payload: 'too late' }));
        await expectCloseThenEnd(raw, [], code, {
          did: `A client sent a close frame with code ${code}${reason ? ` and reason ${JSON.stringify(reason)}` : ''}, then (in the same write) a text frame "too late"`,
          hint: 'Answer a close frame (opcode 0x8) with a close frame carrying the same code (`encodeClosePayload(code)`), then end the connection: `socket.end(frame)`.',
        });
      }),
    );
    // A close in the middle of a fragmented message closes too.
    const raw = await openRawFrames(workbench, server.port, 'a client closing during a message', { halfOpen: true });
    const code = randomInt(4000, 4999);
    raw.send(clientFrame({ opcode: Text, payload: 'unfinished', fin: false }), clientFrame({ opcode: Close, payload: closePayload(code) }));
    await expectCloseThenEnd(raw, [], code, {
      did: `A client began a fragmented text message, then sent a close frame with code ${code}`,
      hint: 'A close frame may come between fragments like any control frame: answer it with the same code and end; the unfinished message is dropped.',
    });
  });

  test('ends the connection after the close frame without throwing away the echoes still queued', async ({ workbench }) => {
    const accepted = watchAcceptedSockets(workbench);
    const server = await startServer(workbench);
    const raw = await openRawFrames(workbench, server.port, 'a client that reads slowly', { halfOpen: true });
    // More echo than the kernel's buffers hold while this client does not read: the rest waits in your server.
    raw.client.socket.pause();
    const messages = Array.from({ length: QUEUED_MESSAGES }, () => randomBuffer(1024 * 1024));
    const code = randomInt(4000, 4999);
    raw.send(...messages.map((payload) => clientFrame({ opcode: Binary, payload })), clientFrame({ opcode: Close, payload: closePayload(code) }), clientFrame({ opcode: Ping }));
    const expected = Buffer.concat([...messages.map((payload) => serverFrame(Binary, payload)), serverFrame(Close, closePayload(code))]);
    // Read only once your server has answered the close (ended or destroyed its socket): the echoes are queued by then.
    await eventually(() => accepted.live().some((socket) => socket.writableEnded || socket.destroyed), 3000);
    raw.client.socket.resume();
    const did = `A client that was not reading sent ${QUEUED_MESSAGES} binary messages of 1 MiB, a close frame with code ${code} and a ping, in one write; it then read everything`;
    const headLength = raw.client.received.length - raw.bytes.length;
    await raw.client.receive(headLength + expected.length, 5000, () => ({
      did,
      hint: 'After the close frame, end the connection with `socket.end()`, which sends what is still queued first: `socket.destroy()` (or a write after `end()`, which destroys the socket) throws it away. Stop handling frames once you answered a close.',
    }));
    const ended = await raw.waitForEnd(ANSWER_MS);
    const got = raw.bytes;
    if (got.equals(expected) && ended) return;
    const { frames, rest } = readFrames(got);
    fail({
      did,
      expected: `the ${QUEUED_MESSAGES} echoes, then one close frame with code ${code}, nothing after it (no pong), and the end of the connection`,
      actual: `${got.length} of ${expected.length} bytes: ${frames.length} frames (the last ${frames.at(-1) ? describeFrames([frames.at(-1)!]).replace(/^one frame:\s*1\. /, '') : 'none'})${rest.length > 0 ? `, then ${rest.length} bytes of an unfinished frame` : ''}${ended ? ', then the connection ended' : ', and the connection was still open'}`,
      hint: 'After the close frame, end the connection with `socket.end()`, which sends what is still queued first: `socket.destroy()` (or a write after `end()`, which destroys the socket) throws it away. Stop handling frames once you answered a close.',
    });
  });

  test('answers an empty close frame with an empty one, never with 1005', async ({ workbench }) => {
    const server = await startServer(workbench);
    const raw = await openRawFrames(workbench, server.port, 'a raw WebSocket client', { halfOpen: true });
    raw.send(clientFrame({ opcode: Close }));
    await raw.waitForFrames(1, ANSWER_MS);
    const ended = await raw.waitForEnd(1500);
    const did = 'A client sent a close frame with an empty payload (no status code)';
    const got = raw.bytes;
    if (got.equals(Buffer.from([0x88, 0x00])) && ended) return;
    const code = closeCodeOf(raw.frames[0]);
    fail({
      did,
      expected: 'a close frame with an empty payload too (88 00), then the end of the connection',
      actual: `${describeFrames(raw.frames, raw.rest)}${ended ? '\n            then the connection ended' : '\n            and the connection stayed open'}`,
      hint:
        code === 1005
          ? '1005 only means "no status code" in an API (decodeClosePayload reports it for an empty payload): it must never be sent. Answer an empty close with an empty close.'
          : got.length === 0
            ? 'Send the close frame before you end the connection.'
            : code !== undefined
              ? 'The client sent no code: send none back either, an empty close payload.'
              : 'Answer with a close frame, then end the connection.',
    });
  });

  test('closes with 1002 on every protocol error, after answering the frames before it', async ({ workbench }) => {
    const server = await startServer(workbench);
    const reserved = [0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf];
    const payload = Buffer.from('Hello');
    const cases: { what: string; bytes: Buffer; hint: string }[] = [
      { what: 'an unmasked text frame "Hello"', bytes: clientFrame({ opcode: Text, payload, masked: false }), hint: 'A client must mask every frame: one without a mask (`frame.mask` undefined) is a protocol error. Answer with a close frame with code 1002 and end the connection, without echoing it.' },
      { what: 'an unmasked ping', bytes: clientFrame({ opcode: Ping, payload, masked: false }), hint: 'A client must mask every frame, control frames too: check the mask before answering any frame.' },
      ...reserved.map((opcode) => ({
        what: `a masked frame with the reserved opcode 0x${opcode.toString(16)}`,
        bytes: clientFrame({ opcode, payload }),
        hint: 'When decodeFrame throws, catch it: that is a protocol error, answered with a close frame with code 1002.',
      })),
      ...[0b100, 0b010, 0b001].map((rsv) => ({
        what: `a masked text frame with the reserved bit RSV${4 - Math.log2(rsv) - 1} set`,
        bytes: clientFrame({ opcode: Text, payload, rsv }),
        hint: 'No extension was agreed on, so RSV1-3 must be 0: when decodeFrame throws, catch it and close with code 1002.',
      })),
      { what: 'a ping with FIN 0 (a fragmented control frame)', bytes: clientFrame({ opcode: Ping, payload, fin: false }), hint: 'Control frames cannot be fragmented: when decodeFrame throws, catch it and close with code 1002.' },
      { what: 'a ping with 126 bytes of payload (a control frame holds 125 at most)', bytes: clientFrame({ opcode: Ping, payload: randomBuffer(126) }), hint: 'A control frame carries at most 125 bytes: when decodeFrame throws, catch it and close with code 1002.' },
      {
        what: 'a close frame whose payload is 1 byte (a status code takes 2)',
        bytes: clientFrame({ opcode: Close, payload: Buffer.from([0x03]) }),
        hint: 'A close payload is empty or starts with a 2-byte code: one byte is a protocol error (decodeClosePayload throws on it). Catch that and close with code 1002, instead of letting the exception out of the data handler.',
      },
      { what: 'a continuation frame with no message begun', bytes: clientFrame({ opcode: Continuation, payload }), hint: 'A continuation frame (opcode 0x0) is only valid after a text or binary frame with FIN 0: otherwise close with code 1002.' },
      {
        what: 'a text frame with FIN 0, then a new text frame (not a continuation)',
        bytes: Buffer.concat([clientFrame({ opcode: Text, payload: 'unfinished', fin: false }), clientFrame({ opcode: Text, payload })]),
        hint: 'While a message is being reassembled, only continuation and control frames may come: a new text or binary frame is a protocol error (close with 1002), not a new message.',
      },
      {
        what: 'a binary frame with FIN 0, then a new binary frame (not a continuation)',
        bytes: Buffer.concat([clientFrame({ opcode: Binary, payload: randomBuffer(10), fin: false }), clientFrame({ opcode: Binary, payload })]),
        hint: 'While a message is being reassembled, only continuation and control frames may come: a new text or binary frame is a protocol error (close with 1002), not a new message.',
      },
    ];
    await Promise.all(
      cases.map(async ({ what, bytes, hint }, i) => {
        const raw = await openRawFrames(workbench, server.port, `raw client ${i + 1}`, { halfOpen: true });
        const before = Buffer.from(`before ${randomWord(4)}`);
        // A good frame first (it must be echoed), the bad one, then a good one (it must not be).
        raw.send(clientFrame({ opcode: Text, payload: before }), bytes, clientFrame({ opcode: Text, payload: 'after' }));
        await expectCloseThenEnd(raw, [serverFrame(Text, before)], 1002, {
          did: `Sent, in one write, a text frame ${JSON.stringify(before.toString())}, then ${what} (a protocol error), then a text frame "after"`,
          hint,
        });
      }),
    );
    // The server is still there for the next client.
    const next = await openRawFrames(workbench, server.port, 'a client after the protocol errors');
    const text = Buffer.from(`still there ${randomWord(4)}`);
    next.send(clientFrame({ opcode: Text, payload: text }));
    await expectFrames(next, [serverFrame(Text, text)], { did: `After ${cases.length} protocol errors on other connections, a new client sent a text message`, expected: 'its echo' });
  });

  test('serves four clients at once, each getting only its own echoes', async ({ workbench }) => {
    const server = await startServer(workbench);
    const names = ['client A', 'client B', 'client C', 'client D'];
    const clients = await Promise.all(names.map((who) => connectWs(workbench, server.url, who, { perMessageDeflate: false })));
    const sent = clients.map(() => Array.from({ length: 5 }, () => randomBuffer(pickSize())));
    sent.forEach((messages, i) => messages.forEach((data) => clients[i]!.socket.send(data)));
    await Promise.all(
      clients.map(async (client, i) => {
        for (const [index, data] of sent[i]!.entries()) {
          await expectWsEcho(
            client,
            data,
            `Four clients each sent 5 binary messages at once; ${client.who} waited for the echo of its message ${index + 1}`,
            'Keep a buffer per connection (inside the upgrade handler), and write each echo on the socket the message came from.',
          );
        }
      }),
    );
    await sleep(QUIET_MS);
    for (const client of clients) {
      const extra = client.events.pending.find((e) => e.name === 'message');
      expectThat(!extra, {
        did: 'Four clients each sent 5 binary messages at once, and each got its 5 echoes',
        expected: `${client.who} to receive nothing more`,
        actual: `it received another message of ${(extra?.args[0] as Buffer | undefined)?.length} bytes`,
        hint: 'Echo each message once, to its sender only.',
      });
    }
  });

  test('survives a client that resets its connection in the middle of a frame', async ({ workbench }) => {
    const accepted = watchAcceptedSockets(workbench);
    const server = await startServer(workbench);
    const rude = await openRawFrames(workbench, server.port, 'a client that resets');
    const frame = clientFrame({ opcode: Binary, payload: randomBuffer(1000) });
    rude.send(frame.subarray(0, 500));
    await resetOnceServerRead(accepted, rude.client.socket);
    const polite = await openRawFrames(workbench, server.port, 'a second client');
    const text = Buffer.from(`hello ${randomWord(5)}`);
    polite.send(clientFrame({ opcode: Text, payload: text }));
    await expectFrames(polite, [serverFrame(Text, text)], {
      did: 'A client sent half a frame and reset its connection (RST); then a second client sent a text message',
      expected: 'its echo: your server still running',
      hint: () => 'Add `socket.on("error", …)` to every upgraded socket: without a listener, the ECONNRESET error crashes the process.',
    });
  });

  test('close() disconnects every client, even one that keeps its side open', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await Promise.all(['client A', 'client B'].map((who) => connectWs(workbench, server.url, who)));
    // A WebSocket that never hangs up, in the middle of a fragmented message and of a frame.
    const halfOpen = await openRawFrames(workbench, server.port, 'a raw client that keeps its side open', { halfOpen: true });
    halfOpen.send(clientFrame({ opcode: Text, payload: 'unfinished', fin: false }), clientFrame({ opcode: Binary, payload: randomBuffer(300) }).subarray(0, 100));
    // A plain HTTP connection that sent half a request.
    const http = await connectTcp(workbench, server.port, 'an HTTP client halfway through its request');
    http.socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n`);
    await sleep(50);
    const did = 'Called close() with two `ws` clients, a raw WebSocket client that keeps its side open (half-open), and an HTTP client halfway through a request connected';
    await within(server.close(), 2000, () => ({
      did,
      expected: 'it to resolve within 2 s',
      actual: 'it had not resolved: a connection was still open',
      hint: 'The HTTP server no longer tracks upgraded sockets: keep them in a Set and `destroy()` them in close() (`end()` waits for a client that may never hang up); `server.closeAllConnections()` closes the HTTP ones.',
    }));
    const gone = await eventually(() => clients.every((c) => c.events.pending.some((e) => e.name === 'close')) && halfOpen.ended && (http.ended || http.socket.destroyed), 1000);
    expectThat(gone, {
      did,
      expected: 'every client to be disconnected',
      actual: `still connected after 1 s: ${[...clients.filter((c) => !c.events.pending.some((e) => e.name === 'close')).map((c) => c.who), ...(halfOpen.ended ? [] : [halfOpen.who]), ...(http.ended || http.socket.destroyed ? [] : ['the HTTP client'])].join(', ')}`,
      hint: 'The HTTP server no longer tracks upgraded sockets: keep them in a Set and destroy them in close().',
    });
    expectThat(!(await accepts('127.0.0.1', server.port)), {
      did: `After close() resolved, connected to port ${server.port} again`,
      expected: 'the connection to be refused: the server is closed',
      actual: 'it was accepted',
      hint: 'Call `server.close()` too, not only destroy the sockets.',
    });
  });

  test('forgets each connection once it closes', async ({ workbench }) => {
    await expectForgetsClosedConnections(workbench, echoServer, async (port) => {
      const raw = await openRawFrames(workbench, port, 'a short-lived client');
      raw.send(clientFrame({ opcode: Close, payload: closePayload(1000) }));
      const ended = await raw.waitForEnd(ANSWER_MS);
      expectThat(ended, { did: 'A client sent a close frame with code 1000', expected: 'your server to answer and end the connection', actual: 'the connection was still open after 2 s' });
      raw.client.socket.destroy();
    });
  });

  // Alone, after the others: unmasking 1 MiB in the learner's code keeps the thread busy, which would hold up the answers tests beside it wait for.
  test.sequential('echoes text and binary messages of 0 bytes to 1 MiB, each in one unmasked frame', async ({ workbench }) => {
    const server = await startServer(workbench);
    const raw = await openRawFrames(workbench, server.port);
    const answers: Buffer[] = [];
    for (const size of [0, 1, 125, 126, 127, 65_535, 65_536, 1024 * 1024]) {
      for (const opcode of [Binary, Text]) {
        const payload = opcode === Binary ? randomBuffer(size) : Buffer.from(textOfBytes(size));
        raw.send(clientFrame({ opcode, payload }));
        answers.push(serverFrame(opcode, payload));
        const kind = opcode === Binary ? 'binary' : 'text';
        await expectFrames(
          raw,
          answers,
          {
            did: `Sent a ${kind} message of ${size} bytes in one masked frame${answers.length > 1 ? `, after ${answers.length - 1} smaller messages that were echoed` : ''}`,
            expected: `its echo: one unmasked ${kind} frame with FIN set, carrying the same ${size} bytes`,
            hint: (frames) => echoHint(opcode, frames.slice(answers.length - 1)) ?? sizeHint(size),
          },
          { withinMs: ANSWER_MS },
        );
      }
    }
    await expectFrames(raw, answers, { did: 'Sent 16 messages of 0 bytes to 1 MiB, each echoed', expected: 'nothing more after the 16 echoes' }, { quietMs: QUIET_MS });
  });
});
