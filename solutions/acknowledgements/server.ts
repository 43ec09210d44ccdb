/**
 * Reference solution for `acknowledgements`, the server half.
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { ListenOptions, RunningServer } from '../types.ts';
import { DELIVER, MESSAGE, type DeliverRequest, type DeliveryReceipt, type IncomingMessage } from './protocol.ts';

// The events both halves speak, re-exported so that the API reference shows them with this exercise.
export * from './protocol.ts';

export async function startDeliveryServer(options: ListenOptions): Promise<RunningServer> {
  const httpServer = http.createServer();
  const io = new Server(httpServer);

  io.on('connection', (socket) => {
    socket.on(DELIVER, async (request: DeliverRequest, answer: unknown) => {
      // A request nobody waits for is not worth delivering.
      if (typeof answer !== 'function') return;
      const respond = answer as (receipt: DeliveryReceipt) => void;

      // Only that one client: `io.to(id)` would broadcast and collect an array of answers.
      const recipient = io.sockets.sockets.get(request?.to);
      if (!recipient) return respond({ status: 'unknown-recipient' });

      const message: IncomingMessage = { from: socket.id, text: request.text };
      try {
        const reply: unknown = await recipient.timeout(request.timeoutMs).emitWithAck(MESSAGE, message);
        respond({ status: 'delivered', reply });
      } catch {
        // emitWithAck rejects once timeoutMs have passed without an acknowledgement.
        respond({ status: 'timeout' });
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      // Stryker disable next-line StringLiteral: the startup listener, if left attached, only swallows an 'error' emitted after listening (reject() on a settled promise does nothing), which no rule of the exercise provokes.
      httpServer.off('error', reject);
      resolve();
    });
  });

  const { port } = httpServer.address() as AddressInfo;
  return {
    port,
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}
