/**
 * Reference solution for `typed-events`: the events of the chat, as types.
 *
 * @module
 */

/** A chat message, as the server sends it to every client in a `message` event. */
export interface ChatMessage {
  readonly id: number;
  readonly from: string;
  readonly text: string;
  readonly sentAt: number;
}

/** What the sender of `say` receives through its acknowledgement. */
export interface Receipt {
  readonly id: number;
}

/** What each client receives in a `welcome` event as soon as it connects. */
export interface Welcome {
  readonly name: string;
  readonly online: number;
}

/** The events a client may send. The last parameter of a function is its acknowledgement. */
export interface ClientToServerEvents {
  say: (text: string, ack: Function) => void;
  rename: (name: string, ack: (previous: string) => void) => void;
}

/** The events the server sends. */
export interface ServerToClientEvents {
  welcome: (welcome: Welcome) => void;
  message: (message: ChatMessage) => void;
}

/** The events servers send each other when there are several (`io.serverSideEmit`). */
export interface InterServerEvents {
  ping: () => void;
}

/** What the server keeps about each client in `socket.data`. */
export interface SocketData {
  name: string;
}
