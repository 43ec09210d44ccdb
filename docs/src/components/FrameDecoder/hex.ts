/**
 * Hex text to bytes and back, for the frame decoder. Reading is tolerant of the
 * ways people copy bytes — `81 05 48`, `0x81, 0x05`, `\x81\x05`, `[0x81, 0x05]`,
 * `810548`, across several lines — and names the first character it cannot read.
 *
 * Plain TypeScript: no DOM, no Node (the site and the unit tests both import it).
 *
 * @module
 */

/** Hex text that is not bytes: the message says where and why. */
export class HexInputError extends Error {
  override readonly name = 'HexInputError';
  constructor(
    message: string,
    /** Index of the offending character in the text. */
    readonly position: number,
  ) {
    super(message);
  }
}

/** Between bytes: whitespace, commas, semicolons, colons, and the brackets of a pasted array. */
const separator = /[\s,;:[\]]/;
const hexDigit = /[0-9a-f]/i;

/** Reads hex text as bytes. Throws {@link HexInputError} for anything else. */
export function parseHex(text: string): Uint8Array {
  const bytes: number[] = [];
  let i = 0;
  while (i < text.length) {
    if (separator.test(text[i]!)) {
      i++;
      continue;
    }
    const start = i;
    // A `0x` or `\x` prefix marks one number; it may be written with one digit (0x5).
    const prefixed = /^(0x|\\x)/i.test(text.slice(i, i + 2));
    if (prefixed) i += 2;
    const digitsStart = i;
    while (i < text.length && hexDigit.test(text[i]!)) i++;
    const digits = text.slice(digitsStart, i);
    if (i < text.length && !separator.test(text[i]!) && !/^(\\x)/i.test(text.slice(i, i + 2))) {
      throw new HexInputError(`"${text[i]}" (character ${i + 1}) is not a hex digit: bytes are written 0-9 and a-f, like 81 05 48 65.`, i);
    }
    if (digits.length === 0) throw new HexInputError(`"${text.slice(start, i)}" (character ${start + 1}) has no digits after its prefix.`, start);
    if (digits.length % 2 === 1) {
      if (prefixed && digits.length === 1) {
        bytes.push(Number.parseInt(digits, 16));
        continue;
      }
      throw new HexInputError(
        `"${text.slice(start, i)}" (character ${start + 1}) has an odd number of hex digits: a byte is two digits (write 05, not 5), so one digit is missing or one too many.`,
        start,
      );
    }
    for (let d = 0; d < digits.length; d += 2) bytes.push(Number.parseInt(digits.slice(d, d + 2), 16));
  }
  return Uint8Array.from(bytes);
}

/** Bytes as lowercase hex pairs separated by spaces: `81 05 48 65 6c 6c 6f`. */
export function formatHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

/** A byte as its 8 bits, in two groups of four: `1000 0001`. */
export function formatBits(byte: number): string {
  const bits = byte.toString(2).padStart(8, '0');
  return `${bits.slice(0, 4)} ${bits.slice(4)}`;
}
