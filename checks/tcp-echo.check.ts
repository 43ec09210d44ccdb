/**
 * Grades `tcp-echo`: real `net` clients against the learner's echo server.
 *
 * Rule → test (README "Your task", and the TSDoc of `startEchoServer` and `exercises/types.ts`):
 * - 1 listens on options.port and options.host ... "listens on the host it is given, and nowhere else"
 *   resolves with the real port ........................ every test (a port of 0 or a wrong one fails to connect),
 *                                                          "asks the system for a free port when given port 0"
 *   rejects when it cannot listen ....................... "rejects when the port is taken"
 * - 2 every byte back, same order ........................ "echoes random bytes back to one client, and nothing else",
 *                                                          "echoes every byte value unchanged", "echoes 1 MiB …"
 *   to that client only, however many ................. "keeps many concurrent clients apart"
 *   nothing else ......................................... "… and nothing else" (no extra byte after the echo)
 * - 3 ends its side when the client ends theirs .......... "ends its side when the client half-closes"
 *   … and not before ..................................... "keeps the connection open while the client does"
 *   after echoing everything ............................. "delivers everything to a slow reader before ending"
 * - 4 survives a reset ................................... "survives a client that resets its connection"
 * - 5 close(): every connection and the server ........... "closes cleanly, even with a client connected",
 *                                                          "close() does not wait for a client that keeps its side open",
 *                                                          "close() does not wait for a slow reader to drain"
 *   nothing left behind .................................. every test's teardown (leaks), "forgets each connection once it closes",
 *                                                          "… a reset one too" (a reset brings no 'end': forget on 'close')
 */
import net from 'node:net';
import { describe } from 'vitest';
import {
  accepts,
  connectTcp,
  expectAnyFreePortForZero,
  cutAtRandom,
  eventually,
  expectForgetsClosedConnections,
  expectListensOnGivenHost,
  expectRejectsTakenPort,
  expectSameBytes,
  expectThat,
  QUIET_MS,
  randomBuffer,
  resetOnceServerRead,
  randomInt,
  sleep,
  startExerciseServer,
  test,
  within,
  type ServerUnderCheck,
  type TcpClient,
  watchAcceptedSockets,
  type Workbench,
} from './support/index.ts';

const echoServer: ServerUnderCheck = { exerciseId: 'tcp-echo', file: 'server.ts', functionName: 'startEchoServer' };
const startServer = (workbench: Workbench) => startExerciseServer(workbench, echoServer.exerciseId, echoServer.file, echoServer.functionName);

/** Enough bytes to fill the kernel's socket buffers on both sides, so some stay queued in the server. */
const MORE_THAN_BUFFERS = 16 * 1024 * 1024;
/** How long a slow reader waits, after the server has read its end, before reading: time for the server to act on it. */
const SLOW_READER_PAUSE_MS = 50;

/**
 * Writes `pieces` one by one, yielding between writes so they leave as separate TCP
 * segments. Stops early if the connection stops taking bytes (the server ended or
 * closed it): the reads that follow then say what is missing.
 */
async function writeInPieces(socket: net.Socket, pieces: Buffer[]): Promise<void> {
  for (const piece of pieces) {
    if (!socket.writable) return;
    if (!socket.write(piece)) {
      await new Promise<void>((resolve) => {
        const done = () => (socket.off('drain', done), socket.off('close', done), resolve());
        socket.once('drain', done).once('close', done);
      });
    }
    if (Math.random() < 0.3) await sleep(0);
  }
}

/**
 * Reads the echo of `sent` and checks it byte for byte. With `thenQuiet`, it also
 * waits a moment for anything the server adds after the echo (a greeting, a newline).
 */
async function expectEcho(client: TcpClient, sent: Buffer, did: string, hint: string | (() => string), { thenQuiet = false } = {}): Promise<void> {
  // A hint may depend on what was observed (the connection closed): worked out when it is needed.
  const hintNow = () => (typeof hint === 'function' ? hint() : hint);
  await client.receive(sent.length, 3000, () => ({ did, hint: hintNow() }));
  if (thenQuiet) await sleep(QUIET_MS);
  expectSameBytes(client.received, sent, { did: `${did}, and read what came back`, hint: hintNow() });
}

