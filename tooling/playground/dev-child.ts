/**
 * One run of a learner's server exercise for `npm run dev`, in a process of its own:
 * the runner (`dev-runner.ts`) kills it and starts a new one on every save, so
 * whatever the learner's code does — throw, hang, leak — the runner survives.
 *
 * Before the learner's module is imported, Socket.IO's `Server` is taught to log:
 * every namespace it creates gets a first `connection` listener that logs the
 * socket's events in (`socket.use`), out (`onAnyOutgoing`), its acknowledgements
 * both ways and its broadcasts (the namespace's adapter). Nothing of the learner's
 * code changes; only this process's copy of the library is wrapped.
 *
 * With the Admin UI on (the runner sets `WORKBOOK_ADMIN_UI`), each Socket.IO
 * server is also instrumented with `@socket.io/admin-ui` as it is constructed
 * (see `admin-ui-instrument.ts`); its namespace is left out of the log.
 *
 * Usage (by the runner): node --import tsx dev-child.ts <module> <port> <host>
 *
 * @module
 */
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Server, type Namespace, type Socket } from 'socket.io';
import { style } from '../cli/terminal.ts';
import { ADMIN_UI_NAMESPACE, adminUiConfigFrom, instrumentForDev } from './admin-ui-instrument.ts';
import { maskAuth } from './masking.ts';

/** What the child tells the runner. */
export type ChildMessage =
  /** `adminUi`: the server is a Socket.IO server, instrumented for the Admin UI. */
  | { readonly type: 'listening'; readonly port: number; readonly startName: string; readonly adminUi: boolean }
  | { readonly type: 'failed'; readonly message: string; readonly code?: string };

const [modulePath, portText, host] = process.argv.slice(2);
const adminUi = adminUiConfigFrom(process.env);
const send = (message: ChildMessage) => process.send?.(message);

/** Tells the runner, then exits once the message is on its way (exiting at once could lose it). */
function fail(message: string, code?: string): void {
  const payload: ChildMessage = { type: 'failed', message, ...(code ? { code } : {}) };
  if (process.send) process.send(payload, () => process.exit(1));
  else process.exit(1);
}

// ---- logging -------------------------------------------------------------------

const PREVIEW = 200;

function preview(args: readonly unknown[]): string {
  const text = args
    .map((arg) => {
      if (typeof arg === 'function') return '[acknowledgement]';
      if (Buffer.isBuffer(arg) || arg instanceof ArrayBuffer) return `<${(arg as ArrayBuffer).byteLength} bytes>`;
      try {
        return JSON.stringify(arg) ?? String(arg);
      } catch {
        return String(arg);
      }
    })
    .join(' ');
  return text.length > PREVIEW ? `${text.slice(0, PREVIEW)}…` : text;
}

function log(arrow: string, nsp: string, who: string, what: string): void {
  const time = new Date().toISOString().slice(11, 23);
  console.log(`${style.dim(time)} ${arrow} ${style.dim(`[${nsp}]`)} ${who} ${what}`);
}

const IN = style.cyan('←');
const OUT = style.green('→');
const ALL = style.green('⇉');

const watchedSockets = new WeakSet<Socket>();
const watchedAdapters = new WeakSet<object>();
let sawSocketIo = false;

function watchSocket(socket: Socket): void {
  if (watchedSockets.has(socket)) return;
  watchedSockets.add(socket);
  const nsp = socket.nsp.name;
  const auth = socket.handshake.auth && Object.keys(socket.handshake.auth).length > 0 ? ` auth ${JSON.stringify(maskAuth(socket.handshake.auth))}` : '';
  log(IN, nsp, socket.id, style.bold(`connected`) + ` via ${socket.conn.transport.name}${auth}`);

  // Incoming events, before the learner's handlers: the packet array is theirs too,
  // so an acknowledgement can be wrapped to log the answer.
  socket.use((packet, next) => {
    const [event, ...args] = packet;
    const ack = args.at(-1);
    if (typeof ack === 'function') {
      packet[packet.length - 1] = (...answer: unknown[]) => {
        log(OUT, nsp, socket.id, `ack of ${String(event)}: ${preview(answer)}`);
        return ack(...answer);
      };
    }
    log(IN, nsp, socket.id, `${style.bold(String(event))} ${preview(args)}`);
    next();
  });
  socket.onAnyOutgoing((event: string, ...args: unknown[]) => log(OUT, nsp, socket.id, `${style.bold(event)} ${preview(args)}`));
  // Acknowledgements the client sends back for the server's own emits.
  const acks = (socket as unknown as { acks?: Map<number, (...args: unknown[]) => void> }).acks;
  if (acks instanceof Map) {
    const set = acks.set.bind(acks);
    acks.set = (id, fn) =>
      set(id, (...answer: unknown[]) => {
        log(IN, nsp, socket.id, `ack #${id}: ${preview(answer.filter((a) => a !== null))}`);
        return fn(...answer);
      });
  }
  socket.on('disconnect', (reason) => log(IN, nsp, socket.id, style.bold('disconnected') + ` (${reason})`));
}

