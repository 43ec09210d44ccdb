/**
 * `npm run dev -- <id>` — run an exercise by hand.
 *
 * A server exercise is started on a fixed port (3300) on 127.0.0.1, every event in
 * and out is logged, and it restarts each time you save a file of the exercise.
 * A Socket.IO server is also watched by the official Socket.IO Admin UI, served
 * on 127.0.0.1:3390 behind a password printed once. A client exercise is
 * explained: run it against the playground.
 *
 *     npm run dev -- hello-socketio                    your server, on http://127.0.0.1:3300
 *     npm run dev -- hello-socketio --port 4000        another port
 *     npm run dev -- hello-socketio --admin-port 4001  the Admin UI on another port
 *     npm run dev -- hello-socketio --solutions        the reference solution instead
 *
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { course } from '../../exercises/manifest.ts';
import type { ExerciseSpec } from '../course/define.ts';
import { findExercise, UnknownExerciseError } from '../course/lookup.ts';
import { folders, fromRoot } from '../course/paths.ts';
import { ADMIN_UI_ENV, ADMIN_UI_NAMESPACE, type AdminUiConfig } from '../playground/admin-ui-instrument.ts';
import { createAdminCredentials, serveAdminUi, type AdminCredentials, type AdminUiServer } from '../playground/admin-ui-server.ts';
import { DevRunner, type DevEvent } from '../playground/dev-runner.ts';
import { describeListenError } from '../playground/listen-errors.ts';
import { PLAYGROUND_PORT } from '../playground/server.ts';
import { exitWith, style } from './terminal.ts';

/** The documented port of `npm run dev`. */
export const DEV_PORT = 3300;
/** Where `npm run dev` serves the Socket.IO Admin UI (not 3301: that is the retry port suggested for 3300). */
export const ADMIN_UI_PORT = 3390;

const usage = `Usage: npm run dev -- <id or number> [--port <n>] [--host <address>] [--admin-port <n>] [--solutions]

  <id|number>       the exercise to run
  --port <n>        listen on this port (default ${DEV_PORT})
  --host <address>  listen on this address (default 127.0.0.1: this machine only)
  --admin-port <n>  serve the Socket.IO Admin UI on this port (default ${ADMIN_UI_PORT}; 0 with --port 0)
  --solutions       run the reference solution instead of your file
  --root <folder>   run the exercise from another folder laid out like exercises/
  --help, -h        show this`;

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'admin-port': { type: 'string' },
        solutions: { type: 'boolean' },
        root: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return exitWith(`${(error as Error).message}\n\n${usage}`);
  }
}

/** Exercises of the TCP and WebSocket lessons speak their own protocols; the others are Socket.IO servers. */
function speaksSocketIo(exercise: ExerciseSpec): boolean {
  return exercise.lesson !== 'tcp' && exercise.lesson !== 'websocket';
}

/** How to try a running server by hand, by what it speaks. */
function howToPoke(exercise: ExerciseSpec, url: string): string {
  const port = new URL(url).port;
  if (exercise.lesson === 'tcp') {
    return `  Talk to it from another terminal: ${style.cyan(`nc 127.0.0.1 ${port}`)} (type a line, press Enter; Ctrl-D half-closes).`;
  }
  if (!speaksSocketIo(exercise)) {
    return `  Talk to it from another terminal:\n    ${style.cyan(`node -e "const ws = new (require('ws'))('ws://127.0.0.1:${port}'); ws.on('open', () => ws.send('hello')); ws.on('message', (m) => { console.log(String(m)); ws.close(); })"`)}`;
  }
  const session = new URLSearchParams({ url, options: JSON.stringify({ transports: ['websocket'] }), listen: '*' });
  return [
    `  Poke it with the Socket Inspector (the site must be running: ${style.cyan('npm start')}):`,
    `    ${style.cyan(`http://localhost:3000/inspector#${session}`)}`,
    style.dim('    (WebSocket only: your server sends no CORS headers, and browsers apply CORS to long-polling, not to WebSocket.)'),
    `  or from a terminal:`,
    `    ${style.cyan(`node -e "const s = require('socket.io-client').io('${url}'); s.onAny((e, ...a) => console.log(e, ...a)); s.on('connect', () => console.log('connected', s.id))"`)}`,
  ].join('\n');
}

