/**
 * Starting and stopping a server the learner wrote: on port 0 and 127.0.0.1,
 * with bounded waits, and a teardown that holds the learner's `close()` to its word.
 *
 * @module
 */
import type { ListenOptions, RunningServer } from '../../exercises/types.ts';
import { describeValue, fail } from './check-failure.ts';
import { exportedFunction, loadLearnerModule } from './learner-module.ts';
import { formatMs, within } from './wait.ts';
import { CLOSE_LIMIT_MS, type Workbench } from './workbench.ts';

/** How long a server may take to start listening. */
export const LISTEN_LIMIT_MS = 2000;

/** The options every check starts a learner's server with: any free port, loopback only. */
export const EPHEMERAL: ListenOptions = { port: 0, host: '127.0.0.1' };

/**
 * Calls the learner's `start` function (named `name` in messages) with
 * {@link EPHEMERAL} plus `extra` options, and checks that it resolves to a
 * {@link RunningServer} within the limit. The workbench closes it.
 */
export async function startLearnerServer<Extra extends object = object>(
  workbench: Workbench,
  name: string,
  start: (options: ListenOptions & Extra) => Promise<RunningServer>,
  extra?: Extra,
): Promise<RunningServer> {
  const options = { ...EPHEMERAL, ...extra } as ListenOptions & Extra;
  const call = `${name}(${describeValue(options)})`;
  let server: unknown;
  try {
    server = await within(Promise.resolve().then(() => start(options)), LISTEN_LIMIT_MS, () => ({
      did: `Called ${call}`,
      expected: `it to resolve once the server listens, within ${formatMs(LISTEN_LIMIT_MS)}`,
      actual: 'it had not resolved',
      hint: 'Resolve the promise in the callback of `listen()` (or on its `listening` event). Did you call `listen()` at all?',
    }));
  } catch (error) {
    if (error instanceof Error && error.name === 'CheckFailure') throw error;
    fail({
      did: `Called ${call}`,
      expected: 'it to start a server',
      actual: `it threw ${describeValue(error, 300)}`,
    });
  }
  const running = server as Partial<RunningServer> | null;
  if (typeof running?.port !== 'number' || running.port <= 0 || typeof running.close !== 'function') {
    fail({
      did: `Called ${call}`,
      expected: 'an object `{ port, close }` with the port the server really listens on',
      actual: describeValue(server),
      hint: 'Read the real port from `server.address().port` after listening: the check asked for port 0, meaning "any free port".',
    });
  }
  const { port, close } = running as RunningServer;
  // A check may close the server itself; teardown then waits on the same promise instead of closing twice.
  let closing: Promise<void> | undefined;
  const closeOnce = (): Promise<void> => (closing ??= Promise.resolve().then(() => close.call(running)));
  workbench.deferLearnerClose(
    'your server',
    closeOnce,
    () => ({
      did: `Called close() on the server from ${name}()`,
      expected: `it to resolve within ${formatMs(CLOSE_LIMIT_MS)}`,
      actual: 'it had not resolved',
      hint: '`server.close()` waits for every open connection to end: close (or destroy) the connections you track first.',
    }),
    'Stop everything the server started: destroy open connections, clear timers and intervals, close the listening socket.',
  );
  return { port, close: closeOnce };
}

/** A learner's server that listens, with the URL a client connects to. */
export interface StartedServer extends RunningServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
}

/**
 * The usual first step of a server check, in one call: loads
 * `exercises/<exerciseId>/<file>`, finds the exported `functionName`, and starts the
 * server with {@link startLearnerServer} (passing `extra` options beside port and host).
 */
export async function startExerciseServer(
  workbench: Workbench,
  exerciseId: string,
  file: string,
  functionName: string,
  extra: object = {},
): Promise<StartedServer> {
  const module = await loadLearnerModule<Record<string, unknown>>(exerciseId, file);
  const start = exportedFunction(module, functionName, exerciseId, file) as (options: ListenOptions) => Promise<RunningServer>;
  const server = await startLearnerServer(workbench, functionName, start, extra);
  return { ...server, url: `http://127.0.0.1:${server.port}` };
}
