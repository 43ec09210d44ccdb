import http from 'node:http';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';

// --- Server side ------------------------------------------------------------
const httpServer = http.createServer();
const io = new Server(httpServer, {
  // CORS: lets a page of this origin READ long-polling answers (and send cookies). It restricts
  // nothing on the server and does not apply to WebSocket: refusing origins is allowRequest's job.
  cors: { origin: ['http://localhost:5173'], credentials: true },
  allowRequest: (request, callback) => {
    const origin = request.headers.origin;
    callback(null, origin === undefined || origin === 'http://localhost:5173');
  },
  // The largest message accepted, in bytes (default 1e6 = 1 MB). Bigger ones close the connection.
  maxHttpBufferSize: 1e6,
});

// Why did a connection fail before it even reached `connection`?
io.engine.on('connection_error', (err: { code: number; message: string }) => {
  // e.g. 1 "Session ID unknown" (no sticky sessions), 4 "Forbidden" (allowRequest said no),
  // 5 "Unsupported protocol version" (v2 client)
  console.log(`engine refused a connection: ${err.code} ${err.message}`);
});

// --- Client side ------------------------------------------------------------
const socket = connect('http://localhost:3000');

socket.on('connect_error', (err) => {
  if (socket.active) {
    // A temporary failure ("xhr poll error", "websocket error", "timeout"): the client retries by itself.
    console.log(`cannot connect yet (${err.message}), retrying…`);
  } else {
    // The server refused us (a middleware called next(new Error(…))): no retry until socket.connect().
    console.log(`refused: ${err.message}`);
  }
});

socket.on('disconnect', (reason) => {
  // "io server disconnect": the server called socket.disconnect(); the client will NOT reconnect by itself.
  if (reason === 'io server disconnect') socket.connect();
  // "ping timeout", "transport close", "transport error": the client reconnects by itself.
  console.log(`disconnected: ${reason}`);
});

httpServer.listen(3000);
