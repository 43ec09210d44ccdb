/**
 * Reference solution for `namespaces`.
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
  readonly from: string;
  readonly text: string;
}

/** A message relayed inside one workspace, sent as `chat`. */
export interface WorkspaceMessage {
  readonly from: string;
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
  readonly reached: number;
}

export async function startNamespacesServer(options: ListenOptions): Promise<RunningServer> {
  const httpServer = http.createServer();
  const io = new Server(httpServer);

  const chat = io.of('/chat');
  chat.on('connection', (socket) => {
    socket.on('say', ({ text }: { text: string }) => {
      socket.broadcast.emit('chat', { from: socket.id, text } satisfies ChatMessage);
    });
  });

  // The admin-only event lives on /admin alone: /chat has no handler for it.
  io.of('/admin').on('connection', (socket) => {
    socket.on('announce', ({ text }: { text: string }, ack?: unknown) => {
      chat.emit('announcement', { text } satisfies Announcement);
      if (typeof ack === 'function') ack({ ok: true, reached: chat.sockets.size } satisfies AnnounceResult);
    });
  });

  // One handler for every matching namespace; each match is a namespace of its own (socket.nsp).
  // A workspace number is written without leading zeros.
  io.of(/^\/workspace-(0|[1-9]\d*)$/).on('connection', (socket) => {
    socket.on('say', ({ text }: { text: string }) => {
      // socket.broadcast stays inside socket.nsp; emitting on the parent would reach every workspace.
      socket.broadcast.emit('chat', { from: socket.id, workspace: socket.nsp.name, text } satisfies WorkspaceMessage);
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      // Stryker disable next-line StringLiteral: once listening, the promise is settled and a leftover reject does nothing (no server 'error' follows a successful listen here).
      httpServer.off('error', reject);
      resolve();
    });
  });

  const { port } = httpServer.address() as AddressInfo;
  return {
    port,
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}
