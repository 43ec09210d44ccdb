/**
 * Grades `ws-handshake`: the accept key computed directly, handshakes written by
 * hand over raw TCP (valid, unusual and broken ones), `completeHandshake` on its
 * own (from the check's HTTP server, and on requests built by hand), and real `ws`
 * clients.
 *
 * Rule → test (README "Your task", the starter's TSDoc, and `exercises/types.ts`):
 * - 1 acceptKey = base64(SHA-1(key + GUID)), key as text ... "computes Sec-WebSocket-Accept for the RFC sample key and random keys"
 *     (keys with + and /, mixed case; the hint names the mistake it observed: key lowercased, unpadded, decoded, hex digest…)
 * - 2 completeHandshake, valid request:
 *     method GET, every other method refused ............... "refuses broken handshakes …" (POST, PUT, DELETE, PATCH, HEAD, OPTIONS)
 *     Upgrade is websocket, any case ....................... "accepts header values in any case …", "refuses …" (h2c, websockets)
 *     Connection holds the token upgrade, a list ........... "accepts … Connection as a comma-separated list" (with and without spaces, first or last),
 *                                                              "completeHandshake() on requests built by hand" (no Upgrade, no Connection)
 *     Sec-WebSocket-Key: 22 base64 characters then == ...... "refuses …" (missing, empty, 13/15/17/18/19 bytes, 21/23 characters then ==, unpadded, base64url (- and _, _ alone, - alone), *, space, 2 keys),
 *                                                              valid keys with A Z a z 0 9 + / in them
 *     Sec-WebSocket-Version 13 ............................. "refuses …" (8, 12, 14, 13.0, 013, empty, missing)
 *   101 with Upgrade, Connection, Sec-WebSocket-Accept .... "answers RFC 6455's sample handshake with 101 …" (status line exact, every header)
 *   each line ends with \r\n .............................. every response read (raw bytes: a bare \n or \r fails; each header `Name: value`)
 *   accepted: stays open, returns true ..................... "answers RFC 6455's sample handshake …", "completeHandshake() works on its own …"
 *   426 + Sec-WebSocket-Version: 13 only when only the version is wrong; 400 otherwise
 *                                                          .... "refuses …" (versions alone → 426; POST + version 8, bad key + no version,
 *                                                              h2c + version 14, PUT + no version → 400)
 *   refused: connection ended, returns false ............... "refuses …", "completeHandshake() works on its own …", "… built by hand"
 * - 3 listens on options.port and options.host ........... "listens on the host it is given, and nowhere else",
 *                                                          "asks the system for a free port when given port 0", "rejects when the port is taken"
 *   upgrade event → completeHandshake ...................... every raw handshake, "lets three real `ws` clients connect at once"
 *   what the client sends after the 101 is ignored ........ "ignores what the client sends after the 101"
 *   request event (not an upgrade for Node) → 400, closed .. "answers plain HTTP requests with 400 Bad Request and closes the connection"
 *   close(): every connection, upgraded ones too, and the server
 *                                                          .... "close() closes every connection, upgraded ones too" (2 `ws` clients,
 *                                                              an upgraded client that never hangs up, a half-sent request, an idle connection)
 *   leaving nothing running ............................... every test's teardown (leaks, errors that escape),
 *                                                          "forgets each upgraded connection once it is gone",
 *                                                          "survives a client that resets an upgraded connection"
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { describe } from 'vitest';
import {
  accepts,
  connectTcp,
  connectWs,
  describeValue,
  eventually,
  expectAnyFreePortForZero,
  expectWellFormedHead,
  expectForgetsClosedConnections,
  expectListensOnGivenHost,
  expectRejectsTakenPort,
  exportedFunction,
  expectThat,
  fail,
  formatMs,
  loadLearnerModule,
  openRawWebSocket,
  parseHead,
  pick,
  QUIET_MS,
  randomBuffer,
  resetOnceServerRead,
  randomWebSocketKey,
  RecordingSocket,
  sendRawHttp,
  sleep,
  watchAcceptedSockets,
  startExerciseServer,
  test,
  upgradeRequest,
  WEBSOCKET_GUID,
  websocketAccept,
  within,
  type RawHttpResponse,
  type ServerUnderCheck,
  type TcpClient,
  type UpgradeRequestOptions,
  type Workbench,
} from './support/index.ts';

type HandshakeModule = typeof import('../exercises/ws-handshake/handshake.ts');

/** How long the check's own `ws` client may take to send its upgrade request. */
const UPGRADE_LIMIT_MS = 5000;
const RFC_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const RFC_ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';

