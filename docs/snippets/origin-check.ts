import type { IncomingMessage } from 'node:http';

/**
 * Refuse handshakes from web pages of other origins (RFC 6455, section 10.2).
 *
 * `cors.origin` cannot do this: CORS only tells a browser which pages may *read*
 * long-polling answers, and browsers do not apply it to WebSocket at all.
 * Engine.IO calls `allowRequest` for every handshake, long-polling and WebSocket
 * alike. A refused long-polling request gets HTTP 403, a refused WebSocket
 * handshake HTTP 400 (`connection_error` reports code 4, "Forbidden", for both).
 */
export const allowedOrigins = new Set(['http://localhost:5173']);

export function allowRequest(request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void): void {
  const origin = request.headers.origin;
  // No Origin header: not a browser (curl, a Node.js client), which could send any Origin anyway.
  // Let it through here, and authenticate everyone in a middleware.
  if (origin === undefined) return callback(null, true);
  callback(allowedOrigins.has(origin) ? null : `origin ${origin} is not allowed`, allowedOrigins.has(origin));
}

// new Server(httpServer, {
//   cors: { origin: [...allowedOrigins] }, // lets those pages READ long-polling answers
//   allowRequest,                          // refuses every other origin, WebSocket included
// });
