/**
 * The Socket.IO Admin UI in `npm run dev`: the learner's own server instrumented
 * with `@socket.io/admin-ui`, its UI served from this machine, protected as its
 * docs say. Logged into with a real socket.io-client, as the UI does.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { ADMIN_UI_NAMESPACE, corsAllowingAdminUi } from '../../tooling/playground/admin-ui-instrument.ts';
import { localIndexHtml } from '../../tooling/playground/admin-ui-server.ts';
import { dev, scratchSolution, type Dev } from './dev-process.ts';
import { client, closeAfterTest, connected, next } from './support.ts';

interface Login {
  readonly uiUrl: string;
  readonly serverUrl: string;
  readonly username: string;
  readonly password: string;
}

/** The login `npm run dev` prints once its server listens. */
async function loginOf(run: Dev): Promise<Login> {
  const line = await run.waitFor(/Admin UI: \S+\n\s+log in with server URL \S+, username \S+, password \S+/);
  const [, uiUrl, serverUrl, username, password] = /Admin UI: (\S+)\n\s+log in with server URL (\S+), username (\S+), password (\S+)/.exec(line)!;
  return { uiUrl: uiUrl!, serverUrl: serverUrl!, username: username!, password: password! };
}

/** A GET with an Origin header (fetch may not set one), resolving with status and headers. */
function getWithOrigin(url: string, origin: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { origin } }, (response) => {
      response.resume();
      resolve(response);
    });
    request.setTimeout(5000, () => request.destroy(new Error(`no answer from ${url} within 5 s`)));
    request.on('error', reject);
  });
}

async function get(url: string): Promise<{ status: number; type: string | null; csp: string | null; body: string }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), csp: response.headers.get('content-security-policy'), body: await response.text() };
}