const handshakeServer: ServerUnderCheck = { exerciseId: 'ws-handshake', file: 'handshake.ts', functionName: 'startHandshakeServer' };

async function loadModule() {
  return loadLearnerModule<HandshakeModule>('ws-handshake', 'handshake.ts');
}

const startServer = (workbench: Workbench) => startExerciseServer(workbench, handshakeServer.exerciseId, handshakeServer.file, handshakeServer.functionName);

/**
 * A valid key holding the first and last character of each range of base64 — A Z a z 0 9 —
 * and + and /, the rest random: a key pattern that leaves any of them out refuses it,
 * and a hash of an altered key (lowercased…) gets it wrong.
 */
function keyWithEveryKindOfCharacter(): string {
  // 16 bytes in base64: 21 characters, one of A Q g w (the last 2 bits), then "==".
  return `AZaz09+/${randomWebSocketKey().slice(0, 13)}${pick(['A', 'Q', 'g', 'w'])}==`;
}

const sha1 = (data: string | Buffer) => createHash('sha1').update(data).digest();

/**
 * Why an accept key is wrong, from what it is: each hint names a mistake only when
 * the value observed is what that mistake gives (the key lowercased, the digest in
 * hex…). A 28-character value that matches none of them gets the GUID hint.
 */
function acceptHint(key: string, actual: unknown): string {
  const generic = 'Sec-WebSocket-Accept is base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")): 28 characters ending with "=".';
  if (typeof actual !== 'string') return generic;
  const right = sha1(key + WEBSOCKET_GUID);
  if (actual === right.toString('hex')) return 'That is the SHA-1 in hex: encode the digest in base64 instead, `.digest("base64")`.';
  if (actual === right.toString('base64url')) return 'That is the digest in base64url (- and _, no "="): use plain base64, `.digest("base64")`.';
  const altered: [string, string][] = [
    [key.toLowerCase(), 'the key lowercased'],
    [key.toUpperCase(), 'the key uppercased'],
    [key.replace(/=+$/, ''), 'the key without its "==" padding'],
    [key.trim(), 'the key trimmed'],
  ];
  for (const [text, how] of altered) {
    if (text !== key && actual === sha1(text + WEBSOCKET_GUID).toString('base64'))
      return `That is the accept key of ${how} (${JSON.stringify(text)}): hash the key exactly as the client sent it. The values "websocket" and "upgrade" are case-insensitive; the key is not.`;
  }
  if (actual === sha1(Buffer.concat([Buffer.from(key, 'base64'), Buffer.from(WEBSOCKET_GUID)])).toString('base64'))
    return 'That is the hash of the 16 bytes the key decodes to: hash the key *text* followed by the GUID, without decoding it.';
  if (actual === sha1(WEBSOCKET_GUID + key).toString('base64')) return 'That is SHA-1(GUID + key): the key comes first, then the GUID.';
  if (actual === sha1(key).toString('base64')) return 'That is SHA-1 of the key alone: append the GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11" to the key before hashing.';
  if (actual === sha1(key + WEBSOCKET_GUID.toLowerCase()).toString('base64')) return 'That is the hash with the GUID in lowercase: write it as RFC 6455 does, in capitals.';
  if (actual.length === 28 && actual.endsWith('='))
    return 'Right shape, wrong value: hash the key text followed by the GUID, `key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"` — compare your GUID with this one character by character.';
  if (actual.length === 44) return 'That looks like a SHA-256 digest (32 bytes): the accept key is SHA-1, 20 bytes, 28 characters in base64.';
  return generic;
}

function showRequest(request: string): string {
  return request.trimEnd().split('\r\n').join('\n            ');
}

/** Checks that `response` is the exact 101 of the README with the accept key for `key`, showing expected and actual side by side. */
function expectSwitchingProtocols(response: RawHttpResponse, key: string, did: string, refusedHint = 'This handshake is valid: answer it with 101.'): void {
  const expectedAccept = websocketAccept(key);
  const problems: string[] = [];
  if (response.statusLine !== 'HTTP/1.1 101 Switching Protocols') problems.push('the status line');
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
          : problems.includes('the status line')
            ? 'The status line is exactly `HTTP/1.1 101 Switching Protocols`.'
            : `Wrong: ${problems.join(', ')}.`,
  });
}

