/**
 * One way to put message boundaries back on a TCP byte stream: send each
 * message as a 4-byte big-endian length followed by that many bytes.
 *
 * The receiver's side is the buffer-and-split loop of line-receiver.ts, with
 * another test: are the 4 length bytes there, and then that many more?
 */
export function encodeLengthPrefixed(message: Uint8Array): Uint8Array {
  const frame = new Uint8Array(4 + message.length);
  new DataView(frame.buffer).setUint32(0, message.length, false); // false: big-endian, "network order"
  frame.set(message, 4);
  return frame;
}

// encodeLengthPrefixed(new TextEncoder().encode('hi')) → 00 00 00 02 68 69
