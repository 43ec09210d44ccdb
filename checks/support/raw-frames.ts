/**
 * WebSocket frames by hand, for checks that must see the bytes a server puts on the
 * wire (one frame or three, masked or not, a close code, nothing after the close)
 * and send what a well-behaved client never would (no mask, a reserved opcode, an
 * RSV bit). The encoder and the reader here are the check's own, independent of the
 * learner's `ws-frames`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { TcpClient } from './clients.ts';
import { fail } from './check-failure.ts';
import { ANSWER_MS, eventually, formatMs } from './wait.ts';
import { openRawWebSocket } from './websocket.ts';
import type { Workbench } from './workbench.ts';

/** The opcodes of RFC 6455 §5.2, by name, for the frames a check builds. */
export const WsOpcode = { Continuation: 0x0, Text: 0x1, Binary: 0x2, Close: 0x8, Ping: 0x9, Pong: 0xa } as const;

/** What {@link clientFrame} writes. */
export interface FrameSpec {
  readonly opcode: number;
  readonly payload?: Uint8Array | string;
  /** Default true. */
  readonly fin?: boolean;
  /** RSV1-3 as the 3 bits 0b100, 0b010, 0b001; default 0. */
  readonly rsv?: number;
  /** Default true, with a random key: what a client must send. */
  readonly masked?: boolean;
}

/** The bytes of one frame, any opcode, any bits; masked unless `masked: false`. */
export function clientFrame({ opcode, payload = Buffer.alloc(0), fin = true, rsv = 0, masked: withMask = true }: FrameSpec): Buffer {
  const data = Buffer.from(payload);
  const length = data.length;
  const lengthBytes = length < 126 ? Buffer.from([length]) : length < 0x10000 ? Buffer.from([126, length >> 8, length & 0xff]) : Buffer.alloc(9);
  if (length >= 0x10000) {
    lengthBytes[0] = 127;
    lengthBytes.writeBigUInt64BE(BigInt(length), 1);
  }
  if (withMask) lengthBytes[0]! |= 0x80;
  const first = Buffer.from([(fin ? 0x80 : 0) | ((rsv & 0b111) << 4) | (opcode & 0x0f)]);
  if (!withMask) return Buffer.concat([first, lengthBytes, data]);
  const key = randomBytes(4);
  const masked = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) masked[i] = data[i]! ^ key[i & 3]!;
  return Buffer.concat([first, lengthBytes, key, masked]);
}

/** The bytes a server must send for one unmasked frame with FIN set. */
export function serverFrame(opcode: number, payload: Uint8Array | string = Buffer.alloc(0)): Buffer {
  return clientFrame({ opcode, payload, masked: false });
}

/** The payload of a close frame: the code in two bytes, then the reason. */
export function closePayload(code: number, reason = ''): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(code);
  return Buffer.concat([bytes, Buffer.from(reason)]);
}

/** One frame as read off the wire (unmasked if it was masked). */
export interface ReadFrame {
  readonly fin: boolean;
  readonly rsv: number;
  readonly opcode: number;
  readonly masked: boolean;
  readonly payload: Buffer;
  /** Where it starts in the bytes read, and how many it takes. */
  readonly offset: number;
  readonly size: number;
}

/** Reads every complete frame at the start of `bytes`; `rest` is what follows (an unfinished frame). */
export function readFrames(bytes: Buffer): { frames: ReadFrame[]; rest: Buffer } {
  const frames: ReadFrame[] = [];
  let at = 0;
  for (;;) {
    if (bytes.length - at < 2) break;
    const first = bytes[at]!;
    const second = bytes[at + 1]!;
    let length = second & 0x7f;
    let header = 2;
    if (length === 126) {
      if (bytes.length - at < 4) break;
      length = bytes.readUInt16BE(at + 2);
      header = 4;
    } else if (length === 127) {
      if (bytes.length - at < 10) break;
      length = Number(bytes.readBigUInt64BE(at + 2));
      header = 10;
    }
    const masked = (second & 0x80) !== 0;
    const start = at + header + (masked ? 4 : 0);
    if (bytes.length < start + length) break;
    const data = bytes.subarray(start, start + length);
    const key = masked ? bytes.subarray(at + header, start) : undefined;
    const payload = key ? Buffer.from(data.map((byte, i) => byte ^ key[i & 3]!)) : Buffer.from(data);
    frames.push({ fin: (first & 0x80) !== 0, rsv: (first >> 4) & 0b111, opcode: first & 0x0f, masked, payload, offset: at, size: start + length - at });
    at = start + length;
  }
  return { frames, rest: bytes.subarray(at) };
}

const OPCODE_NAMES: Readonly<Record<number, string>> = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' };

