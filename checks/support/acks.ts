/**
 * Emitting from a check's client and waiting, bounded, for the server's
 * acknowledgement, with a learner-facing message when it never comes.
 *
 * @module
 */
import { describeValue, fail } from './check-failure.ts';
import type { SocketIoClient } from './clients.ts';
import { formatMs } from './wait.ts';

/** An acknowledgement as the check received it. */
export interface Acknowledged {
  /** The first argument the server passed to the acknowledgement. */
  readonly answer: unknown;
  /** Every argument it passed. */
  readonly args: readonly unknown[];
  /** Milliseconds from the emit to the acknowledgement. */
  readonly ms: number;
}

/**
 * Emits `event` with `args` and an acknowledgement callback from `client`, and
 * resolves once the server calls it. Fails with a message naming the client, the
 * event and the payload if it is not called within `withinMs`.
 */
export async function emitAndAwaitAck(
  client: SocketIoClient,
  event: string,
  args: readonly unknown[],
  { withinMs, hint }: { readonly withinMs: number; readonly hint?: string },
): Promise<Acknowledged> {
  const started = Date.now();
  // Socket.IO's own timeout bounds the wait, and clears its timer either way.
  const received = await new Promise<readonly unknown[] | undefined>((resolve) => {
    client.socket.timeout(withinMs).emit(event, ...args, (error: Error | null, ...answers: unknown[]) => resolve(error ? undefined : answers));
  });
  if (received === undefined) {
    const payload = args.map((arg) => describeValue(arg, 80)).join(', ');
    fail({
      did: `${client.who} emitted \`${event}\`${payload ? ` with ${payload}` : ''} and an acknowledgement callback`,
      expected: `the server to call the acknowledgement within ${formatMs(withinMs)}`,
      actual: client.socket.connected ? 'it was never called' : `it was never called, and ${client.who} was disconnected`,
      hint: hint ?? `The callback is the last argument of your handler: \`socket.on("${event}", (…, ack) => ack(…))\`.`,
    });
  }
  return { answer: received[0], args: received, ms: Date.now() - started };
}
