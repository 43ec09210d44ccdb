/**
 * The events of a small chat, typed once and shared by server and client:
 * a typo in an event name or a wrong payload becomes a type error.
 */
export interface ServerToClientEvents {
  message: (from: string, text: string) => void;
  joined: (room: string, members: number) => void;
}

export interface ClientToServerEvents {
  /** The last argument is the acknowledgement: the server calls it to answer. */
  join: (room: string, ack: (result: { ok: true } | { ok: false; reason: string }) => void) => void;
  say: (room: string, text: string) => void;
}

/** What the server remembers about each connection (`socket.data`). */
export interface SocketData {
  name: string;
}
