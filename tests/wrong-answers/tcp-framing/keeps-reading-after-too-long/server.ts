/**
 * Reference solution for `tcp-framing`.
 *
 * @module
 */
import net from 'node:net';
import type { ListenOptions, RunningServer } from '../types.ts';

/** The longest line the server accepts, in bytes, not counting its `\n`: 64 KiB. */
export const MAX_LINE_BYTES = 64 * 1024;

/** What a client sends: one JSON object on one line, e.g. `{"id":7,"text":"héllo"}\n`. */
export interface FramingRequest {
  readonly id: number;
  readonly text: string;
}

/** What the server answers to a valid request: one JSON object on one line. */
export interface FramingReply {
  readonly id: number;
  readonly echo: string;
  readonly bytes: number;
}

/** What the server answers to a line it cannot use. */
export interface FramingError {
  readonly error: string;
}

const NEWLINE = 0x0a;

/** The answer to one complete line. */
function answer(line: string): FramingReply | FramingError {
  let request: unknown;
  try {
    request = JSON.parse(line);
  }
  // Stryker disable next-line BlockStatement: without this return, `request` stays undefined and the test below answers the line with an error all the same (in other words, which the contract leaves free).
  catch {
    return { error: 'this line is not JSON' };
  }
  if (
    request === null ||
    // Stryker disable next-line ConditionalExpression: a string, number or boolean has no number `id` nor string `text`, so the next test answers it with an error too (in other words, which the contract leaves free).
    typeof request !== 'object' ||
    Array.isArray(request)
  ) {
    return { error: 'expected a JSON object' };
  }
  const { id, text } = request as Record<string, unknown>;
  if (typeof id !== 'number' || typeof text !== 'string') return { error: 'expected { "id": number, "text": string }' };
  return { id, echo: text, bytes: Buffer.byteLength(text) };
}

function serve(socket: net.Socket): void {
  // Bytes, not a string: decoding a chunk on its own would break a UTF-8 character
  // cut between two chunks. We decode only complete lines.
  let pending = Buffer.alloc(0);
  const send = (message: FramingReply | FramingError) => socket.write(`${JSON.stringify(message)}\n`);
  const tooLong = () => {
    send({ error: `line longer than ${MAX_LINE_BYTES} bytes` });
    socket.end();
  };

  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    let newline: number;
    while ((newline = pending.indexOf(NEWLINE)) !== -1) {
      const line = pending.subarray(0, newline);
      pending = pending.subarray(newline + 1);
      if (line.length > MAX_LINE_BYTES) return tooLong();
      send(answer(line.toString('utf8')));
    }
    // Don't wait for a newline that may never come: the unfinished line is already too long.
    if (pending.length > MAX_LINE_BYTES) tooLong();
  });
}

export async function startFramingServer(options: ListenOptions): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Stryker disable next-line ArrowFunction: a net.Socket that emits 'error' is already being destroyed; the listener matters, not its body.
    socket.on('error', () => socket.destroy());
    serve(socket);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      // Stryker disable next-line StringLiteral: once listening, reject can only hit a settled promise (a no-op); the leftover listener would swallow a later server error, which no rule of the exercise covers.
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