describe.concurrent('tcp-echo', () => {
  test('listens on the host it is given, and nowhere else', async ({ workbench }) => {
    await expectListensOnGivenHost(workbench, echoServer);
  });

  test('asks the system for a free port when given port 0', async ({ workbench }) => {
    await expectAnyFreePortForZero(workbench, echoServer);
  });

  test('rejects when the port is taken', async ({ workbench }) => {
    await expectRejectsTakenPort(workbench, echoServer);
  });

  test('echoes random bytes back to one client, and nothing else', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    const sent = randomBuffer(randomInt(1, 4096));
    client.socket.write(sent);
    await expectEcho(client, sent, `Sent ${sent.length} random bytes to your server`, "Write each chunk from the socket's `data` event back to the same socket, unchanged.", {
      thenQuiet: true,
    });
  });

  test('echoes every byte value unchanged, including bytes that are not text', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    // Every value 0–255, then invalid UTF-8 (a lone continuation byte, a cut-off 🦊): a server that decodes to a string mangles these.
    const sent = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from([0x80, 0xff, 0xf0, 0x9f, 0xa6]), Buffer.from('é and 🦊')]);
    client.socket.write(sent);
    await expectEcho(
      client,
      sent,
      'Sent every byte value from 0x00 to 0xff, then bytes that are not valid UTF-8',
      'Echo the `Buffer` as it came: `chunk.toString()` or `setEncoding()` turns bytes that are not valid UTF-8 into U+FFFD (ef bf bd).',
    );
  });

  test('keeps many concurrent clients apart', async ({ workbench }) => {
    const server = await startServer(workbench);
    // More than any small connection limit a server might set, each with its own bytes, all at once.
    const count = randomInt(25, 40);
    const clients = await Promise.all(Array.from({ length: count }, (_, i) => connectTcp(workbench, server.port, `client ${i + 1}`)));
    const payloads = clients.map(() => randomBuffer(randomInt(1000, 8000)));
    await Promise.all(clients.map((client, i) => writeInPieces(client.socket, cutAtRandom(payloads[i]!, 1500))));
    await Promise.all(
      clients.map((client, i) =>
        expectEcho(
          client,
          payloads[i]!,
          `${count} clients each sent their own random bytes at the same time; client ${i + 1} sent ${payloads[i]!.length}`,
          () =>
            client.ended || client.socket.destroyed
              ? 'Your server closed this connection: serve every client, with no limit on how many are connected (`server.maxConnections`).'
              : 'Each connection gets its own socket: echo on the socket the data came from, never on a shared `lastSocket` variable.',
        ),
      ),
    );
  });

  test('echoes 1 MiB sent in random pieces, byte-exact and in order', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    const sent = randomBuffer(1024 * 1024);
    await writeInPieces(client.socket, cutAtRandom(sent, 64 * 1024));
    const received = await client.receive(sent.length, 5000, () => ({
      did: 'Sent 1 MiB of random bytes in pieces of up to 64 KiB',
      hint: 'Echo every chunk, however many arrive; `socket.pipe(socket)` also respects backpressure.',
    }));
    expectSameBytes(received, sent, { did: 'Sent 1 MiB of random bytes in pieces and compared the echo' });
  });

  test('keeps the connection open while the client does', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    const first = randomBuffer(randomInt(1, 2000));
    client.socket.write(first);
    await client.receive(first.length, 2000, () => ({ did: `Sent ${first.length} bytes` }));
    await sleep(QUIET_MS);
    expectThat(!client.ended, {
      did: `Sent ${first.length} bytes, read the echo, and kept the connection open for ${QUIET_MS} ms`,
      expected: 'the server to keep its side open too: the client has not ended the conversation',
      actual: 'the server ended its side (a FIN arrived) on its own',
      hint: 'End your side only when the client ends theirs (the `end` event), not after each chunk.',
    });
    const second = randomBuffer(randomInt(1, 2000));
    client.socket.write(second);
    await expectEcho(client, Buffer.concat([first, second]), `Then sent ${second.length} more bytes on the same connection`, 'One connection carries any number of chunks: keep echoing until the client ends.');
  });

  test('ends its side when the client half-closes', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    const sent = randomBuffer(randomInt(100, 5000));
    client.socket.end(sent);
    await client.serverEnded(2000, () => ({
      did: `Sent ${sent.length} bytes, then ended the client's side of the connection (a FIN, a half-close)`,
      expected: 'your server to echo the bytes and then end its side too',
      hint: "End the socket when its `end` event fires — or use `socket.pipe(socket)`, which does it; don't set `allowHalfOpen` and forget.",
    }));
    expectSameBytes(client.received, sent, { did: 'Half-closed after sending, then read everything echoed before the end' });
  });

  test('delivers everything to a slow reader before ending', async ({ workbench }) => {
    const accepted = watchAcceptedSockets(workbench);
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port, 'a slow reader');
    // The client sends more than the buffers hold and ends, without reading: the server must keep the rest queued.
    client.socket.pause();
    const sent = randomBuffer(MORE_THAN_BUFFERS);
    client.socket.end(sent);
    // Read only once the server has either seen the end or stopped reading to wait for this reader (backpressure).
    await eventually(() => accepted.live().some((socket) => socket.readableEnded || socket.isPaused() || socket.destroyed), 5000);
    await sleep(SLOW_READER_PAUSE_MS);
    client.socket.resume();
    const did = `A client sent ${sent.length / 1024 / 1024} MiB and ended its side without reading, then started reading once your server had read it all or paused`;
    const received = await client.receive(sent.length, 10_000, () => ({
      did,
      hint: 'When the client ends, end your side with `socket.end()`, which sends what is still queued first — `socket.destroy()` throws it away. `socket.pipe(socket)` does it right.',
    }));
    expectSameBytes(received, sent, { did });
    await client.serverEnded(2000, () => ({ did, expected: 'your server to end its side once everything was sent' }));
  });

  test('survives a client that resets its connection', async ({ workbench }) => {
    const accepted = watchAcceptedSockets(workbench);
    const server = await startServer(workbench);
    const rude = await connectTcp(workbench, server.port, 'a client that resets');
    rude.socket.write(randomBuffer(1000));
    await resetOnceServerRead(accepted, rude.socket);
    const polite = await connectTcp(workbench, server.port, 'a second client');
    const sent = randomBuffer(randomInt(1, 2000));
    polite.socket.write(sent);
    await expectEcho(
      polite,
      sent,
      'A client reset its connection (RST); then a second client connected and sent bytes',
      'Add `socket.on("error", …)`: without a listener, the ECONNRESET error crashes the process.',
    );
  });

  test('closes cleanly, even with a client connected', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    await within(server.close(), 2000, () => ({
      did: 'Called close() while one client was connected',
      expected: 'it to resolve within 2 s',
      actual: 'it had not resolved',
      hint: '`server.close()` waits for open connections: destroy the sockets you keep in a Set first.',
    }));
    await client.serverEnded(1000, () => ({
      did: 'Called close() while one client was connected',
      expected: "the client's connection to be closed",
    }));
    expectThat(!(await accepts('127.0.0.1', server.port)), {
      did: `After close() resolved, connected to port ${server.port} again`,
      expected: 'the connection to be refused: the server is closed',
      actual: 'it was accepted',
      hint: 'Call `server.close()`, not only destroy the sockets.',
    });
  });

  test('close() does not wait for a client that keeps its side open', async ({ workbench }) => {
    const server = await startServer(workbench);
    // This client does not hang up when the server ends its side: only destroy() frees the connection.
    await connectTcp(workbench, server.port, 'a client that never hangs up', { allowHalfOpen: true });
    await within(server.close(), 2000, () => ({
      did: 'Called close() while a client was connected that keeps its side open after the server ends its own',
      expected: 'it to resolve within 2 s',
      actual: 'it had not resolved: the connection was still half-open, waiting for the client',
      hint: '`socket.end()` only ends your side and waits for the client to end theirs; in `close()`, `socket.destroy()` each connection.',
    }));
  });

  test('close() does not wait for a slow reader to drain', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port, 'a client that never reads');
    client.socket.pause();
    client.socket.write(randomBuffer(MORE_THAN_BUFFERS));
    await sleep(200);
    await within(server.close(), 2000, () => ({
      did: `Called close() while a client that never reads had ${MORE_THAN_BUFFERS / 1024 / 1024} MiB of echo waiting for it`,
      expected: 'it to resolve within 2 s',
      actual: 'it had not resolved: the server was still waiting to deliver the queued bytes',
      hint: 'In `close()`, `socket.destroy()` each connection: `socket.end()` waits until the queued bytes are delivered, which may be never.',
    }));
  });

  test('forgets each connection once it closes', async ({ workbench }) => {
    await expectForgetsClosedConnections(workbench, echoServer, async (port) => {
      const client = await connectTcp(workbench, port, 'a short-lived client');
      client.socket.end('bye');
      await client.serverEnded(2000, () => ({ did: 'A client sent "bye" and ended its side', expected: 'your server to end its side too' }));
    });
  });

  // A reset sends no FIN: the server's socket emits 'error' and 'close', never 'end'.
  test('forgets each connection once it closes, a reset one too', async ({ workbench }) => {
    await expectForgetsClosedConnections(workbench, echoServer, async (port) => {
      const client = await connectTcp(workbench, port, 'a client that resets its connection');
      client.socket.write('hi');
      await client.receive(2, 2000, () => ({ did: 'A client sent "hi"', hint: 'Echo every byte back to the client that sent it.' }));
      client.socket.resetAndDestroy();
      await new Promise((resolve) => client.socket.once('close', resolve));
    });
  });
});
