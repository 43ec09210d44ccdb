/**
 * The events of the delivery service, as the server and the client of exercise
 * `acknowledgements` both speak them. You read this file; you never need to edit it.
 *
 * A client asks the server to deliver a text to another client, by its socket id:
 *
 * ```text
 * sender ── deliver {to, text, timeoutMs} ──▶ server ── message {from, text} ──▶ recipient
 * sender ◀── receipt (acknowledgement) ────── server ◀── reply (acknowledgement) ─ recipient
 * ```
 *
 * @module
 */

/** The event a client emits, with an acknowledgement callback, to have a text delivered. */
export const DELIVER = 'deliver';

/** The event the server emits to the recipient, with an acknowledgement callback the recipient calls to confirm. */
export const MESSAGE = 'message';

/** The payload of a {@link DELIVER} event. */
export interface DeliverRequest {
  /** The recipient: the `socket.id` of another connected client. */
  readonly to: string;
  /** Any text. */
  readonly text: string;
  /** How long the server waits for the recipient to confirm, in milliseconds. */
  readonly timeoutMs: number;
}

/** The payload of a {@link MESSAGE} event. */
export interface IncomingMessage {
  /** The sender's `socket.id`. */
  readonly from: string;
  /** The text, as the sender wrote it. */
  readonly text: string;
}

/** The server's answer to a {@link DELIVER} event: the first argument of its acknowledgement. */
export type DeliveryReceipt =
  /** The recipient confirmed; `reply` is the first argument it passed to its acknowledgement. */
  | { readonly status: 'delivered'; readonly reply: unknown }
  /** The recipient is connected but did not confirm within `timeoutMs`. */
  | { readonly status: 'timeout' }
  /** No connected client has the id `to`. */
  | { readonly status: 'unknown-recipient' };

/**
 * How much longer than `timeoutMs` a client waits for its receipt: the server may
 * take the whole `timeoutMs` waiting for the recipient, and then needs a moment to answer.
 */
export const RECEIPT_MARGIN_MS = 300;
