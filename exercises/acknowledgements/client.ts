/**
 * Exercise `acknowledgements`, part 2 of 2: the messenger, a client of the delivery server.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- acknowledgements`. The events are described in `protocol.ts`.
 *
 * @module
 */
import { io } from 'socket.io-client';
import { DELIVER, MESSAGE, RECEIPT_MARGIN_MS, type DeliverRequest, type DeliveryReceipt, type IncomingMessage } from './protocol.ts';

/**
 * What a messenger does with each message it receives: the value it returns, or
 * the value its promise resolves to, is the reply sent back to the sender.
 * When it throws (or its promise rejects), the message is not confirmed.
 */
export type ReplyFunction = (message: IncomingMessage) => unknown;

/** A client of the delivery server, connected. */
export interface Messenger {
  /** This client's `socket.id`: the address other clients deliver to. */
  readonly id: string;

  /**
   * Asks the server to deliver `text` to the client whose id is `to`, and waits for
   * the server's {@link DeliveryReceipt}: it emits `deliver` with
   * `{ to, text, timeoutMs }` and an acknowledgement, and waits up to
   * `timeoutMs + RECEIPT_MARGIN_MS` for it.
   *
   * @returns the recipient's reply, when the receipt says `delivered`.
   * @throws an `Error` whose message contains `to` and the words `did not confirm`
   *   when the receipt says `timeout`; contains `to` and `unknown` when it says
   *   `unknown-recipient`; contains `deliver` and `timed out` when no receipt came
   *   within `timeoutMs + RECEIPT_MARGIN_MS`.
   */
  deliver(to: string, text: string, timeoutMs: number): Promise<unknown>;

  /** Disconnects, leaving nothing running. */
  close(): void;
}

/**
 * Connects to the delivery server at `url` (no reconnection) and resolves once
 * connected, with a {@link Messenger}.
 *
 * From then on it confirms every `message` it receives by calling the message's
 * acknowledgement with the value of `reply(message)` — once that value is ready,
 * if `reply` returns a promise.
 *
 * @param url - the server, e.g. `http://127.0.0.1:3000`.
 * @param reply - computes the reply to each incoming message.
 * @throws (rejects with) an `Error` whose message contains `url` when it cannot
 *   connect (`connect_error`).
 */
export async function connectMessenger(url: string, reply: ReplyFunction): Promise<Messenger> {
  // TODO: connect with io(url, …), answer `message` events with reply(message) through
  //       their acknowledgement, and return { id, deliver, close } once connected.
  throw new Error(`connectMessenger(${JSON.stringify(url)}, …) is not written yet: open exercises/acknowledgements/client.ts`);
}