/** Waits `QUIET_MS` twice over and fails if the server ended or closed the connection, or sent anything past `received` bytes. */
async function expectOpenAndQuiet(client: TcpClient, received: number, did: string, hint: string): Promise<void> {
  let closed = client.socket.destroyed;
  client.socket.once('close', () => (closed = true));
  await sleep(2 * QUIET_MS);
  expectThat(!client.ended && !closed, {
    did,
    expected: `the connection to stay open (watched for ${2 * QUIET_MS} ms): after the 101 it carries WebSocket frames`,
    actual: 'the server ended it',
    hint,
  });
  const extra = client.received.subarray(received);
  expectThat(extra.length === 0, {
    did,
    expected: 'nothing more from the server: the 101 head is the whole answer, and frames are the next exercises',
    actual: `${extra.length} more bytes: ${describeValue(extra.toString('latin1'), 80)}`,
    hint: 'Write the 101 head and nothing after it, and ignore what the client sends afterwards.',
  });
}

/** A broken handshake and how it must be answered. */
interface BrokenCase {
  readonly what: string;
  readonly request: UpgradeRequestOptions;
  readonly status: 400 | 426;
  readonly hint: string;
}

const KEY_HINT = 'The key must be base64 for exactly 16 bytes: 22 characters of A-Z, a-z, 0-9, + and /, then "==". Check it with a pattern such as /^[A-Za-z0-9+/]{22}==$/; `Buffer.from(key, "base64")` is lenient, it skips what it does not know.';
const VERSION_HINT = 'A missing or wrong version (anything but exactly "13") is answered 426 Upgrade Required, with `Sec-WebSocket-Version: 13` to tell the client which version to speak.';
const METHOD_HINT = 'Check `request.method === "GET"`: every other method (POST, PUT, DELETE, PATCH, HEAD, OPTIONS…) gets 400.';
const ONLY_VERSION_HINT =
  '426 is for a handshake whose only fault is the version. Check everything else first (method, Upgrade, Connection, key) and answer 400 for those; test the version last.';

