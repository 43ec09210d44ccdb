/**
 * The rules every server exercise shares, from `exercises/types.ts`: listen on the
 * port *and the host* given, reject when that is impossible, and forget each
 * connection once it is closed. One place tests them, for every server check.
 *
 * @module
 */
import net from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { ListenOptions, RunningServer } from '../../exercises/types.ts';
import { describeValue, expectThat, fail } from './check-failure.ts';
import { exportedFunction, loadLearnerModule } from './learner-module.ts';
import { LISTEN_LIMIT_MS, startLearnerServer } from './learner-server.ts';
import { settle } from './settle.ts';
import { watchMethod } from './method-watch.ts';
import { ANSWER_MS, ARRIVAL_MS, eventually, formatMs, sleep, within } from './wait.ts';
import type { Workbench } from './workbench.ts';

/**
 * How long one open-exchange-close cycle of {@link expectForgetsClosedConnections} may take: a
 * backstop for a server that never closes its side, not a speed limit. Six cycles run at once, and
 * in a loaded grading lane (the corpus grades several checks side by side) 3 s was not enough for
 * a correct server's connect and handshake.
 */
const CYCLE_LIMIT_MS = 2 * ANSWER_MS;

/** Which server a check grades: `exercises/<exerciseId>/<file>` exports `functionName(options)`. */
export interface ServerUnderCheck {
  readonly exerciseId: string;
  readonly file: string;
  readonly functionName: string;
  /** Options the exercise needs beside port and host. */
  readonly extra?: object;
}

async function startFunction(spec: ServerUnderCheck): Promise<(options: ListenOptions) => Promise<RunningServer>> {
  const module = await loadLearnerModule<Record<string, unknown>>(spec.exerciseId, spec.file);
  return exportedFunction(module, spec.functionName, spec.exerciseId, spec.file) as (options: ListenOptions) => Promise<RunningServer>;
}

/** Whether a TCP connection to `host:port` is accepted (true) or refused (false). */
export function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect({ host, port });
    probe.once('connect', () => (probe.destroy(), resolve(true)));
    probe.once('error', () => resolve(false));
  });
}

/** A second loopback address (Linux routes all of 127/8 to `lo`); `undefined` where the system has none. */
async function secondLoopback(): Promise<string | undefined> {
  const probe = net.createServer();
  const bound = await new Promise<boolean>((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(0, '127.0.0.2', () => resolve(true));
  });
  if (!bound) return undefined;
  await new Promise((resolve) => probe.close(resolve));
  return '127.0.0.2';
}

/**
 * `options.host` is honoured: started on 127.0.0.2, the server answers there and
 * *not* on 127.0.0.1 — a server that binds every interface (or hard-codes
 * 127.0.0.1) fails. Where the system has no second loopback address, it checks
 * 127.0.0.1 against the machine's other addresses instead.
 */
export async function expectListensOnGivenHost(workbench: Workbench, spec: ServerUnderCheck): Promise<void> {
  const start = await startFunction(spec);
  const host = (await secondLoopback()) ?? '127.0.0.1';
  const accepted = watchAcceptedSockets(workbench);
  const server = await startLearnerServer(workbench, spec.functionName, start, { ...spec.extra, host });
  const other = host === '127.0.0.1' ? 'localhost' : '127.0.0.1';
  // Another server (another test's, another program's) may hold the same port number on the
  // other address, which is allowed when yours listens on its host only: what counts is
  // whether *your* server accepted the connection.
  const reachedYours = async (address: string) => {
    const before = accepted.accepted;
    return (await accepts(address, server.port)) && (await eventually(() => accepted.accepted > before, ARRIVAL_MS));
  };
  expectThat(await accepts(host, server.port), {
    did: `Called ${spec.functionName}({ port: 0, host: "${host}" }) and connected to ${host}:${server.port}`,
    expected: 'the connection to be accepted',
    actual: 'it was refused',
    hint: `Pass \`options.host\` to \`listen()\`: \`server.listen(options.port, options.host, …)\`. Hard-coding "127.0.0.1" ignores the host you are given.`,
  });
  expectThat(!(await reachedYours(other)), {
    did: `Called ${spec.functionName}({ port: 0, host: "${host}" }) and connected to ${other}:${server.port}, another address of this machine`,
    expected: `the connection to be refused: the server must listen on ${host} only`,
    actual: 'it was accepted: your server listens on every interface (0.0.0.0 or ::), reachable from the network',
    hint: '`listen(port)` without a host binds every interface. Pass `options.host` as the second argument.',
  });
}

