/**
 * Grades `tcp-echo`: real `net` clients against the learner's echo server.
 */
import net from 'node:net';
import { describe } from 'vitest';
import {
  connectTcp,
  cutAtRandom,
  expectSameBytes,
  expectThat,
  randomBuffer,
  randomInt,
  sleep,
  startExerciseServer,
  test,
  within,
  type Workbench,
} from './support/index.ts';

const startServer = (workbench: Workbench) => startExerciseServer(workbench, 'tcp-echo', 'server.ts', 'startEchoServer');

/** Writes `pieces` one by one, yielding between writes so they leave as separate TCP segments. */
async function writeInPieces(socket: net.Socket, pieces: Buffer[]): Promise<void> {
  for (const piece of pieces) {
    if (!socket.write(piece)) await new Promise((resolve) => socket.once('drain', resolve));
    if (Math.random() < 0.3) await sleep(0);
  }
}

describe('tcp-echo', () => {
  test('echoes random bytes back to one client', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    const sent = randomBuffer(randomInt(1, 4096));
    client.socket.write(sent);
    const received = await client.receive(sent.length, 2000, () => ({
      did: `Sent ${sent.length} random bytes to your server`,
      hint: "Write each chunk from the socket's `data` event back to the same socket.",
    }));
    expectSameBytes(received, sent, { did: `Sent ${sent.length} random bytes and read what came back` });
  });

  test('keeps five concurrent clients apart', async ({ workbench }) => {
    const server = await startServer(workbench);
    const clients = await Promise.all(Array.from({ length: 5 }, (_, i) => connectTcp(workbench, server.port, `client ${i + 1}`)));
    const payloads = clients.map(() => randomBuffer(randomInt(2000, 20_000)));
    await Promise.all(clients.map((client, i) => writeInPieces(client.socket, cutAtRandom(payloads[i]!, 1500))));
    await Promise.all(
      clients.map(async (client, i) => {
        const sent = payloads[i]!;
        const received = await client.receive(sent.length, 3000, () => ({
          did: `Five clients each sent their own random bytes at the same time; client ${i + 1} sent ${sent.length}`,
          hint: 'Each connection gets its own socket: echo on the socket the data came from, never on a shared variable.',
        }));
        expectSameBytes(received.subarray(0, sent.length + 1), sent, {
          did: `Five clients each sent their own random bytes at the same time; client ${i + 1} read its echo`,
          hint: 'A client must get back exactly its own bytes: a single `lastSocket` variable mixes clients up.',
        });
      }),
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

  test('ends its side when the client half-closes', async ({ workbench }) => {
    const server = await startServer(workbench);
    const client = await connectTcp(workbench, server.port);
    const sent = randomBuffer(randomInt(100, 5000));
    client.socket.end(sent);
    await client.serverEnded(2000, () => ({
      did: `Sent ${sent.length} bytes, then ended the client's side of the connection (a FIN)`,
      expected: 'your server to echo the bytes and then end its side too',
      hint: "End the socket when its `end` event fires — or use `socket.pipe(socket)`, which does it; don't set `allowHalfOpen` and forget.",
    }));
    expectSameBytes(client.received, sent, { did: 'Half-closed after sending, then read everything echoed before the end' });
  });

  test('survives a client that resets its connection', async ({ workbench }) => {
    const server = await startServer(workbench);
    const rude = await connectTcp(workbench, server.port, 'a client that resets');
    rude.socket.write(randomBuffer(1000));
    rude.socket.resetAndDestroy();
    await sleep(50);
    const polite = await connectTcp(workbench, server.port, 'a second client');
    const sent = randomBuffer(randomInt(1, 2000));
    polite.socket.write(sent);
    const received = await polite.receive(sent.length, 2000, () => ({
      did: 'A client reset its connection (RST); then a second client connected and sent bytes',
      hint: 'Add `socket.on("error", …)`: without a listener, the ECONNRESET error crashes the process.',
    }));
    expectSameBytes(received, sent, { did: 'After another client reset its connection, a second client read its echo' });
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
    const refused = await new Promise<boolean>((resolve) => {
      const probe = net.connect({ port: server.port, host: '127.0.0.1' });
      probe.once('connect', () => (probe.destroy(), resolve(false)));
      probe.once('error', () => resolve(true));
    });
    expectThat(refused, {
      did: `After close() resolved, connected to port ${server.port} again`,
      expected: 'the connection to be refused: the server is closed',
      actual: 'it was accepted',
      hint: 'Call `server.close()`, not only destroy the sockets.',
    });
  });
});
