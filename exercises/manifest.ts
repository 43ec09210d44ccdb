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
      id: 'ws-frames',
      title: 'WebSocket frames, byte by byte',
      part: 'websocket-from-scratch',
      kind: 'library',
      files: ['frames.ts'],
      lesson: 'websocket',
      hints: [
        'Work with bits on single bytes: `(byte & 0x80) !== 0` reads bit 7, `byte & 0x0f` the low four bits, `(fin ? 0x80 : 0) | opcode` builds byte 0. `Buffer` reads and writes big-endian numbers for you: `readUInt16BE`, `writeUInt16BE`, `readBigUInt64BE`, `writeBigUInt64BE`.',
        'Encode the header first into `Buffer.alloc(2 + extendedLength + (mask ? 4 : 0))`, where `extendedLength` is 0, 2 or 8 depending on the payload length, then `Buffer.concat([header, payload])` — with the payload masked when there is a key.',
        'Decode step by step, and before each step ask "are these bytes there yet?": fewer than 2 bytes, fewer than 4 when the length says 126, fewer than 10 when it says 127, fewer than `payloadStart + length` for the whole frame — each answers `"need-more-bytes"`.',
        'Never modify what you were given: `applyMask` fills a new `Buffer.alloc(data.length)`, and `decodeFrame` copies the key with `Buffer.from(bytes.subarray(…))`, so the caller can keep using its buffer.',
      ],
    },
    {
      id: 'ws-echo-server',
      title: 'A WebSocket echo server from scratch',
      part: 'websocket-from-scratch',
      kind: 'server',
      files: ['server.ts'],
      lesson: 'websocket',
      requires: ['ws-handshake', 'ws-frames'],
      hints: [
        'Same framing problem as in `tcp-framing`, with frames instead of lines: per connection, `buffer = Buffer.concat([buffer, chunk])`, then loop `decodeFrame(buffer)` until it says `"need-more-bytes"`, cutting `bytesUsed` bytes off the front each time.',
        'Keep, per connection, the message being reassembled: `{ opcode, parts: Buffer[] }` or `undefined`. A text or binary frame starts it, continuation frames add to it, the frame with `fin` set ends it: echo `Buffer.concat(parts)` with the first opcode. Pings and pongs do not touch it.',
        'Reply with `socket.write(encodeFrame({ fin: true, opcode, payload }))` and no `mask`. For a close, read the code with `decodeClosePayload`, reply with `encodeClosePayload(code)` in a close frame, and use `socket.end(frame)` instead of `write` so the connection ends after it.',
        'Wrap `decodeFrame` in `try`/`catch`, and check `frame.mask` on every frame: in both cases answer `encodeFrame({ fin: true, opcode: Opcode.Close, payload: encodeClosePayload(PROTOCOL_ERROR) })` with `socket.end(…)`, and stop reading that connection.',
      ],
    },
    {
      id: 'ws-chat',
      title: 'A chat room with a heartbeat',
      part: 'websocket-from-scratch',
      kind: 'server',
      files: ['server.ts'],
      lesson: 'websocket',
      hints: [
        '`new WebSocketServer({ port, host })` listens by itself: wait for its `listening` event, then read the port from `wss.address()`. Everything about one client happens in `wss.on("connection", (socket) => { … })`, where a `let nick` keeps its nickname.',
        'To broadcast, loop over `wss.clients` and send to each one that is not the sender and whose `readyState` is `WebSocket.OPEN`. The socket\'s `close` event fires both when the client closes and when you `terminate()` it: announce the leave there, if it has a nickname.',
        'The heartbeat is one `setInterval(…, options.heartbeatMs ?? 30_000)` for all clients, with a flag per client (a `Map` or `WeakMap`): `true` on connection and on each `pong`; on each tick, `terminate()` the clients whose flag is `false`, then set the others to `false` and `ping()` them.',
        'In `close()`: `clearInterval` the heartbeat, `terminate()` every client in `wss.clients` (since ws 8, `wss.close()` leaves open connections alone), then `wss.close(callback)`.',
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
    {
      id: 'rooms',
      title: 'Rooms',
      part: 'socketio-essentials',
      kind: 'server',
      files: ['server.ts'],
      lesson: 'socket-io',
      hints: [
        'Let Socket.IO keep the memberships: `socket.join(room)`, `socket.leave(room)`, `socket.rooms` (the rooms of one socket) and `io.in(room).fetchSockets()` (the sockets of one room) are always right, also after a disconnection. A `Map` of your own must be cleaned up by hand.',
        '`socket.to(room).emit(…)` reaches the members of `room` except `socket`; `io.to(room).emit(…)` includes it. A client\'s private room is its id, so a whisper is `socket.to(to).emit("whisper", …)` — and `io.of("/").sockets.has(name)` tells you whether a name is a client\'s id.',
        'When a client disconnects, Socket.IO empties `socket.rooms` *before* the `disconnect` event. The `disconnecting` event comes first, while `socket.rooms` still holds them: announce `left` there.',
        '`socket.on("members", async ({ room }, ack) => ack((await io.in(room).fetchSockets()).map((s) => s.id)))`; and in `say`, refuse first: `if (!socket.rooms.has(room)) return ack({ ok: false, error: "not a member" })`.',
      ],
    },
    {
      id: 'namespaces',
      title: 'Namespaces',
      part: 'socketio-essentials',
      kind: 'server',
      files: ['server.ts'],
      lesson: 'socket-io',
      hints: [
        'Each namespace is its own little server: `const chat = io.of("/chat")` and `chat.on("connection", (socket) => …)`. Handlers you register there exist on `/chat` only, so an admin-only event is simply one that only `/admin`\'s handler listens for.',
        'A server-side `Namespace` can emit to its clients from anywhere: `io.of("/chat").emit("announcement", { text })` from `/admin`\'s handler, and `io.of("/chat").sockets.size` counts them. `io.emit` is the main namespace `/`, which nobody here joins.',
        '`io.of(/^\\/workspace-\\d+$/)` accepts every matching name and creates one child namespace per name; inside its connection handler, `socket.nsp` is that child (`socket.nsp.name` is e.g. `/workspace-42`). Names that match no namespace are refused for you.',
        'In a workspace, relay with `socket.broadcast.emit("chat", { from: socket.id, workspace: socket.nsp.name, text })`: it stays inside `socket.nsp`. Emitting on the parent, `io.of(/…/).emit(…)`, reaches every workspace at once.',
      ],
    },
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
    {
      id: 'validation',
      title: 'Validate every payload',
      part: 'socketio-essentials',
      kind: 'server',
      files: ['server.ts'],
      lesson: 'socket-io',
      hints: [
        'Type annotations on a handler (`(order: Order) => …`) check nothing at run time: take the payload as `unknown` and let a schema decide what it is.',
        'With zod: `const OrderSchema = z.object({ item: z.string().min(1).max(40), quantity: z.number().int().min(1).max(99), … })`, then `const result = OrderSchema.safeParse(payload)`. `safeParse` never throws; `result.data` holds only the keys the schema names.',
        'For the error, one issue is enough: `result.error.issues[0]` has a `path` and a `message`. Sending all of them back lets a client make your answer as large as its question.',
        '`new Server(httpServer, { maxHttpBufferSize: MAX_MESSAGE_BYTES })` drops a client whose message is larger, before your handler runs. And check `typeof ack === "function"` before calling the acknowledgement: a client may leave it out.',
      ],
    },
    {
      id: 'disconnections',
      title: 'Surviving disconnections',
      part: 'socketio-essentials',
      kind: 'client',
      files: ['client.ts'],
      lesson: 'troubleshooting',
      hints: [
        'Most of the work is in the options of `io(url, { … })`: `reconnectionDelay`, `reconnectionDelayMax` and `reconnectionAttempts` are the three numbers of the backoff.',
        'Events emitted while disconnected are kept by Socket.IO and sent on reconnection: `send` is a plain `socket.emit(event, payload)`. Checking `socket.connected` first, or using `socket.volatile`, would drop them.',
        'The `disconnect` event passes a reason: `"io server disconnect"`, `"io client disconnect"`, `"ping timeout"`, `"transport close"`, `"transport error"`. A `switch` turns it into a cause. After a kick or a `disconnect()` of your own, `socket.active` is `false`: Socket.IO will not reconnect.',
        'After the last failed attempt `socket.active` is still `true`: only the manager knows it gave up. Listen for `socket.io.on("reconnect_failed", …)` and remember it; then `state` is `connected ? "online" : active && !gaveUp ? "connecting" : "offline"`.',
      ],
    },
  ],
});
