/**
 * Grades `ws-frames`: the learner's encoder and decoder against RFC 6455 §5.7's
 * example frames, every cut of them, random frames compared with the bytes the
 * `ws` library builds, and real `ws` clients and servers on the wire.
 *
 * Rule → test (README "Your task" and the starter's TSDoc):
 * - none of them modifies its arguments ........... "masks and unmasks …" (data, key, a new Buffer), "encodes RFC 6455 §5.7's example frames …"
 *                                                   (payload), "writes and reads every payload length …" (mask), every decode (bytes)
 * - 1 applyMask: data[i] ^ mask[i % 4] ............ "masks and unmasks with a 4-byte key" (RFC example, lengths 0-7 and more, twice)
 * - 2 encodeFrame: FIN and opcode in byte 0 ....... "encodes RFC 6455 §5.7's example frames …" (every opcode, FIN 0 and 1), "agrees with the `ws` library …"
 *     shortest length form ........................ "writes and reads every payload length at the edges …" (0, 1, 125, 126, 127, 65 535, 65 536, 65 537)
 *     with mask: key then masked payload .......... the same, masked; "writes masked frames a real `ws` server accepts …"
 *     RangeError: control frame > 125 or fin false, key not 4 bytes
 *                                                   "encodeFrame() refuses … with a RangeError" (close, ping and pong each; keys of 0, 3, 5, 8 bytes)
 * - 3 decodeFrame: frame, unmasked, mask, bytesUsed  "decodes the same frames …", "writes and reads every payload length …",
 *                                                   "reads the frames a real `ws` client sends …"
 *     'need-more-bytes' wherever cut .............. "answers 'need-more-bytes' for every cut of every frame", the random frames,
 *                                                   "waits for every byte a 64-bit length announces, even beyond 2^32"
 *     bytes after the frame left .................. "decodes the same frames, alone and followed by more bytes", "reads a buffer holding several frames …"
 *     throws: RSV1-3, reserved opcode, control FIN 0 or > 125
 *                                                   "decodeFrame() refuses every reserved bit and opcode …" (all 7 RSV combinations, each bit on every opcode,
 *                                                   all 10 reserved opcodes, close, ping and pong each with FIN 0, 126 bytes in 16 and 64 bits)
 *     a length longer than needed: read or refused "reads a length written in a longer form than needed …"
 * - 4 encodeClosePayload: code BE + UTF-8 reason .. "reads and writes close payloads" (default reason, non-ASCII reason sized in bytes)
 * - 5 decodeClosePayload: { code, reason }, empty → 1005, 1 byte throws
 *                                                   "reads and writes close payloads"; "reads the frames a real `ws` client sends …"
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import fc from 'fast-check';
import { WebSocketServer } from 'ws';
import { describe } from 'vitest';
import {
  CheckFailure,
  connectWs,
  describeValue,
  eventually,
  EventQueue,
  expectThat,
  exportedFunction,
  fail,
  loadLearnerModule,
  nextWsEvent,
  openRawWebSocket,
  randomBuffer,
  randomInt,
  test,
  websocketAccept,
  wsFrameBytes,
  type Workbench,
} from './support/index.ts';

type FramesModule = typeof import('../exercises/ws-frames/frames.ts');
type Frame = import('../exercises/ws-frames/frames.ts').Frame;
type Opcode = Frame['opcode'];

const OP = { Continuation: 0x0, Text: 0x1, Binary: 0x2, Close: 0x8, Ping: 0x9, Pong: 0xa } as const;
const OPCODE_NAMES: Record<number, string> = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' };

async function loadFrames() {
  const module = await loadLearnerModule<FramesModule>('ws-frames', 'frames.ts');
  const get = <K extends 'applyMask' | 'encodeFrame' | 'decodeFrame' | 'encodeClosePayload' | 'decodeClosePayload'>(name: K) =>
    exportedFunction(module, name, 'ws-frames', 'frames.ts');
  return {
    applyMask: get('applyMask'),
    encodeFrame: get('encodeFrame'),
    decodeFrame: get('decodeFrame'),
    encodeClosePayload: get('encodeClosePayload'),
    decodeClosePayload: get('decodeClosePayload'),
  };
}

// ---------------------------------------------------------------------------
// Describing frames and bytes for messages.

function hex(bytes: Uint8Array, from = 0, count = 24): string {
  const shown = Buffer.from(bytes.subarray(from, from + count)).toString('hex').replace(/(..)/g, '$1 ').trim();
  return `${shown || '(no bytes)'}${bytes.length > from + count ? ' …' : ''}`;
}

function describeFrame(frame: Frame): string {
  const payload = frame.payload.length <= 12 ? `<${hex(frame.payload)}>` : `<${frame.payload.length} bytes: ${hex(frame.payload, 0, 6)}>`;
  const mask = frame.mask ? `<${hex(frame.mask)}>` : 'none';
  return `{ fin: ${frame.fin}, opcode: 0x${frame.opcode.toString(16)} (${OPCODE_NAMES[frame.opcode] ?? '?'}), payload: ${payload}, mask: ${mask} }`;
}

function describeResult(result: unknown): string {
  if (result === 'need-more-bytes') return "'need-more-bytes'";
  const frame = (result as { frame?: unknown } | null)?.frame as Partial<Frame> | undefined;
  if (frame && typeof frame === 'object' && Buffer.isBuffer(frame.payload) && typeof frame.opcode === 'number') {
    return `{ frame: ${describeFrame(frame as Frame)}, bytesUsed: ${describeValue((result as { bytesUsed?: unknown }).bytesUsed)} }`;
  }
  return describeValue(result, 200);
}

/** What the byte at `index` of a frame means, read from the correct frame. */
function fieldOf(wire: Buffer, index: number): { name: string; hint: string } {
  const length7 = (wire[1] ?? 0) & 0x7f;
  const masked = ((wire[1] ?? 0) & 0x80) !== 0;
  const extended = length7 === 126 ? 2 : length7 === 127 ? 8 : 0;
  if (index === 0) return { name: 'byte 0: FIN (bit 7) and opcode (bits 0-3)', hint: 'Byte 0 is `(fin ? 0x80 : 0) | opcode`.' };
  if (index === 1)
    return {
      name: 'byte 1: MASK (bit 7) and the 7-bit payload length',
      hint: 'Byte 1 is `(masked ? 0x80 : 0) | length` for 0-125 bytes; 126 when a 16-bit length follows (126-65 535 bytes); 127 when a 64-bit length follows (65 536 and more).',
    };
  if (index < 2 + extended)
    return {
      name: `byte ${index}: the ${extended * 8}-bit extended payload length`,
      hint:
        extended === 2
          ? 'From 126 to 65 535 bytes, byte 1 says 126 and the next 2 bytes hold the length, big-endian: `writeUInt16BE(length, 2)`. Is the extended length missing, or in the wrong byte order?'
          : 'From 65 536 bytes on, byte 1 says 127 and the next 8 bytes hold the length, big-endian: `writeBigUInt64BE(BigInt(length), 2)`. Is the extended length missing, or in the wrong byte order?',
    };
  if (masked && index < 2 + extended + 4) return { name: `byte ${index}: the masking key`, hint: 'The 4-byte masking key comes right after the length, before the payload.' };
  const payloadIndex = index - 2 - extended - (masked ? 4 : 0);
  return {
    name: `byte ${index}: payload byte ${payloadIndex}`,
    hint: masked ? 'Payload byte i goes on the wire as `payload[i] ^ key[i % 4]`.' : 'An unmasked payload goes on the wire as it is.',
  };
}

