/**
 * Reference solution for `acknowledgements`, the client half.
 *
 * @module
 */
import { io } from 'socket.io-client';
import { DELIVER, MESSAGE, RECEIPT_MARGIN_MS, type DeliverRequest, type DeliveryReceipt, type IncomingMessage } from './protocol.ts';

/** What a messenger does with each message it receives: the value it returns (or resolves to) is the reply. */
export type ReplyFunction = (message: IncomingMessage) => unknown;

/** A client of the delivery server, connected. */
export interface Messenger {
  readonly id: string;
  deliver(to: string, text: string, timeoutMs: number): Promise<unknown>;
  close(): void;
}

export async function connectMessenger(url: string, reply: ReplyFunction): Promise<Messenger> {
  const socket = io(url, {
    reconnection: false,
    // Stryker disable next-line BooleanLiteral: without forceNew, io() still opens a new connection whenever its cache already holds a manager for the same namespace ("/"), which is every call after the first; the first call's manager is merely kept in socket.io-client's cache.
    forceNew: true,
  });

  // Registered before connecting, so that no early message finds nobody to confirm it.
  socket.on(MESSAGE, (message: IncomingMessage, confirm: unknown) => {
    let answer: unknown;
    try {
      answer = reply(message);
    } catch {
      return; // no reply, no confirmation: the sender learns it as a timeout
    }
    // Wait for an async reply: a Promise itself would arrive as `{}`.
    void Promise.resolve(answer).then((value) => {
      if (typeof confirm === 'function') confirm(value);
    });
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (error) => {
      socket.disconnect();
      reject(new Error(`${url} is unreachable: ${error.message}`));
    });
  });

  // Read once connected: the id other clients deliver to.
  const id = socket.id!;
  return {
    id,

    async deliver(to, text, timeoutMs) {
      const request: DeliverRequest = { to, text, timeoutMs };
      let receipt: DeliveryReceipt;
      try {
        // The server may spend all of timeoutMs waiting for the recipient: give it a margin to answer.
        receipt = await socket.timeout(timeoutMs + RECEIPT_MARGIN_MS).emitWithAck(DELIVER, request);
      } catch {
        // Stryker disable next-line ArithmeticOperator: the figure is for people; the README asks only for "deliver" and "timed out" in the message.
        throw new Error(`"${DELIVER}" timed out: the server sent no receipt within ${timeoutMs + RECEIPT_MARGIN_MS} ms`);
      }
      switch (receipt.status) {
        case 'delivered':
          return receipt.reply;
        case 'timeout':
          throw new Error(`${to} did not confirm the message within ${timeoutMs} ms`);
        case 'unknown-recipient':
          throw new Error(`${to} is an unknown recipient: no client with that id is connected`);
      }
      // Stryker disable next-line StringLiteral: unreachable with a server that speaks protocol.ts (three statuses, all handled above); the message is for people.
      throw new Error(`The server answered "${DELIVER}" with an unexpected receipt: ${JSON.stringify(receipt)}`);
    },

    close() {
      socket.disconnect();
    },
  };
}
