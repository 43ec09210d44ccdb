/**
 * Exercise `namespaces`: one server, several separate channels.
 *
 * Read the task in `README.md` beside this file, then check your work with
 * `npm run check -- namespaces`.
 *
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { ListenOptions, RunningServer } from '../types.ts';

/** The names of the dynamic workspace namespaces: `/workspace-1`, `/workspace-42`, … */
export const WORKSPACE_NAMESPACE = /^\/workspace-\d+$/;

/** A message relayed in `/chat`, sent as `chat`. */
export interface ChatMessage {
  /** The sender's `socket.id` (in `/chat`). */
  readonly from: string;
  readonly text: string;
}

/** A message relayed inside one workspace, sent as `chat`. */
export interface WorkspaceMessage {
  /** The sender's `socket.id` (in its workspace). */
  readonly from: string;
  /** The workspace's namespace name, e.g. `/workspace-42`. */
  readonly workspace: string;
  readonly text: string;
}

/** What an admin's `announce` sends to every `/chat` client, as `announcement`. */
export interface Announcement {
  readonly text: string;
}

/** The answer to an admin's `announce`, through its acknowledgement. */
export interface AnnounceResult {
  readonly ok: true;
  /** How many `/chat` clients the announcement was sent to. */
  readonly reached: number;
}

/**
 * Starts a Socket.IO server with three kinds of namespace, each with its own handlers:
 *
 * - `/chat`: on `say` `{ text }`, emits `chat` with a {@link ChatMessage} to every
 *   **other** client of `/chat`. Nothing else: an `announce` sent here does nothing.
 * - `/admin`: on `announce` `{ text }` (an admin-only event), emits `announcement`
 *   with an {@link Announcement} to every client of `/chat`, and calls the
 *   acknowledgement, when there is one, with an {@link AnnounceResult}.
 * - every namespace whose name matches {@link WORKSPACE_NAMESPACE}: on `say`
 *   `{ text }`, emits `chat` with a {@link WorkspaceMessage} to every **other**
 *   client of that same workspace — never to another workspace.
 *
 * Namespaces that match none of these (e.g. `/workspace-abc`) are refused: the
 * client gets a `connect_error`.
 *
 * @param options - where to listen; the checks pass `{ port: 0, host: '127.0.0.1' }`.
 * @returns once listening: the real port and `close()`, which disconnects every
 *   client and closes the server.
 */
export async function startNamespacesServer(options: ListenOptions): Promise<RunningServer> {
  // TODO: create an HTTP server with a Socket.IO server; give io.of('/chat'), io.of('/admin')
  //       and io.of(WORKSPACE_NAMESPACE) their own connection handlers; listen, and return { port, close }.
  throw new Error(`startNamespacesServer(${JSON.stringify(options)}) is not written yet: open exercises/namespaces/server.ts`);
}
