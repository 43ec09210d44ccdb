/**
 * Exercise `ws-chat`: a chat room on the `ws` library, with a heartbeat.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- ws-chat`.
 *
 * @module
 */
import { WebSocket, WebSocketServer } from 'ws';
import type { ListenOptions, RunningServer } from '../types.ts';

/** Where to listen, and how often to check that clients are still there. */
export interface ChatOptions extends ListenOptions {
  /**
   * The heartbeat interval in milliseconds: every `heartbeatMs`, the server
   * terminates each client that has not answered the previous ping with a pong,
   * and pings the others. Default: 30 000. The check passes a short one.
   */
  readonly heartbeatMs?: number;
}

/** A client joined: sent, when it chose its nickname, to every other client. */
export interface JoinEvent {
  readonly type: 'join';
  readonly nick: string;
}

/** A chat message: sent to every client except the one who wrote it. */
export interface MessageEvent {
  readonly type: 'message';
  /** The nickname of the client who wrote it. */
  readonly from: string;
  /** What it wrote, unchanged. */
  readonly text: string;
}

/** A client left (it closed, or the heartbeat dropped it): sent to every client still there. */
export interface LeaveEvent {
  readonly type: 'leave';
  readonly nick: string;
}

/** Everything the server sends: one JSON object per text message, `JSON.stringify(event)`. */
export type ChatEvent = JoinEvent | MessageEvent | LeaveEvent;

/**
 * Starts a chat server on the `ws` library.
 *
 * Clients send plain text messages (not JSON):
 *
 * - a client's **first** text message is its nickname: the server sends
 *   `{"type":"join","nick":…}` to every other client;
 * - every later text message is a chat message: the server sends
 *   `{"type":"message","from":<its nickname>,"text":…}` to every other client —
 *   never back to the sender;
 * - binary messages are ignored.
 *
 * "Every other client" means every other open connection, named or not.
 *
 * When a client that has a nickname disconnects — it closed, or the heartbeat
 * terminated it — the server sends `{"type":"leave","nick":…}` to the others. A
 * client that never chose a nickname leaves without a word.
 *
 * **Heartbeat**: every `options.heartbeatMs`, each client that has not answered
 * the previous ping is terminated (`terminate()`, not `close()`: it is not
 * listening any more); every other client is pinged.
 *
 * @param options - where to listen, and the heartbeat interval.
 * @returns once the server listens: the real port, and `close()`, which stops the
 *   heartbeat, terminates every client and closes the server.
 */
export async function startChatServer(options: ChatOptions): Promise<RunningServer> {
  // TODO: create a WebSocketServer on options.port and options.host; remember each
  //       client's nickname; broadcast join, message and leave events; run the
  //       heartbeat with setInterval; and return { port, close }.
  throw new Error(`startChatServer(${JSON.stringify(options)}) is not written yet: open exercises/ws-chat/server.ts`);
}
