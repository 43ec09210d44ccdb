/**
 * Exercise `acknowledgements`, part 1 of 2: the delivery server.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- acknowledgements`. The events are described in `protocol.ts`.
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

/**
 * Starts a Socket.IO server that delivers texts between its clients and reports,
 * through acknowledgements, whether each one was confirmed.
 *
 * On every `deliver` event carrying a {@link DeliverRequest} `{ to, text, timeoutMs }`
 * and an acknowledgement callback, it answers that callback with one
 * {@link DeliveryReceipt}:
 *
 * - `{ status: 'unknown-recipient' }` at once when no connected client has the id `to`;
 * - otherwise it emits `message` with an {@link IncomingMessage} `{ from, text }`
 *   (`from` is the sender's `socket.id`) to that one client, with an acknowledgement,
 *   and waits up to `timeoutMs` for it;
 * - `{ status: 'delivered', reply }` when the recipient acknowledges, where `reply`
 *   is the first argument the recipient passed to its acknowledgement;
 * - `{ status: 'timeout' }` once `timeoutMs` have passed without one.
 *
 * Many deliveries can be in flight at once; each is answered on its own.
 *
 * @param options - where to listen; the checks pass `{ port: 0, host: '127.0.0.1' }`.
 * @returns once listening: the real port and `close()`, which disconnects every
 *   client and closes the server.
 */
export async function startDeliveryServer(options: ListenOptions): Promise<RunningServer> {
  // TODO: create an HTTP server with a Socket.IO server, handle `deliver` as described
  //       above (socket.timeout(ms).emitWithAck(…) to the recipient), listen, and return { port, close }.
  throw new Error(`startDeliveryServer(${JSON.stringify(options)}) is not written yet: open exercises/acknowledgements/server.ts`);
}