function explainClient(exercise: ExerciseSpec, root: string): void {
  const file = path.join(root, exercise.id, exercise.files[0]);
  const source = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const functions = [...source.matchAll(/export\s+(?:async\s+)?function\s+(\w+)/g)].map((m) => m[1]!);
  const shown = fromRoot(file);
  const playground = `http://127.0.0.1:${PLAYGROUND_PORT}`;
  const example =
    functions[0] === 'askServer'
      ? `node --import tsx -e "import { askServer } from './${shown}'; console.log(await askServer('${playground}', 'echo', 'hi'))"`
      : `node --import tsx -e "import * as m from './${shown}'; console.log(Object.keys(m))"`;
  console.log(
    [
      style.bold(`${exercise.id} is a client exercise: there is no server of yours to start.`),
      `Run your client against the playground, a server made for trying things:`,
      `  1. In another terminal: ${style.cyan('npm run playground')} (or ${style.cyan('npm start')}, which also starts the site).`,
      `  2. Call your code${functions.length ? ` (${shown} exports ${functions.join(', ')})` : ''}:`,
      `       ${style.cyan(example)}`,
      `The playground at ${playground} acknowledges "echo" with { echo, at }, relays "broadcast", and has rooms (room:join, room:message) and a clock (clock:subscribe).`,
      `Grade it with ${style.cyan(`npm run check -- ${exercise.id}`)}.`,
    ].join('\n'),
  );
}

interface AdminUi {
  readonly server: AdminUiServer;
  readonly credentials: AdminCredentials;
  /** What the runner hands the child, so it instruments the learner's io. */
  readonly env: Record<string, string>;
}

/** Hosts the UI may talk to: this machine only, and names its Content-Security-Policy can express (not [::1]). */
const adminUiHosts = new Set(['127.0.0.1', 'localhost']);

/** Serves the Admin UI for a Socket.IO exercise, or says why not (the learner's server runs either way). */
async function startAdminUi(host: string, port: number, retry: string): Promise<AdminUi | undefined> {
  if (!adminUiHosts.has(host)) {
    console.log(style.dim(`  No Socket.IO Admin UI this time: it is offered to servers on 127.0.0.1 or localhost (this machine only), and yours listens on ${host}.`));
    return undefined;
  }
  let server: AdminUiServer;
  try {
    server = await serveAdminUi({ host: '127.0.0.1', port });
  } catch (error) {
    const why = describeListenError(error, 'The Socket.IO Admin UI', '127.0.0.1', port, retry) ?? `The Socket.IO Admin UI did not start: ${(error as Error).message}`;
    console.log(style.yellow(`  ${why} (Your server runs without it.)`));
    return undefined;
  }
  const credentials = await createAdminCredentials();
  const config: AdminUiConfig = { origin: server.url, username: credentials.username, passwordHash: credentials.passwordHash };
  return { server, credentials, env: { [ADMIN_UI_ENV]: JSON.stringify(config) } };
}

