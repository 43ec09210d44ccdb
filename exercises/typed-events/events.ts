/**
 * Exercise `typed-events`, part 1 of 2: the events of a small chat, as types.
 *
 * Socket.IO accepts four type parameters, `Server<ClientToServerEvents,
 * ServerToClientEvents, InterServerEvents, SocketData>`, and from then on every
 * `emit`, `on` and `socket.data` is checked by TypeScript. Here you describe those
 * four; `server.ts` uses them. The payload types below are given.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- typed-events`.
 *
 * @module
 */

/** A chat message, as the server sends it to every client in a `message` event. */
export interface ChatMessage {
  /** 1 for the first message the server relays, then 2, 3, … */
  readonly id: number;
  /** The sender's name at the time it was sent. */
  readonly from: string;
  readonly text: string;
  /** When the server relayed it, in milliseconds since the epoch (`Date.now()`). */
  readonly sentAt: number;
}

/** What the sender of `say` receives through its acknowledgement. */
export interface Receipt {
  /** The `id` of the {@link ChatMessage} the server made of the text. */
  readonly id: number;
}

/** What each client receives in a `welcome` event as soon as it connects. */
export interface Welcome {
  /** The client's name: see {@link SocketData}. */
  readonly name: string;
  /** How many clients are connected, this one included. */
  readonly online: number;
}

/**
 * The events a client may send, each as a function type `(…args) => void` whose
 * parameters are the event's arguments:
 *
 * - `say`: a text (`string`), and an acknowledgement that receives a {@link Receipt};
 * - `rename`: the new name (`string`), and an acknowledgement that receives the previous name (`string`).
 */
export interface ClientToServerEvents {
  // TODO: declare `say` and `rename`.
}

/**
 * The events the server sends:
 *
 * - `welcome`: a {@link Welcome};
 * - `message`: a {@link ChatMessage}.
 */
export interface ServerToClientEvents {
  // TODO: declare `welcome` and `message`.
}

/**
 * The events servers send each other when there are several (`io.serverSideEmit`):
 *
 * - `ping`: no arguments.
 */
export interface InterServerEvents {
  // TODO: declare `ping`.
}

/** What the server keeps about each client in `socket.data`. */
export interface SocketData {
  // TODO: `name`, a `string`: the client's name.
}
