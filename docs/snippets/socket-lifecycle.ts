import type { Server } from 'socket.io';

/**
 * The life of one server-side socket, logged: `connection`, then, when it ends,
 * `disconnecting` (its rooms are still there: tell them who left) and finally
 * `disconnect` (the rooms are gone).
 */
export function logLifecycle(io: Server, log: (line: string) => void): void {
  io.on('connection', (socket) => {
    log(`connection ${socket.id}, transport ${socket.conn.transport.name}`);
    void socket.join('lobby');

    socket.on('disconnecting', (reason) => {
      // Still readable here: the socket's own room (its id) and 'lobby'.
      log(`disconnecting (${reason}), rooms: ${[...socket.rooms].filter((room) => room !== socket.id).join(', ')}`);
      socket.to('lobby').emit('left', socket.id);
    });

    socket.on('disconnect', (reason) => {
      // Too late for rooms: socket.rooms is empty now.
      log(`disconnect (${reason}), rooms left: ${socket.rooms.size}`);
    });
  });
}
