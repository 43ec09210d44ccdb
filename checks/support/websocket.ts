/**
 * WebSocket helpers for checks: RFC 6455's accept key, opening handshakes written
 * by hand over raw TCP (to send what a well-behaved client never would), and a
 * real `ws` client that records everything it receives.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ClientOptions, WebSocket } from 'ws';
import { describeValue, fail, type FailureReport } from './check-failure.ts';
import { CONNECT_LIMIT_MS, connectTcp, type TcpClient } from './clients.ts';
import { EventQueue } from './event-queue.ts';
import { ANSWER_MS, eventually, formatMs, within } from './wait.ts';
import type { Workbench } from './workbench.ts';

/** The GUID RFC 6455 §1.3 appends to the client's key before hashing it. */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The `Sec-WebSocket-Accept` a server must answer to `key`: base64(SHA-1(key + GUID)). */
export function websocketAccept(key: string): string {
  return createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
}

/** A fresh `Sec-WebSocket-Key`: 16 random bytes in base64. */
export function randomWebSocketKey(): string {
  return randomBytes(16).toString('base64');
}

/** What {@link upgradeRequest} builds. */
export interface UpgradeRequestOptions {
  readonly method?: string;
  readonly path?: string;
  /** Headers to add or replace; `undefined` removes one of the defaults. Names are written as given. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
}

/**
 * The text of an HTTP/1.1 opening handshake, valid unless `options` break it:
 * `GET /`, `Host`, `Upgrade: websocket`, `Connection: Upgrade`, a random
 * `Sec-WebSocket-Key` and `Sec-WebSocket-Version: 13`.
 */
export function upgradeRequest(port: number, options: UpgradeRequestOptions = {}): string {
  const defaults: Record<string, string | undefined> = {
    Host: `127.0.0.1:${port}`,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomWebSocketKey(),
    'Sec-WebSocket-Version': '13',
  };
  const overrides = options.headers ?? {};
  // A header given in another case replaces the default one instead of doubling it.
  for (const name of Object.keys(overrides)) {
    for (const known of Object.keys(defaults)) if (known.toLowerCase() === name.toLowerCase()) delete defaults[known];
  }
  const lines = Object.entries({ ...defaults, ...overrides })
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}: ${value}`);
  return `${options.method ?? 'GET'} ${options.path ?? '/'} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** The head of an HTTP response read off a raw socket. */
export interface RawHttpResponse {
  /** e.g. `HTTP/1.1 101 Switching Protocols` */
  readonly statusLine: string;
  /** The status code, or `NaN` if the status line is not HTTP. */
  readonly statusCode: number;
  /** Header values by lowercase name (repeated headers joined with `, `). */
  readonly headers: Readonly<Record<string, string>>;
  /** Bytes taken by the head, `\r\n\r\n` included: what follows is the body, or WebSocket frames. */
  readonly headLength: number;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** The head of the HTTP response at the start of `bytes`, or `undefined` while it is incomplete (no `\r\n\r\n` yet). */
export function parseHead(bytes: Buffer): RawHttpResponse | undefined {
  const end = bytes.indexOf(HEAD_END);
  if (end === -1) return undefined;
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const statusCode = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
  return { statusLine, statusCode: statusCode === undefined ? Number.NaN : Number(statusCode), headers, headLength: end + HEAD_END.length };
}

/** The head of a raw request, for messages: what comes before the empty line. */
function requestHead(request: string | Buffer): string {
  const text = Buffer.from(request).toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  return end === -1 ? text.trimEnd() : text.slice(0, end) + (end + 4 < text.length ? `\r\n(then ${text.length - end - 4} more bytes)` : '');
}

/** How long a server may take to answer a raw request. */
const ANSWER_LIMIT_MS = ANSWER_MS;

/**
 * Opens a TCP connection, writes `request` as it is, and waits for the head of the
 * HTTP response. Fails with a learner-facing message if none comes.
 * `describe` says what the request was, for messages ("a POST handshake"). A
 * Buffer `request` may carry bytes after the head, such as a first frame.
 */
export async function sendRawHttp(
  workbench: Workbench,
  port: number,
  request: string | Buffer,
  describe: string,
  who = 'a raw TCP client',
): Promise<{ client: TcpClient; response: RawHttpResponse }> {
  const client = await connectTcp(workbench, port, who);
  let closed = false;
  client.socket.once('close', () => (closed = true));
  client.socket.write(request);
  await eventually(() => parseHead(client.received) !== undefined || client.ended || closed, ANSWER_LIMIT_MS);
  const response = parseHead(client.received);
  if (!response) {
    const got = client.received;
    fail({
      did: `Sent ${describe} over a raw TCP connection:\n            ${requestHead(request).split('\r\n').join('\n            ')}`,
      expected: `an HTTP response within ${formatMs(ANSWER_LIMIT_MS)}`,
      actual:
        got.length === 0
          ? client.ended || closed
            ? 'the server closed the connection without answering'
            : 'no answer at all'
          : `${got.length} bytes that are not a complete HTTP response head: ${describeValue(got.toString('latin1'), 100)}`,
      hint:
        got.length === 0
          ? 'Node gives a request to the `upgrade` event only when it has both `Upgrade` and `Connection: upgrade`; any other request arrives at the `request` event. Answer both.'
          : 'A response head is a status line and header lines, each ending with "\\r\\n", then an empty line: it ends with "\\r\\n\\r\\n".',
    });
  }
  return { client, response };
}

/**
 * Completes a valid opening handshake by hand on a raw TCP connection, checking the
 * `101` and its accept key. Afterwards everything the server sends is in
 * `client.received.subarray(headLength)`: frames, to be read byte by byte.
 */
export async function openRawWebSocket(workbench: Workbench, port: number, who = 'a raw WebSocket client'): Promise<{ client: TcpClient; headLength: number }> {
  const key = randomWebSocketKey();
  const request = upgradeRequest(port, { headers: { 'Sec-WebSocket-Key': key } });
  const { client, response } = await sendRawHttp(workbench, port, request, 'a valid opening handshake', who);
  const accept = response.headers['sec-websocket-accept'];
  if (response.statusCode !== 101 || accept !== websocketAccept(key)) {
    fail({
      did: `Sent a valid opening handshake with Sec-WebSocket-Key: ${key}`,
      expected: `HTTP/1.1 101 Switching Protocols with Sec-WebSocket-Accept: ${websocketAccept(key)}`,
      actual: `${response.statusLine} with Sec-WebSocket-Accept: ${accept ?? '(none)'}`,
      hint: 'Run the `ws-handshake` check first: this exercise builds on it.',
    });
  }
  return { client, headLength: response.headLength };
}

/** A connected `ws` client and everything it received. */
export interface WsClient {
  readonly socket: WebSocket;
  /**
   * What the server sent, buffered: `message` (`[data: Buffer, isBinary: boolean]`),
   * `ping` and `pong` (`[data: Buffer]`), `close` (`[code: number, reason: string]`)
   * and `error` (`[error: Error]`).
   */
  readonly events: EventQueue;
  /** A name for messages, e.g. `client B`. */
  readonly who: string;
}

/**
 * Connects a real `ws` client to `url` and records every event from the moment it
 * opens. Fails with a learner-facing message if the handshake fails or does not
 * finish in time. The workbench terminates it.
 */
export async function connectWs(workbench: Workbench, url: string, who: string, options: ClientOptions = {}): Promise<WsClient> {
  const { default: WebSocketClient } = await import('ws');
  const socket = new WebSocketClient(url, options);
  const events = new EventQueue();
  // Listen before the handshake ends: a message sent on connection arrives in the same tick as `open`.
  socket.on('message', (data: Buffer, isBinary: boolean) => events.push('message', [data, isBinary]));
  socket.on('ping', (data: Buffer) => events.push('ping', [data]));
  socket.on('pong', (data: Buffer) => events.push('pong', [data]));
  socket.on('close', (code: number, reason: Buffer) => events.push('close', [code, reason.toString()]));
  socket.on('error', (error: Error) => events.push('error', [error]));
  workbench.defer(who, () => socket.terminate());
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('the connection closed during the handshake')));
  });
  await within(
    opened.catch((error: Error) =>
      fail({
        did: `Connected ${who} (a \`ws\` WebSocket) to ${url}`,
        expected: 'the opening handshake to succeed',
        actual: `it failed: ${error.message}`,
        hint: /Sec-WebSocket-Accept/.test(error.message)
          ? 'Sec-WebSocket-Accept is base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).'
          : 'Is your server answering the `upgrade` event with `101 Switching Protocols`?',
      }),
    ),
    CONNECT_LIMIT_MS,
    () => ({ did: `Connected ${who} (a \`ws\` WebSocket) to ${url}`, expected: `the connection to open within ${formatMs(CONNECT_LIMIT_MS)}` }),
  );
  return { socket, events, who };
}