/** Fails unless `actual` is the frame `expected`, showing both in hex and naming the field that differs. */
function expectWire(actual: unknown, expected: Buffer, did: string): void {
  if (!Buffer.isBuffer(actual)) fail({ did, expected: `a Buffer of ${expected.length} bytes: ${hex(expected)}`, actual: describeValue(actual), hint: 'Return a Buffer, e.g. `Buffer.concat([header, payload])`.' });
  let at = 0;
  while (at < expected.length && at < actual.length && actual[at] === expected[at]) at++;
  if (at === expected.length && actual.length === expected.length) return;
  const from = Math.max(0, at - 4);
  if (at === expected.length || at === actual.length) {
    fail({
      did,
      expected: `${expected.length} bytes: ${hex(expected, from)}   (from byte ${from})`,
      actual: `${actual.length} bytes: ${hex(actual, from)}   (from byte ${from})`,
      hint: at === actual.length ? 'Your frame is too short: is part of the payload or header missing?' : 'Your frame is too long: is something written twice, or is the length field too wide?',
    });
  }
  const field = fieldOf(expected, at);
  fail({
    did,
    expected: `${hex(expected, from)}   (from byte ${from})`,
    actual: `${hex(actual, from)}   (from byte ${from})\n            first difference at ${field.name}: expected 0x${expected[at]!.toString(16).padStart(2, '0')}, got 0x${actual[at]!.toString(16).padStart(2, '0')}`,
    hint: field.hint,
  });
}

function sameFrame(actual: Partial<Frame> | undefined, expected: Frame): boolean {
  if (!actual || typeof actual !== 'object' || !Buffer.isBuffer(actual.payload)) return false;
  const maskOk = expected.mask ? Buffer.isBuffer(actual.mask) && actual.mask.equals(expected.mask) : actual.mask === undefined;
  return actual.fin === expected.fin && actual.opcode === expected.opcode && actual.payload.equals(expected.payload) && maskOk;
}

/** Decodes `wire` with the learner's function and fails unless it gives `expected` and `bytesUsed`. */
function expectDecoded(decodeFrame: FramesModule['decodeFrame'], wire: Buffer, expected: Frame, bytesUsed: number, did: string): void {
  const before = Buffer.from(wire);
  let result: unknown;
  try {
    result = decodeFrame(wire);
  } catch (error) {
    fail({ did, expected: `{ frame: ${describeFrame(expected)}, bytesUsed: ${bytesUsed} }`, actual: `it threw ${describeValue(error, 200)}`, hint: 'This frame is valid: read it field by field.' });
  }
  const frame = (result as { frame?: Partial<Frame> } | null)?.frame;
  const used = (result as { bytesUsed?: unknown } | null)?.bytesUsed;
  if (!sameFrame(frame, expected) || used !== bytesUsed) {
    let hint = 'Read FIN from bit 7 of byte 0, the opcode from bits 0-3, MASK from bit 7 of byte 1, then the length, the key and the payload.';
    if (result === 'need-more-bytes') hint = 'All the bytes of the frame are there: compare the buffer length with header length + payload length.';
    else if (frame && Buffer.isBuffer(frame.payload) && expected.mask && frame.payload.equals(Buffer.from(wire.subarray(wire.length - expected.payload.length))))
      hint = 'The payload is still masked: unmask it with the key, `payload[i] ^ key[i % 4]`.';
    else if (frame && expected.mask && !frame.mask) hint = 'The frame is masked: return its 4-byte key in `mask`.';
    else if (frame && !expected.mask && frame.mask !== undefined) hint = 'The frame is not masked: leave `mask` undefined.';
    else if (frame && sameFrame(frame, expected)) hint = '`bytesUsed` is the length of the whole frame: header, extended length, key and payload.';
    fail({ did, expected: `{ frame: ${describeFrame(expected)}, bytesUsed: ${bytesUsed} }`, actual: describeResult(result), hint });
  }
  expectThat(wire.equals(before), {
    did,
    expected: 'the buffer given to decodeFrame() to be left as it was',
    actual: 'decodeFrame() changed it',
    hint: 'Unmask into a new Buffer (`applyMask` returns one): the caller may still need the bytes it gave you.',
  });
}

/** What calling `run` gave: its value, or what it threw. */
function attempt<T>(run: () => T): { threw: false; value: T } | { threw: true; error: unknown } {
  try {
    return { threw: false, value: run() };
  } catch (error) {
    return { threw: true, error };
  }
}

// ---------------------------------------------------------------------------
// The frames the check knows by heart.

/** A frame, and its bytes on the wire. */
interface Vector {
  readonly name: string;
  readonly frame: Frame;
  readonly wire: Buffer;
}

const HELLO = Buffer.from('Hello');
const RFC_KEY = Buffer.from('37fa213d', 'hex');

