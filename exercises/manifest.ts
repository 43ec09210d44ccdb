/**
 * The course, in order: lessons, parts and exercises.
 *
 * This is the single source of truth that `npm run check`, `npm run hint`, the
 * maintainer tests and the site read. To add an exercise, add an entry here and
 * the files its id names (see the README's "Adding an exercise").
 *
 * You are the learner? You never need to edit this file.
 *
 * @module
 */
import { defineCourse } from '../tooling/course/define.ts';

export const course = defineCourse({
  lessons: [
    { id: 'networks-in-layers', title: 'Networks in layers' },
    { id: 'tcp', title: 'TCP: a reliable byte stream' },
    { id: 'websocket', title: 'WebSocket' },
    { id: 'socket-io', title: 'Socket.IO' },
    { id: 'socket-io-vs-websocket', title: 'Socket.IO or WebSocket?' },
    { id: 'troubleshooting', title: 'Troubleshooting' },
  ],

  parts: [
    { id: 'first-connections', title: 'Part 0 — First connections' },
    { id: 'byte-streams', title: 'Part 1 — TCP is a byte stream' },
    { id: 'websocket-from-scratch', title: 'Part 2 — WebSocket from scratch' },
    { id: 'socketio-essentials', title: 'Part 3 — Socket.IO essentials' },
  ],

  exercises: [
    {
      id: 'tcp-echo',
      title: 'A TCP echo server',
      part: 'first-connections',
      kind: 'server',
      files: ['server.ts'],
      lesson: 'tcp',
      hints: [
        '`net.createServer(listener)` calls `listener` once per connection with a `net.Socket`, which is both readable (what the client sent) and writable (what you send back). Echoing means writing every chunk you read back to the same socket.',
        'Wrap `server.listen(port, host, callback)` in a `new Promise` and resolve it in the callback; then `(server.address() as net.AddressInfo).port` is the real port.',
        '`server.close()` only stops *new* connections and calls back once the open ones are gone: keep the sockets in a `Set` (add on connection, delete on `close`) and `destroy()` them all before closing.',
        '`socket.pipe(socket)` echoes with backpressure handled for you, and ends your side when the client ends theirs. Add `socket.on("error", () => socket.destroy())` so a client that resets cannot crash the server.',
      ],
    },
    {
      id: 'hello-socketio',
      title: 'Hello, Socket.IO',
      part: 'first-connections',
      kind: 'server',
      files: ['server.ts'],
      lesson: 'socket-io',
      hints: [
        'A Socket.IO server sits on an HTTP server: `const httpServer = http.createServer(); const io = new Server(httpServer);` and then `httpServer.listen(…)`.',
        'Everything about one client happens inside `io.on("connection", (socket) => { … })`: `socket.id` is its id, `socket.emit("welcome", …)` talks to it alone.',
        'An acknowledgement is the last argument the client passed: `socket.on("ping", (n, ack) => …)`. The client may not pass one, so check `typeof ack === "function"` before calling it.',
        '`io.close()` disconnects every client and closes the HTTP server too; wrap it in a promise: `new Promise((resolve) => io.close(() => resolve()))`.',
      ],
    },
    {
      id: 'first-client',
      title: 'Your first Socket.IO client',
      part: 'first-connections',
      kind: 'client',
      files: ['client.ts'],
      lesson: 'socket-io',
      hints: [
        '`io(url, { reconnection: false })` connects once and gives up on failure, which is what a one-shot question needs. Listen for `connect` and `connect_error` to know which happened.',
        '`socket.timeout(ms).emitWithAck(event, payload)` sends the event and resolves with the server\'s answer, or rejects once `ms` have passed without one.',
        'Disconnect in every outcome (`try { … } finally { socket.disconnect(); }`), or a socket left open keeps the process alive and keeps the server busy.',
      ],
    },
    {
      id: 'tcp-framing',
      title: 'Framing messages on a TCP stream',
      part: 'byte-streams',
      kind: 'server',
      files: ['server.ts'],
      lesson: 'tcp',
      hints: [
        'A `data` event is "some bytes arrived", never "a message arrived". Keep what you received in a per-connection buffer, and only act once a `\\n` is in it.',
        'Keep the buffer as bytes (a `Buffer`), not a string: `chunk.toString()` on a chunk that ends in the middle of `é` or `🦊` turns the half character into `\uFFFD`. Decode a line only once it is complete.',
        'Loop: `while ((i = buffer.indexOf(0x0a)) !== -1) { const line = buffer.subarray(0, i); buffer = buffer.subarray(i + 1); … }`. After the loop, what is left is an unfinished line: if `buffer.length > MAX_LINE_BYTES`, send the error and `socket.end()`.',
        'Validate before you trust: `JSON.parse` inside `try`/`catch`, then check `typeof parsed === "object" && parsed !== null && typeof parsed.id === "number" && typeof parsed.text === "string"`. The reply is `{ id, echo: text, bytes: Buffer.byteLength(text) }`.',
      ],
    },
    {
      id: 'ws-handshake',
      title: 'The WebSocket handshake',
      part: 'websocket-from-scratch',
      kind: 'server',
      files: ['handshake.ts'],
      lesson: 'websocket',
      hints: [
        'Node parses the HTTP request for you: `request.method`, and `request.headers` with lowercase names (`request.headers["sec-websocket-key"]`). Values keep the client\'s case, so lowercase them before comparing.',
        '`createHash("sha1").update(key + GUID).digest("base64")` is the whole accept key. Hash the key as the client sent it: no decoding first.',
        'The response is plain text on the socket: `socket.write("HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: " + accept + "\\r\\n\\r\\n")`. To refuse, use `socket.end(…)` instead of `write`, so the connection closes after the response.',
        'A request without `Upgrade` or without `upgrade` in `Connection` never reaches the `upgrade` event: give `http.createServer` a request handler that answers `400` (`response.writeHead(400, { Connection: "close" }).end()`). And keep upgraded sockets in a `Set`: `server.close()` no longer sees them.',
      ],
    },
    {
      id: 'acknowledgements',
      title: 'Acknowledgements, both ways',
      part: 'socketio-essentials',
      kind: 'server',
      files: ['server.ts', 'client.ts'],
      lesson: 'socket-io',
      hints: [
        'Three acknowledgements are in play: the sender\'s callback on `deliver` (the server calls it with the receipt), the server\'s wait for the recipient\'s `message` acknowledgement, and the messenger\'s call of that acknowledgement with its reply. Draw them before you write them.',
        'To talk to one client by id, find its `Socket`: `io.sockets.sockets.get(to)` is `undefined` when no client has that id. Don\'t use `io.to(to)` here: a broadcast with a timeout collects an *array* of answers, and an empty room answers at once with `[]`.',
        '`await recipient.timeout(request.timeoutMs).emitWithAck("message", { from: socket.id, text })` resolves with the recipient\'s reply, or rejects when the time is up: wrap it in `try`/`catch` and answer `{ status: "delivered", reply }` or `{ status: "timeout" }`.',
        'In the messenger, `socket.on("message", async (message, confirm) => confirm(await reply(message)))` confirms with the reply\'s value, and `deliver` is `await socket.timeout(timeoutMs + RECEIPT_MARGIN_MS).emitWithAck("deliver", { to, text, timeoutMs })` in a `try`/`catch`, followed by a `switch` on `receipt.status`.',
      ],
    },
    {
      id: 'broadcasting',
      title: 'Broadcasting',
      part: 'socketio-essentials',
      kind: 'server',
      files: ['server.ts'],
      lesson: 'socket-io',
      hints: [
        'For each event, ask "who must receive this?" — everyone (`io.emit`), everyone but the sender (`socket.broadcast.emit`), or everyone but the sender and a few others (`socket.broadcast.except(ids).emit`). Every socket is in a room named by its own id, so ids work wherever a room is expected.',
        'The count must be right *after* the change. `io.of("/").sockets.size` already includes the newcomer in the `connection` handler, and no longer includes the leaver in its `disconnect` handler (in `disconnecting` it still does).',
        'Keep the name on the socket itself: `socket.data.name = name` in the `join` handler, and `socket.data.name ?? null` when relaying `say`.',
        'In the connection handler: `io.emit("users", { count: io.of("/").sockets.size })`, then `socket.on("disconnect", () => io.emit("users", { count: io.of("/").sockets.size }))`; `socket.broadcast.emit("joined", { id: socket.id, name })`; and `socket.broadcast.except(except ?? []).emit("chat", { from: socket.id, name: socket.data.name ?? null, text })`.',
      ],
    },
    // @anchor part 3, first half (acknowledgements … namespaces)
    {
      id: 'middleware-auth',
      title: 'Authentication with middleware',
      part: 'socketio-essentials',
      kind: 'server',
      files: ['server.ts'],
      lesson: 'socket-io',
      hints: [
        'Two kinds of middleware: `io.use((socket, next) => …)` runs once per client *before* it connects, and is the place to turn it away; `socket.use(([event, ...args], next) => …)`, added inside the connection handler, runs before each event of that one client.',
        'The client\'s credentials are in `socket.handshake.auth`. Check the type first (`typeof token !== "string" || token === ""` is a missing token), then look it up with `options.users.get(token)`: a `Map` compares keys exactly.',
        'To refuse a connection, pass an `Error` to `next` and put the reason on its `data` property: `next(Object.assign(new Error("unauthorized"), { data: { reason: "invalid token" } }))`. The client receives exactly that `data` in `connect_error`.',
        'In `socket.use`, the acknowledgement is the last element of the packet: `const ack = args.at(-1); if (typeof ack === "function") ack({ ok: false, error: "forbidden" });` then `next(new Error("forbidden"))` so the `announce` handler never runs. Call `next()` for every other event.',
      ],
    },
    {
      id: 'typed-events',
      title: 'Typed events',
      part: 'socketio-essentials',
      kind: 'server',
      files: ['events.ts', 'server.ts'],
      lesson: 'socket-io',
      hints: [
        'An event map is an interface whose keys are event names and whose values are function types: the parameters are what `emit` sends, in order. `ping: () => void` is an event without arguments.',
        'The acknowledgement is just the last parameter, itself a function type: `say: (text: string, ack: (receipt: Receipt) => void) => void`. The client then writes `socket.emit("say", text, (receipt) => …)` and `receipt` is a `Receipt`.',
        'Keep the two directions apart: what clients send goes in `ClientToServerEvents`, what the server sends in `ServerToClientEvents`. A type with `any` or an index signature accepts every mistake, which is what the check tries.',
        'In `server.ts`, with `new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(httpServer)` the handler parameters need no annotations: `socket.on("say", (text, ack) => …)` already knows `text` is a `string`. Keep the message counter outside `io.on("connection", …)`: it counts for the whole server.',
      ],
    },
  ],
});
