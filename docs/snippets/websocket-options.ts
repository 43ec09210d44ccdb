import type { Server as HttpServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A WebSocket server (the `ws` package) that negotiates a subprotocol and
 * permessage-deflate, and sends with backpressure.
 */
export function chatServer(httpServer: HttpServer): WebSocketServer {
  return new WebSocketServer({
    server: httpServer,
    // Sec-WebSocket-Protocol: the client offers a list, the server picks ONE (or none).
    handleProtocols: (offered) => (offered.has('chat.v2') ? 'chat.v2' : offered.has('chat.v1') ? 'chat.v1' : false),
    // Sec-WebSocket-Extensions: permessage-deflate (RFC 7692), only if the client offers it.
    // It costs memory and CPU per connection: `ws` leaves it off unless asked.
    perMessageDeflate: { threshold: 1024 }, // compress only messages of 1 KiB and more
  });
}

/**
 * Send many messages without flooding memory: `send()` never blocks, it queues,
 * and `bufferedAmount` tells how many bytes wait. Above `highWaterMark`, wait
 * until what was queued has been written to the socket.
 */
export async function sendAll(socket: WebSocket, messages: Iterable<string | Buffer>, highWaterMark = 1 << 20): Promise<number> {
  let highest = 0;
  for (const message of messages) {
    if (socket.readyState !== socket.OPEN) throw new Error('the connection closed while sending');
    const written = new Promise<void>((resolve, reject) => socket.send(message, (error) => (error ? reject(error) : resolve())));
    highest = Math.max(highest, socket.bufferedAmount);
    if (socket.bufferedAmount > highWaterMark) await written; // the callback runs once it left for the kernel
  }
  return highest;
}
