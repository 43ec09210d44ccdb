/**
 * Reference solution for `ws-frames`.
 *
 * @module
 */

/** The opcodes of RFC 6455 §5.2: what a frame carries. */
export const Opcode = {
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const;

/** One of the six opcodes of {@link Opcode}. */
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

/** One frame, as your code sees it: the payload is always the real, unmasked data. */
export interface Frame {
  readonly fin: boolean;
  readonly opcode: Opcode;
  readonly payload: Buffer;
  readonly mask?: Buffer | undefined;
}

/** What {@link decodeFrame} found. */
export type DecodeResult = { readonly frame: Frame; readonly bytesUsed: number } | 'need-more-bytes';

/** A close frame's payload, read. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

const OPCODES = new Set<number>(Object.values(Opcode));

/** Close, ping and pong: opcodes with the high bit set. */
function isControl(opcode: number): boolean {
  return (opcode & 0x8) !== 0;
}

export function applyMask(data: Buffer, mask: Buffer): Buffer {
  const result = Buffer.allocUnsafe(data.length);
  // Stryker disable next-line EqualityOperator: with <=, the extra round writes one index past the end of the Buffer, which typed arrays ignore
  for (let i = 0; i < data.length; i++) result[i] = data[i]! ^ mask[i & 3]!;
  return result;
}

export function encodeFrame({ fin, opcode, payload, mask }: Frame): Buffer {
  // Stryker disable next-line StringLiteral: the message of the RangeError is free text (the README names only the class)
  if (isControl(opcode) && (payload.length > 125 || !fin)) throw new RangeError('A control frame must have FIN set and at most 125 bytes of payload');
  // Stryker disable next-line StringLiteral: free text, as above
  if (mask && mask.length !== 4) throw new RangeError('A masking key is 4 bytes long');

  // The shortest length form that fits: 7 bits, or 16, or 64.
  const extendedLength = payload.length < 126 ? 0 : payload.length < 0x10000 ? 2 : 8;
  const header = Buffer.alloc(2 + extendedLength + (mask ? 4 : 0));
  header[0] = (fin ? 0x80 : 0) | opcode;
  const maskBit = mask ? 0x80 : 0;
  if (extendedLength === 0) {
    header[1] = maskBit | payload.length;
  } else if (extendedLength === 2) {
    header[1] = maskBit | 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  if (!mask) return Buffer.concat([header, payload]);
  mask.copy(header, 2 + extendedLength);
  return Buffer.concat([header, applyMask(payload, mask)]);
}

export function decodeFrame(bytes: Buffer): DecodeResult {
  // Stryker disable next-line ConditionalExpression: without this early return, a missing byte 1 reads as undefined, a length of 0, and the payload check below answers 'need-more-bytes' all the same
  if (bytes.length < 2) return 'need-more-bytes';
  const first = bytes[0]!;
  const second = bytes[1]!;
  // Stryker disable next-line StringLiteral: the message of the Error is free text (the README asks only for an Error)
  if ((first & 0x70) !== 0) throw new Error('A reserved bit (RSV1-3) is set, but no extension was agreed on');
  const opcode = first & 0x0f;
  // Stryker disable next-line StringLiteral: free text, as above
  if (!OPCODES.has(opcode)) throw new Error(`Unknown opcode 0x${opcode.toString(16)}`);
  const fin = (first & 0x80) !== 0;
  const masked = (second & 0x80) !== 0;

  let length = second & 0x7f;
  let offset = 2;
  // Stryker disable next-line StringLiteral: free text, as above
  if (isControl(opcode) && (!fin || length > 125)) throw new Error('A control frame must have FIN set and at most 125 bytes of payload');
  if (length === 126) {
    if (bytes.length < 4) return 'need-more-bytes';
    length = bytes.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (bytes.length < 10) return 'need-more-bytes';
    const long = bytes.readBigUInt64BE(2);
    // Stryker disable next-line ConditionalExpression,StringLiteral: beyond 2^53 - 1 the README lets decodeFrame throw or answer 'need-more-bytes' (no such frame can exist), and the message is free text
    if (long > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('Payload length too large');
    length = Number(long);
    offset = 10;
  }

  const payloadStart = offset + (masked ? 4 : 0);
  if (bytes.length < payloadStart + length) return 'need-more-bytes';
  const data = bytes.subarray(payloadStart, payloadStart + length);
  // Copies, so that the caller may reuse `bytes` and the frame stays intact.
  // The key: 4 bytes for a masked frame, none for an unmasked one.
  const mask = Buffer.from(bytes.subarray(offset, payloadStart));
  const payload = masked ? applyMask(data, mask) : Buffer.from(data);
  return { frame: { fin, opcode: opcode as Opcode, payload, mask }, bytesUsed: payloadStart + length };
}

export function encodeClosePayload(code: number, reason = ''): Buffer {
  const codeBytes = Buffer.alloc(2);
  codeBytes.writeUInt16BE(code);
  return Buffer.concat([codeBytes, Buffer.from(reason)]);
}

export function decodeClosePayload(payload: Buffer): CloseInfo {
  if (payload.length === 0) return { code: 1005, reason: '' };
  // Stryker disable next-line ConditionalExpression,StringLiteral: without this line, readUInt16BE(0) throws a RangeError on 1 byte, an Error all the same; and the message is free text
  if (payload.length === 1) throw new Error('A close payload of 1 byte cannot hold a status code');
  return { code: payload.readUInt16BE(0), reason: payload.subarray(2).toString('utf8') };
}
