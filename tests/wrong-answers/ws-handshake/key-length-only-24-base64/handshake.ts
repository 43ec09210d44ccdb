/**
 * Reference solution for `ws-handshake`.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ListenOptions, RunningServer } from '../types.ts';

export function acceptKey(key: string): string {
  // RFC 6455 §1.3: the same for every server, so that only a WebSocket server can compute the answer.
  // (Declared here rather than at the top of the file: `npm run mutate` only sees mutants of code that runs per call.)
  const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
  return createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
}

/**
 * What a refusal says in its body, for a person reading it. The README fixes only the
 * status line (and, for 426, `Sec-WebSocket-Version`): the body is free text.
 */
const REASONS = {
  // Stryker disable next-line StringLiteral: the body of a refusal is free text (README: other headers and a body are up to you)
  method: 'The method must be GET',
  // Stryker disable next-line StringLiteral: free text, as above
  upgrade: 'Upgrade must be "websocket"',
  // Stryker disable next-line StringLiteral: free text, as above
  connection: 'Connection must include "Upgrade"',
  // Stryker disable next-line StringLiteral: free text, as above
  key: 'Sec-WebSocket-Key must be 16 bytes in base64',
  // Stryker disable next-line StringLiteral: free text, as above
  version: 'Only WebSocket version 13 is supported',
};

/**
 * Why a handshake must be refused, or `undefined` if it is valid. Header values come
 * from Node's parser, which strips the whitespace around them: no `trim()` needed.
 */
function rejection(request: http.IncomingMessage): { status: 400 | 426; reason: string } | undefined {
  // Stryker disable next-line StringLiteral: a missing header and any other text that is not "websocket" / has no "upgrade" token are refused alike
  const { upgrade = '', connection = '' } = request.headers;
  // Stryker disable next-line StringLiteral: a missing key and any other text that is not 22 base64 characters and "==" are refused alike
  const key = request.headers['sec-websocket-key'] ?? '';
  if (request.method !== 'GET') return { status: 400, reason: REASONS.method };
  if (upgrade.toLowerCase() !== 'websocket') return { status: 400, reason: REASONS.upgrade };
  // Connection is a list of tokens: "keep-alive, Upgrade" is valid.
  const tokens = connection.split(',').map((token) => token.trim().toLowerCase());
  if (!tokens.includes('upgrade')) return { status: 400, reason: REASONS.connection };
  // 16 bytes in base64 are always 22 characters and `==`.
  if (!/^[A-Za-z0-9+/=]{24}$/.test(key)) return { status: 400, reason: REASONS.key };
  if (request.headers['sec-websocket-version'] !== '13') return { status: 426, reason: REASONS.version };
  return undefined;
}

export function completeHandshake(request: http.IncomingMessage, socket: Duplex): boolean {
  const refused = rejection(request);
  if (refused) {
    const { status, reason } = refused;
    // Stryker disable next-line ConditionalExpression: Sec-WebSocket-Version on a 400 as well is allowed (README: other headers are up to you)
    const extra = status === 426 ? 'Sec-WebSocket-Version: 13\r\n' : '';
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${extra}Connection: close\r\n` +
        `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
    );
    return false;
  }
  // rejection() checked it: the key is there, and valid.
  const key = request.headers['sec-websocket-key'] as string;
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\n' +
      'Upgrade: websocket\r\n' +
      'Connection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
  );
  return true;
}

export async function startHandshakeServer(options: ListenOptions): Promise<RunningServer> {
  // After the upgrade, Node forgets the socket: closing the server would not close it.
  const upgraded = new Set<Duplex>();
  const server = http.createServer((_request, response) => {
    response.writeHead(400, {
      Connection: 'close',
      // Stryker disable next-line StringLiteral: the type of the body is free (README: other headers and a body are up to you)
      'Content-Type': 'text/plain',
    });
    // Stryker disable next-line StringLiteral: the body is free text
    response.end('This server speaks WebSocket only');
  });

  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex) => {
    // Stryker disable next-line ArrowFunction: a socket that emits 'error' is already destroyed by Node; the listener is what matters (without it the error crashes the process)
    socket.on('error', () => socket.destroy());
    // Stryker disable next-line ConditionalExpression: tracking a refused socket too changes nothing seen: completeHandshake() already ended it, and it leaves the Set when it closes
    if (!completeHandshake(request, socket)) return;
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    // Frames are the next exercise: read and drop them, so the socket does not stall.
    socket.resume();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      // Stryker disable next-line StringLiteral: once listening, the promise is settled; a reject listener left on the server changes nothing a caller sees
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of upgraded) socket.destroy();
        server.closeAllConnections();
        // Stryker disable next-line ConditionalExpression: server.close() reports an error only when the server is not running — close() called a second time, which the README leaves unspecified
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