function xorMask(data: Buffer, key: Buffer): Buffer {
  return Buffer.from(data.map((byte, i) => byte ^ key[i % 4]!));
}

/** A vector whose bytes are `headerHex`, the key if any, then the (masked) payload. */
function vector(name: string, frame: Frame, headerHex: string): Vector {
  const payload = frame.mask ? xorMask(frame.payload, frame.mask) : frame.payload;
  return { name, frame, wire: Buffer.concat([Buffer.from(headerHex, 'hex'), frame.mask ?? Buffer.alloc(0), payload]) };
}

function rfcVectors(): Vector[] {
  const bytes256 = randomBuffer(256);
  const bytes64k = randomBuffer(65536);
  return [
    vector('a single-frame unmasked text message "Hello"', { fin: true, opcode: OP.Text, payload: HELLO }, '8105'),
    vector('a single-frame masked text message "Hello" (key 37 fa 21 3d)', { fin: true, opcode: OP.Text, payload: HELLO, mask: RFC_KEY }, '8185'),
    vector('the first fragment "Hel" of an unmasked text message', { fin: false, opcode: OP.Text, payload: Buffer.from('Hel') }, '0103'),
    vector('the last fragment "lo" of that message', { fin: true, opcode: OP.Continuation, payload: Buffer.from('lo') }, '8002'),
    vector('an unmasked ping "Hello"', { fin: true, opcode: OP.Ping, payload: HELLO }, '8905'),
    vector('a masked pong "Hello" (key 37 fa 21 3d)', { fin: true, opcode: OP.Pong, payload: HELLO, mask: RFC_KEY }, '8a85'),
    vector('256 bytes of binary data in a single unmasked frame', { fin: true, opcode: OP.Binary, payload: bytes256 }, '827e0100'),
    vector('64 KiB of binary data in a single unmasked frame', { fin: true, opcode: OP.Binary, payload: bytes64k }, '827f0000000000010000'),
  ];
}

function moreVectors(): Vector[] {
  const key = randomBuffer(4);
  return [
    vector('an empty binary frame', { fin: true, opcode: OP.Binary, payload: Buffer.alloc(0) }, '8200'),
    vector('a close frame with code 1000 and reason "bye"', { fin: true, opcode: OP.Close, payload: Buffer.from('03e8627965', 'hex') }, '8805'),
    vector('125 bytes: the longest 7-bit length', { fin: true, opcode: OP.Binary, payload: randomBuffer(125) }, '827d'),
    vector('126 bytes: the shortest 16-bit length', { fin: true, opcode: OP.Binary, payload: randomBuffer(126) }, '827e007e'),
    vector('65 535 bytes: the longest 16-bit length', { fin: true, opcode: OP.Binary, payload: randomBuffer(65535) }, '827effff'),
    vector(`300 masked bytes (key ${hex(key)})`, { fin: false, opcode: OP.Binary, payload: randomBuffer(300), mask: key }, '02fe012c'),
  ];
}

/** Where to cut a frame to test "need more bytes": every byte of a small frame, the header and some payload positions of a large one. */
function cutPositions(length: number): number[] {
  if (length <= 400) return Array.from({ length }, (_, i) => i);
  const cuts = new Set([...Array.from({ length: 16 }, (_, i) => i), length - 1, length - 2]);
  while (cuts.size < 40) cuts.add(randomInt(16, length - 1));
  return [...cuts].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------
// The `ws` library as the reference: its frame builder, and real peers.

/** Deterministic bytes for fast-check, so that a failing case can be replayed and shrunk. */
function seededBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let state = seed | 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

const maskArbitrary = fc.option(fc.uint8Array({ minLength: 4, maxLength: 4 }).map((key) => Buffer.from(key)), { nil: undefined });
const payloadArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(125, 126, 127, 65535, 65536, 65537), fc.integer()).map(([n, seed]) => seededBytes(n, seed)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 126, max: 70_000 }), fc.integer()).map(([n, seed]) => seededBytes(n, seed)) },
);
const frameArbitrary: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({ fin: fc.boolean(), opcode: fc.constantFrom<Opcode>(OP.Continuation, OP.Text, OP.Binary), payload: payloadArbitrary, mask: maskArbitrary }),
  fc.record({
    fin: fc.constant(true),
    opcode: fc.constantFrom<Opcode>(OP.Close, OP.Ping, OP.Pong),
    payload: fc.uint8Array({ maxLength: 125 }).map((bytes) => Buffer.from(bytes)),
    mask: maskArbitrary,
  }),
);

/** Runs a fast-check property and turns its smallest failing case into the learner's message. */
function expectProperty<T>(property: fc.IProperty<T>, numRuns: number): void {
  const details = fc.check(property, { numRuns });
  if (!details.failed) return;
  if (details.errorInstance instanceof CheckFailure) throw details.errorInstance;
  fail({
    did: `Tried ${details.numRuns} random frames`,
    expected: 'no exception',
    actual: `${describeValue(details.errorInstance, 300)} for ${describeValue(details.counterexample, 200)}`,
  });
}

/** A raw HTTP server run by the check: it completes handshakes itself and hands over the sockets, to read and write bytes. */
async function startRawWebSocketServer(workbench: Workbench) {
  const peers: { socket: Duplex; received: Buffer[] }[] = [];
  const server = http.createServer();
  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex) => {
    const peer = { socket, received: [] as Buffer[] };
    socket.on('data', (chunk: Buffer) => peer.received.push(chunk));
    socket.on('error', () => {});
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${websocketAccept(String(request.headers['sec-websocket-key']))}\r\n\r\n`,
    );
    peers.push(peer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  workbench.defer('the check\'s raw WebSocket server', () => {
    for (const { socket } of peers) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`, peers };
}