function brokenCases(): BrokenCase[] {
  const key = randomWebSocketKey();
  const methods = ['POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'].map(
    (method): BrokenCase => ({ what: `the method ${method} instead of GET`, request: { method }, status: 400, hint: METHOD_HINT }),
  );
  const keys: [string, string | undefined][] = [
    ['no Sec-WebSocket-Key', undefined],
    ['an empty Sec-WebSocket-Key', ''],
    ['a Sec-WebSocket-Key of 13 bytes (18 characters then ==)', randomBuffer(13).toString('base64')],
    ['a Sec-WebSocket-Key of 15 bytes', randomBuffer(15).toString('base64')],
    ['a Sec-WebSocket-Key of 17 bytes', randomBuffer(17).toString('base64')],
    ['a Sec-WebSocket-Key of 18 bytes (24 characters, no padding)', randomBuffer(18).toString('base64')],
    ['a Sec-WebSocket-Key of 19 bytes (26 characters then ==)', randomBuffer(19).toString('base64')],
    ['a Sec-WebSocket-Key without its "==" padding', key.slice(0, 22)],
    ['a Sec-WebSocket-Key of 21 characters then ==', `${key.slice(0, 21)}==`],
    ['a Sec-WebSocket-Key of 23 characters then ==', `${key.slice(0, 22)}A==`],
    ['a Sec-WebSocket-Key in base64url (- and _)', `-_${key.slice(2)}`],
    // Each alone as well: \w in a pattern matches _ (not -), and a pattern that allows one of them must still refuse.
    ['a Sec-WebSocket-Key in base64url with _ (no -)', `${key.slice(0, 11)}_${key.slice(12)}`],
    ['a Sec-WebSocket-Key in base64url with - (no _)', `${key.slice(0, 11)}-${key.slice(12)}`],
    ['a Sec-WebSocket-Key with a character that is not base64', `${key.slice(0, 11)}*${key.slice(12)}`],
    ['a Sec-WebSocket-Key with a space inside', `${key.slice(0, 11)} ${key.slice(12)}`],
    ['a Sec-WebSocket-Key with "=" in the middle', `${key.slice(0, 10)}=${key.slice(11, 22)}=`],
    ['two Sec-WebSocket-Key values', `${key}, ${randomWebSocketKey()}`],
  ];
  const versions: [string, string | undefined][] = [
    ['Sec-WebSocket-Version: 8', '8'],
    ['Sec-WebSocket-Version: 12', '12'],
    ['Sec-WebSocket-Version: 14', '14'],
    ['Sec-WebSocket-Version: 13.0', '13.0'],
    ['Sec-WebSocket-Version: 013', '013'],
    ['an empty Sec-WebSocket-Version', ''],
    ['no Sec-WebSocket-Version', undefined],
  ];
  return [
    ...methods,
    { what: 'Upgrade: h2c', request: { headers: { Upgrade: 'h2c' } }, status: 400, hint: 'Check that `Upgrade` is `websocket` (in any case), and nothing else.' },
    { what: 'Upgrade: websockets', request: { headers: { Upgrade: 'websockets' } }, status: 400, hint: 'Compare the whole value with "websocket" (in any case), not its start.' },
    ...keys.map(([what, value]): BrokenCase => ({ what, request: { headers: { 'Sec-WebSocket-Key': value } }, status: 400, hint: KEY_HINT })),
    ...versions.map(([what, value]): BrokenCase => ({ what, request: { headers: { 'Sec-WebSocket-Version': value } }, status: 426, hint: VERSION_HINT })),
    // Wrong in two ways, one of them the version: 400, not 426.
    { what: 'the method POST and Sec-WebSocket-Version: 8', request: { method: 'POST', headers: { 'Sec-WebSocket-Version': '8' } }, status: 400, hint: ONLY_VERSION_HINT },
    { what: 'the method PUT and no Sec-WebSocket-Version', request: { method: 'PUT', headers: { 'Sec-WebSocket-Version': undefined } }, status: 400, hint: ONLY_VERSION_HINT },
    { what: 'Upgrade: h2c and Sec-WebSocket-Version: 14', request: { headers: { Upgrade: 'h2c', 'Sec-WebSocket-Version': '14' } }, status: 400, hint: ONLY_VERSION_HINT },
    {
      what: 'a Sec-WebSocket-Key of 15 bytes and no Sec-WebSocket-Version',
      request: { headers: { 'Sec-WebSocket-Key': randomBuffer(15).toString('base64'), 'Sec-WebSocket-Version': undefined } },
      status: 400,
      hint: ONLY_VERSION_HINT,
    },
    { what: 'no Sec-WebSocket-Key and Sec-WebSocket-Version: 8', request: { headers: { 'Sec-WebSocket-Key': undefined, 'Sec-WebSocket-Version': '8' } }, status: 400, hint: ONLY_VERSION_HINT },
  ];
}

/** How many raw clients a test sends its requests from at once. */
const BATCH = 8;

const STATUS_LINES = { 400: 'HTTP/1.1 400 Bad Request', 426: 'HTTP/1.1 426 Upgrade Required' } as const;

/** Fails unless `response` is the refusal `status` (with `Sec-WebSocket-Version: 13` for a 426). */
function expectRefusal(response: RawHttpResponse, status: 400 | 426, did: string, hint: string): void {
  const versionHeader = response.headers['sec-websocket-version'];
  const right = response.statusLine === STATUS_LINES[status] && (status !== 426 || versionHeader === '13');
  if (right) return;
  fail({
    did,
    expected: status === 426 ? `${STATUS_LINES[426]}\n            Sec-WebSocket-Version: 13` : STATUS_LINES[400],
    actual: status === 426 || response.statusCode === 426 ? `${response.statusLine}\n            Sec-WebSocket-Version: ${versionHeader ?? '(missing)'}` : response.statusLine,
    hint:
      status === 426 && response.statusCode === 426
        ? 'With 426, add the header `Sec-WebSocket-Version: 13`: it tells the client which version this server speaks.'
        : response.statusCode === status
          ? `The status line is exactly \`${STATUS_LINES[status]}\`.`
          : hint,
  });
}

/** Fails unless the server ends (or closes) the connection of `client` after refusing. */
async function expectRefusedAndClosed(client: TcpClient, did: string): Promise<void> {
  await client.serverEnded(1000, () => ({
    did,
    expected: 'the server to close the connection after refusing',
    hint: 'End the socket when you refuse: `socket.end(response)` writes the response, then closes.',
  }));
}

