/**
 * Grades `ws-echo-server`: real `ws` clients against the learner's echo server,
 * which stands on the learner's own handshake and frames; raw TCP clients for
 * what a `ws` client never sends (an unmasked frame, a reserved opcode).
 */
import { describe } from 'vitest';
import {
  connectWs,
  describeValue,
  eventually,
  expectThat,
  fail,
  nextWsEvent,
  openRawWebSocket,
  randomBuffer,
  randomInt,
  randomWebSocketKey,
  randomWord,
  recordUncaught,
  sendRawHttp,
  startExerciseServer,
  test,
  upgradeRequest,
  within,
  type WsClient,
  type Workbench,
} from './support/index.ts';

async function startServer(workbench: Workbench) {
  const server = await startExerciseServer(workbench, 'ws-echo-server', 'server.ts', 'startWsEchoServer');
  return { ...server, url: `ws://127.0.0.1:${server.port}/` };
}

/** Text of exactly `bytes` bytes in UTF-8, with some multi-byte characters when there is room. */
function textOfBytes(bytes: number): string {
  const fancy = bytes >= 16 ? 'é中🦊' : '';
  const rest = bytes - Buffer.byteLength(fancy);
  return fancy + Buffer.from(randomBuffer(rest).map((byte) => 97 + (byte % 26))).toString('latin1');
}

