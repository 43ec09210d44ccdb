/**
 * WebSocket frames (RFC 6455 §5) read and written for people: every field with
 * what it means, and every rule a frame breaks named with its section of the RFC.
 *
 * Unlike the `ws-frames` exercise (which throws on the first bad byte), this
 * decoder explains: it reads a stream of bytes — several frames, or the
 * beginning of one — and reports the frames it found, the first rule broken
 * (after which a receiver must fail the connection, so decoding stops), or how
 * many bytes are still missing.
 *
 * Plain TypeScript on `Uint8Array`: no DOM, no Node (the site and the unit tests
 * both import it).
 *
 * @module
 */
// The lesson's own masking function (the WebSocket lesson shows this file).
import { applyMask } from '../../../snippets/websocket-masking.ts';

/** What RFC 6455 §5.2 and §11.8 call each of the sixteen opcodes. */
export function opcodeName(opcode: number): string {
  switch (opcode) {
    case 0x0:
      return 'continuation';
    case 0x1:
      return 'text';
    case 0x2:
      return 'binary';
    case 0x8:
      return 'close';
    case 0x9:
      return 'ping';
    case 0xa:
      return 'pong';
    default:
      return isControl(opcode) ? 'reserved (control)' : 'reserved (data)';
  }
}

/** Close, ping, pong and the reserved 0xB–0xF: opcodes with the high bit set (§5.5). */
export function isControl(opcode: number): boolean {
  return (opcode & 0x8) !== 0;
}

/** How byte 1 and the bytes after it carry the payload length (§5.2). */
export type LengthEncoding = '7-bit' | '16-bit' | '64-bit';

/** The largest payload each length encoding can carry. */
export const LENGTH_LIMITS: Record<LengthEncoding, number> = { '7-bit': 125, '16-bit': 0xffff, '64-bit': Number.MAX_SAFE_INTEGER };

/** The encoding RFC 6455 requires for a length: the shortest that holds it. */
export function shortestEncoding(length: number): LengthEncoding {
  return length <= LENGTH_LIMITS['7-bit'] ? '7-bit' : length <= LENGTH_LIMITS['16-bit'] ? '16-bit' : '64-bit';
}

/** Everything a frame header says, and the payload it carries. */
export interface FrameFields {
  readonly fin: boolean;
  readonly rsv1: boolean;
  readonly rsv2: boolean;
  readonly rsv3: boolean;
  /** 0 to 15; see {@link opcodeName}. */
  readonly opcode: number;
  /** The 4-byte masking key of a masked frame (every frame a client sends), or `undefined`. */
  readonly maskingKey: Uint8Array | undefined;
  /** The application data, unmasked. */
  readonly payload: Uint8Array;
}

/** One frame read from the stream. */
export interface DecodedFrame extends FrameFields {
  /** Where the frame starts in the stream (byte index). */
  readonly offset: number;
  /** The frame as it arrived, header and (masked) payload. */
  readonly bytes: Uint8Array;
  readonly headerLength: number;
  readonly lengthEncoding: LengthEncoding;
  /** The payload as it crossed the wire: masked when the frame is. */
  readonly wirePayload: Uint8Array;
  /** The payload as text, when it is valid UTF-8 (and the frame is not binary). */
  readonly text: string | undefined;
  /** A close frame's status code and reason (§5.5.1); `code` is absent for an empty close. */
  readonly close?: { readonly code?: number; readonly reason: string };
}

/** A rule of RFC 6455 the bytes break. After one, a receiver fails the connection (§7.1.7). */
export interface RuleViolation {
  /** A stable name for the rule, for tests and styling. */
  readonly rule:
    | 'reserved-opcode'
    | 'rsv-without-extension'
    | 'fragmented-control-frame'
    | 'control-frame-too-long'
    | 'non-minimal-length'
    | 'length-top-bit-set'
    | 'unexpected-continuation'
    | 'interleaved-message'
    | 'close-payload-one-byte'
    | 'invalid-close-code'
    | 'invalid-utf8';
  /** The section of RFC 6455 the rule is in, like `§5.2`. */
  readonly section: string;
  /** What is wrong, in words, quoting the rule. */
  readonly message: string;
  /** The byte where the problem is (index in the stream). */
  readonly offset: number;
}

