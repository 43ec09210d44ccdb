import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from './socket-io-events.ts';

const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io('http://localhost:3000', {
  auth: { name: 'Ada' }, // read by the server's middleware as socket.handshake.auth
});

// Listeners are registered once, at the top level, never inside `connect`:
// `connect` fires again after every reconnection.
socket.on('connect', async () => {
  console.log(`connected as ${socket.id}`);
  // Wait up to 5 s for the server's acknowledgement, then reject.
  const result = await socket.timeout(5000).emitWithAck('join', 'lobby');
  if (result.ok) socket.emit('say', 'lobby', 'hello, everyone');
  else console.log(`could not join: ${result.reason}`);
});

socket.on('message', (from, text) => console.log(`${from}: ${text}`));
socket.on('joined', (room, members) => console.log(`${room} now has ${members} members`));

// Emitted while disconnected? Socket.IO buffers it and sends it on reconnection.
// `socket.volatile.emit(…)` drops it instead, which suits "latest position" updates.