describe.concurrent('ws-handshake', () => {
  test('listens on the host it is given, and nowhere else', async ({ workbench }) => {
    await expectListensOnGivenHost(workbench, handshakeServer);
  });

  test('asks the system for a free port when given port 0', async ({ workbench }) => {
    await expectAnyFreePortForZero(workbench, handshakeServer);
  });

  test('rejects when the port is taken', async ({ workbench }) => {
    await expectRejectsTakenPort(workbench, handshakeServer);
  });

  test('computes Sec-WebSocket-Accept for the RFC sample key and random keys', async () => {
    const acceptKey = exportedFunction(await loadModule(), 'acceptKey', 'ws-handshake', 'handshake.ts');
    const keys = [RFC_KEY, 'x3JJHMbDL1EzLkh9GBhXDw==', keyWithEveryKindOfCharacter(), ...Array.from({ length: 20 }, randomWebSocketKey)];
    for (const key of keys) {
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
    const did = `Sent RFC 6455's sample handshake:\n            ${showRequest(request)}`;
    const { client, response } = await sendRawHttp(workbench, server.port, request, "RFC 6455's sample handshake");
    expectWellFormedHead(client.received, response.headLength, did);
    expectSwitchingProtocols(response, RFC_KEY, did);
    await expectOpenAndQuiet(client, response.headLength, `${did}\n          and got 101`, 'After a 101, `write()` the response; do not `end()` the socket.');
  });

  test('ignores what the client sends after the 101', async ({ workbench }) => {
    const server = await startServer(workbench);
    // A masked text frame glued to the handshake, as a client in a hurry sends it, then more bytes on their own.
    const key = randomWebSocketKey();
    const head = upgradeRequest(server.port, { headers: { 'Sec-WebSocket-Key': key } });
    const frame = Buffer.concat([Buffer.from([0x81, 0x85]), randomBuffer(4), randomBuffer(5)]);
    const { client, response } = await sendRawHttp(workbench, server.port, Buffer.concat([Buffer.from(head), frame]), 'a valid handshake followed at once by a WebSocket frame');
    const did = `Sent a valid handshake with ${frame.length} bytes of a WebSocket frame right after it, in the same write`;
    expectSwitchingProtocols(response, key, did);
    client.socket.write(randomBuffer(500));
    await expectOpenAndQuiet(
      client,
      response.headLength,
      `${did}, got 101, then sent 500 more random bytes`,
      'After the 101, read and drop what the client sends (`socket.resume()`), without answering or closing: frames are the next exercises.',
    );
  });

  test('lets three real `ws` clients connect at once', async ({ workbench }) => {
    const server = await startServer(workbench);
    const url = `ws://127.0.0.1:${server.port}/`;
    await Promise.all(['client A', 'client B', 'client C'].map((who) => connectWs(workbench, url, who)));
  });

  test('accepts header values in any case and Connection as a comma-separated list', async ({ workbench }) => {
    const server = await startServer(workbench);
    const variants: { what: string; headers: Record<string, string> }[] = [
      { what: 'Connection: keep-alive, Upgrade', headers: { Connection: 'keep-alive, Upgrade' } },
      { what: 'Connection: keep-alive,Upgrade (no space after the comma)', headers: { Connection: 'keep-alive,Upgrade' } },
      { what: 'Connection: Upgrade ,keep-alive (the token first, a space before the comma)', headers: { Connection: 'Upgrade ,keep-alive' } },
      { what: 'Connection: UPGRADE', headers: { Connection: 'UPGRADE' } },
      { what: 'Upgrade: WebSocket and Connection: upgrade', headers: { Upgrade: 'WebSocket', Connection: 'upgrade' } },
      { what: 'Upgrade: WEBSOCKET', headers: { Upgrade: 'WEBSOCKET' } },
      { what: 'header names in capitals', headers: { UPGRADE: 'websocket', CONNECTION: 'Upgrade, Keep-Alive', 'SEC-WEBSOCKET-VERSION': '13' } },
      { what: 'header names in lowercase', headers: { upgrade: 'websocket', connection: 'upgrade', 'sec-websocket-version': '13' } },
    ];
    await Promise.all(
      variants.map(async ({ what, headers }) => {
        const key = keyWithEveryKindOfCharacter();
        const request = upgradeRequest(server.port, { headers: { ...headers, 'Sec-WebSocket-Key': key } });
        const { client, response } = await sendRawHttp(workbench, server.port, request, `a valid handshake with ${what}`);
        const did = `Sent a valid handshake with ${what}:\n            ${showRequest(request)}`;
        expectWellFormedHead(client.received, response.headLength, did);
        expectSwitchingProtocols(
          response,
          key,
          did,
          'This handshake is valid: header names and the values `websocket` and `upgrade` are case-insensitive, and `Connection` is a comma-separated list of tokens (split it on ",", trim each token, lowercase it, then look for "upgrade").',
        );
      }),
    );
  });

  test('refuses broken handshakes with 400 (426 when only the version is wrong) and closes the connection', async ({ workbench }) => {
    const server = await startServer(workbench);
    const cases = brokenCases();
    // Several clients at once, but not all 33: on a loaded machine each must still be answered within the limit.
    const answers: ({ broken: BrokenCase; request: string } & Awaited<ReturnType<typeof sendRawHttp>>)[] = [];
    for (let at = 0; at < cases.length; at += BATCH) {
      const batch = cases.slice(at, at + BATCH).map(async (broken) => {
        const request = upgradeRequest(server.port, broken.request);
        const exchange = await sendRawHttp(workbench, server.port, request, `a handshake with ${broken.what}`, `the client sending ${broken.what}`);
        return { broken, request, ...exchange };
      });
      answers.push(...(await Promise.all(batch)));
    }
    for (const { broken, request, client, response } of answers) {
      const did = `Sent a handshake with ${broken.what}:\n            ${showRequest(request)}`;
      expectWellFormedHead(client.received, response.headLength, did);
      expectRefusal(response, broken.status, did, response.statusCode === 426 ? ONLY_VERSION_HINT : broken.hint);
      await expectRefusedAndClosed(client, `${did}\n          and got ${response.statusLine}`);
    }
  });

  test('answers plain HTTP requests with 400 Bad Request and closes the connection', async ({ workbench }) => {
    const server = await startServer(workbench);
    const key = randomWebSocketKey();
    const requests: [string, string][] = [
      ['a plain GET', `GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`],
      ['a plain GET asking to keep the connection alive', `GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: keep-alive\r\n\r\n`],
      ['a POST with a body', `POST /form HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello`],
      ['a handshake without Upgrade', upgradeRequest(server.port, { headers: { Upgrade: undefined, 'Sec-WebSocket-Key': key } })],
      ['a handshake with Connection: keep-alive (no "upgrade" token)', upgradeRequest(server.port, { headers: { Connection: 'keep-alive', 'Sec-WebSocket-Key': key } })],
    ];
    const answers = await Promise.all(
      requests.map(async ([what, request]) => ({ what, request, ...(await sendRawHttp(workbench, server.port, request, what, `the client sending ${what}`)) })),
    );
    for (const { what, request, client, response } of answers) {
      const did = `Sent ${what} over raw TCP:\n            ${showRequest(request)}`;
      expectThat(response.statusLine === STATUS_LINES[400], {
        did,
        expected: STATUS_LINES[400],
        actual: response.statusLine,
        hint:
          response.statusCode === 426
            ? 'This is not an upgrade at all (Node gives it to the `request` event): answer 400 Bad Request there; 426 is only for a handshake with a wrong version.'
            : 'Node gives a request without `Upgrade`, or without "upgrade" in `Connection`, to the `request` event, not `upgrade`: answer it there with `response.writeHead(400, …).end()`.',
      });
      await client.serverEnded(1000, () => ({
        did: `${did}\n          and got ${response.statusLine}`,
        expected: 'the server to close the connection after the 400',
        hint: 'HTTP/1.1 keeps connections alive by default: send `Connection: close` with the 400 (`response.writeHead(400, { Connection: "close" })`), and Node closes it after the response.',
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
    workbench.defer("the check's HTTP server", () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => httpServer.close(resolve));
    });
    const { port } = httpServer.address() as AddressInfo;
    const connecting = connectWs(workbench, `ws://127.0.0.1:${port}/`, 'a `ws` client');
    connecting.catch(() => {}); // Awaited below, once completeHandshake() has had its say.
    // The bound is the check's own client and server, not the learner's code: generous for a busy machine.
    const upgraded = await eventually(() => results.length > 0, UPGRADE_LIMIT_MS);
    expectThat(upgraded, {
      did: 'Connected a real `ws` client to a server that hands each upgrade to completeHandshake(request, socket)',
      expected: `the upgrade request to reach the server within ${formatMs(UPGRADE_LIMIT_MS)}`,
      actual: 'it never did: this machine may be too busy; run the check again',
    });
    const returned = (result: unknown) => (result instanceof Error ? `it threw ${describeValue(result, 200)}` : `it returned ${describeValue(result)}`);
    expectThat(results[0] === true, {
      did: 'Called completeHandshake(request, socket) from an `upgrade` event, for a real `ws` client',
      expected: 'it to return true',
      actual: returned(results[0]),
    });
    await connecting;
    const refusals: { what: string; request: UpgradeRequestOptions; status: 400 | 426 }[] = [
      { what: 'Sec-WebSocket-Version: 8', request: { headers: { 'Sec-WebSocket-Version': '8' } }, status: 426 },
      { what: 'the method POST', request: { method: 'POST' }, status: 400 },
    ];
    for (const [index, { what, request, status }] of refusals.entries()) {
      const { client, response } = await sendRawHttp(workbench, port, upgradeRequest(port, request), `a handshake with ${what}`);
      await eventually(() => results.length > index + 1, 1000);
      const result = results[index + 1];
      const did = `Called completeHandshake(request, socket) for a handshake with ${what}`;
      expectWellFormedHead(client.received, response.headLength, did);
      expectThat(response.statusLine === STATUS_LINES[status] && result === false, {
        did,
        expected: `${STATUS_LINES[status]} written on the socket, and false returned`,
        actual: `${response.statusLine} written, and ${returned(result)}`,
        hint: 'completeHandshake() does the whole job for one request: validate, answer, end the socket when refusing, and return false.',
      });
      await client.serverEnded(1000, () => ({ did, expected: 'completeHandshake() to end the socket after refusing', hint: 'Use `socket.end(response)`.' }));
    }
  });

  test('completeHandshake() on requests built by hand, that Node would not send to `upgrade`', async () => {
    const completeHandshake = exportedFunction(await loadModule(), 'completeHandshake', 'ws-handshake', 'handshake.ts');
    const base = () => ({ host: '127.0.0.1', upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': randomWebSocketKey(), 'sec-websocket-version': '13' });
    const cases: { what: string; headers: Record<string, string | undefined>; status: 101 | 400 }[] = [
      { what: 'a valid handshake', headers: {}, status: 101 },
      { what: 'Connection: Keep-Alive, Upgrade', headers: { connection: 'Keep-Alive, Upgrade' }, status: 101 },
      { what: 'no Upgrade header', headers: { upgrade: undefined }, status: 400 },
      { what: 'no Connection header', headers: { connection: undefined }, status: 400 },
      { what: 'Connection: keep-alive', headers: { connection: 'keep-alive' }, status: 400 },
      { what: 'Connection: upgraded (not the token upgrade)', headers: { connection: 'upgraded' }, status: 400 },
    ];
    for (const { what, headers: changes, status } of cases) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries({ ...base(), ...changes })) if (value !== undefined) headers[name] = value;
      // What the function may read of a request: its method, URL, version and headers (lowercase names, as Node gives them).
      const request = { method: 'GET', url: '/', httpVersion: '1.1', headers } as unknown as http.IncomingMessage;
      const socket = new RecordingSocket();
      let result: unknown;
      try {
        result = completeHandshake(request, socket);
      } catch (error) {
        result = error;
      }
      await new Promise((resolve) => setImmediate(resolve));
      const response = parseHead(socket.written);
      const did = `Called completeHandshake(request, socket) with a request built by hand: GET / with ${what}\n            ${Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}`)
        .join('\n            ')}`;
      const shown = response ? response.statusLine : socket.written.length === 0 ? 'nothing written' : describeValue(socket.written.toString('latin1'), 80);
      const outcome = `${shown}; ${result instanceof Error ? `it threw ${describeValue(result, 200)}` : `it returned ${describeValue(result)}`}; the socket was ${socket.closedByCaller ? 'ended' : 'left open'}`;
      if (response) expectWellFormedHead(socket.written, response.headLength, did);
      if (status === 101) {
        expectThat(response !== undefined && result === true && !socket.closedByCaller, {
          did,
          expected: 'HTTP/1.1 101 Switching Protocols written, true returned, the socket left open',
          actual: outcome,
          hint: 'This handshake is valid: `Connection` is a comma-separated list, its tokens are case-insensitive.',
        });
        expectSwitchingProtocols(response, headers['sec-websocket-key']!, did);
      } else {
        expectThat(response?.statusLine === STATUS_LINES[400] && result === false && socket.closedByCaller, {
          did,
          expected: `${STATUS_LINES[400]} written, false returned, the socket ended`,
          actual: outcome,
          hint: 'completeHandshake() checks every rule itself, Upgrade and Connection too: ws-echo-server relies on it, whatever server calls it.',
        });
      }
    }
  });

  test('close() closes every connection, upgraded ones too', async ({ workbench }) => {
    const server = await startServer(workbench);
    const url = `ws://127.0.0.1:${server.port}/`;
    const wsClients = await Promise.all(['client A', 'client B'].map((who) => connectWs(workbench, url, who)));
    // An upgraded client that never hangs up: only destroy() frees its connection.
    const stubborn = await connectTcp(workbench, server.port, 'an upgraded client that never hangs up', { allowHalfOpen: true });
    const key = randomWebSocketKey();
    stubborn.socket.write(upgradeRequest(server.port, { headers: { 'Sec-WebSocket-Key': key } }));
    await stubborn.receive(1, 2000, () => ({ did: 'Sent a valid handshake from a raw TCP client', hint: 'Answer every valid handshake with 101.' }));
    await eventually(() => parseHead(stubborn.received) !== undefined, 1000);
    // A request cut in the middle of its head, and a connection that has sent nothing yet.
    const halfway = await connectTcp(workbench, server.port, 'a client halfway through its request');
    halfway.socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websock`);
    const idle = await connectTcp(workbench, server.port, 'a client that has sent nothing');
    await sleep(50);
    const did = 'Called close() with two `ws` clients connected, an upgraded raw client that keeps its side open, a client halfway through its request and one that has sent nothing';
    await within(server.close(), 2000, () => ({
      did,
      expected: 'it to resolve within 2 s',
      actual: 'it had not resolved',
      hint: 'After the upgrade, the HTTP server no longer tracks the socket: keep upgraded sockets in a Set and `destroy()` them in close() (`end()` waits for the client). `server.closeAllConnections()` closes the others.',
    }));
    for (const client of wsClients) {
      await client.events.next('close', {
        who: client.who,
        withinMs: 1000,
        hint: 'After the upgrade, the HTTP server no longer tracks the socket: keep upgraded sockets in a Set and destroy them in close().',
      });
    }
    for (const [who, client] of [
      ['the upgraded client that never hangs up', stubborn],
      ['the client halfway through its request', halfway],
      ['the client that had sent nothing', idle],
    ] as const) {
      await client.serverEnded(1000, () => ({
        did: `${did}; then watched ${who}`,
        expected: 'its connection to be closed by close()',
        hint: '`close()` closes every connection: the upgraded ones you keep, and the HTTP server\'s own (`server.closeAllConnections()`).',
      }));
    }
    expectThat(!(await accepts('127.0.0.1', server.port)), {
      did: `After close() resolved, connected to port ${server.port} again`,
      expected: 'the connection to be refused: the server is closed',
      actual: 'it was accepted',
      hint: 'Call `server.close()`, not only destroy the sockets.',
    });
  });

  test('forgets each upgraded connection once it is gone', async ({ workbench }) => {
    await expectForgetsClosedConnections(workbench, handshakeServer, async (port) => {
      const { client } = await openRawWebSocket(workbench, port, 'a short-lived WebSocket client');
      // Gone for good: a reset closes the server's socket too, whatever it does.
      client.socket.resetAndDestroy();
      await new Promise((resolve) => client.socket.once('close', resolve));
    });
  });

  test('survives a client that resets an upgraded connection', async ({ workbench }) => {
    const accepted = watchAcceptedSockets(workbench);
    const server = await startServer(workbench);
    const { client } = await openRawWebSocket(workbench, server.port, 'a client that resets its connection');
    client.socket.write(randomBuffer(100));
    await resetOnceServerRead(accepted, client.socket);
    await connectWs(workbench, `ws://127.0.0.1:${server.port}/`, 'a `ws` client connecting afterwards');
  });
});
