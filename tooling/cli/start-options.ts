/**
 * What `npm start` starts, read from its command line: the site's port and host,
 * the playground's port, and the `docusaurus start` command — which tells the site
 * where the playground listens, so its demos find it without a query string.
 *
 * @module
 */
import path from 'node:path';
import { repoRoot } from '../course/paths.ts';
import { PLAYGROUND_URL_VARIABLE, SITE_PORT } from '../playground/origins.ts';
import { PLAYGROUND_PORT } from '../playground/server.ts';
import { parseCommandLine, portFlag } from './arguments.ts';

export const usage = `Usage: npm start -- [--port <n>] [--host <address>] [--playground-port <n>] [--no-playground] [docusaurus start flags…]

  --port <n>, -p <n>     the site's port (default ${SITE_PORT})
  --host <address>       the site's address (default localhost)
  --playground-port <n>  the playground's port (default ${PLAYGROUND_PORT}); the site is told where it is
  --no-playground        start the site alone (it still looks for a playground on --playground-port)
  --help, -h             show this
  docusaurus start's own flags are passed on: --no-open, --locale <l>, --poll[=<ms>], --hot-only, --no-minify, --config <file>`;

export interface StartOptions {
  readonly sitePort: number;
  readonly siteHost: string;
  /** `http://<host>:<port>`: where the site is served. */
  readonly siteUrl: string;
  readonly playgroundPort: number;
  /** Where the site's demos find the playground. */
  readonly playgroundUrl: string;
  readonly withPlayground: boolean;
  /** docusaurus start's own flags, as typed. */
  readonly passThrough: readonly string[];
}

/** Reads `npm start`'s command line; a mistake is refused with the usage (exit code 2). */
export function readStartOptions(args: readonly string[] = process.argv.slice(2)): StartOptions {
  const { flags, passThrough, refuse } = parseCommandLine(
    {
      usage,
      positionals: false,
      flags: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'playground-port': { type: 'string' },
        'no-playground': { type: 'boolean' },
        'no-open': { type: 'boolean', passThrough: true },
        locale: { type: 'string', short: 'l', passThrough: true },
        poll: { type: 'optional', passThrough: true },
        'hot-only': { type: 'boolean', passThrough: true },
        'no-minify': { type: 'boolean', passThrough: true },
        config: { type: 'string', passThrough: true },
      },
    },
    args,
  );
  const sitePort = portFlag(refuse, 'port', flags.port, SITE_PORT, 1);
  const siteHost = flags.host ?? 'localhost';
  const playgroundPort = portFlag(refuse, 'playground-port', flags['playground-port'], PLAYGROUND_PORT, 1);
  const hostInUrl = siteHost.includes(':') ? `[${siteHost}]` : siteHost;
  return {
    sitePort,
    siteHost,
    siteUrl: `http://${hostInUrl}:${sitePort}`,
    playgroundPort,
    playgroundUrl: `http://127.0.0.1:${playgroundPort}`,
    withPlayground: flags['no-playground'] !== true,
    passThrough,
  };
}

/** The `docusaurus start` process: the site's port and host, and the playground's address in its config. */
export function siteProcess(options: StartOptions, env: NodeJS.ProcessEnv = process.env): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  return {
    command: path.join(repoRoot, 'node_modules', '.bin', 'docusaurus'),
    args: ['start', 'docs', '--port', String(options.sitePort), '--host', options.siteHost, ...options.passThrough],
    // Read by docs/docusaurus.config.ts into the site's customFields.
    env: { ...env, [PLAYGROUND_URL_VARIABLE]: options.playgroundUrl },
  };
}