/** The next `event` with all its arguments (the Admin UI's events carry several). */
function nextArgs(socket: { once(event: string, fn: (...args: unknown[]) => void): unknown }, event: string, ms = 5000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the admin namespace sent no "${event}" within ${ms} ms`)), ms);
    socket.once(event, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

describe('npm run dev with the Socket.IO Admin UI', () => {
  test("the admin namespace sees the learner's sockets and events, for the printed password only", async () => {
    const run = dev('hello-socketio', '--solutions', '--port', '0');
    const port = await run.listening();
    const login = await loginOf(run);
    expect(login.serverUrl).toBe(`http://127.0.0.1:${port}`);
    expect(login.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(login.username).toBe('admin');
    expect(login.password).toMatch(/^[a-z2-9]{12}$/);

    const learner = client(login.serverUrl, { transports: ['websocket'] });
    await connected(learner);

    const admin = client(`${login.serverUrl}${ADMIN_UI_NAMESPACE}`, { auth: { username: login.username, password: login.password } });
    const allSockets = next<Array<{ id: string; nsp: string }>>(admin, 'all_sockets', 5000);
    const config = next<{ supportedFeatures: string[] }>(admin, 'config', 5000);
    await connected(admin, 5000);
    expect((await allSockets).map(({ nsp, id }) => `${nsp} ${id}`)).toContain(`/ ${learner.id}`);
    // mode "development": every event is reported, not only counts.
    expect((await config).supportedFeatures).toContain('ALL_EVENTS');

    const announced = nextArgs(admin, 'socket_connected');
    const second = client(login.serverUrl, { transports: ['websocket'] });
    await connected(second);
    expect((await announced)[0]).toMatchObject({ id: second.id, nsp: '/' });

    const received = nextArgs(admin, 'event_received');
    expect(await second.timeout(2000).emitWithAck('ping', 41)).toBe(42);
    expect((await received).slice(0, 3)).toEqual(['/', second.id, ['ping', 41]]);

    for (const auth of [{ username: login.username, password: 'not-the-password' }, { username: 'root', password: login.password }, {}]) {
      const intruder = client(`${login.serverUrl}${ADMIN_UI_NAMESPACE}`, { auth });
      await expect(connected(intruder, 5000), JSON.stringify(auth)).rejects.toThrow('invalid credentials');
    }

    // The Admin UI's own traffic is not the learner's: the log leaves it out.
    expect(run.output()).not.toContain(`[${ADMIN_UI_NAMESPACE}]`);
    expect(run.output()).toContain(`← [/] ${second.id} ping 41`);
  });

  test("the learner's server lets the UI's origin in by CORS, and no other", async () => {
    const run = dev('hello-socketio', '--solutions', '--port', '0');
    const port = await run.listening();
    const login = await loginOf(run);
    const polling = `http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`;

    const fromUi = await getWithOrigin(polling, login.uiUrl);
    expect(fromUi.statusCode).toBe(200);
    expect(fromUi.headers['access-control-allow-origin']).toBe(login.uiUrl);
    expect(fromUi.headers['access-control-allow-credentials']).toBe('true');
    for (const origin of ['http://localhost:3000', 'http://evil.example', login.uiUrl.replace(/:\d+$/, ':1')]) {
      const other = await getWithOrigin(polling, origin);
      expect(other.headers['access-control-allow-origin'], origin).toBeUndefined();
    }
  });

  test('serves the UI the package ships on 127.0.0.1, with nothing to fetch from the Internet', async () => {
    const run = dev('hello-socketio', '--solutions', '--port', '0');
    await run.listening();
    const { uiUrl } = await loginOf(run);

    const page = await get(`${uiUrl}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Socket.IO Admin UI</title>');
    expect(page.body).not.toMatch(/(?:href|src)="https?:/);
    expect(page.csp).toContain("default-src 'self'");
    for (const asset of [...page.body.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => match[1]!)) {
      expect((await get(`${uiUrl}/${asset}`)).status, asset).toBe(200);
    }
    expect((await get(`${uiUrl}/workbook-settings.js`)).body).toContain(JSON.stringify(ADMIN_UI_NAMESPACE));
    const icons = await get(`${uiUrl}/mdi/css/materialdesignicons.min.css`);
    const font = /url\("?\.\.\/fonts\/([^")?]+\.woff2)/.exec(icons.body)?.[1];
    expect(font, 'the icon stylesheet names its woff2 font').toBeDefined();
    expect((await get(`${uiUrl}/mdi/fonts/${font}`)).type).toBe('font/woff2');
    for (const outside of ['/../package.json', '/%2e%2e/%2e%2e/package.json', '/mdi/../../package.json', '/nothing.js']) {
      expect((await get(`${uiUrl}${outside}`)).status, outside).toBe(404);
    }
  });

  test('prints the password once, and a reminder after each restart', async () => {
    const { root, file, solution } = scratchSolution('hello-socketio');
    const run = dev('hello-socketio', '--root', root, '--port', '0');
    await run.listening();
    const { password, uiUrl } = await loginOf(run);
    const mark = run.output().length;
    fs.writeFileSync(file, solution.replace('Hello from Socket.IO!', 'Hello again!'));
    await run.waitFor(/changed: restarting/, mark);
    await run.listening(mark);
    expect(await run.waitFor(/Socket\.IO Admin UI: \S+ \(it reconnects by itself; same password as above\)/, mark)).toContain(uiUrl);
    expect(run.output().split(password).length - 1).toBe(1);
  });

  test('exercises that are not Socket.IO servers get no Admin UI, nor a server beyond this machine', async () => {
    const tcp = dev('tcp-echo', '--solutions', '--port', '0');
    await tcp.waitFor(/is listening on 127\.0\.0\.1:\d+/);
    expect(tcp.output()).not.toContain('Admin UI');

    // 127.0.0.2 is this machine too, but not an address the Admin UI is offered on.
    const elsewhere = dev('hello-socketio', '--solutions', '--port', '0', '--host', '127.0.0.2');
    await elsewhere.waitFor(/is listening on http:\/\/127\.0\.0\.2:\d+/);
    await elsewhere.waitFor(/No Socket\.IO Admin UI this time/);
    expect(elsewhere.output()).toContain('No Socket.IO Admin UI this time: it is offered to servers on 127.0.0.1 or localhost (this machine only), and yours listens on 127.0.0.2.');
    expect(elsewhere.output()).not.toContain('password');
  });

  test("a busy Admin UI port is one line with the way out, and the learner's server runs without it", async () => {
    const busy = http.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    closeAfterTest(() => new Promise((resolve) => busy.close(resolve)));
    const { port } = busy.address() as AddressInfo;
    const run = dev('hello-socketio', '--solutions', '--port', '0', '--admin-port', String(port));
    await run.listening();
    await run.waitFor(/The Socket\.IO Admin UI cannot start/);
    expect(run.output()).toContain(`The Socket.IO Admin UI cannot start: port ${port} on 127.0.0.1 is already in use (another copy still running?). Stop it, or pick another port: npm run dev -- hello-socketio --admin-port 3390 (Your server runs without it.)`);
    expect(run.output()).not.toContain('password');
  });
});

describe('CORS for a server the Admin UI watches', () => {
  const ui = 'http://127.0.0.1:3390';
  const decide = (cors: Parameters<typeof corsAllowingAdminUi>[0], origin: string | undefined) =>
    new Promise<unknown>((resolve, reject) => corsAllowingAdminUi(cors, ui)({ headers: origin ? { origin } : {} } as http.IncomingMessage, (error, options) => (error ? reject(error) : resolve(options))));

  test("the UI's origin with credentials; the learner's own rule for everyone else", async () => {
    expect(await decide(undefined, ui)).toEqual({ origin: ui, credentials: true });
    expect(await decide(undefined, 'http://localhost:3000')).toEqual({ origin: false });
    expect(await decide(undefined, undefined)).toEqual({ origin: false });
    const learners = { origin: ['http://localhost:5173'] };
    expect(await decide(learners, 'http://localhost:5173')).toBe(learners);
    expect(await decide(learners, ui)).toEqual({ origin: ui, credentials: true });
    const delegate: Parameters<typeof corsAllowingAdminUi>[0] = (_request, callback) => callback(null, { origin: 'http://from-the-delegate' });
    expect(await decide(delegate, 'http://x')).toEqual({ origin: 'http://from-the-delegate' });
  });

  test('the shipped page, rewritten, loads nothing from the network; a changed page is refused, not served', () => {
    const shipped = '<head><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto"><link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@mdi/font@latest/css/materialdesignicons.min.css"></head><body><script src="js/app.js"></script></body>';
    const local = localIndexHtml(shipped);
    expect(local).toBe('<head><link rel="stylesheet" href="mdi/css/materialdesignicons.min.css"></head><body><script src="workbook-settings.js"></script><script src="js/app.js"></script></body>');
    expect(() => localIndexHtml(shipped.replace('fonts.googleapis.com', 'fonts.example.com'))).toThrow('changed: update localIndexHtml()');
    expect(() => localIndexHtml(`${shipped}<script src="https://cdn.example/x.js"></script>`)).toThrow('still loads something from the network');
  });
});
