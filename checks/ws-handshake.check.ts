/**
 * Grades `ws-handshake`: the accept key computed directly, handshakes written by
 * hand over raw TCP (valid, unusual and broken ones), and real `ws` clients.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { describe } from 'vitest';
import {
  connectWs,
  describeValue,
  eventually,
  exportedFunction,
  expectThat,
  fail,
  loadLearnerModule,
  randomWebSocketKey,
  sendRawHttp,
  startExerciseServer,
  test,
  upgradeRequest,
  websocketAccept,
  within,
  type RawHttpResponse,
  type UpgradeRequestOptions,
  type Workbench,
} from './support/index.ts';

type HandshakeModule = typeof import('../exercises/ws-handshake/handshake.ts');

const RFC_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const RFC_ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';

async function loadModule() {
  return loadLearnerModule<HandshakeModule>('ws-handshake', 'handshake.ts');
}

const startServer = (workbench: Workbench) => startExerciseServer(workbench, 'ws-handshake', 'handshake.ts', 'startHandshakeServer');

/** Why an accept key is wrong, when the mistake is a common one. */
function acceptHint(key: string, actual: unknown): string {
  if (typeof actual === 'string' && /^[0-9a-f]{40}$/i.test(actual)) return 'That is the SHA-1 in hex: encode the digest in base64 instead, `.digest("base64")`.';
  if (typeof actual === 'string' && actual.length === 28)
    return 'Right shape, wrong value: hash the key *text* followed by the GUID, `key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"` — compare your GUID with this one character by character, and do not decode the key first.';
  return 'Sec-WebSocket-Accept is base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")): 28 characters ending with "=".';
}

function showRequest(request: string): string {
  return request.trimEnd().split('\r\n').join('\n            ');
}

/** Checks that `response` is a 101 with the accept key for `key`, showing expected and actual side by side. */
function expectSwitchingProtocols(response: RawHttpResponse, key: string, did: string, refusedHint = 'This handshake is valid: answer it with 101.'): void {
  const expectedAccept = websocketAccept(key);
  const problems: string[] = [];
  if (response.statusCode !== 101) problems.push('the status');
  if (response.headers.upgrade?.toLowerCase() !== 'websocket') problems.push('Upgrade');
  if (!response.headers.connection?.toLowerCase().split(',').some((token) => token.trim() === 'upgrade')) problems.push('Connection');
  if (response.headers['sec-websocket-accept'] !== expectedAccept) problems.push('Sec-WebSocket-Accept');
  if (problems.length === 0) return;
  const show = (name: string) => `${name}: ${response.headers[name.toLowerCase()] ?? '(missing)'}`;
  fail({
    did,
    expected: `HTTP/1.1 101 Switching Protocols\n            Upgrade: websocket\n            Connection: Upgrade\n            Sec-WebSocket-Accept: ${expectedAccept}`,
    actual: `${response.statusLine}\n            ${show('Upgrade')}\n            ${show('Connection')}\n            ${show('Sec-WebSocket-Accept')}`,
    hint:
      response.statusCode !== 101
        ? refusedHint
        : problems.includes('Sec-WebSocket-Accept')
          ? acceptHint(key, response.headers['sec-websocket-accept'])
          : `Wrong: ${problems.join(', ')}.`,
  });
}

/** A broken handshake and how it must be answered. */
interface BrokenCase {
  readonly what: string;
  readonly request: UpgradeRequestOptions;
  readonly status: 400 | 426;
  readonly hint: string;
}