/**
 * Port `0` means "any free port": two servers started at once on the same host both
 * listen, each on a port of its own (a server that falls back to a fixed port fails).
 */
export async function expectAnyFreePortForZero(workbench: Workbench, spec: ServerUnderCheck): Promise<void> {
  const start = await startFunction(spec);
  const [first, second] = await Promise.all([0, 1].map(() => startLearnerServer(workbench, spec.functionName, start, spec.extra)));
  expectThat(first!.port !== second!.port && (await accepts('127.0.0.1', first!.port)) && (await accepts('127.0.0.1', second!.port)), {
    did: `Started two servers at once with ${spec.functionName}({ port: 0, host: "127.0.0.1" })`,
    expected: 'each to listen on a port of its own, chosen by the system',
    actual: `they reported ports ${first!.port} and ${second!.port}`,
    hint: 'Pass `options.port` to `listen()` as it is: `0` asks the system for any free port. Then read the real one from `server.address().port`.',
  });
}

/**
 * A port that is taken makes the start function *reject* (with `EADDRINUSE`), within
 * the listen limit — not hang, not crash the process with an unhandled `error` event.
 */
export async function expectRejectsTakenPort(workbench: Workbench, spec: ServerUnderCheck): Promise<void> {
  const start = await startFunction(spec);
  const squatter = net.createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  workbench.defer('the server that holds the port', () => new Promise((resolve) => squatter.close(resolve)));
  const { port } = squatter.address() as net.AddressInfo;
  const options = { ...spec.extra, port, host: '127.0.0.1' };
  const call = `${spec.functionName}(${describeValue(options)}) while port ${port} was already taken by another server`;
  const outcome = await settle(Promise.resolve().then(() => start(options)), LISTEN_LIMIT_MS, () => ({
    did: `Called ${call}`,
    expected: `the promise to reject with the listen error (EADDRINUSE) within ${formatMs(LISTEN_LIMIT_MS)}`,
    actual: 'it never settled: a learner waiting on it would wait forever',
    hint: 'Listen for the server\'s `error` event while it starts, and reject with it: `server.once("error", reject)` before `listen()`.',
  }));
  if (outcome.ok) {
    // It claims to run: close it like any server, then say why that is wrong.
    const running = outcome.value as Partial<RunningServer> | undefined;
    if (typeof running?.close === 'function') workbench.defer('the server that claimed to listen', () => running.close!());
    fail({
      did: `Called ${call}`,
      expected: 'the promise to reject with the listen error (EADDRINUSE)',
      actual: `it resolved with ${describeValue(running)}, as if it listened`,
      hint: 'Resolve only in the `listen()` callback, and reject on the server\'s `error` event.',
    });
  }
  const error = outcome.error as { code?: unknown } | undefined;
  expectThat(error?.code === 'EADDRINUSE', {
    did: `Called ${call}`,
    expected: 'it to reject with the listen error itself (code EADDRINUSE)',
    actual: `it rejected with ${describeValue(outcome.error, 200)}`,
    hint: 'Reject with the error the server emitted, unchanged, so the caller can read `error.code`.',
  });
}