describe.concurrent('ws-frames', () => {
  test('masks and unmasks with a 4-byte key', async () => {
    const { applyMask } = await loadFrames();
    const rfc = applyMask(Buffer.from(HELLO), RFC_KEY);
    expectWire(rfc, Buffer.from('7f9f4d5158', 'hex'), 'Called applyMask(<48 65 6c 6c 6f> ("Hello"), <37 fa 21 3d>)');
    for (const length of [0, 1, 3, 4, 5, 7, randomInt(8, 100), 1000 + randomInt(1, 3)]) {
      const data = randomBuffer(length);
      const key = randomBuffer(4);
      const copy = Buffer.from(data);
      const keyCopy = Buffer.from(key);
      const masked = applyMask(data, key);
      const did = `Called applyMask(<${length} random bytes>, <${hex(key)}>)`;
      expectThat(data.equals(copy), { did, expected: 'the data given to applyMask() to be left as it was', actual: 'applyMask() changed it', hint: 'Return a new Buffer: `Buffer.alloc(data.length)`, then fill it.' });
      expectThat(key.equals(keyCopy), { did, expected: 'the key given to applyMask() to be left as it was', actual: 'applyMask() changed it', hint: 'Read the key; never write into it.' });
      expectThat(masked !== data, {
        did,
        expected: 'a new Buffer',
        actual: 'it returned the very Buffer it was given',
        hint: 'Return a new Buffer (`Buffer.alloc(data.length)`, then fill it): the caller keeps using the one it gave you.',
      });
      expectWire(masked, xorMask(data, key), did);
      expectWire(applyMask(masked as Buffer, key), data, `${did}, then masked the result again with the same key`);
    }
  });

  test("encodes RFC 6455 §5.7's example frames and other edge cases, byte for byte", async () => {
    const { encodeFrame } = await loadFrames();
    for (const { name, frame, wire } of [...rfcVectors(), ...moreVectors()]) {
      const payload = Buffer.from(frame.payload);
      let actual: unknown;
      try {
        actual = encodeFrame(frame);
      } catch (error) {
        fail({ did: `Called encodeFrame() for ${name}: ${describeFrame(frame)}`, expected: hex(wire), actual: `it threw ${describeValue(error, 200)}` });
      }
      expectWire(actual, wire, `Called encodeFrame() for ${name}: ${describeFrame(frame)}`);
      expectThat(frame.payload.equals(payload), {
        did: `Called encodeFrame() for ${name}`,
        expected: 'frame.payload to be left as it was',
        actual: 'encodeFrame() changed it (masked it in place?)',
        hint: 'Mask into a new Buffer: the caller may send the same payload again.',
      });
    }
  });

  test('decodes the same frames, alone and followed by more bytes', async () => {
    const { decodeFrame } = await loadFrames();
    for (const { name, frame, wire } of [...rfcVectors(), ...moreVectors()]) {
      expectDecoded(decodeFrame, wire, frame, wire.length, `Called decodeFrame(<${hex(wire, 0, 12)}>) on ${name}`);
      const followed = Buffer.concat([wire, Buffer.from('8105', 'hex'), randomBuffer(3)]);
      expectDecoded(decodeFrame, followed, frame, wire.length, `Called decodeFrame() on ${name}, followed by the first 5 bytes of another frame`);
    }
  });

  test("answers 'need-more-bytes' for every cut of every frame", async () => {
    const { decodeFrame } = await loadFrames();
    for (const { name, wire } of [...rfcVectors(), ...moreVectors()]) {
      for (const cut of cutPositions(wire.length)) {
        const part = wire.subarray(0, cut);
        let result: unknown;
        try {
          result = decodeFrame(part);
        } catch (error) {
          result = error;
        }
        if (result === 'need-more-bytes') continue;
        fail({
          did: `Called decodeFrame() with the first ${cut} of the ${wire.length} bytes of ${name}: <${hex(part, 0, 16)}>`,
          expected: "'need-more-bytes': the rest of the frame has not arrived yet",
          actual: result instanceof Error ? `it threw ${describeValue(result, 200)}` : describeResult(result),
          hint:
            result instanceof Error
              ? 'Before reading a field (the extended length, the key, the payload), check that `bytes.length` reaches its end; return "need-more-bytes" if not. Reading past the end is not an error here, just too early.'
              : 'A frame is complete only when `bytes.length >= header length + payload length`; a shorter buffer is not a frame yet.',
        });
      }
    }
  });

  test('reads a buffer holding several frames, one after the other', async () => {
    const { decodeFrame } = await loadFrames();
    const vectors = [...rfcVectors(), ...moreVectors()].sort(() => Math.random() - 0.5);
    const all = Buffer.concat(vectors.map((v) => v.wire));
    let offset = 0;
    for (const [index, { name, frame, wire }] of vectors.entries()) {
      expectDecoded(decodeFrame, all.subarray(offset), frame, wire.length, `Joined ${vectors.length} frames in one buffer and decoded them in turn; frame ${index + 1} is ${name}`);
      offset += wire.length;
    }
  });

  test('reads and writes close payloads', async () => {
    const { encodeClosePayload, decodeClosePayload } = await loadFrames();
    expectWire(encodeClosePayload(1000, 'bye'), Buffer.from('03e8627965', 'hex'), 'Called encodeClosePayload(1000, "bye")');
    expectWire(encodeClosePayload(1000), Buffer.from('03e8', 'hex'), 'Called encodeClosePayload(1000)');
    const code = randomInt(3000, 4999);
    const reason = `au revoir, ça va 👋 ${randomInt(0, 999)}`;
    const payload = Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason)]);
    expectWire(encodeClosePayload(code, reason), payload, `Called encodeClosePayload(${code}, ${JSON.stringify(reason)})`);
    const cases: [Buffer, { code: number; reason: string }, string][] = [
      [payload, { code, reason }, `<${hex(payload, 0, 8)}> (code ${code}, a UTF-8 reason)`],
      [Buffer.from('03ea', 'hex'), { code: 1002, reason: '' }, '<03 ea> (code 1002, no reason)'],
      [Buffer.alloc(0), { code: 1005, reason: '' }, 'an empty payload'],
    ];
    for (const [input, expected, what] of cases) {
      let actual: unknown;
      try {
        actual = decodeClosePayload(input);
      } catch (error) {
        actual = error;
      }
      const info = actual as { code?: unknown; reason?: unknown } | null;
      expectThat(info?.code === expected.code && info.reason === expected.reason, {
        did: `Called decodeClosePayload() on ${what}`,
        expected: describeValue(expected),
        actual: actual instanceof Error ? `it threw ${describeValue(actual)}` : describeValue(actual),
        hint: input.length === 0 ? 'An empty close payload means "no status code": return `{ code: 1005, reason: "" }`.' : 'The code is `payload.readUInt16BE(0)`, the reason `payload.subarray(2).toString("utf8")`.',
      });
    }
    const oneByte = Buffer.from([randomInt(0, 255)]);
    const outcome = attempt(() => decodeClosePayload(oneByte));
    expectThat(outcome.threw && outcome.error instanceof Error, {
      did: `Called decodeClosePayload(<${hex(oneByte)}>), a 1-byte payload`,
      expected: 'it to throw an Error: one byte cannot hold a status code',
      actual: outcome.threw ? `it threw ${describeValue(outcome.error)}, which is not an Error` : `it returned ${describeValue(outcome.value)}`,
      hint: 'Only an empty payload means "no status code" (1005); a 1-byte payload is broken: throw.',
    });
  });

  test('decodeFrame() refuses every reserved bit and opcode, and control frames that are fragmented or too long', async () => {
    const { decodeFrame } = await loadFrames();
    // Refusing everything is not refusing the right things: valid frames must still pass.
    for (const opcode of [OP.Close, OP.Ping, OP.Pong]) {
      const longest: Frame = { fin: true, opcode, payload: randomBuffer(125) };
      const wire = wsFrameBytes(longest);
      expectDecoded(decodeFrame, wire, longest, wire.length, `Called decodeFrame() on a ${OPCODE_NAMES[opcode]} frame with 125 bytes of payload, the most a control frame may carry`);
    }
    const hello = '0548656c6c6f';
    const invalid: [Buffer, string, string][] = [];
    // Every combination of the three bits on a text frame, and each bit alone on every other kind of frame.
    const rsvCases: [number, number][] = [0x40, 0x20, 0x10, 0x60, 0x50, 0x30, 0x70].map((bits) => [OP.Text, bits]);
    for (const opcode of [OP.Continuation, OP.Binary, OP.Close, OP.Ping, OP.Pong]) for (const bit of [0x40, 0x20, 0x10]) rsvCases.push([opcode, bit]);
    for (const [opcode, bits] of rsvCases) {
      const names = [0x40, 0x20, 0x10].filter((bit) => bits & bit).map((bit) => `RSV${bit === 0x40 ? 1 : bit === 0x20 ? 2 : 3}`);
      invalid.push([
        Buffer.from((0x80 | bits | opcode).toString(16) + hello, 'hex'),
        `a ${OPCODE_NAMES[opcode]} frame with ${names.join(' and ')} set (no extension was agreed on)`,
        'Bits 4-6 of byte 0 (mask 0x70: RSV1 0x40, RSV2 0x20, RSV3 0x10) must all be 0, whatever the opcode: test all three, `(byte0 & 0x70) !== 0`.',
      ]);
    }
    for (const opcode of [0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf]) {
      invalid.push([
        Buffer.from((0x80 | opcode).toString(16) + hello, 'hex'),
        `a frame with the reserved ${opcode < 8 ? 'data' : 'control'} opcode 0x${opcode.toString(16)}`,
        'Only opcodes 0x0, 0x1, 0x2, 0x8, 0x9 and 0xA exist: 0x3-0x7 and 0xB-0xF are reserved, refuse them all.',
      ]);
    }
    for (const opcode of [OP.Close, OP.Ping, OP.Pong]) {
      const name = OPCODE_NAMES[opcode]!;
      const first = (0x80 | opcode).toString(16);
      const payload126 = '00'.repeat(126);
      invalid.push(
        [Buffer.from(`0${opcode.toString(16)}00`, 'hex'), `a ${name} frame with FIN 0 (empty payload)`, 'Control frames (close, ping and pong) cannot be fragmented: their FIN is always 1.'],
        [Buffer.from(`${first}7e007e${payload126}`, 'hex'), `a ${name} frame with 126 bytes of payload (16-bit length)`, 'Control frames (close, ping and pong) carry at most 125 bytes.'],
        [Buffer.from(`${first}7f000000000000007e${payload126}`, 'hex'), `a ${name} frame with 126 bytes of payload (64-bit length)`, 'Control frames (close, ping and pong) carry at most 125 bytes.'],
      );
    }
    for (const [wire, what, hint] of invalid) {
      const did = `Called decodeFrame(<${hex(wire, 0, 10)}>), ${what}`;
      const outcome = attempt(() => decodeFrame(wire));
      if (outcome.threw) {
        expectThat(outcome.error instanceof Error, { did, expected: 'it to throw an Error', actual: `it threw ${describeValue(outcome.error)}, which is not an Error`, hint: 'Throw `new Error("…")`.' });
        continue;
      }
      fail({ did, expected: 'it to throw an Error: these bytes cannot be a valid frame', actual: `it returned ${describeResult(outcome.value)}`, hint });
    }
  });

  test('encodeFrame() refuses control frames that are fragmented or too long, and keys that are not 4 bytes, with a RangeError', async () => {
    const { encodeFrame } = await loadFrames();
    const refusals: [Frame, string, string][] = [];
    for (const opcode of [OP.Close, OP.Ping, OP.Pong]) {
      const name = OPCODE_NAMES[opcode]!;
      refusals.push(
        [{ fin: true, opcode, payload: randomBuffer(126) }, `a ${name} frame with 126 bytes of payload`, 'Control frames (close, ping and pong) carry at most 125 bytes: refuse to build a longer one.'],
        [{ fin: false, opcode, payload: randomBuffer(randomInt(0, 125)) }, `a ${name} frame with fin: false`, 'Control frames (close, ping and pong) cannot be fragmented: refuse `fin: false` for them.'],
      );
    }
    for (const size of [0, 3, 5, 8]) {
      for (const opcode of [OP.Text, OP.Ping]) {
        refusals.push([
          { fin: true, opcode, payload: randomBuffer(randomInt(1, 20)), mask: randomBuffer(size) },
          `a ${OPCODE_NAMES[opcode]} frame with a masking key of ${size} bytes`,
          'A masking key is exactly 4 bytes: refuse any other `mask` length, `if (mask && mask.length !== 4) throw new RangeError(…)`.',
        ]);
      }
    }
    for (const [frame, what, hint] of refusals) {
      const did = `Called encodeFrame() for ${what}: ${describeFrame(frame)}`;
      const outcome = attempt(() => encodeFrame(frame));
      if (!outcome.threw) fail({ did, expected: 'it to throw a RangeError', actual: `it returned ${describeValue(outcome.value)}`, hint });
      expectThat(outcome.error instanceof RangeError, {
        did,
        expected: 'it to throw a RangeError',
        actual: `it threw ${describeValue(outcome.error, 200)}, which is not a RangeError`,
        hint: 'Throw `new RangeError("…")`: the contract names the class, so a caller can tell a bad argument from other failures.',
      });
    }
  });

  test('writes and reads every payload length at the edges of the 7-, 16- and 64-bit forms', async () => {
    const { encodeFrame, decodeFrame } = await loadFrames();
    for (const length of [0, 1, 125, 126, 127, 32_768 + randomInt(0, 30_000), 65_535, 65_536, 65_537]) {
      for (const mask of [undefined, randomBuffer(4)]) {
        const frame: Frame = { fin: true, opcode: OP.Binary, payload: randomBuffer(length), mask };
        const wire = wsFrameBytes(frame);
        const what = `a ${mask ? 'masked' : 'unmasked'} binary frame of ${length} bytes (${length < 126 ? 'a 7-bit length' : length < 65_536 ? 'the 16-bit length form' : 'the 64-bit length form'})`;
        const maskCopy = mask && Buffer.from(mask);
        const outcome = attempt(() => encodeFrame(frame));
        if (outcome.threw) fail({ did: `Called encodeFrame() for ${what}`, expected: hex(wire), actual: `it threw ${describeValue(outcome.error, 200)}` });
        expectWire(outcome.value, wire, `Called encodeFrame() for ${what}`);
        expectThat(!mask || mask.equals(maskCopy!), {
          did: `Called encodeFrame() for ${what}`,
          expected: 'frame.mask to be left as it was',
          actual: 'encodeFrame() changed it',
          hint: 'Read the key; never write into it.',
        });
        expectDecoded(decodeFrame, wire, frame, wire.length, `Called decodeFrame() on ${what}`);
      }
    }
  });

  test('waits for every byte a 64-bit length announces, even beyond 2^32', async () => {
    const { decodeFrame } = await loadFrames();
    const extra = randomInt(1, 100);
    const lengths: [bigint, string][] = [
      [2n ** 32n, '2^32 (4 294 967 296) bytes'],
      [2n ** 32n + BigInt(extra), `2^32 + ${extra} (${2 ** 32 + extra}) bytes`],
      [2n ** 40n + BigInt(extra), `2^40 + ${extra} bytes`],
      [2n ** 53n - 1n, '2^53 - 1 bytes, the largest safe integer'],
    ];
    for (const [length, what] of lengths) {
      for (const masked of [false, true]) {
        const header = Buffer.alloc(10 + (masked ? 4 : 0));
        header[0] = 0x82;
        header[1] = (masked ? 0x80 : 0) | 127;
        header.writeBigUInt64BE(length, 2);
        if (masked) randomBuffer(4).copy(header, 10);
        // The payload bytes a reader of the low 32 bits only would take for the whole frame.
        const wire = Buffer.concat([header, randomBuffer(extra + 10)]);
        const did = `Called decodeFrame() on ${wire.length} bytes of a ${masked ? 'masked ' : ''}binary frame whose 64-bit length announces ${what}: <${hex(wire, 0, 14)}>`;
        const outcome = attempt(() => decodeFrame(wire));
        expectThat(!outcome.threw && outcome.value === 'need-more-bytes', {
          did,
          expected: "'need-more-bytes': the payload has barely begun",
          actual: outcome.threw ? `it threw ${describeValue(outcome.error, 200)}` : describeResult(outcome.value),
          hint: outcome.threw
            ? 'A 64-bit length this large is valid: return "need-more-bytes" until that many bytes have arrived (read it with `readBigUInt64BE`, then `Number()`).'
            : 'Read all 64 bits of the length (`readBigUInt64BE(2)`), not only the low 32: this frame is far longer than the bytes given.',
        });
      }
    }
  });

  test('reads a length written in a longer form than needed, or refuses it — never misreads it', async () => {
    const { decodeFrame } = await loadFrames();
    const cases: [Buffer, Buffer, string][] = [];
    for (const payload of [Buffer.alloc(0), randomBuffer(randomInt(1, 125))]) {
      const n = payload.length;
      cases.push(
        [Buffer.concat([Buffer.from([0x82, 126, 0, n]), payload]), payload, `${n} bytes written as 126 then a 16-bit length`],
        [Buffer.concat([Buffer.from([0x82, 127, 0, 0, 0, 0, 0, 0, 0, n]), payload]), payload, `${n} bytes written as 127 then a 64-bit length`],
      );
    }
    for (const [wire, payload, what] of cases) {
      const frame: Frame = { fin: true, opcode: OP.Binary, payload };
      const did = `Called decodeFrame() on a binary frame of ${what}: <${hex(wire, 0, 12)}>`;
      const outcome = attempt(() => decodeFrame(wire));
      if (outcome.threw) {
        expectThat(outcome.error instanceof Error, { did, expected: 'the frame, or an Error', actual: `it threw ${describeValue(outcome.error)}` });
        continue;
      }
      expectDecoded(decodeFrame, wire, frame, wire.length, `${did} (refusing it with an Error is allowed too)`);
    }
  });

  test('agrees with the `ws` library on random frames, and decodes what it encodes', async () => {
    const { encodeFrame, decodeFrame } = await loadFrames();
    expectProperty(
      fc.property(frameArbitrary, fc.nat(), (frame, cutSeed) => {
        const did = `Encoded the random frame ${describeFrame(frame)} (shrunk to the smallest that fails)`;
        let encoded: unknown;
        try {
          encoded = encodeFrame(frame);
        } catch (error) {
          fail({ did, expected: 'the bytes `ws` builds for it', actual: `it threw ${describeValue(error, 200)}` });
        }
        expectWire(encoded, wsFrameBytes(frame), `${did}; compared it with the bytes \`ws\` builds for the same frame`);
        const wire = encoded as Buffer;
        expectDecoded(decodeFrame, wire, frame, wire.length, `${did}, then decoded it`);
        const cut = cutSeed % wire.length;
        let partial: unknown;
        try {
          partial = decodeFrame(wire.subarray(0, cut));
        } catch (error) {
          partial = error;
        }
        expectThat(partial === 'need-more-bytes', {
          did: `${did}, then decoded only its first ${cut} of ${wire.length} bytes`,
          expected: "'need-more-bytes'",
          actual: partial instanceof Error ? `it threw ${describeValue(partial)}` : describeResult(partial),
          hint: 'Check that the bytes of each field are there before reading it.',
        });
      }),
      200,
    );
  });

  test('reads the frames a real `ws` client sends, and re-encodes them byte for byte', async ({ workbench }) => {
    const { decodeFrame, encodeFrame, decodeClosePayload } = await loadFrames();
    const raw = await startRawWebSocketServer(workbench);
    const client = await connectWs(workbench, raw.url, 'a `ws` client', { perMessageDeflate: false });
    const text = `héllo ${randomInt(0, 1e6)} 🦊`;
    const closeCode = randomInt(3000, 4999);
    const closeReason = `bye ${randomInt(0, 999)}`;
    const [big, ping, pong] = [randomBuffer(randomInt(65_536, 70_000)), randomBuffer(randomInt(0, 125)), randomBuffer(randomInt(1, 125))];
    const expected: { what: string; fin: boolean; opcode: Opcode; payload: Buffer }[] = [
      { what: `send(${JSON.stringify(text)})`, fin: true, opcode: OP.Text, payload: Buffer.from(text) },
      { what: 'send(<0 bytes>)', fin: true, opcode: OP.Binary, payload: Buffer.alloc(0) },
      { what: `send(<${big.length} bytes>)`, fin: true, opcode: OP.Binary, payload: big },
      { what: 'send("Hel", { fin: false })', fin: false, opcode: OP.Text, payload: Buffer.from('Hel') },
      { what: 'send("lo", { fin: true })', fin: true, opcode: OP.Continuation, payload: Buffer.from('lo') },
      { what: `ping(<${ping.length} bytes>)`, fin: true, opcode: OP.Ping, payload: ping },
      { what: `pong(<${pong.length} bytes>)`, fin: true, opcode: OP.Pong, payload: pong },
      { what: `close(${closeCode}, ${JSON.stringify(closeReason)})`, fin: true, opcode: OP.Close, payload: Buffer.concat([Buffer.from([closeCode >> 8, closeCode & 0xff]), Buffer.from(closeReason)]) },
    ];
    const ws = client.socket;
    ws.send(text);
    ws.send(Buffer.alloc(0));
    ws.send(big);
    ws.send('Hel', { fin: false });
    ws.send('lo', { fin: true });
    ws.ping(ping);
    ws.pong(pong);
    ws.close(closeCode, closeReason);
    const total = expected.reduce((sum, { payload }) => sum + payload.length + 6 + (payload.length > 65535 ? 8 : payload.length > 125 ? 2 : 0), 0);
    const peer = raw.peers[0]!;
    const bytes = () => Buffer.concat(peer.received);
    await eventually(() => bytes().length >= total, 2000);
    const wire = bytes();
    let offset = 0;
    for (const [index, frame] of expected.entries()) {
      const did = `A \`ws\` client called ${expected.map((e) => e.what).join(', ')}; the check decoded frame ${index + 1}, from ${frame.what}`;
      let result: unknown;
      try {
        result = decodeFrame(wire.subarray(offset));
      } catch (error) {
        fail({ did, expected: `a masked ${OPCODE_NAMES[frame.opcode]} frame`, actual: `decodeFrame() threw ${describeValue(error, 200)}; the bytes were <${hex(wire, offset, 16)}>` });
      }
      const decoded = (result as { frame?: Partial<Frame> }).frame;
      const mask = decoded?.mask;
      expectThat(Buffer.isBuffer(mask) && mask.length === 4, {
        did,
        expected: 'a frame with a 4-byte `mask`: a client masks every frame it sends',
        actual: describeResult(result),
        hint: 'When bit 7 of byte 1 is set, the 4 bytes after the length are the masking key: return them as `mask`.',
      });
      const used = (result as { bytesUsed: number }).bytesUsed;
      expectDecoded(decodeFrame, wire.subarray(offset), { fin: frame.fin, opcode: frame.opcode, payload: frame.payload, mask: mask as Buffer }, used, did);
      expectWire(encodeFrame(decoded as Frame), wire.subarray(offset, offset + used), `${did}, then encoded that frame again with the same key`);
      offset += used;
    }
    const close = decodeClosePayload(expected.at(-1)!.payload);
    expectThat(close.code === closeCode && close.reason === closeReason, {
      did: `Called decodeClosePayload() on the payload of the close frame \`ws\` sent for close(${closeCode}, ${JSON.stringify(closeReason)})`,
      expected: describeValue({ code: closeCode, reason: closeReason }),
      actual: describeValue(close),
    });
  });

  test('writes frames a real `ws` client accepts', async ({ workbench }) => {
    const { encodeFrame, encodeClosePayload } = await loadFrames();
    const raw = await startRawWebSocketServer(workbench);
    const client = await connectWs(workbench, raw.url, 'a `ws` client', { perMessageDeflate: false });
    const peer = raw.peers[0]!;
    const send = (frames: Frame[]) => peer.socket.write(Buffer.concat(frames.map((frame) => encodeFrame(frame))));
    const messages: { what: string; frames: Frame[]; data: Buffer; binary: boolean }[] = [];
    const text = Buffer.from(`ünïcode ${randomInt(0, 1e6)} 中文 🦊`);
    messages.push({ what: 'a text frame', frames: [{ fin: true, opcode: OP.Text, payload: text }], data: text, binary: false });
    for (const size of [0, 126, 65_536]) {
      const data = randomBuffer(size);
      messages.push({ what: `a binary frame of ${size} bytes`, frames: [{ fin: true, opcode: OP.Binary, payload: data }], data, binary: true });
    }
    const parts = [randomBuffer(randomInt(1, 200)), randomBuffer(randomInt(0, 200)), randomBuffer(randomInt(1, 70_000))];
    messages.push({
      what: 'a binary message in three fragments (binary FIN 0, continuation FIN 0, continuation FIN 1)',
      frames: [
        { fin: false, opcode: OP.Binary, payload: parts[0]! },
        { fin: false, opcode: OP.Continuation, payload: parts[1]! },
        { fin: true, opcode: OP.Continuation, payload: parts[2]! },
      ],
      data: Buffer.concat(parts),
      binary: true,
    });
    for (const { what, frames, data, binary } of messages) {
      send(frames);
      const did = `Wrote ${what}, built by your encodeFrame(), to a real \`ws\` client`;
      const [received, isBinary] = (await nextWsEvent(client, 'message', { did, expected: `a ${binary ? 'binary' : 'text'} message of ${data.length} bytes` })) as [Buffer, boolean];
      expectThat(isBinary === binary && received.equals(data), {
        did,
        expected: `a ${binary ? 'binary' : 'text'} message of ${data.length} bytes: ${hex(data, 0, 12)}`,
        actual: `a ${isBinary ? 'binary' : 'text'} message of ${received.length} bytes: ${hex(received, 0, 12)}`,
      });
    }
    const pingData = randomBuffer(randomInt(1, 125));
    send([{ fin: true, opcode: OP.Ping, payload: pingData }]);
    const [pinged] = (await nextWsEvent(client, 'ping', { did: 'Wrote a ping frame, built by your encodeFrame(), to a real `ws` client', expected: 'a ping event' })) as [Buffer];
    expectThat(pinged.equals(pingData), { did: 'Wrote a ping frame to a real `ws` client', expected: `a ping with ${hex(pingData, 0, 12)}`, actual: `a ping with ${hex(pinged, 0, 12)}` });
    const code = randomInt(3000, 4999);
    const reason = `done ${randomInt(0, 999)} ✓`;
    // A server ends the TCP connection after its close frame; `ws` reports the close once both happened.
    peer.socket.end(encodeFrame({ fin: true, opcode: OP.Close, payload: encodeClosePayload(code, reason) }));
    const did = `Wrote a close frame with encodeClosePayload(${code}, ${JSON.stringify(reason)}) to a real \`ws\` client`;
    const [closeCode, closeReason] = await nextWsEvent(client, 'close', { did, expected: `a close event with code ${code}` });
    expectThat(closeCode === code && closeReason === reason, { did, expected: `code ${code}, reason ${JSON.stringify(reason)}`, actual: `code ${describeValue(closeCode)}, reason ${describeValue(closeReason)}` });
  });

  test('writes masked frames a real `ws` server accepts, and reads its answers', async ({ workbench }) => {
    const { encodeFrame, encodeClosePayload, decodeFrame, decodeClosePayload } = await loadFrames();
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
    const events = new EventQueue();
    wss.on('connection', (socket) => {
      socket.on('message', (data: Buffer, isBinary: boolean) => events.push('message', [data, isBinary]));
      socket.on('error', (error) => events.push('error', [error]));
    });
    await new Promise((resolve) => wss.once('listening', resolve));
    workbench.defer('the check\'s `ws` server', () => {
      for (const socket of wss.clients) socket.terminate();
      return new Promise((resolve) => wss.close(resolve));
    });
    const { client, headLength } = await openRawWebSocket(workbench, (wss.address() as AddressInfo).port, 'a raw TCP client');
    const key = () => randomBuffer(4);
    const text = `masked ${randomInt(0, 1e6)} é`;
    const data = randomBuffer(randomInt(126, 70_000));
    const sent: { what: string; frames: Frame[]; expected: Buffer; binary: boolean }[] = [
      { what: 'a masked text frame', frames: [{ fin: true, opcode: OP.Text, payload: Buffer.from(text), mask: key() }], expected: Buffer.from(text), binary: false },
      { what: `a masked binary frame of ${data.length} bytes`, frames: [{ fin: true, opcode: OP.Binary, payload: data, mask: key() }], expected: data, binary: true },
      {
        what: 'a masked text message in two fragments',
        frames: [
          { fin: false, opcode: OP.Text, payload: Buffer.from('frag'), mask: key() },
          { fin: true, opcode: OP.Continuation, payload: Buffer.from('ments'), mask: key() },
        ],
        expected: Buffer.from('fragments'),
        binary: false,
      },
    ];
    for (const { what, frames, expected, binary } of sent) {
      client.socket.write(Buffer.concat(frames.map((frame) => encodeFrame(frame))));
      const did = `Wrote ${what}, built by your encodeFrame(), to a real \`ws\` server`;
      await eventually(() => events.pending.length > 0, 2000);
      const error = events.pending.find((e) => e.name === 'error');
      if (error) fail({ did, expected: `the server to receive a ${binary ? 'binary' : 'text'} message`, actual: `\`ws\` refused it: ${describeValue(error.args[0], 200)}` });
      const [received, isBinary] = (await events.next('message', { who: 'the `ws` server', withinMs: 100 })) as [Buffer, boolean];
      expectThat(isBinary === binary && received.equals(expected), {
        did,
        expected: `a ${binary ? 'binary' : 'text'} message: ${hex(expected, 0, 12)}`,
        actual: `a ${isBinary ? 'binary' : 'text'} message: ${hex(received, 0, 12)}`,
      });
    }
    // Close: the `ws` server answers with its own close frame, which the learner's decoder reads.
    const code = 1000 + randomInt(0, 3);
    client.socket.write(encodeFrame({ fin: true, opcode: OP.Close, payload: encodeClosePayload(code, 'bye'), mask: key() }));
    await eventually(() => client.received.length >= headLength + 4, 2000);
    const answer = client.received.subarray(headLength);
    const did = `Wrote a masked close frame with code ${code} to a real \`ws\` server, then decoded its answer <${hex(answer, 0, 12)}>`;
    let result: unknown;
    try {
      result = decodeFrame(answer);
    } catch (error) {
      fail({ did, expected: `an unmasked close frame with code ${code}`, actual: `decodeFrame() threw ${describeValue(error, 200)}` });
    }
    const frame = (result as { frame?: Frame }).frame;
    expectThat(frame?.opcode === OP.Close && decodeClosePayload(frame.payload).code === code, {
      did,
      expected: `a close frame with code ${code}`,
      actual: describeResult(result),
    });
  });
});
