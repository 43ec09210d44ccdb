/**
 * Byte-exact comparison with a message that shows where two buffers part ways:
 * the bytes in hex, expected above actual, a caret under the first wrong byte
 * (after codecrafters' testers), and extra or missing bytes named for what they are.
 *
 * @module
 */
import { fail } from './check-failure.ts';

/** The index of the first byte where `a` and `b` differ, or -1 when they are equal. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  // Equal buffers, the usual case, compared in native code: a byte loop over 16 MiB takes tens of milliseconds.
  if (a.length === b.length && Buffer.compare(a, b) === 0) return -1;
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : shorter;
}

/** Up to 16 bytes around `offset`, in hex, and where `offset` falls in that line. */
function hexWindow(bytes: Uint8Array, offset: number): { hex: string; caretColumn: number; start: number } {
  const start = Math.max(0, offset - 4);
  const hex = Buffer.from(bytes.subarray(start, start + 16)).toString('hex').replace(/(..)/g, '$1 ').trim();
  return { hex: hex || '(nothing)', caretColumn: (offset - start) * 3, start };
}

/** Up to 16 bytes around `offset`, in hex. */
export function hexAround(bytes: Uint8Array, offset: number): string {
  const { hex, start } = hexWindow(bytes, offset);
  return `${hex}   (from byte ${start})`;
}

/** What a few bytes are, when a learner would recognise them. */
function nameBytes(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('latin1');
  if (text === '\n') return ' (a newline, "\\n")';
  if (text === '\r\n') return ' (a CRLF line ending, "\\r\\n")';
  if (text === '\0') return ' (a zero byte)';
  return /^[\x20-\x7e]+$/.test(text) ? ` (the text ${JSON.stringify(text)})` : '';
}

function count(n: number): string {
  return n === 1 ? 'one byte' : `${n} bytes`;
}

/** Fails with a learner-facing report unless `actual` holds exactly the bytes of `expected`. */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array, context: { did: string; hint?: string }): void {
  const at = firstDifference(actual, expected);
  if (at === -1) return;
  const indent = ' '.repeat(12);
  let report: { expected: string; actual: string };
  if (at === actual.length) {
    report = { expected: `${expected.length} bytes, the same ones that were sent`, actual: `only ${actual.length}: the last ${count(expected.length - actual.length)} never arrived` };
  } else if (at === expected.length) {
    const extra = actual.subarray(expected.length);
    const shown = Buffer.from(extra.subarray(0, 16)).toString('hex').replace(/(..)/g, '$1 ').trim();
    report = {
      expected: `${expected.length} bytes, the same ones that were sent, and nothing more`,
      actual: `${count(extra.length)} extra after them: ${shown}${extra.length > 16 ? ' …' : ''}${nameBytes(extra)}`,
    };
  } else {
    const want = hexWindow(expected, at);
    const got = hexWindow(actual, at);
    report = {
      expected: `${expected.length} bytes, the same ones that were sent\n${indent}${want.hex}   (from byte ${want.start})`,
      actual: `${actual.length} bytes, differing from byte ${at} on\n${indent}${got.hex}\n${indent}${' '.repeat(got.caretColumn)}^ byte ${at}: 0x${actual[at]!.toString(16).padStart(2, '0')} instead of 0x${expected[at]!.toString(16).padStart(2, '0')}`,
    };
  }
  fail({ did: context.did, ...report, ...(context.hint === undefined ? {} : { hint: context.hint }) });
}
