/**
 * The code lessons show is real: here it runs against the examples of the RFCs
 * the lessons quote.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Server } from 'socket.io';
import { Manager } from 'socket.io-client';
import { WebSocket } from 'ws';
import { encodeLengthPrefixed } from '../../docs/snippets/length-prefix.ts';
import { createLineReceiver } from '../../docs/snippets/line-receiver.ts';
import { allowedOrigins, allowRequest } from '../../docs/snippets/origin-check.ts';
import { defaults, reconnectionDelay, reconnectionDelayRange } from '../../docs/snippets/reconnection-backoff.ts';
import { logLifecycle } from '../../docs/snippets/socket-lifecycle.ts';
import { features, pollRoom } from '../../docs/snippets/socket-io-features.ts';
import { nextEvent, startTestServer } from '../../docs/snippets/socket-io-testing.ts';
import { chatServer, sendAll } from '../../docs/snippets/websocket-options.ts';
import { watchLiveness } from '../../docs/snippets/tcp-liveness.ts';
import { secWebSocketAccept, WEBSOCKET_GUID } from '../../docs/snippets/sec-websocket-accept.ts';
import { applyMask } from '../../docs/snippets/websocket-masking.ts';

describe('docs/snippets/sec-websocket-accept.ts', () => {
  it("gives RFC 6455's Sec-WebSocket-Accept for its sample key (section 1.3)", () => {
    expect(secWebSocketAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('uses the GUID of RFC 6455', () => {
    expect(WEBSOCKET_GUID).toBe('258EAFA5-E914-47DA-95CA-C5AB0DC85B11');
  });
});

describe('docs/snippets/websocket-masking.ts', () => {
  const key = Uint8Array.from([0x37, 0xfa, 0x21, 0x3d]);
  const masked = Uint8Array.from([0x7f, 0x9f, 0x4d, 0x51, 0x58]);

  it('unmasks the masked "Hello" of RFC 6455 section 5.7', () => {
    expect(new TextDecoder().decode(applyMask(masked, key))).toBe('Hello');
  });

  it('masks "Hello" back into the same bytes', () => {
    expect(applyMask(new TextEncoder().encode('Hello'), key)).toEqual(masked);
  });
});

describe('docs/snippets/length-prefix.ts', () => {
  it('prefixes a message with its length as 4 big-endian bytes', () => {
    expect([...encodeLengthPrefixed(new TextEncoder().encode('hi'))]).toEqual([0, 0, 0, 2, 0x68, 0x69]);
  });
});

/** Things a test opened, closed after it whatever happened. */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function listen(server: http.Server | net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  if (server instanceof http.Server) cleanups.push(() => server.closeAllConnections());
  return (server.address() as AddressInfo).port;
}

describe('docs/snippets/line-receiver.ts', () => {
  it('splits chunks cut anywhere into lines, keeps the tail, and accepts \\r\\n', () => {
    const lines: string[] = [];
    const receive = createLineReceiver((line) => lines.push(line));
    for (const chunk of ['hel', 'lo\nwor', 'ld\r\n', '\npartial']) receive(Buffer.from(chunk));
    expect(lines).toEqual(['hello', 'world', '']);
    receive(Buffer.from('\n'));
    expect(lines.at(-1)).toBe('partial');
  });

  it('never decodes half a UTF-8 character', () => {
    const lines: string[] = [];
    const receive = createLineReceiver((line) => lines.push(line));
    const bytes = Buffer.from('café ☕\n');
    for (const byte of bytes) receive(Buffer.from([byte])); // one byte per chunk
    expect(lines).toEqual(['café ☕']);
  });

  it('refuses a line that never ends', () => {
    const receive = createLineReceiver(() => undefined, 8);
    expect(() => receive(Buffer.from('0123456789'))).toThrow(RangeError);
  });

  it('reads the lines of a real TCP connection, written in odd pieces', async () => {
    const lines: string[] = [];
    const got = new Promise<void>((resolve) => {
      const server = net.createServer((socket) => {
        const receive = createLineReceiver((line) => {
          lines.push(line);
          if (lines.length === 3) resolve();
        });
        socket.on('data', receive);
      });
      void listen(server).then((port) => {
        const client = net.connect(port, '127.0.0.1', () => {
          for (const piece of ['one\ntw', 'o\n', 'thr', 'ee\n']) client.write(piece);
        });
        cleanups.push(() => client.destroy());
      });
    });
    await got;
    expect(lines).toEqual(['one', 'two', 'three']);
  });
});

