/**
 * What the playground says once it listens, for `npm run playground` and `npm start`.
 *
 * @module
 */
import { style } from '../cli/terminal.ts';
import { MAX_PAYLOAD_BYTES, RECOVERY_PATH, WEBSOCKET_PATH, type Playground } from './server.ts';

/** What the playground prints once it listens. */
export function describePlayground(playground: Playground, origins: readonly string[]): string {
  const local = ['127.0.0.1', 'localhost', '::1'].includes(playground.host);
  const wsUrl = playground.url.replace(/^http/, 'ws');
  return [
    style.bold(`Socket Workbook playground on ${playground.url}`),
    `  Socket.IO        ${playground.url}  (path /socket.io/; try it in the Inspector: http://localhost:3000/inspector)`,
    `  …with recovery   ${playground.url}  (path ${RECOVERY_PATH}: connection state recovery on)`,
    `  WebSocket echo   ${wsUrl}${WEBSOCKET_PATH}`,
    `  Browsers from    ${[...new Set(origins)].join(', ')}`,
    `  Largest message  ${MAX_PAYLOAD_BYTES / 1024} KiB`,
    local ? style.dim('  Only this machine can reach it.') : style.yellow(`  Listening on ${playground.host}: other machines on your network can reach it.`),
  ].join('\n');
}
