/**
 * Exercise `validation`: a server that treats every incoming payload as hostile.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- validation`.
 *
 * @module
 */
import http from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import type { ListenOptions, RunningServer } from '../types.ts';

/** The largest message, in bytes, a client may send; a larger one disconnects it (`maxHttpBufferSize`). */
export const MAX_MESSAGE_BYTES = 16 * 1024;

/**
 * A valid order. Every bound is inclusive; lengths are counted in Unicode code points,
 * as zod counts them (an emoji is one character, though its `.length` is 2).
 *
 * - `item`: a string of 1 to 40 characters;
 * - `quantity`: an integer from 1 to 99;
 * - `tags`: an array of at most 5 strings, each of 1 to 20 characters;
 * - `note` (optional): a string of at most 200 characters.
 *
 * Any other key is dropped, never passed on.
 */
export interface Order {
  readonly item: string;
  readonly quantity: number;
  readonly tags: readonly string[];
  readonly note?: string;
}

/**
 * The acknowledgement of `order`: the validated {@link Order} (unknown keys dropped), or
 * a short reason (1 to 200 characters) why the payload was refused.
 */
export type OrderResult = { readonly ok: true; readonly order: Order } | { readonly ok: false; readonly error: string };

/**
 * Starts a Socket.IO server, with messages limited to {@link MAX_MESSAGE_BYTES}, that
 * answers each `order` event through its acknowledgement with an {@link OrderResult}.
 *
 * Whatever a client sends — `null`, a number, wrong types, huge arrays, deeply nested
 * objects, no acknowledgement, extra arguments — the server neither throws nor
 * disconnects anyone, except a client whose message is larger than the limit.
 *
 * @param options - where to listen; the checks pass `{ port: 0, host: '127.0.0.1' }`.
 * @returns once listening: the real port and `close()`, which disconnects every
 *   client and closes the server.
 */
export async function startOrderServer(options: ListenOptions): Promise<RunningServer> {
  // TODO: describe an Order with zod, create the Socket.IO server with `maxHttpBufferSize`,
  //       validate every `order` payload and answer through the acknowledgement (when
  //       there is one); listen and return { port, close }.
  throw new Error(`startOrderServer(${JSON.stringify(options)}) is not written yet: open exercises/validation/server.ts`);
}
