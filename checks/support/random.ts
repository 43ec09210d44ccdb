/**
 * Random test data, so that a hard-coded answer cannot pass a check.
 *
 * @module
 */
import { randomBytes, randomInt as cryptoRandomInt } from 'node:crypto';

/** `n` random bytes. */
export function randomBuffer(n: number): Buffer {
  return randomBytes(n);
}

/** A random integer in `[min, max]`, both included. */
export function randomInt(min: number, max: number): number {
  return cryptoRandomInt(min, max + 1);
}

/** A random element of `items`. */
export function pick<T>(items: readonly T[]): T {
  return items[randomInt(0, items.length - 1)] as T;
}

/** A random lowercase word of `length` letters, e.g. for event names and nicknames. */
export function randomWord(length = 8): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return Array.from({ length }, () => pick([...letters])).join('');
}

/** Cuts `data` into consecutive pieces of 1 to `maxPiece` bytes, at random positions. */
export function cutAtRandom(data: Buffer, maxPiece: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < data.length; ) {
    const size = Math.min(randomInt(1, maxPiece), data.length - at);
    pieces.push(data.subarray(at, at + size));
    at += size;
  }
  return pieces;
}
