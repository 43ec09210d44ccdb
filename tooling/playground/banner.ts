/**
 * What the playground says once it listens, for `npm run playground` and `npm start`.
 *
 * @module
 */
import { style } from '../cli/terminal.ts';
import { MAX_PAYLOAD_BYTES, RECOVERY_PATH, WEBSOCKET_PATH, type Playground } from './server.ts';

/**
 * The Inspector's address on the site at `siteUrl`. A site that was not told where
 * this playground listens (it started on its own) gets it in the query string.
 */
export function inspectorUrl(siteUrl: string, playgroundUrl: string, siteKnowsPlayground: boolean): string {
  const page = `${siteUrl.replace(/\/$/, '')}/inspector`;
  return siteKnowsPlayground ? page : `${page}?${new URLSearchParams({ playground: playgroundUrl })}`;
}

/** What the playground prints once it listens; `inspector` is where the site's Inspector is (see {@link inspectorUrl}). */
export function describePlayground(playground: Playground, origins: readonly string[], inspector: string): string {
  const local = ['127.0.0.1', 'localhost', '::1'].includes(playground.host);
  const wsUrl = playground.url.replace(/^http/, 'ws');
  return [
    style.bold(`Socket Workbook playground on ${playground.url}`),
    `  Socket.IO        ${playground.url}  (path /socket.io/; try it in the Inspector: ${inspector})`,
    `  …with recovery   ${playground.url}  (path ${RECOVERY_PATH}: connection state recovery on)`,
    `  WebSocket echo   ${wsUrl}${WEBSOCKET_PATH}`,
    `  Browsers from    ${[...new Set(origins)].join(', ')}`,
    `  Largest message  ${MAX_PAYLOAD_BYTES / 1024} KiB`,
    local ? style.dim('  Only this machine can reach it.') : style.yellow(`  Listening on ${playground.host}: other machines on your network can reach it.`),
  ].join('\n');
}