/** What `ws` means when it refuses a frame with `message`, for the learner; undefined when unknown. */
function refusalHint(message: string): string | undefined {
  if (message.includes('MASK must be clear')) return 'A server never masks its frames: encode them without a `mask`.';
  if (message.includes('MASK must be set')) return 'A client masks every frame it sends: encode them with a 4-byte `mask`.';
  if (message.includes('invalid UTF-8')) return 'A text frame must carry valid UTF-8: was a binary message sent as text, or fragments joined in the wrong order?';
  if (message.includes('RSV')) return 'The reserved bits (RSV1-3, bits 4-6 of byte 0) must be 0.';
  if (message.includes('FIN must be set')) return 'Control frames (close, ping, pong) always have FIN set.';
  if (message.includes('invalid opcode')) return 'Check the opcode in bits 0-3 of byte 0, and that continuation frames follow a first fragment.';
  if (message.includes('invalid payload length')) return 'Check the payload length field: 7 bits up to 125, then 126 + 16 bits, then 127 + 64 bits.';
  return undefined;
}

/**
 * Waits for the next `name` event of a `ws` client (`message`, `ping`, `pong`, `close`),
 * failing with `report` and what went wrong instead: `ws` refused what the server
 * sent (its error message says which rule was broken), the connection closed,
 * or nothing came within `withinMs`.
 */
