import http from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from './socket-io-events.ts';
import { allowedOrigins, allowRequest } from './origin-check.ts';

const httpServer = http.createServer();
const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
  // If the page is served from another origin: `cors` lets it read long-polling answers,
  // `allowRequest` refuses other origins (CORS alone restricts nothing, and never WebSocket).
  cors: { origin: [...allowedOrigins] },
  allowRequest,
});

// Middleware runs once per connection, before `connection`: the place for authentication.
io.use((socket, next) => {
  const name: unknown = socket.handshake.auth.name;
  if (typeof name !== 'string' || name === '') return next(new Error('a name is required'));
  socket.data.name = name;
  next();
});

io.on('connection', (socket) => {
  // Register every listener right away, synchronously: events that arrive before
  // an `await` finishes would find no listener.
  socket.on('join', async (room, ack) => {
    if (room.length > 32) return ack({ ok: false, reason: 'room names have at most 32 characters' });
    await socket.join(room); // a room is a server-side set of sockets; the client never sees it
    const members = (await io.in(room).fetchSockets()).length;
    io.to(room).emit('joined', room, members); // everyone in the room, this socket included
    ack({ ok: true });
  });

  socket.on('say', (room, text) => {
    socket.to(room).emit('message', socket.data.name, text); // everyone in the room but the sender
  });

  socket.on('disconnect', (reason) => console.log(`${socket.data.name} left: ${reason}`));
});

// A namespace is a separate channel over the same connection, with its own
// middleware, rooms and events.
io.of('/admin').use((_socket, next) => next(new Error('not an admin')));

httpServer.listen(3000);
