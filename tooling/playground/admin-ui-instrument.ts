/**
 * The learner's side of the Admin UI in `npm run dev`: `instrument(io, …)` from
 * `@socket.io/admin-ui`, set up as its documentation says for a development tool —
 * basic authentication against a bcrypt hash, `mode: "development"` (every socket,
 * room and event is reported), and CORS that lets the UI's own origin in, and
 * nothing else. Runs inside `dev-child.ts`, which finds the learner's `io`.
 *
 * @module
 */
import { instrument } from '@socket.io/admin-ui';
import type { Server, ServerOptions } from 'socket.io';

/** The namespace the UI logs into. Not `/admin`: the namespaces exercise has one of its own. */
export const ADMIN_UI_NAMESPACE = '/workbook-admin-ui';

/** The environment variable through which the runner hands the child its {@link AdminUiConfig}. */
export const ADMIN_UI_ENV = 'WORKBOOK_ADMIN_UI';

/** What the child needs to instrument a server: no plain password, only its hash. */
export interface AdminUiConfig {
  /** Where the UI is served, e.g. `http://127.0.0.1:3301`: the one origin CORS lets in for it. */
  readonly origin: string;
  readonly username: string;
  /** bcrypt hash of the password (`$2a$…`). */
  readonly passwordHash: string;
}

/** The config the runner passed, or `undefined` when the Admin UI is off. */
export function adminUiConfigFrom(env: NodeJS.ProcessEnv): AdminUiConfig | undefined {
  const text = env[ADMIN_UI_ENV];
  if (!text) return undefined;
  const config = JSON.parse(text) as Partial<AdminUiConfig>;
  if (typeof config.origin !== 'string' || typeof config.username !== 'string' || typeof config.passwordHash !== 'string') {
    throw new Error(`${ADMIN_UI_ENV} must be JSON with origin, username and passwordHash.`);
  }
  return config as AdminUiConfig;
}

type Cors = NonNullable<ServerOptions['cors']>;
type CorsDelegate = Extract<Cors, (...args: never[]) => unknown>;

/**
 * CORS for a server watched by the Admin UI: a request from the UI's origin is
 * allowed, with credentials (the UI connects `withCredentials`); every other
 * request gets exactly what the learner's own `cors` option gave it — nothing,
 * when they set none.
 */
export function corsAllowingAdminUi(learnerCors: ServerOptions['cors'], uiOrigin: string): CorsDelegate {
  return (request, callback) => {
    if (request.headers.origin === uiOrigin) return callback(null, { origin: uiOrigin, credentials: true });
    if (typeof learnerCors === 'function') return learnerCors(request, callback);
    // `origin: false` makes the cors middleware add no header at all.
    callback(null, learnerCors ?? { origin: false });
  };
}

/**
 * Prepares a Socket.IO server being constructed (called from the first `io.of('/')`,
 * before the constructor attaches the engine, which reads `opts.cors`), then
 * instruments it once the constructor is done.
 */
export function instrumentForDev(io: Server, config: AdminUiConfig): void {
  const internal = io as unknown as { opts: Partial<ServerOptions> };
  internal.opts = { ...internal.opts, cors: corsAllowingAdminUi(internal.opts.cors, config.origin) };
  // `instrument` needs the finished server (it reads `io._nsps`, `io.engine`): after the constructor returns.
  queueMicrotask(() =>
    instrument(io, {
      auth: { type: 'basic', username: config.username, password: config.passwordHash },
      mode: 'development',
      namespaceName: ADMIN_UI_NAMESPACE,
    }),
  );
}
