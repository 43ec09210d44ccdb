/**
 * Exercise `tcp-framing`: newline-delimited JSON over TCP.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- tcp-framing`.
 *
 * @module
 */
import net from 'node:net';
import type { ListenOptions, RunningServer } from '../types.ts';

/** The longest line the server accepts, in bytes, not counting its `\n`: 64 KiB. */
export const MAX_LINE_BYTES = 64 * 1024;

/** What a client sends: one JSON object on one line, e.g. `{"id":7,"text":"héllo"}\n`. */
export interface FramingRequest {
  /** Any number the client chose; the reply carries it back so the client can match them. */
  readonly id: number;
  /** Any text. */
  readonly text: string;
}

/** What the server answers to a valid request: one JSON object on one line. */
export interface FramingReply {
  /** The request's `id`. */
  readonly id: number;
  /** The request's `text`, unchanged. */
  readonly echo: string;
  /** How many bytes `text` takes in UTF-8: `Buffer.byteLength(text)`. */
  readonly bytes: number;
}

/** What the server answers to a line it cannot use. */
export interface FramingError {
  /** Why, in words: any non-empty text. */
  readonly error: string;
}

/**
 * Starts a TCP server that speaks newline-delimited JSON: every line a client
 * sends (bytes up to a `\n`, decoded as UTF-8) is one {@link FramingRequest}, and
 * the server answers each with exactly one line, in order.
 *
 * - A line holding a {@link FramingRequest} is answered with a {@link FramingReply}.
 * - Any other line (not JSON, or JSON that is not an object with a number `id`
 *   and a string `text`) is answered with a {@link FramingError}; the connection stays open.
 * - TCP delivers bytes, not messages: a line may arrive in many chunks, cut
 *   anywhere, even inside a multi-byte UTF-8 character, and one chunk may hold
 *   several lines.
 * - Once more than {@link MAX_LINE_BYTES} bytes have arrived without a `\n`, the
 *   server answers with a {@link FramingError} and ends the connection.
 *
 * @param options - where to listen; the checks pass `{ port: 0, host: '127.0.0.1' }`.
 * @returns once the server listens: the real port, and `close()`, which closes every
 *   open connection and the server and resolves when all of them are gone.
 */
export async function startFramingServer(options: ListenOptions): Promise<RunningServer> {
  // TODO: create a server with net.createServer(); for each socket, keep the bytes
  //       received so far, answer every complete line, and keep the rest for later.
  //       Listen on options.port and options.host, and return { port, close }.
  throw new Error(`startFramingServer(${JSON.stringify(options)}) is not written yet: open exercises/tcp-framing/server.ts`);
}
