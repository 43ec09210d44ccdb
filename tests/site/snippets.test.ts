/**
 * The code lessons show is real: here it runs against the examples of the RFCs
 * the lessons quote.
 */
import { describe, expect, it } from 'vitest';
import { encodeLengthPrefixed } from '../../docs/snippets/length-prefix.ts';
import { secWebSocketAccept, WEBSOCKET_GUID } from '../../docs/snippets/sec-websocket-accept.ts';
import { applyMask } from '../../docs/snippets/websocket-masking.ts';

describe('docs/snippets/sec-websocket-accept.ts', () => {
  it("gives RFC 6455's Sec-WebSocket-Accept for its sample key (section 1.3)", () => {
    expect(secWebSocketAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('uses the GUID of RFC 6455', () => {
    expect(WEBSOCKET_GUID).toBe('258EAFA5-E914-47DA-95CA-C5AB0DC85B11');
  });
});

describe('docs/snippets/websocket-masking.ts', () => {
  const key = Uint8Array.from([0x37, 0xfa, 0x21, 0x3d]);
  const masked = Uint8Array.from([0x7f, 0x9f, 0x4d, 0x51, 0x58]);

  it('unmasks the masked "Hello" of RFC 6455 section 5.7', () => {
    expect(new TextDecoder().decode(applyMask(masked, key))).toBe('Hello');
  });

  it('masks "Hello" back into the same bytes', () => {
    expect(applyMask(new TextEncoder().encode('Hello'), key)).toEqual(masked);
  });
});

describe('docs/snippets/length-prefix.ts', () => {
  it('prefixes a message with its length as 4 big-endian bytes', () => {
    expect([...encodeLengthPrefixed(new TextEncoder().encode('hi'))]).toEqual([0, 0, 0, 2, 0x68, 0x69]);
  });
});
