/**
 * Reference solution for `validation`.
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { z } from 'zod';
import type { ListenOptions, RunningServer } from '../types.ts';

/** The largest message, in bytes, a client may send; a larger one disconnects it (`maxHttpBufferSize`). */
export const MAX_MESSAGE_BYTES = 16 * 1024;

/** A valid order. Lengths are counted in Unicode code points, as zod counts them (an emoji is one character). */
export interface Order {
  readonly item: string;
  readonly quantity: number;
  readonly tags: readonly string[];
  readonly note?: string;
}

/** The acknowledgement of `order`. */
export type OrderResult = { readonly ok: true; readonly order: Order } | { readonly ok: false; readonly error: string };

// A zod object drops unknown keys: only what the schema names is passed on.
// Strict: an order with keys we do not know is suspicious.
const OrderSchema = z.strictObject({
  item: z.string().min(1).max(40),
  quantity: z.number().int().min(1).max(99),
  tags: z.array(z.string().min(1).max(20)).max(5),
  note: z.string().max(200).optional(),
});

/** Validates anything at all; never throws. */
function checkOrder(payload: unknown): OrderResult {
  const result = OrderSchema.safeParse(payload);
  if (result.success) return { ok: true, order: result.data };
  // One short reason: echoing every issue back would let a client make the answer huge.
  // A failed parse has at least one issue.
  const issue = result.error.issues[0]!;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: the README leaves the wording of `error` free (any reason of 1 to 200 characters): with or without the path in front, the reason is as right.
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  // Stryker disable next-line MethodExpression: the cut never bites with this schema (zod's messages are short, its paths at most two keys deep, "tags.4"); it guards a schema that would let a reason grow.
  return { ok: false, error: `${where}${issue.message}`.slice(0, 200) };
}

export async function startOrderServer(options: ListenOptions): Promise<RunningServer> {
  const httpServer = http.createServer();
  // Above this size Socket.IO closes the sender's connection before any handler sees the message.
  const io = new Server(httpServer, { maxHttpBufferSize: MAX_MESSAGE_BYTES });

  io.on('connection', (socket) => {
    // Nothing about the arguments is known: not their types, not even that there is an acknowledgement.
    socket.on('order', (payload: unknown, ack: unknown) => {
      if (typeof ack === 'function') ack(checkOrder(payload));
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      // Stryker disable next-line StringLiteral: once listening, the promise is settled and a leftover reject does nothing.
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
