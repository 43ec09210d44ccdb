/**
 * Engine.IO and Socket.IO packets as they look on the wire, and what each means, for
 * the handshake recorder. Engine.IO packet types are one digit (`0` open, `2` ping,
 * `4` message, …); a Socket.IO packet rides inside an Engine.IO `message` and starts
 * with its own digit (`0` CONNECT, `2` EVENT, `3` ACK, …): `42["chat","hi"]` is an
 * Engine.IO message carrying a Socket.IO EVENT.
 *
 * @module
 */
import { maskAuth } from './masking.ts';

export const engineTypes = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'] as const;
export type EnginePacketType = (typeof engineTypes)[number];

export const socketTypes = ['CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR', 'BINARY_EVENT', 'BINARY_ACK'] as const;
export type SocketPacketType = (typeof socketTypes)[number];

/** A Socket.IO packet, decoded from its text form. */
export interface SocketPacket {
  readonly type: SocketPacketType;
  readonly namespace: string;
  /** The acknowledgement id: on an EVENT, "answer me with ACK <id>"; on an ACK, the answer to it. */
  readonly ackId: number | undefined;
  readonly attachments: number;
  readonly data: unknown;
}

/** Longest payload text kept in a recording: enough to read, not enough to fill memory. */
export const MAX_TEXT = 2000;

export function truncate(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** Decodes `2/chat,17["say","hi"]` and friends; `undefined` when the text is not a Socket.IO packet. */
export function decodeSocketPacket(text: string): SocketPacket | undefined {
  const type = socketTypes[Number(text[0])];
  if (type === undefined || !/^\d/.test(text)) return undefined;
  let i = 1;
  let attachments = 0;
  if (type === 'BINARY_EVENT' || type === 'BINARY_ACK') {
    const dash = text.indexOf('-', i);
    if (dash === -1) return undefined;
    attachments = Number(text.slice(i, dash));
    i = dash + 1;
  }
  let namespace = '/';
  if (text[i] === '/') {
    const comma = text.indexOf(',', i);
    const end = comma === -1 ? text.length : comma;
    namespace = text.slice(i, end);
    i = comma === -1 ? end : end + 1;
  }
  const digits = /^\d+/.exec(text.slice(i))?.[0];
  const ackId = digits === undefined ? undefined : Number(digits);
  i += digits?.length ?? 0;
  let data: unknown;
  if (i < text.length) {
    try {
      data = JSON.parse(text.slice(i));
    } catch {
      return undefined;
    }
  }
  return { type, namespace, ackId, attachments, data };
}

/** The packet back in wire form (after masking, so it can differ from what was received). */
export function encodeSocketPacket(packet: SocketPacket): string {
  const typeDigit = socketTypes.indexOf(packet.type);
  const attachments = packet.type === 'BINARY_EVENT' || packet.type === 'BINARY_ACK' ? `${packet.attachments}-` : '';
  const namespace = packet.namespace === '/' ? '' : `${packet.namespace},`;
  const data = packet.data === undefined ? '' : JSON.stringify(packet.data);
  return `${typeDigit}${attachments}${namespace}${packet.ackId ?? ''}${data}`;
}

/**
 * Masks what a packet may carry in secret: the `auth` object of a client's CONNECT.
 * Everything else is shown as it was sent.
 */
export function maskSocketPacket(packet: SocketPacket, from: 'client' | 'server'): SocketPacket {
  if (packet.type === 'CONNECT' && from === 'client' && packet.data !== undefined) return { ...packet, data: maskAuth(packet.data) };
  return packet;
}

/** One line saying what a Socket.IO packet means, for the diagram's label. */
export function describeSocketPacket(packet: SocketPacket, from: 'client' | 'server'): string {
  const where = packet.namespace === '/' ? '' : ` on ${packet.namespace}`;
  switch (packet.type) {
    case 'CONNECT':
      return from === 'client'
        ? `Socket.IO CONNECT${where}${packet.data === undefined ? '' : ' with auth'}`
        : `Socket.IO CONNECT accepted${where}: the socket's id`;
    case 'DISCONNECT':
      return `Socket.IO DISCONNECT${where}`;
    case 'CONNECT_ERROR':
      return `Socket.IO CONNECT_ERROR${where}: refused`;
    case 'EVENT':
    case 'BINARY_EVENT': {
      const name = Array.isArray(packet.data) ? String(packet.data[0]) : '?';
      return `event "${name}"${where}${packet.ackId === undefined ? '' : `, asks for acknowledgement #${packet.ackId}`}`;
    }
    case 'ACK':
    case 'BINARY_ACK':
      return `acknowledgement #${packet.ackId ?? '?'}${where}`;
  }
}
