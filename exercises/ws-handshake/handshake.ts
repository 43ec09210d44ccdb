/**
 * Exercise `ws-handshake`: the WebSocket opening handshake, by hand.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- ws-handshake`.
 *
 * The next exercise, `ws-echo-server`, imports {@link completeHandshake} from this
 * file: keep its name and signature.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { ListenOptions, RunningServer } from '../types.ts';

/**
 * Computes the `Sec-WebSocket-Accept` value that answers a client's
 * `Sec-WebSocket-Key` (RFC 6455 §4.2.2): append the GUID
 * `258EAFA5-E914-47DA-95CA-C5AB0DC85B11` to the key (as text, without decoding
 * it), take the SHA-1 hash of that, and encode the 20 bytes of the hash in base64.
 *
 * @example
 * acceptKey('dGhlIHNhbXBsZSBub25jZQ==') // → 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='
 *
 * @param key - the `Sec-WebSocket-Key` header's value, exactly as the client sent it.
 * @returns the 28-character base64 text to send in `Sec-WebSocket-Accept`.
 */
export function acceptKey(key: string): string {
  // TODO: hash key + GUID with createHash('sha1') and return the digest in base64.
  throw new Error(`acceptKey(${JSON.stringify(key)}) is not written yet: open exercises/ws-handshake/handshake.ts`);
}

/**
 * Answers a request that Node handed to a server's `upgrade` event: either
 * accepts it as a WebSocket, or refuses it and closes the connection.
 *
 * The request is a valid opening handshake when all of these hold (header names
 * and the words `websocket` and `upgrade` are case-insensitive):
 *
 * - the method is `GET`;
 * - `Upgrade` is `websocket`;
 * - `Connection` holds the token `upgrade` — it is a comma-separated list, such as
 *   `keep-alive, Upgrade`;
 * - `Sec-WebSocket-Key` is base64 for exactly 16 bytes (22 base64 characters and `==`);
 * - `Sec-WebSocket-Version` is `13`.
 *
 * Accepting writes, and leaves the connection open for WebSocket frames:
 *
 * ```text
 * HTTP/1.1 101 Switching Protocols\r\n
 * Upgrade: websocket\r\n
 * Connection: Upgrade\r\n
 * Sec-WebSocket-Accept: <acceptKey(key)>\r\n
 * \r\n
 * ```
 *
 * Refusing writes `HTTP/1.1 426 Upgrade Required` with the header
 * `Sec-WebSocket-Version: 13` when the version is missing or not `13` and
 * everything else is right, `HTTP/1.1 400 Bad Request` otherwise, and then ends
 * the connection.
 *
 * @param request - the request, from the `upgrade` event.
 * @param socket - its connection, from the same event: write the raw response on it.
 * @returns `true` if the handshake was accepted (the socket now speaks WebSocket),
 *   `false` if it was refused (the socket is being closed).
 */
export function completeHandshake(request: http.IncomingMessage, socket: Duplex): boolean {
  // TODO: validate the request; write the 101 response and return true,
  //       or write a 400/426 response, end the socket and return false.
  throw new Error(`completeHandshake(${request.method} ${request.url}, …) is not written yet: open exercises/ws-handshake/handshake.ts`);
}

/**
 * Starts an HTTP server that only does WebSocket opening handshakes:
 *
 * - every request Node hands to the `upgrade` event is answered by {@link completeHandshake};
 *   an accepted connection is kept open (this exercise stops at the handshake:
 *   whatever the client sends afterwards is ignored);
 * - every request Node hands to the `request` event instead (one without
 *   `Upgrade`, or without `upgrade` in `Connection`) is answered `400 Bad Request`,
 *   and its connection closed.
 *
 * @param options - where to listen; the checks pass `{ port: 0, host: '127.0.0.1' }`.
 * While it runs, it forgets each upgraded connection once it is gone, and survives
 * a client that resets one (an `error` listener on each socket).
 *
 * @returns once the server listens: the real port, and `close()`, which closes every
 *   connection — the upgraded ones too, which the HTTP server no longer tracks —
 *   and the server, and resolves when all of them are gone, without waiting for a
 *   client to hang up.
 */
export async function startHandshakeServer(options: ListenOptions): Promise<RunningServer> {
  // TODO: create a server with http.createServer(), answer its `request` and `upgrade`
  //       events, keep the upgraded sockets to close them in close(), listen on
  //       options.port and options.host, and return { port, close }.
  throw new Error(`startHandshakeServer(${JSON.stringify(options)}) is not written yet: open exercises/ws-handshake/handshake.ts`);
}
