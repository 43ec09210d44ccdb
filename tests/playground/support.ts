/**
 * Helpers for the playground's tests: clients that never reconnect, bounded waits,
 * and a list of things to close after each test.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { afterEach } from 'vitest';

const cleanups: Array<() => unknown> = [];

/** Closes (after the current test) whatever `close` closes. */
export function closeAfterTest(close: () => unknown): void {
  cleanups.push(close);
}

afterEach(async () => {
  for (const close of cleanups.splice(0).reverse()) await close();
});

/** A Socket.IO client that gives up rather than retrying, closed after the test. */
export function client(url: string, options: Partial<ManagerOptions & SocketOptions> = {}): Socket {
  const socket = io(url, { reconnection: false, forceNew: true, ...options });
  closeAfterTest(() => socket.disconnect());
  return socket;
}

/** Resolves with the arguments of the next `event`, or rejects after `ms` saying which event never came. */
export function next<T = unknown>(socket: { once(event: string, fn: (...args: never[]) => void): unknown }, event: string, ms = 2000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${ms} ms`)), ms);
    socket.once(event, ((value: T) => {
      clearTimeout(timer);
      resolve(value);
    }) as never);
  });
}

/** Connected, or rejects with the connection error's message. */
export function connected(socket: Socket, ms = 2000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    const timer = setTimeout(() => reject(new Error(`no connection within ${ms} ms`)), ms);
    socket.once('connect', () => (clearTimeout(timer), resolve()));
    socket.once('connect_error', (error) => (clearTimeout(timer), reject(error)));
  });
}

/** Waits until `condition()` holds, checking every 10 ms, for at most `ms`. */
export async function until(condition: () => boolean, what: string, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: still not true after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
