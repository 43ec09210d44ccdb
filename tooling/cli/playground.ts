/**
 * `npm run playground` — the local server the site's live demos, the Socket Inspector
 * and the handshake view talk to. `npm start` runs it next to the site.
 *
 *     npm run playground                          http://127.0.0.1:3210
 *     npm run playground -- --port 4000           another port
 *     npm run playground -- --origin http://localhost:3001   also allow the site on another port
 *
 * @module
 */
import { describeListenError } from '../playground/listen-errors.ts';
import { describePlayground, inspectorUrl } from '../playground/banner.ts';
import { originsFromEnvironment, SITE_PORT, siteOrigins } from '../playground/origins.ts';
import { PLAYGROUND_PORT, startPlayground, type Playground } from '../playground/server.ts';
import { parseCommandLine, portFlag } from './arguments.ts';
import { exitWith, style } from './terminal.ts';

const usage = `Usage: npm run playground -- [--port <n>] [--host <address>] [--origin <url>…]

  --port <n>        listen on this port (default ${PLAYGROUND_PORT})
  --host <address>  listen on this address (default 127.0.0.1: this machine only)
  --origin <url>    also accept browsers from this site origin (repeatable);
                    http://localhost:3000 and http://127.0.0.1:3000 are always allowed
  --help, -h        show this`;

async function main(): Promise<void> {
  const { flags, refuse } = parseCommandLine({
    usage,
    positionals: false,
    flags: { port: { type: 'string' }, host: { type: 'string' }, origin: { type: 'string', multiple: true } },
  });
  const port = portFlag(refuse, 'port', flags.port, PLAYGROUND_PORT);
  const host = flags.host ?? '127.0.0.1';
  const origins = [...siteOrigins(), ...originsFromEnvironment(), ...(flags.origin ?? [])];

  let playground: Playground;
  try {
    playground = await startPlayground({ port, host, allowedOrigins: origins });
  } catch (error) {
    const line = describeListenError(error, 'The playground', host, port, `npm run playground -- --port ${port === 4000 ? PLAYGROUND_PORT : 4000}`);
    if (line) return exitWith(line, 1);
    throw error;
  }
  console.log(describePlayground(playground, origins, inspectorUrl(`http://localhost:${SITE_PORT}`, playground.url, port === PLAYGROUND_PORT)));
  console.log(style.dim('Ctrl-C stops it.'));

  const stop = () => {
    void playground.close().then(() => process.exit(0));
    // A second Ctrl-C, or a close that hangs, ends it anyway.
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
