/**
 * The frame decoder's logic (docs/src/components/FrameDecoder/): RFC 6455's own
 * examples, every opcode, the three length encodings at their boundaries,
 * masking, every rule it names, truncation at every cut, and the bytes the `ws`
 * library builds for random frames.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wsFrameBytes } from '../../checks/support/websocket.ts';
import { closePayload, concatBytes, decodeStream, encodeFrame, FrameFieldError, opcodeName, type FrameFields, type LengthEncoding, type RuleViolation } from '../../docs/src/components/FrameDecoder/frame-codec.ts';
import { formatBits, formatHex, HexInputError, parseHex } from '../../docs/src/components/FrameDecoder/hex.ts';

const text = (value: string) => new TextEncoder().encode(value);
const fields = (overrides: Partial<FrameFields>): FrameFields => ({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 0x1, maskingKey: undefined, payload: new Uint8Array(0), ...overrides });
const rfcKey = Uint8Array.of(0x37, 0xfa, 0x21, 0x3d);

/** The one frame in `hex`; fails with what the decoder said otherwise. */
function onlyFrame(hex: string | Uint8Array) {
  const result = decodeStream(typeof hex === 'string' ? parseHex(hex) : hex);
  expect(result.violation?.message ?? result.truncated?.message).toBeUndefined();
  expect(result.frames).toHaveLength(1);
  return result.frames[0]!;
}

