import type { Server, Socket } from 'socket.io';

/**
 * Five features in one server: volatile events, binary payloads, compression,
 * a broadcast with acknowledgements, and per-socket compression flags.
 */
export function features(io: Server): void {
  io.on('connection', (socket: Socket) => {
    // Volatile: dropped if the client is not ready to receive it (disconnected,
    // or its transport busy), never buffered. For "latest position" updates.
    socket.volatile.emit('position', { x: 10, y: 20 });

    // Binary: Buffers (ArrayBuffer, typed arrays, Blob in a browser) travel as
    // binary, anywhere in the arguments; the client gets an ArrayBuffer, Node.js a Buffer.
    socket.on('upload', (name: string, data: Buffer, ack: (size: number) => void) => ack(data.length));
    socket.emit('thumbnail', 'cat.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));

    // compress(false): skip permessage-deflate for this one emit (already compressed data).
    socket.compress(false).emit('image', Buffer.alloc(16));
  });
}

/**
 * Ask every client of a room and collect their answers: a broadcast's
 * acknowledgement receives an ARRAY, one entry per client that answered in time.
 * `err` is set if some did not answer before the timeout (the array then holds the others).
 */
export async function pollRoom(io: Server, room: string, question: string): Promise<unknown[]> {
  try {
    return await io.to(room).timeout(2000).emitWithAck('vote', question);
  } catch {
    return []; // at least one client did not answer in time
  }
}