describe('docs/snippets/origin-check.ts', () => {
  /** The status of a WebSocket handshake to `port` sent with `origin` (101, or the HTTP refusal). */
  function handshake(port: number, origin: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`, { origin });
      socket.once('open', () => {
        socket.terminate();
        resolve(101);
      });
      socket.once('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        socket.terminate();
      });
      socket.once('error', (error) => reject(error));
    });
  }
  async function socketIoServer(options: ConstructorParameters<typeof Server>[1]) {
    const httpServer = http.createServer();
    const io = new Server(httpServer, options);
    cleanups.push(() => io.close());
    return listen(httpServer);
  }

  it('cors.origin alone does not stop a WebSocket handshake from another origin (the lesson\'s claim)', async () => {
    const port = await socketIoServer({ cors: { origin: [...allowedOrigins] } });
    expect(await handshake(port, 'https://evil.example')).toBe(101);
  });

  it('allowRequest refuses another origin (WebSocket 400, long-polling 403) and lets the allowed one in', async () => {
    const port = await socketIoServer({ cors: { origin: [...allowedOrigins] }, allowRequest });
    expect(await handshake(port, 'https://evil.example')).toBe(400);
    expect(await handshake(port, [...allowedOrigins][0]!)).toBe(101);
    const polling = (origin: string) =>
      new Promise<number>((resolve, reject) => {
        http.get(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`, { headers: { origin } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        }).on('error', reject);
      });
    expect(await polling('https://evil.example')).toBe(403);
    expect(await polling([...allowedOrigins][0]!)).toBe(200);
  });
});

describe('docs/snippets/reconnection-backoff.ts', () => {
  it('gives the ranges the lesson states for the default options', () => {
    expect([0, 1, 2, 3, 10].map((attempt) => reconnectionDelayRange(attempt))).toEqual([
      [500, 1500],
      [1000, 3000],
      [2000, 5000],
      [4000, 5000],
      [5000, 5000],
    ]);
    expect(reconnectionDelay(0, { ...defaults, randomizationFactor: 0 })).toBe(1000);
  });

  it("computes the same delays as socket.io-client's own Manager", () => {
    const options = { reconnectionDelay: 300, reconnectionDelayMax: 4000, randomizationFactor: 0.4 };
    const manager = new Manager('http://127.0.0.1:9', { autoConnect: false, ...options });
    const backoff = (manager as unknown as { backoff: { duration(): number } }).backoff;
    const draws = [0.05, 0.13, 0.5, 0.71, 0.99, 0.33, 0.26, 0.88];
    const random = vi.spyOn(Math, 'random');
    try {
      draws.forEach((draw, attempt) => {
        random.mockReturnValue(draw);
        expect(backoff.duration(), `attempt ${attempt}, random ${draw}`).toBe(reconnectionDelay(attempt, options, draw));
      });
    } finally {
      random.mockRestore();
    }
  });
});

describe('docs/snippets/socket-lifecycle.ts', () => {
  it('logs connection, disconnecting with the rooms still there, then disconnect with none', async () => {
    const log: string[] = [];
    const server = await startTestServer((io) => logLifecycle(io, (line) => log.push(line)));
    cleanups.push(() => server.close());
    const [stayer, leaver] = [await server.client(), await server.client()];
    await new Promise((resolve) => setTimeout(resolve, 0));
    const left = nextEvent<[string]>(stayer, 'left');
    const leaverId = leaver.id;
    leaver.disconnect();
    expect((await left)[0]).toBe(leaverId);
    await vi.waitFor(() => expect(log.some((line) => line.startsWith('disconnect ('))).toBe(true));
    expect(log.filter((line) => !line.startsWith('connection'))).toEqual([
      'disconnecting (client namespace disconnect), rooms: lobby',
      'disconnect (client namespace disconnect), rooms left: 0',
    ]);
    expect(log[0]).toMatch(/^connection .+, transport websocket$/);
  });
});

