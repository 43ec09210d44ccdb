import { createHash } from 'node:crypto';

/** The fixed GUID of RFC 6455, section 1.3. Every WebSocket server in the world uses it. */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * The `Sec-WebSocket-Accept` value a server must send back for the client's
 * `Sec-WebSocket-Key`: base64( SHA-1( key + GUID ) ).
 *
 * The key is used as the client sent it (a base64 string): it is not decoded first.
 */
export function secWebSocketAccept(secWebSocketKey: string): string {
  return createHash('sha1')
    .update(secWebSocketKey + WEBSOCKET_GUID)
    .digest('base64');
}

// RFC 6455's own example: prints s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
// secWebSocketAccept('dGhlIHNhbXBsZSBub25jZQ==');
