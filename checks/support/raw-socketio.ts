/**
 * A Socket.IO client written by hand over one WebSocket (Engine.IO 4, Socket.IO
 * protocol 5): it sends exactly the packets a check writes, and keeps every packet
 * the server sends — also those `socket.io-client` drops, such as a CONNECT that
 * follows a CONNECT_ERROR, or an event to a namespace it was refused.
 *
 * Packets are written as Socket.IO's text encoding: a type digit (0 CONNECT,
 * 1 DISCONNECT, 2 EVENT, 3 ACK, 4 CONNECT_ERROR), the namespace and a comma unless
 * it is `/`, an acknowledgement id, then JSON: `0/chat,{"token":"…"}`, `21["whoami"]`.
 *
 * @module
 */
import { CONNECT_LIMIT_MS } from './clients.ts';
import { fail } from './check-failure.ts';
import { connectWs } from './websocket.ts';
import { eventually, formatMs } from './wait.ts';
import type { Workbench } from './workbench.ts';

/** A Socket.IO packet, decoded just enough for a check. */
export interface RawPacket {
  /** 0 CONNECT, 1 DISCONNECT, 2 EVENT, 3 ACK, 4 CONNECT_ERROR. */
  readonly type: number;
  readonly nsp: string;
  /** The acknowledgement id, if any. */
  readonly id: number | undefined;
  /** The JSON after the header, parsed; `undefined` when there is none. */
  readonly data: unknown;
  /** The packet as it came. */
  readonly text: string;
}

/** Socket.IO's packet types, by name. */
export const PACKET = { CONNECT: 0, DISCONNECT: 1, EVENT: 2, ACK: 3, CONNECT_ERROR: 4 } as const;

/** Writes a packet in Socket.IO's text encoding. */
export function encodePacket(type: number, nsp: string, data?: unknown, id?: number): string {
  return `${type}${nsp === '/' ? '' : `${nsp},`}${id ?? ''}${data === undefined ? '' : JSON.stringify(data)}`;
}

/** Reads a packet in Socket.IO's text encoding (binary attachments are not supported). */
export function decodePacket(text: string): RawPacket {
  const type = Number(text[0]);
  let at = 1;
  let nsp = '/';
  if (text[at] === '/') {
    const comma = text.indexOf(',', at);
    nsp = comma === -1 ? text.slice(at) : text.slice(at, comma);
    at = comma === -1 ? text.length : comma + 1;
  }
  const digits = /^\d*/.exec(text.slice(at))![0];
  at += digits.length;
  const rest = text.slice(at);
  let data: unknown;
  try {
    data = rest === '' ? undefined : JSON.parse(rest);
  } catch {
    data = rest;
  }
  return { type, nsp, id: digits === '' ? undefined : Number(digits), data, text };
}

/** A hand-written Socket.IO client on one Engine.IO connection. */
export interface RawSocketIo {
  readonly who: string;
  /** Every Socket.IO packet the server sent so far, in order. */
  readonly packets: readonly RawPacket[];
  /** Sends one Socket.IO packet (see {@link encodePacket}). */
  send(packet: string): void;
  /** Resolves with the first packet so far or to come that `test` accepts, or `undefined` after `ms`. */
  waitFor(test: (packet: RawPacket) => boolean, ms: number): Promise<RawPacket | undefined>;
  /** Whether the server closed the connection. */
  readonly closed: boolean;
}

/**
 * Opens an Engine.IO connection over WebSocket to the Socket.IO server on `port`
 * (127.0.0.1, path `/socket.io/`) and waits for its handshake; connects to no
 * namespace yet. Answers the server's pings. The workbench closes it.
 */
export async function openRawSocketIo(workbench: Workbench, port: number, who: string): Promise<RawSocketIo> {
  const url = `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`;
  const ws = await connectWs(workbench, url, who);
  const packets: RawPacket[] = [];
  let opened = false;
  let closed = false;
  const read = (data: Buffer) => {
    const text = data.toString();
    if (text[0] === '0') opened = true;
    else if (text === '2') ws.socket.send('3');
    else if (text[0] === '4') packets.push(decodePacket(text.slice(1)));
  };
  // What arrived with the handshake, then everything after it.
  for (const event of ws.events.pending) if (event.name === 'message') read(event.args[0] as Buffer);
  ws.socket.on('message', read);
  ws.socket.on('close', () => (closed = true));
  if (!(await eventually(() => opened || closed, CONNECT_LIMIT_MS))) {
    fail({
      did: `Opened ${who}, a WebSocket to ${url}`,
      expected: `Engine.IO's handshake (an "open" packet) within ${formatMs(CONNECT_LIMIT_MS)}`,
      actual: closed ? 'the connection closed' : 'nothing came',
      hint: 'Is a Socket.IO server attached to the HTTP server that listens on this port?',
    });
  }
  return {
    who,
    packets,
    send: (packet) => ws.socket.send(`4${packet}`),
    async waitFor(test, ms) {
      await eventually(() => packets.some(test), ms);
      return packets.find(test);
    },
    get closed() {
      return closed;
    },
  };
}