/** Forces a full garbage collection in this thread (V8's `gc`, exposed at run time). */
function collectGarbage(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** What {@link watchAcceptedSockets} sees. */
export interface AcceptedSockets {
  readonly accepted: number;
  /** The server-side sockets still in memory, newest last: for a check that must see what the server saw. */
  live(): net.Socket[];
  stillHeld(): Promise<number>;
}

/**
 * Resets `client`'s connection (RST) the way a crashed peer or a dropped network does, and
 * resolves once the server has seen it — so that an error the server does not catch is
 * thrown while the test still runs (a fixed pause let a loaded machine end the test first).
 *
 * The reset waits until the server has read every byte the client wrote: a reset that
 * finds unread bytes can reach Node as an end of stream, not as the ECONNRESET error a
 * server must survive. Neither wait gives a verdict; the test's own assertions do.
 */
export async function resetOnceServerRead(accepted: AcceptedSockets, client: net.Socket): Promise<void> {
  const serverSide = () => accepted.live().find((socket) => socket.remotePort === client.localPort);
  await eventually(() => (serverSide()?.bytesRead ?? -1) >= client.bytesWritten, ANSWER_MS);
  const seen = serverSide();
  client.resetAndDestroy();
  await eventually(() => seen === undefined || seen.destroyed || seen.readableEnded, ANSWER_MS);
}

/**
 * Watches the server-side socket of every connection a server accepts from now on,
 * without keeping any alive (WeakRefs), so a check can ask later whether the server
 * still holds connections that closed — a `Set` never pruned on `close`, which in a
 * real server grows until it runs out of memory.
 */
export function watchAcceptedSockets(workbench: Workbench): AcceptedSockets {
  const refs: WeakRef<net.Socket>[] = [];
  watchMethod(workbench, net.Server.prototype, 'emit', (_server, [event, socket]) => {
    if (event === 'connection' && socket instanceof net.Socket) refs.push(new WeakRef(socket));
  });
  const gc = collectGarbage();
  return {
    get accepted() {
      return refs.length;
    },
    live() {
      return refs.flatMap((ref) => ref.deref() ?? []);
    },
    async stillHeld() {
      // A WeakRef is kept alive until the end of the job that made or read it: collect across macrotasks.
      for (let round = 0; round < 3; round++) {
        gc();
        await sleep(10);
      }
      return refs.filter((ref) => ref.deref()?.destroyed === true).length;
    },
  };
}

/**
 * A server forgets each connection once it closes: `openAndClose(port)` opens one
 * connection the way the exercise's clients do and closes it; after `rounds` (even) of them,
 * none of the server-side sockets may still be reachable.
 */
export async function expectForgetsClosedConnections(
  workbench: Workbench,
  spec: ServerUnderCheck,
  openAndClose: (port: number) => Promise<void>,
  rounds = 12,
): Promise<void> {
  const watcher = watchAcceptedSockets(workbench);
  const start = await startFunction(spec);
  const server = await startLearnerServer(workbench, spec.functionName, start, spec.extra);
  // Two waves of connections, each opened and closed all at once.
  const openAndCloseOne = () =>
    within(openAndClose(server.port), CYCLE_LIMIT_MS, () => ({
      did: 'Opened a connection, exchanged a message, and closed it',
      expected: `the connection to be closed within ${formatMs(CYCLE_LIMIT_MS)}`,
      actual: 'it had not finished',
      hint: 'The client waits for your server to close its side: end or destroy a socket whose client ended or reset it (Node does it for you unless the server allows half-open connections, as an HTTP server does).',
    }));
  for (let wave = 0; wave < 2; wave++) await Promise.all(Array.from({ length: rounds / 2 }, openAndCloseOne));
  // The server sees each close a moment after the client does.
  await sleep(50);
  const held = await watcher.stillHeld();
  expectThat(held === 0, {
    did: `Opened and closed ${rounds} connections, then let the garbage collector run`,
    expected: 'the server to keep nothing of a connection once it closed',
    actual: `it still holds ${held} of the ${watcher.accepted} closed connections (a Set or array that only grows?)`,
    hint: 'Remove each socket from your collection when it closes: `socket.on("close", () => sockets.delete(socket))`. A long-running server would otherwise run out of memory.',
  });
}