describe('docs/snippets/socket-io-features.ts', () => {
  it('sends binary both ways and collects a broadcast acknowledgement as an array', async () => {
    const server = await startTestServer(features);
    cleanups.push(() => server.close());
    let thumbnail!: Promise<[string, Buffer]>;
    const first = await server.client({ listen: (socket) => (thumbnail = nextEvent(socket, 'thumbnail')) });
    const [name, data] = await thumbnail;
    expect(name).toBe('cat.png');
    expect([...data]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(await first.emitWithAck('upload', 'a.bin', Buffer.alloc(3000))).toBe(3000);

    const second = await server.client();
    for (const [client, vote] of [[first, 'yes'], [second, 'no']] as const) client.on('vote', (_question: string, ack: (answer: string) => void) => ack(vote));
    for (const socket of await server.io.fetchSockets()) socket.join('room');
    expect((await pollRoom(server.io, 'room', 'lunch?')).sort()).toEqual(['no', 'yes']);
  });
});

describe('docs/snippets/socket-io-testing.ts', () => {
  it('runs the test the snippet shows', async () => {
    const server = await startTestServer((io) => io.on('connection', (socket) => socket.on('ping', (ack: (answer: string) => void) => ack('pong'))));
    cleanups.push(() => server.close());
    const client = await server.client();
    expect(await client.emitWithAck('ping')).toBe('pong');
  });
});

describe('docs/snippets/websocket-options.ts', () => {
  it('picks the subprotocol it prefers among those offered, and negotiates permessage-deflate', async () => {
    const httpServer = http.createServer();
    const wss = chatServer(httpServer);
    cleanups.push(() => wss.close());
    const port = await listen(httpServer);
    const client = new WebSocket(`ws://127.0.0.1:${port}`, ['chat.v1', 'chat.v2']);
    cleanups.push(() => client.terminate());
    await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
    expect(client.protocol).toBe('chat.v2');
    expect(client.extensions).toContain('permessage-deflate');
  });

  it('sends every message in order without letting bufferedAmount grow far past the high-water mark', async () => {
    const httpServer = http.createServer();
    const wss = chatServer(httpServer);
    cleanups.push(() => wss.close());
    const port = await listen(httpServer);
    const message = 'x'.repeat(64 * 1024);
    const count = 64;
    const highWaterMark = 256 * 1024;
    const sent = new Promise<number>((resolve, reject) =>
      wss.once('connection', (socket) => {
        sendAll(socket, Array.from({ length: count }, (_, n) => `${n}:${message}`), highWaterMark).then(resolve, reject);
      }),
    );
    const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
    cleanups.push(() => client.terminate());
    const received: number[] = [];
    const all = new Promise<void>((resolve) =>
      client.on('message', (data) => {
        received.push(Number(String(data).split(':')[0]));
        if (received.length === count) resolve();
      }),
    );
    const highest = await sent;
    await all;
    expect(received).toEqual(Array.from({ length: count }, (_, n) => n));
    expect(highest).toBeLessThanOrEqual(highWaterMark + message.length + 64);
  });
});

describe('docs/snippets/tcp-liveness.ts', () => {
  it('drops a peer that stays silent for the idle time (a half-open connection looks just like this)', async () => {
    const closed = new Promise<string>((resolve) => {
      const server = net.createServer((socket) => {
        watchLiveness(socket, 200);
        socket.on('error', (error) => resolve(error.message));
      });
      void listen(server).then((port) => {
        const silent = net.connect(port, '127.0.0.1');
        cleanups.push(() => silent.destroy());
      });
    });
    expect(await closed).toBe('no data for 200 ms: the peer is gone');
  });
});
