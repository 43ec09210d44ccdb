/**
 * WebSocket masking (RFC 6455, section 5.3): byte i of the payload is XOR-ed
 * with byte (i mod 4) of the 4-byte masking key. XOR twice gives the original
 * back, so the same function masks (in the client) and unmasks (in the server).
 */
export function applyMask(payload: Uint8Array, maskingKey: Uint8Array): Uint8Array {
  if (maskingKey.length !== 4) throw new RangeError('a masking key is exactly 4 bytes');
  return payload.map((byte, index) => byte ^ (maskingKey[index % 4] ?? 0));
}

// RFC 6455, section 5.7: a masked text frame carrying "Hello".
//   0x81        FIN = 1, opcode = 0x1 (text)
//   0x85        MASK = 1, payload length = 5
//   37 fa 21 3d masking key
//   7f 9f 4d 51 58  masked payload → applyMask gives 48 65 6c 6c 6f, "Hello"