const BROKEN: readonly BrokenCase[] = [
  { what: 'a POST instead of a GET', request: { method: 'POST' }, status: 400, hint: 'Check `request.method === "GET"`.' },
  {
    what: 'no Upgrade header',
    request: { headers: { Upgrade: undefined } },
    status: 400,
    hint: 'Without `Upgrade`, Node hands the request to the `request` event, not `upgrade`: answer it there with 400.',
  },
  { what: 'Upgrade: h2c', request: { headers: { Upgrade: 'h2c' } }, status: 400, hint: 'Check that `Upgrade` is `websocket` (in any case).' },
  {
    what: 'Connection: keep-alive (no "upgrade" token)',
    request: { headers: { Connection: 'keep-alive' } },
    status: 400,
    hint: 'Without `upgrade` in `Connection`, Node hands the request to the `request` event: answer it there with 400.',
  },
  { what: 'no Sec-WebSocket-Key', request: { headers: { 'Sec-WebSocket-Key': undefined } }, status: 400, hint: 'A handshake without a key is invalid.' },
  {
    what: 'a Sec-WebSocket-Key of 15 bytes',
    request: { headers: { 'Sec-WebSocket-Key': Buffer.alloc(15, 7).toString('base64') } },
    status: 400,
    hint: 'The key must decode to exactly 16 bytes: 22 base64 characters then "==".',
  },
  {
    what: 'a Sec-WebSocket-Key of 17 bytes',
    request: { headers: { 'Sec-WebSocket-Key': Buffer.alloc(17, 9).toString('base64') } },
    status: 400,
    hint: 'The key must decode to exactly 16 bytes: 22 base64 characters then "==".',
  },
  {
    what: 'a Sec-WebSocket-Key with a character that is not base64',
    request: { headers: { 'Sec-WebSocket-Key': randomWebSocketKey().replace(/^(.{11})/, '$1*') } },
    status: 400,
    hint: '`Buffer.from(key, "base64")` skips characters it does not know: check the key with a pattern such as /^[A-Za-z0-9+/]{22}==$/.',
  },
  {
    what: 'Sec-WebSocket-Version: 8',
    request: { headers: { 'Sec-WebSocket-Version': '8' } },
    status: 426,
    hint: 'A wrong version is answered 426 Upgrade Required, with `Sec-WebSocket-Version: 13` to tell the client which version to speak.',
  },
  {
    what: 'Sec-WebSocket-Version: 14',
    request: { headers: { 'Sec-WebSocket-Version': '14' } },
    status: 426,
    hint: 'A wrong version is answered 426 Upgrade Required, with `Sec-WebSocket-Version: 13`.',
  },
  {
    what: 'no Sec-WebSocket-Version',
    request: { headers: { 'Sec-WebSocket-Version': undefined } },
    status: 426,
    hint: 'A missing version is a wrong version: 426 Upgrade Required, with `Sec-WebSocket-Version: 13`.',
  },
];

