/**
 * Exercise `ws-frames`: encoding and decoding WebSocket frames (RFC 6455 §5).
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- ws-frames`.
 *
 * Every function here is pure: it computes its result from its arguments, and
 * never modifies them. The next exercise, `ws-echo-server`, imports them.
 *
 * A frame on the wire (RFC 6455 §5.2), byte by byte:
 *
 * ```text
 * byte 0      FIN (bit 7) · RSV1-3 (bits 6-4, always 0 here) · opcode (bits 3-0)
 * byte 1      MASK (bit 7) · payload length (bits 6-0): 0-125, or 126, or 127
 * next 2      if the length was 126: the real length, 16-bit big-endian (126 to 65 535)
 * next 8      if the length was 127: the real length, 64-bit big-endian (65 536 and more)
 * next 4      if MASK is 1: the masking key
 * the rest    the payload, masked with the key if MASK is 1
 * ```
 *
 * @module
 */

/** The opcodes of RFC 6455 §5.2: what a frame carries. */
export const Opcode = {
  /** The next fragment of a message begun by a text or binary frame whose FIN was 0. */
  Continuation: 0x0,
  /** A text message (or its first fragment): UTF-8. */
  Text: 0x1,
  /** A binary message (or its first fragment). */
  Binary: 0x2,
  /** Close: the payload is empty, or a 2-byte status code and a UTF-8 reason. */
  Close: 0x8,
  /** Ping: the other side must answer with a pong carrying the same payload. */
  Ping: 0x9,
  /** Pong: the answer to a ping. */
  Pong: 0xa,
} as const;

/** One of the six opcodes of {@link Opcode}. */
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

/**
 * One frame, as your code sees it: the payload is always the real, unmasked data.
 *
 * Close, ping and pong are **control frames**: their `fin` is always `true` and
 * their payload at most 125 bytes.
 */
export interface Frame {
  /** `true` on the last (or only) frame of a message, and on every control frame. */
  readonly fin: boolean;
  readonly opcode: Opcode;
  /** The application data, unmasked. May be empty. */
  readonly payload: Buffer;
  /**
   * The 4-byte masking key, when the frame is masked on the wire (every frame a
   * client sends is); `undefined` (or absent) for an unmasked frame (every frame a
   * server sends).
   */
  readonly mask?: Buffer | undefined;
}

/**
 * What {@link decodeFrame} found: a whole frame and how many bytes it took, or
 * `'need-more-bytes'` when the buffer holds only the beginning of a frame.
 */
export type DecodeResult = { readonly frame: Frame; readonly bytesUsed: number } | 'need-more-bytes';

/** A close frame's payload, read. */
export interface CloseInfo {
  /** The status code: 1000 is a normal closure, 1002 a protocol error; 1005 stands for "no code was sent". */
  readonly code: number;
  /** Why, in UTF-8; may be empty. */
  readonly reason: string;
}

/**
 * Masks or unmasks data: byte `i` of the result is `data[i] XOR mask[i % 4]`.
 * Masking twice with the same key gives back the original data.
 *
 * @example
 * applyMask(Buffer.from('Hello'), Buffer.from([0x37, 0xfa, 0x21, 0x3d])) // → <7f 9f 4d 51 58>
 *
 * @param data - the bytes to mask or unmask; not modified.
 * @param mask - the 4-byte masking key.
 * @returns a new Buffer of the same length.
 */
export function applyMask(data: Buffer, mask: Buffer): Buffer {
  // TODO: copy data and XOR each byte with mask[i % 4].
  throw new Error(`applyMask(<${data.length} bytes>, <${mask.length} bytes>) is not written yet: open exercises/ws-frames/frames.ts`);
}

/**
 * Encodes one frame into the bytes that go on the wire.
 *
 * - The length uses the shortest form: 7 bits for 0-125 bytes, 126 and 16 bits
 *   for 126-65 535, 127 and 64 bits for 65 536 and more.
 * - With a `mask`, the MASK bit is set, the key follows the length, and the
 *   payload is masked with it; without one, the payload is sent as it is.
 *
 * @example
 * encodeFrame({ fin: true, opcode: Opcode.Text, payload: Buffer.from('Hello') }) // → <81 05 48 65 6c 6c 6f>
 *
 * @param frame - the frame; `frame.payload` is not modified.
 * @returns a new Buffer holding the whole frame.
 * @throws RangeError for a control frame whose payload is longer than 125 bytes
 *   or whose `fin` is `false`, and for a `mask` that is not 4 bytes long.
 */
export function encodeFrame(frame: Frame): Buffer {
  // TODO: build the header (byte 0, byte 1, extended length, masking key), then append the payload.
  throw new Error(`encodeFrame({ opcode: ${frame.opcode}, … }) is not written yet: open exercises/ws-frames/frames.ts`);
}

/**
 * Decodes the frame at the start of `bytes`.
 *
 * `bytes` may hold less than a frame (a frame arrives over TCP in pieces), exactly
 * one frame, or more (the next frame starts at `bytesUsed`).
 *
 * @example
 * decodeFrame(Buffer.from('810548656c6c6f', 'hex'))
 * // → { frame: { fin: true, opcode: 0x1, payload: <48 65 6c 6c 6f> }, bytesUsed: 7 }
 * decodeFrame(Buffer.from('8105486c', 'hex')) // → 'need-more-bytes'
 *
 * @param bytes - what has arrived so far; not modified.
 * @returns the frame, with its payload unmasked and its masking key in `mask` when
 *   it was masked, and the number of bytes it took; or `'need-more-bytes'` when
 *   `bytes` ends before the frame does (never an exception for that).
 * @throws Error when the bytes cannot start a valid frame: a reserved bit (RSV1-3)
 *   is set, the opcode is not one of {@link Opcode}, or a control frame has FIN 0
 *   or a payload longer than 125 bytes.
 */
export function decodeFrame(bytes: Buffer): DecodeResult {
  // TODO: read byte 0 and byte 1; return 'need-more-bytes' whenever the next field
  //       you need is not there yet; then read the length, the key and the payload.
  throw new Error(`decodeFrame(<${bytes.length} bytes>) is not written yet: open exercises/ws-frames/frames.ts`);
}

/**
 * Builds a close frame's payload: the status code as 2 bytes, big-endian, then
 * the reason in UTF-8.
 *
 * @example
 * encodeClosePayload(1000, 'bye') // → <03 e8 62 79 65>
 */
export function encodeClosePayload(code: number, reason = ''): Buffer {
  // TODO: 2 bytes for the code (writeUInt16BE), then Buffer.from(reason).
  throw new Error(`encodeClosePayload(${code}, ${JSON.stringify(reason)}) is not written yet: open exercises/ws-frames/frames.ts`);
}

/**
 * Reads a close frame's payload.
 *
 * @returns `{ code, reason }`; for an empty payload, `{ code: 1005, reason: '' }`
 *   (1005 means "no status code was sent").
 * @throws Error for a 1-byte payload, which cannot hold a status code.
 */
export function decodeClosePayload(payload: Buffer): CloseInfo {
  // TODO: handle the empty payload, then readUInt16BE(0) and the rest as UTF-8.
  throw new Error(`decodeClosePayload(<${payload.length} bytes>) is not written yet: open exercises/ws-frames/frames.ts`);
}