/** A frame in words: `a text frame (FIN 1, unmasked) of 5 bytes: 68 65 6c 6c 6f`. */
export function describeFrame(frame: ReadFrame): string {
  const name = OPCODE_NAMES[frame.opcode] ?? `opcode 0x${frame.opcode.toString(16)}`;
  const shown = frame.payload.subarray(0, 12).toString('hex').replace(/(..)/g, '$1 ').trim();
  const code = frame.opcode === 0x8 && frame.payload.length >= 2 ? `, code ${frame.payload.readUInt16BE(0)}` : '';
  return `a ${name} frame (FIN ${frame.fin ? 1 : 0}${frame.masked ? ', masked' : ''}${frame.rsv ? `, RSV ${frame.rsv.toString(2).padStart(3, '0')}` : ''}${code}) of ${frame.payload.length} bytes${shown ? `: ${shown}${frame.payload.length > 12 ? ' …' : ''}` : ''}`;
}

/** Frames in words, one a line, numbered; and the bytes of an unfinished one after them. */
export function describeFrames(frames: readonly ReadFrame[], rest: Buffer = Buffer.alloc(0)): string {
  if (frames.length === 0 && rest.length === 0) return 'nothing';
  const lines = frames.map((frame, i) => `${i + 1}. ${describeFrame(frame)}`);
  if (rest.length > 0) lines.push(`then ${rest.length} bytes that are not a whole frame: ${rest.subarray(0, 12).toString('hex').replace(/(..)/g, '$1 ')}${rest.length > 12 ? '…' : ''}`);
  return `${frames.length === 1 ? 'one frame' : `${frames.length} frames`}:\n            ${lines.join('\n            ')}`;
}

/** A WebSocket opened by hand over raw TCP: write any bytes, read the server's frames. */
export interface RawWebSocket {
  readonly client: TcpClient;
  readonly who: string;
  /** Writes frames (or any bytes), all in one write. */
  send(...frames: Buffer[]): void;
  /** What the server sent after the 101, as frames. */
  readonly frames: ReadFrame[];
  /** The bytes after the last complete frame. */
  readonly rest: Buffer;
  /** Every byte the server sent after the 101. */
  readonly bytes: Buffer;
  /** Whether the server ended or closed the connection. */
  readonly ended: boolean;
  /**
   * Waits until at least `count` frames arrived, or the connection ended; returns them all.
   * Never fails by itself: the caller compares what came with what was due.
   */
  waitForFrames(count: number, withinMs?: number): Promise<ReadFrame[]>;
  /** Waits for the server to end the connection; returns whether it did within `withinMs`. */
  waitForEnd(withinMs?: number): Promise<boolean>;
}

/**
 * Completes a valid handshake over raw TCP (see {@link openRawWebSocket}). With
 * `halfOpen`, the client keeps its side open when the server ends its own, as a peer
 * that is slow to hang up does: only the server's own end (or destroy) then closes it.
 */
export async function openRawFrames(workbench: Workbench, port: number, who = 'a raw WebSocket client', { halfOpen = false } = {}): Promise<RawWebSocket> {
  const { client, headLength } = await openRawWebSocket(workbench, port, who);
  client.socket.allowHalfOpen = halfOpen;
  client.socket.setNoDelay(true);
  const read = () => readFrames(client.received.subarray(headLength));
  const ended = () => client.ended || client.socket.destroyed;
  return {
    client,
    who,
    send: (...frames) => void client.socket.write(Buffer.concat(frames)),
    get frames() {
      return read().frames;
    },
    get rest() {
      return read().rest;
    },
    get bytes() {
      return client.received.subarray(headLength);
    },
    get ended() {
      return ended();
    },
    async waitForFrames(count, withinMs = ANSWER_MS) {
      await eventually(() => read().frames.length >= count || ended(), withinMs);
      return read().frames;
    },
    async waitForEnd(withinMs = ANSWER_MS) {
      return eventually(ended, withinMs);
    },
  };
}

/**
 * Fails unless the bytes `raw` received so far are exactly `expected` (whole frames,
 * in order) — after waiting for them, and `quietMs` more for anything extra.
 * `hint(frames)` may look at what came to say why it differs.
 */
export async function expectFrames(
  raw: RawWebSocket,
  expected: readonly Buffer[],
  report: { did: string; expected: string; hint?: (frames: ReadFrame[]) => string | undefined },
  { withinMs = ANSWER_MS, quietMs = 0 } = {},
): Promise<void> {
  const wanted = Buffer.concat(expected);
  const count = readFrames(wanted).frames.length;
  await raw.waitForFrames(count, withinMs);
  if (quietMs > 0) await eventually(() => raw.bytes.length > wanted.length, quietMs);
  if (raw.bytes.equals(wanted)) return;
  const got = raw.frames;
  const hint = report.hint?.(got);
  fail({
    did: report.did,
    expected: `${report.expected}: ${describeFrames(readFrames(wanted).frames)}`,
    actual:
      raw.bytes.length === 0
        ? raw.ended
          ? 'the connection ended, and nothing came'
          : `nothing within ${formatMs(withinMs)}`
        : describeFrames(got, raw.rest) + (raw.ended ? '\n            then the connection ended' : ''),
    ...(hint === undefined ? {} : { hint }),
  });
}