/** The login, in full the first time the server listens; a reminder after each restart. */
function describeAdminUi(admin: AdminUi, serverUrl: string, first: boolean): string {
  if (!first) return style.dim(`  Socket.IO Admin UI: ${admin.server.url} (it reconnects by itself; same password as above).`);
  return [
    `  Watch its sockets, rooms and events live in the Socket.IO Admin UI: ${style.cyan(admin.server.url)}`,
    `    log in with server URL ${style.cyan(serverUrl)}, username ${style.cyan(admin.credentials.username)}, password ${style.cyan(admin.credentials.password)}`,
    style.dim(`    (a new password each time you start npm run dev, shown only here; the UI's namespace is ${ADMIN_UI_NAMESPACE}, already set)`),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parse();
  if (values.help) return console.log(usage);
  if (positionals.length !== 1) exitWith(`Name one exercise to run.\n\n${usage}`);
  let exercise: ExerciseSpec;
  try {
    exercise = findExercise(course, positionals[0]!);
  } catch (error) {
    if (error instanceof UnknownExerciseError) return exitWith(error.message);
    throw error;
  }
  const root = values.root ? path.resolve(values.root) : values.solutions ? folders.solutions : folders.exercises;
  const port = values.port === undefined ? DEV_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) exitWith(`--port must be a port number (0 to 65535), not "${values.port}".\n\n${usage}`);
  const host = values.host ?? '127.0.0.1';
  const adminPort = values['admin-port'] === undefined ? (port === 0 ? 0 : ADMIN_UI_PORT) : Number(values['admin-port']);
  if (!Number.isInteger(adminPort) || adminPort < 0 || adminPort > 65535) exitWith(`--admin-port must be a port number (0 to 65535), not "${values['admin-port']}".\n\n${usage}`);

  if (exercise.kind === 'client') return explainClient(exercise, root);
  if (exercise.kind === 'library') {
    console.log(`${exercise.id} is a library: functions to call, not a server to run. Try them in a script, and grade them with ${style.cyan(`npm run check -- ${exercise.id}`)}.`);
    return;
  }

  const watchDir = path.join(root, exercise.id);
  const modulePath = exercise.files.map((file) => path.join(watchDir, file)).find((file) => /export\s+(?:async\s+)?function\s+start[A-Z]/.test(readOrEmpty(file)));
  if (!modulePath) exitWith(`None of ${exercise.files.map((f) => fromRoot(path.join(watchDir, f))).join(', ')} exports a start…() function to run. Put the starter back with npm run reset -- ${exercise.id}.`);
  const shown = fromRoot(modulePath);
  const retry = `npm run dev -- ${exercise.id} --port ${port === DEV_PORT ? DEV_PORT + 1 : DEV_PORT}`;
  console.log(style.bold(`npm run dev — ${exercise.id}: ${exercise.title}`) + style.dim(` (${shown})`));
  const admin = speaksSocketIo(exercise) ? await startAdminUi(host, adminPort, `npm run dev -- ${exercise.id} --admin-port ${adminPort === ADMIN_UI_PORT ? ADMIN_UI_PORT + 1 : ADMIN_UI_PORT}`) : undefined;
  let adminShown = false;

  const onEvent = (event: DevEvent) => {
    switch (event.type) {
      case 'starting':
        if (event.restart) console.log(style.yellow(`\n↻ ${event.changed.length ? event.changed.join(', ') : 'a file'} changed: restarting your server…`));
        return;
      case 'listening': {
        const address = `${host.includes(':') ? `[${host}]` : host}:${event.port}`;
        const url = `http://${address}`;
        const logged = exercise.lesson === 'tcp' ? 'connections are logged below' : `events in (${style.cyan('←')}) and out (${style.green('→')}) are logged below`;
        console.log(style.green(`✔ ${event.startName} is listening on ${exercise.lesson === 'tcp' ? address : url}`) + ` — ${logged}.`);
        console.log(howToPoke(exercise, url));
        if (admin && event.adminUi) {
          console.log(describeAdminUi(admin, url, !adminShown));
          adminShown = true;
        }
        console.log(style.dim(`  Save a file in ${fromRoot(watchDir)}/ to restart it. Ctrl-C stops it.`));
        return;
      }
      case 'failed': {
        const busy = describeListenError({ code: event.code }, 'Your server', host, port, retry);
        console.log(style.red(`✘ ${busy ?? `Your server did not start: ${event.message}`}`));
        console.log(style.dim(`  Fix it and save: it restarts on save. (Ctrl-C stops npm run dev.)`));
        return;
      }
      case 'slow':
        console.log(style.yellow(`… still not listening after ${event.ms / 1000} s. Does your start function resolve once the server listens (in listen's callback)? Save to try again.`));
        return;
      case 'exited':
        console.log(style.red(`✘ Your server stopped (${event.signal ? `signal ${event.signal}` : `exit code ${event.code}`}). Fix it and save: it restarts on save.`));
        return;
      case 'killed':
        console.log(style.yellow('  Your server did not close within 1.5 s (an endless loop, or close() that never resolves?): it was killed.'));
        return;
    }
  };

  const runner = new DevRunner({ modulePath, watchDir, port, host, onEvent, ...(admin ? { env: admin.env } : {}) });
  runner.start();
  let stopping = false;
  const stop = () => {
    if (stopping) return process.exit(130);
    stopping = true;
    void runner
      .close()
      .then(() => admin?.server.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

await main();