export async function nextWsEvent(client: WsClient, name: string, report: Omit<FailureReport, 'actual'>, withinMs = ANSWER_MS): Promise<readonly unknown[]> {
  const settled = () => client.events.pending.some((e) => e.name === name || e.name === 'error' || (e.name === 'close' && name !== 'close'));
  await eventually(settled, withinMs);
  if (!client.events.pending.some((e) => e.name === name)) {
    const error = client.events.pending.find((e) => e.name === 'error');
    const closed = client.events.pending.find((e) => e.name === 'close');
    const known = error ? refusalHint(String((error.args[0] as Error | undefined)?.message)) : undefined;
    fail({
      ...report,
      ...(known === undefined ? {} : { hint: known }),
      actual: error
        ? `\`ws\` refused what the server sent: ${describeValue(error.args[0], 200)}`
        : closed
          ? `the connection closed first (code ${describeValue(closed.args[0])}${closed.args[1] ? `, reason ${describeValue(closed.args[1])}` : ''})`
          : `nothing arrived within ${formatMs(withinMs)}`,
    });
  }
  return client.events.next(name, { who: client.who, withinMs: 100 });
}

interface WsFrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
  maskBuffer?: Buffer;
  generateMask?: (mask: Buffer) => void;
}

const require = createRequire(import.meta.url);

/**
 * The bytes the `ws` library puts on the wire for a frame: the reference that
 * frame encoders are compared with. Loads `ws` on first use.
 */
export function wsFrameBytes(frame: { readonly fin: boolean; readonly opcode: number; readonly payload: Uint8Array; readonly mask?: Uint8Array | undefined }): Buffer {
  // `ws` exports the class it frames with, though its type definitions leave it out.
  const { Sender } = require('ws') as { Sender: { frame(data: Buffer, options: WsFrameOptions): Buffer[] } };
  const key = frame.mask;
  const options: WsFrameOptions = { fin: frame.fin, opcode: frame.opcode, mask: key !== undefined, readOnly: true, rsv1: false };
  if (key) Object.assign(options, { maskBuffer: Buffer.alloc(4), generateMask: (mask: Buffer) => mask.set(key) });
  return Buffer.concat(Sender.frame(Buffer.from(frame.payload), options));
}
