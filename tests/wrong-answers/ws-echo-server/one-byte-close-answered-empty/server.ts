/**
 * Reference solution for `ws-echo-server`.
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { decodeClosePayload, decodeFrame, encodeClosePayload, encodeFrame, Opcode, type Frame } from '../ws-frames/frames.ts';
import { completeHandshake } from '../ws-handshake/handshake.ts';
import type { ListenOptions, RunningServer } from '../types.ts';

/** The close code for a protocol error (RFC 6455 §7.4.1). */
export const PROTOCOL_ERROR = 1002;

/** One upgraded connection: reads frames, answers them. */
function serveWebSocket(socket: Duplex, head: Buffer): void {
  let pending = Buffer.alloc(0);
  // The message being reassembled from fragments, if any.
  let message: { opcode: Opcode; parts: Buffer[] } | undefined;
  let closing = false;

  const send = (opcode: Opcode, payload: Buffer) => socket.write(encodeFrame({ fin: true, opcode, payload }));
  const closeWith = (payload: Buffer) => {
    closing = true;
    socket.end(encodeFrame({ fin: true, opcode: Opcode.Close, payload }));
  };

  /** Answers one frame; returns false on a protocol error. */
  const handle = (frame: Frame): boolean => {
    if (!frame.mask) return false;
    switch (frame.opcode) {
      case Opcode.Text:
      case Opcode.Binary:
        if (message) return false;
        message = { opcode: frame.opcode, parts: [frame.payload] };
        break;
      case Opcode.Continuation:
        if (!message) return false;
        message.parts.push(frame.payload);
        break;
      case Opcode.Ping:
        send(Opcode.Pong, frame.payload);
        return true;
      case Opcode.Pong:
        return true;
      case Opcode.Close: {
        // Echo the code (an empty close stays empty); the reason is ours to choose.
        // Too short for a code: treat it as no code at all.
        if (frame.payload.length < 2) {
          closeWith(Buffer.alloc(0));
          return true;
        }
        closeWith(encodeClosePayload(decodeClosePayload(frame.payload).code));
        return true;
      }
    }
    if (frame.fin && message) {
      send(message.opcode, Buffer.concat(message.parts));
      message = undefined;
    }
    return true;
  };

  const receive = (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (!closing) {
      let result;
      try {
        result = decodeFrame(pending);
      } catch {
        return closeWith(encodeClosePayload(PROTOCOL_ERROR));
      }
      if (result === 'need-more-bytes') return;
      pending = pending.subarray(result.bytesUsed);
      if (!handle(result.frame)) return closeWith(encodeClosePayload(PROTOCOL_ERROR));
    }
  };

  socket.on('data', receive);
  // The bytes that came with the handshake (often none: decodeFrame then says need-more-bytes).
  receive(head);
}

export async function startWsEchoServer(options: ListenOptions): Promise<RunningServer> {
  const upgraded = new Set<Duplex>();
  const server = http.createServer((_request, response) => {
    // Stryker disable next-line ObjectLiteral,StringLiteral: the contract is the status 400; these headers and this body are for a person who opens the URL in a browser.
    response.writeHead(400, { Connection: 'close', 'Content-Type': 'text/plain' }).end('This server speaks WebSocket only');
  });

  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // Stryker disable next-line ArrowFunction: Node destroys a socket after its error anyway (autoDestroy); the listener is what keeps the error from crashing the process.
    socket.on('error', () => socket.destroy());
    if (!completeHandshake(request, socket)) return;
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    serveWebSocket(socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      // Stryker disable next-line StringLiteral: it only removes a listener whose promise has settled; leaving it changes nothing a client sees.
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
