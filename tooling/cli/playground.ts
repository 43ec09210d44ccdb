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
import { parseArgs } from 'node:util';
import { describeListenError } from '../playground/listen-errors.ts';
import { originsFromEnvironment, siteOrigins } from '../playground/origins.ts';
import { describePlayground } from '../playground/banner.ts';
import { PLAYGROUND_PORT, startPlayground, type Playground } from '../playground/server.ts';
import { exitWith, style } from './terminal.ts';

const usage = `Usage: npm run playground -- [--port <n>] [--host <address>] [--origin <url>…]

  --port <n>        listen on this port (default ${PLAYGROUND_PORT})
  --host <address>  listen on this address (default 127.0.0.1: this machine only)
  --origin <url>    also accept browsers from this site origin (repeatable);
                    http://localhost:3000 and http://127.0.0.1:3000 are always allowed
  --help, -h        show this`;

/** Parses the flags shared by `npm run playground` and `npm start`. */
function playgroundFlags(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      origin: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const port = values.port === undefined ? PLAYGROUND_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (0 to 65535), not "${values.port}".`);
  return {
    help: values.help === true,
    port,
    host: values.host ?? '127.0.0.1',
    origins: [...siteOrigins(), ...originsFromEnvironment(), ...(values.origin ?? [])],
  };
}

async function main(): Promise<void> {
  let flags: ReturnType<typeof playgroundFlags>;
  try {
    flags = playgroundFlags(process.argv.slice(2));
  } catch (error) {
    return exitWith(`${(error as Error).message}\n\n${usage}`);
  }
  if (flags.help) return console.log(usage);

  let playground: Playground;
  try {
    playground = await startPlayground({ port: flags.port, host: flags.host, allowedOrigins: flags.origins });
  } catch (error) {
    const line = describeListenError(error, 'The playground', flags.host, flags.port, 'npm run playground -- --port 4000');
    if (line) return exitWith(line, 1);
    throw error;
  }
  console.log(describePlayground(playground, flags.origins));
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