/** The stream ends inside a frame: how much is there, and how much is missing. */
export interface Truncation {
  /** Where the unfinished frame starts. */
  readonly offset: number;
  /** Bytes of it that have arrived. */
  readonly have: number;
  /** Bytes still missing: exact once the header is complete, else at least this many. */
  readonly missing: number;
  readonly exact: boolean;
  /** What the next byte belongs to. */
  readonly waitingFor: 'header' | 'extended payload length' | 'masking key' | 'payload';
  readonly message: string;
}

/** A message assembled from its frames (one, or a first frame and its continuations). */
export interface AssembledMessage {
  readonly type: 'text' | 'binary';
  /** Indexes into {@link StreamDecode.frames}. */
  readonly frames: readonly number[];
  readonly payload: Uint8Array;
  readonly text: string | undefined;
}

export interface StreamDecode {
  readonly frames: readonly DecodedFrame[];
  /** Messages complete in the stream, in order; control frames are not messages. */
  readonly messages: readonly AssembledMessage[];
  /** The first rule broken; nothing after it is read. */
  readonly violation?: RuleViolation;
  /** Set when the stream ends inside a frame. */
  readonly truncated?: Truncation;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text, or `undefined` if they are not valid UTF-8. */
export function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What stopped one frame from being read. */
type FrameProblem = { readonly violation: RuleViolation } | { readonly truncated: Truncation };

function truncated(offset: number, have: number, missing: number, exact: boolean, waitingFor: Truncation['waitingFor'], total?: number): { truncated: Truncation } {
  const needed = `${exact ? '' : 'at least '}${plural(missing, 'more byte')}`;
  const message =
    total === undefined
      ? `Truncated: the frame at byte ${offset} stops inside its header (${plural(have, 'byte')} so far); the ${waitingFor} needs ${needed}.`
      : `Truncated: the frame at byte ${offset} is ${plural(total, 'byte')} long and ${have} have arrived: ${plural(missing, 'byte')} missing (${waitingFor}). Paste the rest as the next chunk.`;
  return { truncated: { offset, have, missing, exact, waitingFor, message } };
}

const violation = (rule: RuleViolation['rule'], section: string, message: string, offset: number) => ({ violation: { rule, section, message, offset } });

/** Reads the frame at `offset`, or says why it cannot. */
function decodeOne(stream: Uint8Array, offset: number): { frame: DecodedFrame } | FrameProblem {
  const have = stream.length - offset;
  // Byte 0 alone can break a rule: it is checked before waiting for byte 1.
  const byte0 = stream[offset]!;
  const fin = (byte0 & 0x80) !== 0;
  const rsv = [(byte0 & 0x40) !== 0, (byte0 & 0x20) !== 0, (byte0 & 0x10) !== 0] as const;
  const opcode = byte0 & 0x0f;
  const name = opcodeName(opcode);

  const setRsv = rsv.flatMap((set, i) => (set ? [`RSV${i + 1}`] : []));
  if (setRsv.length > 0) {
    return violation(
      'rsv-without-extension',
      '§5.2',
      `${setRsv.join(', ')} ${setRsv.length > 1 ? 'are' : 'is'} set, and no extension was negotiated: "MUST be 0 unless an extension is negotiated that defines meanings for non-zero values" (RFC 6455 §5.2). permessage-deflate (RFC 7692) is the extension that uses RSV1.`,
      offset,
    );
  }
  if (name.startsWith('reserved')) {
    return violation(
      'reserved-opcode',
      '§5.2',
      `Opcode 0x${opcode.toString(16)} is reserved: 0x3–0x7 are kept for further data frames and 0xB–0xF for further control frames, and "if an unknown opcode is received, the receiving endpoint MUST Fail the WebSocket Connection" (RFC 6455 §5.2).`,
      offset,
    );
  }
  if (isControl(opcode) && !fin) {
    return violation('fragmented-control-frame', '§5.5', `A ${name} frame with FIN 0: "Control frames … MUST NOT be fragmented" (RFC 6455 §5.5). Close, ping and pong always have FIN 1.`, offset);
  }

  if (have < 2) return truncated(offset, have, 2 - have, false, 'header');
  const byte1 = stream[offset + 1]!;
  const masked = (byte1 & 0x80) !== 0;
  const length7 = byte1 & 0x7f;
  const extendedBytes = length7 === 126 ? 2 : length7 === 127 ? 8 : 0;
  const lengthEncoding: LengthEncoding = extendedBytes === 2 ? '16-bit' : extendedBytes === 8 ? '64-bit' : '7-bit';
  if (have < 2 + extendedBytes) return truncated(offset, have, 2 + extendedBytes - have, false, 'extended payload length');
  let payloadLength = length7;
  if (extendedBytes === 2) {
    payloadLength = (stream[offset + 2]! << 8) | stream[offset + 3]!;
  } else if (extendedBytes === 8) {
    const high = ((stream[offset + 2]! << 24) >>> 0) + (stream[offset + 3]! << 16) + (stream[offset + 4]! << 8) + stream[offset + 5]!;
    const low = ((stream[offset + 6]! << 24) >>> 0) + (stream[offset + 7]! << 16) + (stream[offset + 8]! << 8) + stream[offset + 9]!;
    if (high >= 0x8000_0000) {
      return violation('length-top-bit-set', '§5.2', `The 64-bit payload length starts with byte 0x${stream[offset + 2]!.toString(16)}, whose top bit is 1: "the most significant bit MUST be 0" (RFC 6455 §5.2).`, offset + 2);
    }
    payloadLength = high * 2 ** 32 + low;
  }
  if (isControl(opcode) && payloadLength > 125) {
    return violation('control-frame-too-long', '§5.5', `A ${name} frame with ${plural(payloadLength, 'byte')} of payload: "All control frames MUST have a payload length of 125 bytes or less" (RFC 6455 §5.5).`, offset + 1);
  }
  if (lengthEncoding !== shortestEncoding(payloadLength)) {
    return violation(
      'non-minimal-length',
      '§5.2',
      `The length ${payloadLength} is written in the ${lengthEncoding} form, but it fits the ${shortestEncoding(payloadLength)} one: "the minimal number of bytes MUST be used to encode the length" (RFC 6455 §5.2). 0–125 go in byte 1, 126–65 535 after a 126, larger after a 127.`,
      offset + 1,
    );
  }

  const keyStart = offset + 2 + extendedBytes;
  const headerLength = 2 + extendedBytes + (masked ? 4 : 0);
  const total = headerLength + payloadLength;
  if (have < headerLength) return truncated(offset, have, total - have, true, 'masking key', total);
  if (have < total) return truncated(offset, have, total - have, true, 'payload', total);

  const maskingKey = masked ? stream.slice(keyStart, keyStart + 4) : undefined;
  const wirePayload = stream.slice(offset + headerLength, offset + total);
  const payload = maskingKey ? applyMask(wirePayload, maskingKey) : wirePayload;
  const frame: DecodedFrame = {
    fin,
    rsv1: false,
    rsv2: false,
    rsv3: false,
    opcode,
    maskingKey,
    payload,
    offset,
    bytes: stream.slice(offset, offset + total),
    headerLength,
    lengthEncoding,
    wirePayload,
    text: opcode === 0x2 ? undefined : utf8OrUndefined(payload),
  };
  if (opcode !== 0x8) return { frame };
  return closeFrame(frame);
}

/** Status codes an endpoint may send in a close frame (§7.4.1, §7.4.2). */
function closeCodeProblem(code: number): string | undefined {
  if (code < 1000) return `${code} is below 1000: that range "is not used" (RFC 6455 §7.4.2)`;
  if (code === 1005 || code === 1006 || code === 1015) return `${code} "MUST NOT be set as a status code in a Close control frame by an endpoint": it only reports what happened, locally (RFC 6455 §7.4.1)`;
  if (code === 1004 || (code >= 1016 && code <= 2999)) return `${code} is reserved for future versions of the protocol and its extensions (RFC 6455 §7.4.1, §7.4.2)`;
  if (code >= 5000) return `${code} is above 4999: status codes end there (RFC 6455 §7.4.2)`;
  return undefined;
}

function closeFrame(frame: DecodedFrame): { frame: DecodedFrame } | FrameProblem {
  const { payload, offset, headerLength } = frame;
  if (payload.length === 0) return { frame: { ...frame, close: { reason: '' } } };
  if (payload.length === 1) {
    return violation('close-payload-one-byte', '§5.5.1', `A close frame with a 1-byte payload: "If there is a body, the first two bytes of the body MUST be a 2-byte unsigned integer … representing a status code" (RFC 6455 §5.5.1).`, offset + headerLength);
  }
  const code = (payload[0]! << 8) | payload[1]!;
  const problem = closeCodeProblem(code);
  if (problem) return violation('invalid-close-code', '§7.4', `Close code ${problem}.`, offset + headerLength);
  const reason = utf8OrUndefined(payload.subarray(2));
  if (reason === undefined) return violation('invalid-utf8', '§5.5.1', `The close reason is not valid UTF-8: "the body … MAY contain UTF-8-encoded data", and nothing else (RFC 6455 §5.5.1, §8.1).`, offset + headerLength + 2);
  return { frame: { ...frame, close: { code, reason } } };
}

/**
 * Reads every frame in `stream`, in order, and assembles the messages they carry.
 * Stops at the first rule broken, or where the stream ends inside a frame.
 */
export function decodeStream(stream: Uint8Array): StreamDecode {
  const frames: DecodedFrame[] = [];
  const messages: AssembledMessage[] = [];
  /** The message whose fragments are arriving: its first frame had FIN 0. */
  let open: { type: 'text' | 'binary'; frames: number[]; parts: Uint8Array[] } | undefined;
  let offset = 0;
  while (offset < stream.length) {
    const result = decodeOne(stream, offset);
    if ('violation' in result) return { frames, messages, violation: result.violation };
    if ('truncated' in result) return { frames, messages, truncated: result.truncated };
    // A continuation carries its message's type: a binary message's fragment is not text.
    const frame = result.frame.opcode === 0x0 && open?.type === 'binary' ? { ...result.frame, text: undefined } : result.frame;
    if (!isControl(frame.opcode)) {
      if (frame.opcode === 0x0 && !open) {
        return { frames, messages, violation: { rule: 'unexpected-continuation', section: '§5.4', message: `A continuation frame, but no fragmented message was begun: a message starts with a text or binary frame whose FIN is 0 (RFC 6455 §5.4).`, offset } };
      }
      if (frame.opcode !== 0x0 && open) {
        return {
          frames,
          messages,
          violation: { rule: 'interleaved-message', section: '§5.4', message: `A new ${opcodeName(frame.opcode)} frame while a fragmented ${open.type} message is unfinished: its fragments must come next, as continuation frames (opcode 0); "the fragments of one message MUST NOT be interleaved between the fragments of another message" (RFC 6455 §5.4).`, offset },
        };
      }
      open ??= { type: frame.opcode === 0x1 ? 'text' : 'binary', frames: [], parts: [] };
      open.frames.push(frames.length);
      open.parts.push(frame.payload);
    }
    frames.push(frame);
    offset += frame.bytes.length;
    if (open && frame.fin && !isControl(frame.opcode)) {
      const payload = concatBytes(open.parts);
      const text = open.type === 'text' ? utf8OrUndefined(payload) : undefined;
      if (open.type === 'text' && text === undefined) {
        return { frames, messages, violation: { rule: 'invalid-utf8', section: '§8.1', message: `The text message is not valid UTF-8: "the endpoint MUST Fail the WebSocket Connection" when a text message is not (RFC 6455 §8.1). Send bytes like these in a binary frame (opcode 2).`, offset: frame.offset } };
      }
      messages.push({ type: open.type, frames: open.frames, payload, text });
      open = undefined;
    }
  }
  return { frames, messages };
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

/** A field the encoder cannot turn into bytes (a frame that *can* be written but breaks a rule is written: decoding it says which). */
export class FrameFieldError extends RangeError {
  override readonly name = 'FrameFieldError';
}

/**
 * The bytes of a frame, from its fields. The length uses `lengthEncoding`, by
 * default the shortest (the only one RFC 6455 allows); a longer one is written
 * as asked, so its decoding can show the rule it breaks.
 */
export function encodeFrame(fields: FrameFields, lengthEncoding: LengthEncoding = shortestEncoding(fields.payload.length)): Uint8Array {
  const { opcode, payload, maskingKey } = fields;
  if (!Number.isInteger(opcode) || opcode < 0 || opcode > 15) throw new FrameFieldError(`The opcode is 4 bits: 0 to 15 (0x0 to 0xf), not ${opcode}.`);
  if (maskingKey && maskingKey.length !== 4) throw new FrameFieldError(`The masking key is 4 bytes (32 bits), not ${plural(maskingKey.length, 'byte')}.`);
  if (payload.length > LENGTH_LIMITS[lengthEncoding]) {
    throw new FrameFieldError(`${plural(payload.length, 'byte')} do not fit the ${lengthEncoding} length, which holds at most ${LENGTH_LIMITS[lengthEncoding]}: use the ${shortestEncoding(payload.length)} one.`);
  }
  const extendedBytes = lengthEncoding === '16-bit' ? 2 : lengthEncoding === '64-bit' ? 8 : 0;
  const headerLength = 2 + extendedBytes + (maskingKey ? 4 : 0);
  const frame = new Uint8Array(headerLength + payload.length);
  frame[0] = (fields.fin ? 0x80 : 0) | (fields.rsv1 ? 0x40 : 0) | (fields.rsv2 ? 0x20 : 0) | (fields.rsv3 ? 0x10 : 0) | opcode;
  const maskBit = maskingKey ? 0x80 : 0;
  if (lengthEncoding === '7-bit') {
    frame[1] = maskBit | payload.length;
  } else if (lengthEncoding === '16-bit') {
    frame[1] = maskBit | 126;
    frame[2] = payload.length >>> 8;
    frame[3] = payload.length & 0xff;
  } else {
    frame[1] = maskBit | 127;
    const high = Math.floor(payload.length / 2 ** 32);
    const low = payload.length >>> 0;
    [high >>> 24, high >>> 16, high >>> 8, high, low >>> 24, low >>> 16, low >>> 8, low].forEach((byte, i) => (frame[2 + i] = byte & 0xff));
  }
  if (maskingKey) frame.set(maskingKey, 2 + extendedBytes);
  frame.set(maskingKey ? applyMask(payload, maskingKey) : payload, headerLength);
  return frame;
}

/** A close frame's payload: the status code in 2 bytes, big-endian, then the reason in UTF-8 (§5.5.1). */
export function closePayload(code: number, reason = ''): Uint8Array {
  const text = new TextEncoder().encode(reason);
  return concatBytes([Uint8Array.of(code >>> 8, code & 0xff), text]);
}
