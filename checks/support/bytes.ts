/**
 * Byte-exact comparison with a message that shows where two buffers part ways,
 * in hex, expected above actual.
 *
 * @module
 */
import { fail } from './check-failure.ts';

/** The index of the first byte where `a` and `b` differ, or -1 when they are equal. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : shorter;
}

/** Up to 16 bytes around `offset`, in hex. */
export function hexAround(bytes: Uint8Array, offset: number): string {
  const start = Math.max(0, offset - 4);
  const window = Buffer.from(bytes.subarray(start, start + 16));
  const hex = window.toString('hex').replace(/(..)/g, '$1 ').trim();
  return `${hex || '(nothing)'}   (from byte ${start})`;
}

/** Fails with a learner-facing report unless `actual` holds exactly the bytes of `expected`. */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array, context: { did: string; hint?: string }): void {
  const at = firstDifference(actual, expected);
  if (at === -1) return;
  fail({
    did: context.did,
    expected: `${expected.length} bytes, the same ones that were sent\n            ${hexAround(expected, at)}`,
    actual:
      at === actual.length
        ? `only ${actual.length} bytes: the rest never arrived`
        : `${actual.length} bytes, differing from byte ${at} on\n            ${hexAround(actual, at)}`,
    ...(context.hint === undefined ? {} : { hint: context.hint }),
  });
}
