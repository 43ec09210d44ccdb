/**
 * What a check's Socket.IO client has received so far, read without taking it out
 * of its queue: for checks that compare everything a client got, at the end.
 *
 * @module
 */
import type { SocketIoClient } from './clients.ts';

/** The first arguments (payloads) of the events called `name` that `client` received so far, in order. */
export function receivedPayloads(client: SocketIoClient, name: string): unknown[] {
  return client.events.pending.filter((event) => event.name === name).map((event) => event.args[0]);
}

/** The arguments, acknowledgement callback included, of the events called `name` that `client` received so far. */
export function receivedArgs(client: SocketIoClient, name: string): (readonly unknown[])[] {
  return client.events.pending.filter((event) => event.name === name).map((event) => event.args);
}
