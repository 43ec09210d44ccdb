/**
 * `npm start` — the whole workbook: the site (`docusaurus start docs`, on
 * http://localhost:3000) and the playground its live demos talk to (on
 * http://127.0.0.1:3210), started together and stopped together with Ctrl-C.
 *
 *     npm start
 *     npm start -- --port 3001              the site on another port
 *     npm start -- --playground-port 4000   the playground on another port (the site is told)
 *     npm start -- --no-open                docusaurus start's own flags are passed on
 *
 * @module
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { inspectorUrl, describePlayground } from '../playground/banner.ts';
import { describeListenError } from '../playground/listen-errors.ts';
import { originsFromEnvironment, siteOrigins } from '../playground/origins.ts';
import { PLAYGROUND_PORT, startPlayground, type Playground } from '../playground/server.ts';
import { repoRoot } from '../course/paths.ts';
import { readStartOptions, siteProcess } from './start-options.ts';
import { exitWith, style } from './terminal.ts';

/** Whether something already listens on `port`: try to listen there ourselves, briefly. */
function portInUse(port: number, host: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    probe.listen(port, host, () => probe.close(() => resolve(undefined)));
  });
}

/** A playground already running there (e.g. `npm run playground` in another terminal) can serve the site. */
async function isPlayground(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/playground/health`, { signal: AbortSignal.timeout(1000) });
    return ((await response.json()) as { name?: string }).name === 'socket-workbook-playground';
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const options = readStartOptions();
  const { sitePort, siteHost, playgroundPort } = options;

  const siteBusy = await portInUse(sitePort, siteHost);
  if (siteBusy) {
    const line = describeListenError(siteBusy, 'The site', siteHost, sitePort, `npm start -- --port ${sitePort + 1}`);
    exitWith(line ?? `The site cannot start on ${siteHost}:${sitePort}: ${siteBusy.message}`, 1);
  }

  let playground: Playground | undefined;
  if (options.withPlayground) {
    const origins = [...siteOrigins(sitePort), ...originsFromEnvironment()];
    try {
      playground = await startPlayground({ port: playgroundPort, allowedOrigins: origins });
      console.log(describePlayground(playground, origins, inspectorUrl(options.siteUrl, playground.url, true)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && (await isPlayground(playgroundPort))) {
        console.log(style.dim(`A playground is already running on port ${playgroundPort}: the site will use it.`));
      } else {
        const retry = `npm start -- --playground-port ${playgroundPort === PLAYGROUND_PORT ? 4000 : PLAYGROUND_PORT}`;
        const line = describeListenError(error, 'The playground', '127.0.0.1', playgroundPort, retry);
        if (!line) throw error;
        exitWith(line, 1);
      }
    }
  }

  console.log(style.bold(`Starting the site on ${options.siteUrl} …`) + style.dim(' (Ctrl-C stops the site and the playground)'));
  const command = siteProcess(options);
  const site = spawn(command.command, command.args, { cwd: repoRoot, env: command.env, stdio: 'inherit' });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await playground?.close();
    if (site.exitCode === null && site.signalCode === null) {
      // Ctrl-C in a terminal reaches the site too; a SIGTERM from elsewhere does not.
      site.kill('SIGINT');
      const killer = setTimeout(() => site.kill('SIGKILL'), 5000);
      await new Promise((resolve) => site.once('exit', resolve));
      clearTimeout(killer);
    }
    process.exit(code);
  };
  site.on('error', (error) => {
    console.error(style.red(`The site could not start: ${error.message}. Did npm install finish?`));
    void stop(1);
  });
  site.on('exit', (code, signal) => {
    if (!stopping) {
      if (code !== 0 && signal === null) console.error(style.red(`The site stopped (exit code ${code}); the playground stops too.`));
      void stop(code ?? 0);
    }
  });
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
}

await main();
