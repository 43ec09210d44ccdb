/**
 * Reference solution for `ws-chat`.
 *
 * @module
 */
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { ListenOptions, RunningServer } from '../types.ts';

/** Where to listen, and how often to check that clients are still there. */
export interface ChatOptions extends ListenOptions {
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
  readonly from: string;
  readonly text: string;
}

/** A client left (it closed, or the heartbeat dropped it): sent to every client still there. */
export interface LeaveEvent {
  readonly type: 'leave';
  readonly nick: string;
}

/** Everything the server sends: one JSON object per text message, `JSON.stringify(event)`. */
export type ChatEvent = JoinEvent | MessageEvent | LeaveEvent;

export async function startChatServer(options: ChatOptions): Promise<RunningServer> {
  const wss = new WebSocketServer({ port: options.port, host: options.host });
  // Whether each client answered the last ping: a WeakMap keeps this off the ws objects.
  const alive = new WeakMap<WebSocket, boolean>();

  const broadcast = (event: ChatEvent, except: WebSocket) => {
    const text = JSON.stringify(event);
    for (const client of wss.clients) {
      // No readyState test needed: wss.clients lists only sockets past the handshake, and
      // ws's send() on one that is closing sends nothing and throws nothing.
      if (client !== except) client.send(text);
    }
  };

  await new Promise<void>((resolve, reject) => {
    wss.once('error', reject);
    wss.once('listening', () => {
      // Stryker disable next-line StringLiteral: it only removes a listener whose promise has settled; leaving it changes nothing a client sees.
      wss.off('error', reject);
      resolve();
    });
  });

  wss.on('connection', (socket) => {
    let nick: string | undefined;
    alive.set(socket, true);
    socket.once('pong', () => alive.set(socket, true));
    // Stryker disable next-line ArrowFunction: ws itself answers a broken frame with a close frame and closes; terminate() only spares the wait for a peer that will not finish the closing handshake.
    socket.on('error', () => socket.terminate());

    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      if (nick === undefined) {
        nick = text;
        broadcast({ type: 'join', nick }, socket);
      } else {
        broadcast({ type: 'message', from: nick, text }, socket);
      }
    });

    // 'close' fires for a polite close and for terminate() alike.
    socket.on('close', () => {
      if (nick !== undefined) broadcast({ type: 'leave', nick }, socket);
    });
  });

  const heartbeat = setInterval(() => {
    for (const client of wss.clients) {
      if (!alive.get(client)) {
        client.terminate();
        continue;
      }
      alive.set(client, false);
      client.ping();
    }
  }, options.heartbeatMs ?? 30_000);

  const { port } = wss.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        clearInterval(heartbeat);
        // Since ws 8, closing the server leaves open connections alone.
        for (const client of wss.clients) client.terminate();
        wss.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