function hex(bytes: Buffer, count = 12): string {
  return `${bytes.subarray(0, count).toString('hex').replace(/(..)/g, '$1 ').trim() || '(no bytes)'}${bytes.length > count ? ' …' : ''}`;
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

/** Message sizes around the length-field boundaries. */
function pickSize(): number {
  const sizes = [0, 1, 125, 126, 127, 1000, 65_535, 65_536, 100_000];
  return sizes[randomInt(0, sizes.length - 1)]!;
}

/** Waits for the echo of one message and compares it, type and bytes. */
async function expectEcho(client: WsClient, sent: Buffer, binary: boolean, did: string, hint: string): Promise<void> {
  const kind = binary ? 'binary' : 'text';
  const [data, isBinary] = (await nextWsEvent(client, 'message', { did, expected: `the same ${kind} message back (${sent.length} bytes)`, hint }, 3000)) as [Buffer, boolean];
  if (isBinary === binary && data.equals(sent)) return;
  let at = 0;
  while (at < sent.length && at < data.length && sent[at] === data[at]) at++;
  fail({
    did,
    expected: `a ${kind} message of ${sent.length} bytes: ${hex(sent)}`,
    actual:
      `a ${isBinary ? 'binary' : 'text'} message of ${data.length} bytes: ${hex(data)}` +
      (isBinary === binary && data.length === sent.length ? `\n            first difference at byte ${at}` : ''),
    hint: isBinary !== binary ? 'Echo with the opcode of the message you received: text stays text (0x1), binary stays binary (0x2).' : hint,
  });
}

describe('ws-echo-server', () => {
  test('echoes text and binary messages of 0 bytes to 1 MiB', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectWs(workbench, server.url, 'a `ws` client', { perMessageDeflate: false });
    for (const size of [0, 125, 126, 65_535, 65_536, 1024 * 1024]) {
      const data = randomBuffer(size);
      client.socket.send(data);
      await expectEcho(client, data, true, `Sent a binary message of ${size} bytes`, sizeHint(size));
      const text = textOfBytes(size);
      client.socket.send(text);
      await expectEcho(client, Buffer.from(text), false, `Sent a text message of ${size} bytes`, sizeHint(size));
    }
  });

  test('reassembles fragmented messages, with a ping between the fragments', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectWs(workbench, server.url, 'a `ws` client', { perMessageDeflate: false });
    const word = randomWord(6);
    const pingData = randomBuffer(randomInt(1, 125));
    client.socket.send(`Hel${word}`, { fin: false });
    client.socket.send(' lo ', { fin: false });
    client.socket.ping(pingData);
    client.socket.send('world', { fin: true });
    const did = `Sent a text message in three fragments ("Hel${word}", " lo ", "world"), with a ping between the second and the third`;
    const [pong] = (await nextWsEvent(client, 'pong', {
      did,
      expected: 'a pong for the ping, even in the middle of a message',
      hint: 'Control frames (ping, pong, close) may come between the fragments of a message: answer them right away, and keep the fragments.',
    })) as [Buffer];
    expectThat(pong.equals(pingData), { did, expected: `a pong carrying ${hex(pingData)}`, actual: `a pong carrying ${hex(pong)}` });
    await expectEcho(client, Buffer.from(`Hel${word} lo world`), false, did, 'Keep the payloads of a fragmented message until the frame with FIN set, then echo them joined, with the opcode of the first fragment.');

    const parts = [randomBuffer(randomInt(1, 300)), Buffer.alloc(0), randomBuffer(randomInt(65_536, 100_000))];
    client.socket.send(parts[0]!, { fin: false, binary: true });
    client.socket.send(parts[1]!, { fin: false, binary: true });
    client.socket.send(parts[2]!, { fin: true, binary: true });
    await expectEcho(
      client,
      Buffer.concat(parts),
      true,
      `Sent a binary message in three fragments of ${parts.map((p) => p.length).join(', ')} bytes`,
      'Continuation frames (opcode 0x0) carry the rest of the message; the type comes from the first fragment.',
    );
  });

  test('answers every ping with a pong carrying the same payload', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectWs(workbench, server.url, 'a `ws` client', { perMessageDeflate: false });
    const pings = [Buffer.alloc(0), randomBuffer(randomInt(1, 60)), randomBuffer(125)];
    for (const data of pings) client.socket.ping(data);
    for (const [index, data] of pings.entries()) {
      const did = `Sent ${pings.length} pings (of ${pings.map((p) => p.length).join(', ')} bytes)`;
      const [pong] = (await nextWsEvent(client, 'pong', {
        did,
        expected: `pong ${index + 1}, carrying the payload of ping ${index + 1}`,
        hint: 'Answer a ping (opcode 0x9) with a pong (opcode 0xA) carrying the same payload.',
      })) as [Buffer];
      expectThat(pong.equals(data), { did, expected: `pong ${index + 1} carrying ${hex(data)}`, actual: `it carried ${hex(pong)}` });
    }
  });

  test('completes the closing handshake, echoing the status code', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectWs(workbench, server.url, 'a `ws` client', { perMessageDeflate: false });
    const code = randomInt(4000, 4999);
    client.socket.close(code, `bye ${randomWord(4)}`);
    const did = `The client closed the connection with code ${code}`;
    const [closeCode] = await nextWsEvent(
      client,
      'close',
      {
        did,
        expected: `your server to answer with a close frame carrying code ${code}, then end the TCP connection`,
        hint: 'Answer a close frame (opcode 0x8) with a close frame carrying the same code (`encodeClosePayload(code)`), then end the connection: `socket.end(frame)`.',
      },
      1500,
    );
    expectThat(closeCode === code, {
      did,
      expected: `the close frame of your server to carry code ${code}`,
      actual: `it carried ${closeCode === 1005 ? 'no code (the client reports 1005 for that)' : `code ${describeValue(closeCode)}`}`,
      hint: 'Read the code with decodeClosePayload(frame.payload) and send it back with encodeClosePayload(code).',
    });
  });

  test('closes with 1002 when a client breaks the protocol', async ({ workbench }) => {
    const server = await startServer(workbench);
    const cases = [
      { what: 'an unmasked text frame "Hello" (a client must mask every frame)', bytes: Buffer.from('810548656c6c6f', 'hex'), hint: 'A frame from a client without a mask (`frame.mask` undefined) is a protocol error: answer with a close frame with code 1002 and end the connection, without echoing it.' },
      { what: 'a masked frame with the reserved opcode 0x3', bytes: Buffer.from('838537fa213d7f9f4d5158', 'hex'), hint: 'When decodeFrame throws, catch it: that is a protocol error, answered with a close frame with code 1002.' },
      { what: 'a masked continuation frame with no message begun', bytes: Buffer.from('808537fa213d7f9f4d5158', 'hex'), hint: 'A continuation frame (opcode 0x0) is only valid after a text or binary frame with FIN 0: otherwise close with code 1002.' },
    ];
    const uncaught = recordUncaught(workbench);
    for (const { what, bytes, hint } of cases) {
      const { client, headLength } = await openRawWebSocket(workbench, server.port, 'a raw TCP client');
      client.socket.write(bytes);
      const did = `Completed a handshake over raw TCP, then sent ${what}: <${hex(bytes, 16)}>`;
      await eventually(() => client.ended || uncaught.errors.length > 0, 2000);
      uncaught.expectNone(did, 'decodeFrame throws on bytes that cannot be a frame: catch that in your `data` handler, and answer with a close frame with code 1002.');
      await client.serverEnded(100, () => ({ did, expected: 'a close frame with code 1002, then the connection ended', hint }));
      const answer = client.received.subarray(headLength);
      const code = answer.length >= 4 && answer[0] === 0x88 && (answer[1]! & 0x7f) >= 2 ? answer.readUInt16BE(2) : undefined;
      expectThat(code === 1002, {
        did,
        expected: 'a close frame with code 1002: 88 xx 03 ea …',
        actual: answer.length === 0 ? 'the connection ended without a close frame' : `<${hex(answer, 16)}>${code === undefined ? '' : ` (a close frame with code ${code})`}`,
        hint,
      });
    }
  });

  test('reads a frame that arrives together with the handshake', async ({ workbench }) => {
    const server = await startServer(workbench);
    const key = randomWebSocketKey();
    const text = Buffer.from(`early bird ${randomWord(6)}`);
    const mask = randomBuffer(4);
    const frame = Buffer.concat([Buffer.from([0x81, 0x80 | text.length]), mask, Buffer.from(text.map((byte, i) => byte ^ mask[i % 4]!))]);
    const request = Buffer.concat([Buffer.from(upgradeRequest(server.port, { headers: { 'Sec-WebSocket-Key': key } })), frame]);
    const did = `Sent a handshake and, in the same write, a masked text frame ${JSON.stringify(text.toString())}`;
    const { client, response } = await sendRawHttp(workbench, server.port, request, 'a handshake followed at once by a frame');
    expectThat(response.statusCode === 101, { did, expected: 'HTTP/1.1 101 Switching Protocols', actual: response.statusLine, hint: 'Run the `ws-handshake` check first: this exercise builds on it.' });
    const echo = Buffer.concat([Buffer.from([0x81, text.length]), text]);
    await eventually(() => client.received.length >= response.headLength + echo.length || client.ended, 2000);
    const answer = client.received.subarray(response.headLength);
    expectThat(answer.subarray(0, echo.length).equals(echo), {
      did,
      expected: `the echo, an unmasked text frame: <${hex(echo, 16)}>`,
      actual: answer.length === 0 ? 'nothing after the 101' : `<${hex(answer, 16)}>`,
      hint: 'Node may read the first frame together with the handshake: it is in the `head` argument of the `upgrade` event (`(request, socket, head) => …`). Feed it to your frame reader before the `data` events.',
    });
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
          await expectEcho(
            client,
            data,
            true,
            `Four clients each sent 5 binary messages at once; ${client.who} waited for the echo of its message ${index + 1}`,
            'Keep a buffer per connection (inside the upgrade handler), and write each echo on the socket the message came from.',
          );
        }
      }),
    );
  });

  test('close() disconnects every client', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await Promise.all(['client A', 'client B'].map((who) => connectWs(workbench, server.url, who)));
    await within(server.close(), 2000, () => ({
      did: 'Called close() with two WebSocket clients connected',
      expected: 'it to resolve within 2 s',
      actual: 'it had not resolved',
      hint: 'The HTTP server no longer tracks upgraded sockets: keep them in a Set and destroy them in close().',
    }));
    const gone = await eventually(() => clients.every((c) => c.events.pending.some((e) => e.name === 'close')), 1000);
    expectThat(gone, {
      did: 'Called close() with two WebSocket clients connected',
      expected: 'both clients to be disconnected',
      actual: 'at least one was still connected after 1 s',
      hint: 'The HTTP server no longer tracks upgraded sockets: keep them in a Set and destroy them in close().',
    });
  });
});