/** Byte-for-byte equality, fast for 64 KiB payloads; a mismatch shows the bytes around the first difference. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array, what = 'bytes'): void {
  if (actual.length === expected.length && Buffer.from(actual.buffer, actual.byteOffset, actual.length).equals(expected)) return;
  const at = actual.findIndex((byte, i) => byte !== expected[i]);
  const from = Math.max(0, (at === -1 ? Math.min(actual.length, expected.length) : at) - 4);
  expect(`${what}: ${actual.length} bytes, from byte ${from}: ${formatHex(actual.subarray(from, from + 16))}`).toBe(`${what}: ${expected.length} bytes, from byte ${from}: ${formatHex(expected.subarray(from, from + 16))}`);
}

function violationOf(hex: string | Uint8Array): RuleViolation {
  const result = decodeStream(typeof hex === 'string' ? parseHex(hex) : hex);
  if (!result.violation) throw new Error(`expected a rule violation for ${typeof hex === 'string' ? hex : formatHex(hex)}, got ${result.frames.length} frames${result.truncated ? ` and ${result.truncated.message}` : ''}`);
  return result.violation;
}

describe('hex input', () => {
  it('reads the ways people copy bytes', () => {
    const hello = [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f];
    for (const input of ['81 05 48 65 6c 6c 6f', '810548656c6c6f', '0x81 0x05 0x48 0x65 0x6c 0x6c 0x6f', '[0x81, 0x5, 0x48, 0x65, 0x6C, 0x6C, 0x6F]', '\\x81\\x05\\x48\\x65\\x6c\\x6c\\x6f', '81 05\n48 65\r\n6c:6c;6f', '  8105 4865 6c6c6f  ']) {
      expect(Array.from(parseHex(input)), input).toEqual(hello);
    }
    expect(parseHex('')).toEqual(new Uint8Array(0));
  });

  it('names the character it cannot read, and a byte with a digit missing', () => {
    expect(() => parseHex('81 05 4g')).toThrow(HexInputError);
    expect(() => parseHex('81 05 4g')).toThrow('"g" (character 8) is not a hex digit');
    expect(() => parseHex('81 5 48')).toThrow('"5" (character 4) has an odd number of hex digits');
    expect(() => parseHex('810')).toThrow('odd number of hex digits');
    expect(() => parseHex('81 0x')).toThrow('"0x" (character 4) has no digits after its prefix');
  });

  it('writes bytes and bits', () => {
    expect(formatHex(Uint8Array.of(0x81, 0x05, 0x0a))).toBe('81 05 0a');
    expect(formatBits(0x81)).toBe('1000 0001');
  });
});

describe('RFC 6455 §5.7 examples', () => {
  it('an unmasked text frame "Hello"', () => {
    const frame = onlyFrame('81 05 48 65 6c 6c 6f');
    expect(frame).toMatchObject({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1, maskingKey: undefined, lengthEncoding: '7-bit', headerLength: 2, text: 'Hello' });
    expect(frame.payload.length).toBe(5);
  });

  it('a masked text frame "Hello", unmasked with its key', () => {
    const frame = onlyFrame('81 85 37 fa 21 3d 7f 9f 4d 51 58');
    expect(frame.maskingKey).toEqual(rfcKey);
    expect(formatHex(frame.wirePayload)).toBe('7f 9f 4d 51 58');
    expect(frame.text).toBe('Hello');
    expect(frame.headerLength).toBe(6);
    expect(formatHex(encodeFrame(fields({ payload: text('Hello'), maskingKey: rfcKey })))).toBe('81 85 37 fa 21 3d 7f 9f 4d 51 58');
  });

  it('a fragmented text message "Hel" + "lo" in one paste, assembled', () => {
    const result = decodeStream(parseHex('01 03 48 65 6c 80 02 6c 6f'));
    expect(result.frames.map((f) => [f.fin, opcodeName(f.opcode), f.text])).toEqual([
      [false, 'text', 'Hel'],
      [true, 'continuation', 'lo'],
    ]);
    expect(result.messages).toEqual([{ type: 'text', frames: [0, 1], payload: text('Hello'), text: 'Hello' }]);
  });

  it('an unmasked ping and a masked pong, each with "Hello"', () => {
    expect(onlyFrame('89 05 48 65 6c 6c 6f')).toMatchObject({ opcode: 0x9, text: 'Hello' });
    expect(onlyFrame('8a 85 37 fa 21 3d 7f 9f 4d 51 58')).toMatchObject({ opcode: 0xa, text: 'Hello' });
  });

  it('256 bytes of binary data (16-bit length) and 64 KiB (64-bit length)', () => {
    const small = onlyFrame(concatBytes([parseHex('82 7e 01 00'), new Uint8Array(256)]));
    expect(small).toMatchObject({ opcode: 2, lengthEncoding: '16-bit', headerLength: 4, text: undefined });
    expect(small.payload.length).toBe(256);
    const large = onlyFrame(concatBytes([parseHex('82 7f 00 00 00 00 00 01 00 00'), new Uint8Array(65536)]));
    expect(large).toMatchObject({ lengthEncoding: '64-bit', headerLength: 10 });
    expect(large.payload.length).toBe(65536);
  });
});

describe('every opcode', () => {
  it('names the six of RFC 6455 and reads each as a frame', () => {
    const named = { 0x1: 'text', 0x2: 'binary', 0x8: 'close', 0x9: 'ping', 0xa: 'pong' } as const;
    for (const [code, name] of Object.entries(named)) {
      const frame = onlyFrame(encodeFrame(fields({ opcode: Number(code) })));
      expect(opcodeName(frame.opcode)).toBe(name);
    }
    // A continuation reads as one after the first fragment of a message.
    expect(decodeStream(parseHex('02 01 ff 80 01 fe')).frames.map((f) => opcodeName(f.opcode))).toEqual(['binary', 'continuation']);
  });

  it('refuses the ten reserved opcodes, naming the rule', () => {
    for (const opcode of [0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf]) {
      const problem = violationOf(encodeFrame(fields({ opcode })));
      expect(problem.rule).toBe('reserved-opcode');
      expect(problem.section).toBe('§5.2');
      expect(problem.message).toContain(`Opcode 0x${opcode.toString(16)} is reserved`);
      expect(opcodeName(opcode)).toBe(opcode < 8 ? 'reserved (data)' : 'reserved (control)');
    }
  });
});

describe('the three length encodings at their boundaries', () => {
  const cases: ReadonlyArray<[number, LengthEncoding, string]> = [
    [0, '7-bit', '82 00'],
    [125, '7-bit', '82 7d'],
    [126, '16-bit', '82 7e 00 7e'],
    [65535, '16-bit', '82 7e ff ff'],
    [65536, '64-bit', '82 7f 00 00 00 00 00 01 00 00'],
  ];
  for (const [length, encoding, header] of cases) {
    it(`${length} bytes: ${encoding}, header ${header}`, () => {
      const payload = Uint8Array.from({ length }, (_, i) => (i * 7) & 0xff);
      const bytes = encodeFrame(fields({ opcode: 2, payload }));
      expect(formatHex(bytes.subarray(0, header.split(' ').length))).toBe(header);
      expect(bytes.length).toBe(header.split(' ').length + length);
      const frame = onlyFrame(bytes);
      expect(frame.lengthEncoding).toBe(encoding);
      expectSameBytes(frame.payload, payload, 'payload');
    });
  }

  it('masked, the key comes after the extended length', () => {
    const payload = new Uint8Array(300).fill(0x41);
    const bytes = encodeFrame(fields({ payload, maskingKey: rfcKey }));
    expect(formatHex(bytes.subarray(0, 8))).toBe('81 fe 01 2c 37 fa 21 3d');
    expect(onlyFrame(bytes).text).toBe('A'.repeat(300));
  });

  it('the encoder refuses what cannot be written, and says what can', () => {
    expect(() => encodeFrame(fields({ payload: new Uint8Array(126) }), '7-bit')).toThrow(FrameFieldError);
    expect(() => encodeFrame(fields({ payload: new Uint8Array(126) }), '7-bit')).toThrow('126 bytes do not fit the 7-bit length, which holds at most 125: use the 16-bit one.');
    expect(() => encodeFrame(fields({ maskingKey: Uint8Array.of(1, 2, 3) }))).toThrow('The masking key is 4 bytes (32 bits), not 3 bytes.');
    expect(() => encodeFrame(fields({ opcode: 16 }))).toThrow('The opcode is 4 bits: 0 to 15');
  });
});

describe('every rule broken is named', () => {
  it('RSV1, RSV2 or RSV3 set without an extension (§5.2)', () => {
    for (const [flag, byte0] of [['RSV1', 'c1'], ['RSV2', 'a1'], ['RSV3', '91']] as const) {
      const problem = violationOf(`${byte0} 05 48 65 6c 6c 6f`);
      expect(problem).toMatchObject({ rule: 'rsv-without-extension', section: '§5.2', offset: 0 });
      expect(problem.message).toMatch(new RegExp(`^${flag} is set, and no extension was negotiated`));
    }
    expect(violationOf(encodeFrame(fields({ rsv1: true, rsv3: true }))).message).toMatch(/^RSV1, RSV3 are set/);
  });

  it('a control frame with FIN clear (§5.5), seen from its first byte', () => {
    const problem = violationOf('09');
    expect(problem).toMatchObject({ rule: 'fragmented-control-frame', section: '§5.5' });
    expect(problem.message).toContain('A ping frame with FIN 0');
  });

  it('a control frame with more than 125 bytes of payload (§5.5)', () => {
    for (const opcode of [0x8, 0x9, 0xa]) {
      const problem = violationOf(encodeFrame(fields({ opcode, payload: new Uint8Array(126) })));
      expect(problem).toMatchObject({ rule: 'control-frame-too-long', section: '§5.5', offset: 1 });
      expect(problem.message).toContain('with 126 bytes of payload');
    }
    expect(onlyFrame(encodeFrame(fields({ opcode: 0x9, payload: new Uint8Array(125) }))).payload.length).toBe(125);
  });

  it('a length not in its shortest form (§5.2)', () => {
    const five = violationOf(encodeFrame(fields({ payload: text('Hello') }), '16-bit'));
    expect(five).toMatchObject({ rule: 'non-minimal-length', section: '§5.2' });
    expect(five.message).toContain('The length 5 is written in the 16-bit form, but it fits the 7-bit one');
    expect(violationOf(encodeFrame(fields({ payload: new Uint8Array(125) }), '64-bit')).message).toContain('The length 125 is written in the 64-bit form');
    expect(violationOf(encodeFrame(fields({ payload: new Uint8Array(65535) }), '64-bit')).message).toContain('fits the 16-bit one');
    // One past each limit is fine.
    expect(onlyFrame(encodeFrame(fields({ payload: new Uint8Array(126) }), '16-bit')).lengthEncoding).toBe('16-bit');
  });

  it('a 64-bit length with its most significant bit set (§5.2)', () => {
    const problem = violationOf('82 7f 80 00 00 00 00 00 00 05');
    expect(problem).toMatchObject({ rule: 'length-top-bit-set', section: '§5.2', offset: 2 });
    expect(problem.message).toContain('whose top bit is 1');
  });

  it('a continuation with no message begun, and a new message in the middle of another (§5.4)', () => {
    expect(violationOf('80 02 6c 6f')).toMatchObject({ rule: 'unexpected-continuation', section: '§5.4', offset: 0 });
    const interleaved = decodeStream(parseHex('01 03 48 65 6c 81 02 6c 6f'));
    expect(interleaved.frames).toHaveLength(1);
    expect(interleaved.violation).toMatchObject({ rule: 'interleaved-message', offset: 5 });
    // A control frame in the middle of a fragmented message is allowed (§5.4).
    const withPing = decodeStream(parseHex('01 03 48 65 6c 89 00 80 02 6c 6f'));
    expect(withPing.violation).toBeUndefined();
    expect(withPing.messages.map((m) => m.text)).toEqual(['Hello']);
  });

  it('close payloads: empty, code and reason, one byte, a code that must not be sent (§5.5.1, §7.4)', () => {
    expect(onlyFrame('88 00').close).toEqual({ reason: '' });
    expect(onlyFrame(encodeFrame(fields({ opcode: 0x8, payload: closePayload(1000, 'bye') }))).close).toEqual({ code: 1000, reason: 'bye' });
    expect(formatHex(closePayload(1000, 'bye'))).toBe('03 e8 62 79 65');
    expect(violationOf('88 01 03')).toMatchObject({ rule: 'close-payload-one-byte', section: '§5.5.1' });
    for (const code of [999, 1004, 1005, 1006, 1015, 2000, 5000]) {
      expect(violationOf(encodeFrame(fields({ opcode: 0x8, payload: closePayload(code) }))), String(code)).toMatchObject({ rule: 'invalid-close-code' });
    }
    for (const code of [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999]) {
      expect(onlyFrame(encodeFrame(fields({ opcode: 0x8, payload: closePayload(code) }))).close?.code).toBe(code);
    }
    expect(violationOf('88 03 03 e8 ff')).toMatchObject({ rule: 'invalid-utf8', section: '§5.5.1' });
  });

  it('a text message that is not valid UTF-8 (§8.1); the same bytes in a binary frame are fine', () => {
    expect(violationOf('81 02 c3 28')).toMatchObject({ rule: 'invalid-utf8', section: '§8.1' });
    expect(onlyFrame('82 02 c3 28').text).toBeUndefined();
    // "é" (c3 a9) cut between two fragments: each fragment alone is not UTF-8, the message is.
    const split = decodeStream(parseHex('01 01 c3 80 01 a9'));
    expect(split.frames.map((f) => f.text)).toEqual([undefined, undefined]);
    expect(split.messages[0]?.text).toBe('é');
  });
});

describe('truncated frames: how many bytes are missing', () => {
  it('at every cut of the masked "Hello"', () => {
    const whole = parseHex('81 85 37 fa 21 3d 7f 9f 4d 51 58');
    for (let cut = 1; cut < whole.length; cut++) {
      const result = decodeStream(whole.subarray(0, cut));
      expect(result.frames, `cut at ${cut}`).toEqual([]);
      expect(result.truncated, `cut at ${cut}`).toMatchObject({ offset: 0, have: cut, missing: cut < 2 ? 1 : whole.length - cut });
      expect(result.truncated?.exact, `cut at ${cut}`).toBe(cut >= 2);
    }
    expect(decodeStream(whole.subarray(0, 7)).truncated?.message).toBe('Truncated: the frame at byte 0 is 11 bytes long and 7 have arrived: 4 bytes missing (payload). Paste the rest as the next chunk.');
    expect(decodeStream(whole.subarray(0, 4)).truncated?.waitingFor).toBe('masking key');
  });

  it('inside an extended length: at least the rest of the length', () => {
    const result = decodeStream(parseHex('82 7f 00 00 00'));
    expect(result.truncated).toMatchObject({ missing: 5, exact: false, waitingFor: 'extended payload length' });
    expect(result.truncated?.message).toBe('Truncated: the frame at byte 0 stops inside its header (5 bytes so far); the extended payload length needs at least 5 more bytes.');
  });

  it('after whole frames, the cut one is reported where it starts', () => {
    const result = decodeStream(parseHex('81 05 48 65 6c 6c 6f 89 05 48 65'));
    expect(result.frames).toHaveLength(1);
    expect(result.truncated).toMatchObject({ offset: 7, have: 4, missing: 3, exact: true });
  });
});

describe('the same bytes as the ws library', () => {
  it('for 200 random frames, encoded and decoded back', () => {
    const frame = fc.record({
      opcode: fc.constantFrom(0x1, 0x2, 0x8, 0x9, 0xa),
      // Each length encoding, the 64-bit one (and its 64 KiB) less often.
      length: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 125 }), weight: 4 }, { arbitrary: fc.integer({ min: 126, max: 65_535 }), weight: 3 }, { arbitrary: fc.integer({ min: 65_536, max: 70_000 }), weight: 1 }),
      key: fc.option(fc.uint8Array({ minLength: 4, maxLength: 4 }), { nil: undefined }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(frame, ({ opcode, length, key, seed }) => {
        const control = opcode >= 0x8;
        const payloadLength = control ? Math.min(length, 125) : length;
        // Text and close reasons are ASCII (valid UTF-8); other payloads anything.
        const payload = Uint8Array.from({ length: payloadLength }, (_, i) => ((seed + i * 31) & (opcode === 0x1 || opcode === 0x8 ? 0x7f : 0xff)));
        if (opcode === 0x8 && payload.length > 0) payload.set(payload.length === 1 ? [] : [0x03, 0xe8]);
        const closeOk = opcode !== 0x8 || payload.length !== 1;
        const wsBytes = new Uint8Array(wsFrameBytes({ fin: true, opcode, payload, mask: key }));
        const ours = encodeFrame(fields({ opcode, payload, maskingKey: key }));
        expectSameBytes(ours, wsBytes, 'frame');
        if (!closeOk) return;
        const back = onlyFrame(wsBytes);
        expect(back.opcode).toBe(opcode);
        expect(back.maskingKey).toEqual(key);
        expectSameBytes(back.payload, payload, 'payload');
      }),
      { numRuns: 200 },
    );
  });
});
