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

/** RFC 6455 §1.3: the same for every server, so that only a WebSocket server can compute the answer. */
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function acceptKey(key: string): string {
  return createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
}

/** 16 bytes in base64 are always 22 characters and `==`. */
const KEY_PATTERN = /^[A-Za-z0-9+/]{22}==$/;

/** Why a handshake must be refused, or `undefined` if it is valid. */
function rejection(request: http.IncomingMessage): { status: 400 | 426; reason: string } | undefined {
  const { upgrade = '', connection = '' } = request.headers;
  const key = request.headers['sec-websocket-key'] ?? '';
  if (request.method !== 'GET') return { status: 400, reason: 'The method must be GET' };
  if (upgrade.trim().toLowerCase() !== 'websocket') return { status: 400, reason: 'Upgrade must be "websocket"' };
  // Connection is a list of tokens: "keep-alive, Upgrade" is valid.
  const tokens = connection.split(',').map((token) => token.trim().toLowerCase());
  if (!tokens.includes('upgrade')) return { status: 400, reason: 'Connection must include "Upgrade"' };
  if (!KEY_PATTERN.test(key.trim())) return { status: 400, reason: 'Sec-WebSocket-Key must be 16 bytes in base64' };
  if (request.headers['sec-websocket-version']?.trim() !== '13') return { status: 426, reason: 'Only WebSocket version 13 is supported' };
  return undefined;
}

export function completeHandshake(request: http.IncomingMessage, socket: Duplex): boolean {
  const refused = rejection(request);
  if (refused) {
    const { status, reason } = refused;
    const extra = status === 426 ? 'Sec-WebSocket-Version: 13\r\n' : '';
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${extra}Connection: close\r\n` +
        `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
    );
    return false;
  }
  const key = (request.headers['sec-websocket-key'] ?? '').trim();
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
    response.writeHead(400, { Connection: 'close', 'Content-Type': 'text/plain' }).end('This server speaks WebSocket only');
  });

  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex) => {
    if (!completeHandshake(request, socket)) return;
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    // Frames are the next exercise: read and drop them, so the socket does not stall.
    socket.resume();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
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
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
