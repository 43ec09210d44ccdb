/**
 * Where the site finds the playground (`npm run playground`, or `npm start` which
 * runs it next to the site), and small helpers the live widgets share.
 *
 * The address is http://127.0.0.1:3210 unless the page's address says otherwise
 * with `?playground=http://127.0.0.1:4000`, or the site was started with another
 * playground port (see `playground-address.ts`).
 */
import siteConfig from '@generated/docusaurus.config';
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import { choosePlaygroundUrl } from './playground-address';

export { DEFAULT_PLAYGROUND_URL } from './playground-address';

let socketIoClient: Promise<typeof import('socket.io-client/dist/socket.io.js')> | undefined;

/**
 * Socket.IO's client, in a chunk of its own (about 18 KiB gzipped) downloaded
 * the first time a widget asks for it, not with every lesson that shows one.
 * The browser bundle: the package's Node entry would drag `ws` into the server-side render.
 */
export function loadSocketIo(): Promise<typeof import('socket.io-client/dist/socket.io.js')> {
  socketIoClient ??= import('socket.io-client/dist/socket.io.js');
  return socketIoClient;
}

/** The playground's address for this page. Safe to call during server-side rendering. */
export function playgroundUrl(): string {
  return choosePlaygroundUrl(typeof window === 'undefined' ? '' : window.location.search, siteConfig.customFields?.playgroundUrl);
}

/** The playground's address from the site's config alone: the same in the server-side render and the page, for text. */
export function configuredPlaygroundUrl(): string {
  return choosePlaygroundUrl('', siteConfig.customFields?.playgroundUrl);
}

/** A Socket.IO client of the playground, once the client library has loaded. Not connected until `socket.connect()`. */
export async function playgroundSocket(options: Partial<ManagerOptions & SocketOptions> = {}): Promise<Socket> {
  const { io } = await loadSocketIo();
  return io(playgroundUrl(), { autoConnect: false, forceNew: true, reconnectionDelayMax: 5000, ...options });
}

/** `12:04:05.123`: log timestamps. */
export function clock(at: number = Date.now()): string {
  return new Date(at).toISOString().slice(11, 23);
}

/** Arguments as one line of JSON, cut when long. */
export function show(values: readonly unknown[]): string {
  const text = values
    .map((value) => {
      if (value === undefined) return 'undefined';
      try {
        return JSON.stringify(value);
      } catch {
        return String(value);
      }
    })
    .join(', ');
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/** The transport a connected socket uses now: `polling` or `websocket`. */
export function transportOf(socket: Socket): string {
  return socket.io.engine?.transport?.name ?? '—';
}