describe('ws-handshake', () => {
  test('computes Sec-WebSocket-Accept for the RFC sample key and random keys', async () => {
    const acceptKey = exportedFunction(await loadModule(), 'acceptKey', 'ws-handshake', 'handshake.ts');
    for (const key of [RFC_KEY, ...Array.from({ length: 20 }, randomWebSocketKey)]) {
      let actual: unknown;
      try {
        actual = acceptKey(key);
      } catch (error) {
        actual = error;
      }
      const expected = key === RFC_KEY ? RFC_ACCEPT : websocketAccept(key);
      expectThat(actual === expected, {
        did: `Called acceptKey(${JSON.stringify(key)})${key === RFC_KEY ? ' (the sample key of RFC 6455 §1.3)' : ''}`,
        expected: JSON.stringify(expected),
        actual: actual instanceof Error ? `it threw ${describeValue(actual)}` : describeValue(actual),
        hint: acceptHint(key, actual),
      });
    }
  });

  test("answers RFC 6455's sample handshake with 101 and keeps the connection open", async ({ workbench }) => {
    const server = await startServer(workbench);
    const request = upgradeRequest(server.port, { path: '/chat', headers: { 'Sec-WebSocket-Key': RFC_KEY, Origin: 'http://example.com' } });
    const { client, response } = await sendRawHttp(workbench, server.port, request, "RFC 6455's sample handshake");
    expectSwitchingProtocols(response, RFC_KEY, `Sent RFC 6455's sample handshake:\n            ${showRequest(request)}`);
    const closedEarly = await eventually(() => client.ended, 150);
    expectThat(!closedEarly, {
      did: "Sent RFC 6455's sample handshake and got 101",
      expected: 'the connection to stay open: after the 101 it carries WebSocket frames',
      actual: 'the server ended it',
      hint: 'After a 101, `write()` the response; do not `end()` the socket.',
    });
  });

  test('lets three real `ws` clients connect at once', async ({ workbench }) => {
    const server = await startServer(workbench);
    const url = `ws://127.0.0.1:${server.port}/`;
    await Promise.all(['client A', 'client B', 'client C'].map((who) => connectWs(workbench, url, who)));
  });

  test('accepts header values in any case and Connection as a list', async ({ workbench }) => {
    const server = await startServer(workbench);
    const variants: { what: string; headers: Record<string, string> }[] = [
      { what: 'Connection: keep-alive, Upgrade', headers: { Connection: 'keep-alive, Upgrade' } },
      { what: 'Upgrade: WebSocket and Connection: upgrade', headers: { Upgrade: 'WebSocket', Connection: 'upgrade' } },
      { what: 'header names in capitals', headers: { UPGRADE: 'websocket', CONNECTION: 'Upgrade, Keep-Alive' } },
    ];
    for (const { what, headers } of variants) {
      const key = randomWebSocketKey();
      const request = upgradeRequest(server.port, { headers: { ...headers, 'Sec-WebSocket-Key': key } });
      const { response } = await sendRawHttp(workbench, server.port, request, `a valid handshake with ${what}`);
      expectSwitchingProtocols(
        response,
        key,
        `Sent a valid handshake with ${what}:\n            ${showRequest(request)}`,
        'This handshake is valid: header names and the values `websocket` and `upgrade` are case-insensitive, and `Connection` is a comma-separated list of tokens (split it on ",", trim, lowercase, then look for "upgrade").',
      );
    }
  });

  test('refuses broken handshakes with 400 (426 for a wrong version) and closes the connection', async ({ workbench }) => {
    const server = await startServer(workbench);
    const answers = await Promise.all(
      BROKEN.map(async (broken) => {
        const request = upgradeRequest(server.port, broken.request);
        const exchange = await sendRawHttp(workbench, server.port, request, `a handshake with ${broken.what}`, `the client sending ${broken.what}`);
        return { broken, request, ...exchange };
      }),
    );
    for (const { broken, request, client, response } of answers) {
      const did = `Sent a handshake with ${broken.what}:\n            ${showRequest(request)}`;
      const versionHeader = response.headers['sec-websocket-version'];
      expectThat(response.statusCode === broken.status && (broken.status !== 426 || versionHeader === '13'), {
        did,
        expected: broken.status === 426 ? 'HTTP/1.1 426 Upgrade Required\n            Sec-WebSocket-Version: 13' : 'HTTP/1.1 400 Bad Request',
        actual: broken.status === 426 ? `${response.statusLine}\n            Sec-WebSocket-Version: ${versionHeader ?? '(missing)'}` : response.statusLine,
        hint: broken.hint,
      });
      await client.serverEnded(1000, () => ({
        did: `${did}\n          and got ${response.statusLine}`,
        expected: 'the server to close the connection after refusing',
        hint: 'End the socket when you refuse: `socket.end(response)` writes the response, then closes.',
      }));
    }
  });

  test('completeHandshake() works on its own, as ws-echo-server will use it', async ({ workbench }) => {
    const completeHandshake = exportedFunction(await loadModule(), 'completeHandshake', 'ws-handshake', 'handshake.ts');
    // The check's own HTTP server, handing each upgrade to the learner's function alone.
    const results: unknown[] = [];
    const sockets = new Set<Duplex>();
    const httpServer = http.createServer((_request, response) => response.writeHead(400, { Connection: 'close' }).end());
    httpServer.on('upgrade', (request: http.IncomingMessage, socket: Duplex) => {
      sockets.add(socket);
      socket.on('error', () => {});
      try {
        results.push(completeHandshake(request, socket));
      } catch (error) {
        results.push(error);
      }
    });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    workbench.defer('the check\'s HTTP server', () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => httpServer.close(resolve));
    });
    const { port } = httpServer.address() as AddressInfo;
    const connecting = connectWs(workbench, `ws://127.0.0.1:${port}/`, 'a `ws` client');
    connecting.catch(() => {}); // Awaited below, once completeHandshake() has had its say.
    await eventually(() => results.length > 0, 2000);
    expectThat(results[0] === true, {
      did: 'Called completeHandshake(request, socket) from an `upgrade` event, for a real `ws` client',
      expected: 'it to return true',
      actual: results[0] instanceof Error ? `it threw ${describeValue(results[0], 200)}` : `it returned ${describeValue(results[0])}`,
    });
    await connecting;
    const { client, response } = await sendRawHttp(workbench, port, upgradeRequest(port, { headers: { 'Sec-WebSocket-Version': '8' } }), 'a handshake with Sec-WebSocket-Version: 8');
    const did = 'Called completeHandshake(request, socket) for a handshake with Sec-WebSocket-Version: 8';
    expectThat(response.statusCode === 426 && results[1] === false, {
      did,
      expected: 'HTTP/1.1 426 Upgrade Required written on the socket, and false returned',
      actual: `${response.statusLine} written, and ${results[1] instanceof Error ? `it threw ${describeValue(results[1])}` : `${describeValue(results[1])} returned`}`,
      hint: 'completeHandshake() does the whole job for one request: validate, answer, and end the socket when refusing.',
    });
    await client.serverEnded(1000, () => ({ did, expected: 'completeHandshake() to end the socket after refusing', hint: 'Use `socket.end(response)`.' }));
  });

  test('close() closes upgraded connections too', async ({ workbench }) => {
    const server = await startServer(workbench);
    const url = `ws://127.0.0.1:${server.port}/`;
    const clients = await Promise.all(['client A', 'client B'].map((who) => connectWs(workbench, url, who)));
    await within(server.close(), 2000, () => ({
      did: 'Called close() with two WebSocket clients connected',
      expected: 'it to resolve within 2 s',
      actual: 'it had not resolved',
      hint: 'After the upgrade, the HTTP server no longer tracks the socket: keep upgraded sockets in a Set and destroy them in close().',
    }));
    for (const client of clients) {
      await client.events.next('close', {
        who: client.who,
        withinMs: 1000,
        hint: 'After the upgrade, the HTTP server no longer tracks the socket: keep upgraded sockets in a Set and destroy them in close().',
      });
    }
  });
});
