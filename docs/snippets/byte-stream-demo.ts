/**
 * See for yourself that TCP keeps no message boundaries: the client makes three
 * writes in a row, and the server usually receives them as ONE chunk.
 *
 * Run it: node --import tsx docs/snippets/byte-stream-demo.ts
 */
import net from 'node:net';

const server = net.createServer((socket) => {
  socket.on('data', (chunk) => console.log(`server read ${chunk.length} bytes: ${JSON.stringify(chunk.toString())}`));
  socket.on('end', () => server.close());
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as net.AddressInfo;
  const client = net.connect(port, '127.0.0.1', () => {
    client.write('one ');
    client.write('two ');
    client.write('three');
    client.end();
  });
});
// Typical output: server read 13 bytes: "one two three"
