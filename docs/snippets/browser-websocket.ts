/**
 * The WebSocket API as a browser (and Node.js 22 or later) offers it.
 * `WebSocketLike` lists the part of that API used here, so this file type-checks
 * in a Node.js project too; in a page you would simply write `new WebSocket(url)`.
 */
export interface WebSocketLike {
  readonly readyState: number; // 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED
  binaryType: 'blob' | 'arraybuffer';
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null;
  send(data: string | ArrayBuffer | Uint8Array): void;
  close(code?: number, reason?: string): void;
}

export function chat(socket: WebSocketLike, log: (line: string) => void): void {
  socket.binaryType = 'arraybuffer'; // binary messages arrive as ArrayBuffer, not Blob
  socket.onopen = () => socket.send(JSON.stringify({ type: 'hello', name: 'Ada' }));
  socket.onmessage = (event) => {
    if (typeof event.data === 'string') log(`text message: ${event.data}`);
    else log('binary message');
  };
  // `error` tells you little on purpose (no details leak to scripts); `close` follows it.
  socket.onerror = () => log('something went wrong');
  socket.onclose = (event) => log(`closed with ${event.code} ${event.reason} (clean: ${event.wasClean})`);
}

// In a page:
//   const socket = new WebSocket('wss://example.com/chat');
//   chat(socket, console.log);
//   …later: socket.close(1000, 'bye');  // a script may only send 1000 or 3000–4999