/** The Admin UI's traffic is not the learner's: it is not logged. */
const isAdminUi = (nsp: Namespace) => adminUi !== undefined && nsp.name === ADMIN_UI_NAMESPACE;

function watchAdapter(nsp: Namespace): void {
  if (isAdminUi(nsp)) return;
  const adapter = nsp.adapter as unknown as { broadcast?: (packet: { data?: unknown[] }, opts: { rooms: Set<string>; except?: Set<string> }) => void };
  if (!adapter || watchedAdapters.has(adapter) || typeof adapter.broadcast !== 'function') return;
  watchedAdapters.add(adapter);
  const broadcast = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet, opts) => {
    const [event, ...args] = packet.data ?? [];
    const to = opts.rooms.size === 0 ? 'everyone' : `room${opts.rooms.size > 1 ? 's' : ''} ${[...opts.rooms].map((r) => `"${r}"`).join(', ')}`;
    const except = opts.except && opts.except.size > 0 ? ` except ${[...opts.except].join(', ')}` : '';
    log(ALL, nsp.name, `to ${to}${except}`, `${style.bold(String(event))} ${preview(args)}`);
    broadcast(packet, opts);
  };
}

function watchNamespace(nsp: Namespace): void {
  nsp.on('connection', watchSocket);
  watchAdapter(nsp);
}

const instrumented = new WeakSet<Server>();

const of = Server.prototype.of;
Server.prototype.of = function (this: Server, ...args: Parameters<typeof of>) {
  sawSocketIo = true;
  // The constructor's own of('/') comes first: early enough to set CORS for the UI.
  if (adminUi && !instrumented.has(this)) {
    instrumented.add(this);
    instrumentForDev(this, adminUi);
  }
  const nsp = of.apply(this, args);
  if (isAdminUi(nsp)) return nsp;
  watchNamespace(nsp);
  // Children of a dynamic (RegExp) namespace copy its `connection` listeners, ours
  // included, but get adapters of their own: they are announced on the main namespace.
  if (nsp.name === '/') nsp.on('new_namespace' as never, ((child: Namespace) => watchAdapter(child)) as never);
  return nsp;
} as typeof of;

// Servers that are not Socket.IO (TCP, hand-written WebSocket): connections and byte counts.
// No `data` listener is added: that would change how the learner's stream flows.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
  this.on('connection', (socket: net.Socket) => {
    if (sawSocketIo) return;
    const who = `${socket.remoteAddress}:${socket.remotePort}`;
    log(IN, 'tcp', who, style.bold('connected'));
    socket.once('close', () => log(IN, 'tcp', who, style.bold('closed') + ` after ${socket.bytesRead} bytes in, ${socket.bytesWritten} bytes out`));
  });
  return (listen as (...a: unknown[]) => net.Server).apply(this, args);
} as typeof listen;

// ---- running -------------------------------------------------------------------

interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

let running: RunningServer | undefined;

/** Options some exercises need besides where to listen, so `npm run dev` can start them. */
function extraOptions(startName: string): Record<string, unknown> {
  if (startName === 'startAuthServer') {
    const users = new Map([
      ['admin-token', { name: 'ada', role: 'admin' }],
      ['member-token', { name: 'bob', role: 'member' }],
    ]);
    console.log(style.dim(`Tokens for npm run dev: ${[...users].map(([token, user]) => `"${token}" (${user.name}, ${user.role})`).join(', ')}`));
    return { users };
  }
  return {};
}

async function main(): Promise<void> {
  if (!modulePath || !portText || !host) throw new Error('usage: dev-child.ts <module> <port> <host>');
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  } catch (error) {
    return fail(`${path.relative(process.cwd(), modulePath)} did not load: ${error instanceof Error ? error.message : String(error)}`);
  }
  const startName = Object.keys(exports).find((name) => /^start[A-Z]/.test(name) && typeof exports[name] === 'function');
  if (!startName) {
    return fail(`${modulePath} exports no start…() function: keep the exported function of the starter (e.g. startHelloServer).`);
  }
  const start = exports[startName] as (options: object) => Promise<RunningServer>;
  try {
    running = await start({ port: Number(portText), host, ...extraOptions(startName) });
  } catch (error) {
    const { message, code } = error as NodeJS.ErrnoException;
    return fail(String(message ?? error), code);
  }
  if (!running || typeof running.port !== 'number') {
    return fail(`${startName}() resolved with ${JSON.stringify(running)}, not { port, close }.`);
  }
  send({ type: 'listening', port: running.port, startName, adminUi: sawSocketIo && adminUi !== undefined });
}

/** The runner asks politely first; it kills this process if close() does not finish. */
process.on('message', (message: { type?: string }) => {
  if (message?.type !== 'stop') return;
  const closing = running?.close() ?? Promise.resolve();
  void closing.catch(() => {}).finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (error) => {
  console.error(style.red(`Your server threw: ${error.stack ?? error.message}`));
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  console.error(style.red(`Your server has an unhandled promise rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
  process.exit(1);
});

await main();
