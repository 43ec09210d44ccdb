/**
 * The receiving side of a line protocol: TCP hands over chunks cut anywhere, so
 * keep a buffer, append each chunk, take out every complete line, and keep the
 * unfinished tail for the next chunk.
 *
 * Bytes, not strings: a chunk can end in the middle of a multi-byte UTF-8
 * character, so lines are decoded only once they are whole.
 */
export function createLineReceiver(onLine: (line: string) => void, maxLineBytes = 64 * 1024) {
  let buffer = Buffer.alloc(0);
  return function receive(chunk: Buffer): void {
    buffer = Buffer.concat([buffer, chunk]);
    let newline: number;
    while ((newline = buffer.indexOf(0x0a)) !== -1) {
      const line = buffer.subarray(0, newline);
      buffer = buffer.subarray(newline + 1);
      // Accept "\r\n" as well as "\n", as line protocols (SMTP, Redis) often do.
      const end = line.at(-1) === 0x0d ? line.length - 1 : line.length;
      onLine(line.toString('utf8', 0, end));
    }
    // A peer that never sends "\n" must not make us buffer forever.
    if (buffer.length > maxLineBytes) throw new RangeError(`a line longer than ${maxLineBytes} bytes`);
  };
}

// A server that answers every line, however the lines were cut:
//   net.createServer((socket) => {
//     const receive = createLineReceiver((line) => socket.write(`you said: ${line}\n`));
//     socket.on('data', (chunk) => {
//       try { receive(chunk); } catch { socket.destroy(); } // too long: drop the peer
//     });
//   });
