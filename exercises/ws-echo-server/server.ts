/**
 * Exercise `ws-echo-server`: a WebSocket echo server, on your own handshake and frames.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- ws-echo-server`.
 *
 * No WebSocket library here: this server stands on what you wrote in `ws-handshake`
 * and `ws-frames`, imported below. Finish those two exercises first.
 *
 * @module
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { decodeClosePayload, decodeFrame, encodeClosePayload, encodeFrame, Opcode, type Frame } from '../ws-frames/frames.ts';
import { completeHandshake } from '../ws-handshake/handshake.ts';
import type { ListenOptions, RunningServer } from '../types.ts';

/** The close code for a protocol error (RFC 6455 §7.4.1). */
export const PROTOCOL_ERROR = 1002;

/**
 * Starts a WebSocket echo server on a `node:http` server.
 *
 * - `upgrade` requests go through `completeHandshake` (from `ws-handshake`); other
 *   HTTP requests are answered `400 Bad Request`.
 * - Once upgraded, the connection's bytes are read as frames with `decodeFrame`
 *   (from `ws-frames`), however TCP cuts them. Bytes that came with the handshake
 *   (the `head` argument of the `upgrade` event) are the start of that stream.
 * - Every text or binary message is sent back to its sender, with the same type,
 *   in one unmasked frame. A message may arrive in fragments (a first frame with
 *   FIN 0, continuation frames, the last with FIN 1), and control frames may come
 *   between its fragments: echo the whole message once its last fragment arrives.
 * - A ping is answered with a pong carrying the same payload; a pong is ignored.
 * - A close frame is answered with a close frame carrying the same status code
 *   (an empty payload if it had none); then the server ends the connection.
 * - A protocol error — a frame without a mask (a client must mask every frame),
 *   bytes `decodeFrame` refuses, a continuation frame with no message begun, a
 *   new message begun before the last one ended, a close frame of 1 byte (too
 *   short for a status code: `decodeClosePayload` throws) — is answered with a close frame
 *   with code {@link PROTOCOL_ERROR}, and the server ends the connection.
 *
 * @param options - where to listen; the checks pass `{ port: 0, host: '127.0.0.1' }`.
 * @returns once the server listens: the real port, and `close()`, which closes every
 *   connection (upgraded ones included) and the server.
 */
export async function startWsEchoServer(options: ListenOptions): Promise<RunningServer> {
  // TODO: create an http server; on `upgrade`, complete the handshake, then keep a
  //       buffer per connection, decode every complete frame, and answer it.
  //       Listen on options.port and options.host, and return { port, close }.
  throw new Error(`startWsEchoServer(${JSON.stringify(options)}) is not written yet: open exercises/ws-echo-server/server.ts`);
}
