// Reaching the grading server (see grading-server.ts) from `npm run check`.
//
// Plain JavaScript, so that tooling/cli/check.mjs can connect (or start the server)
// before the TypeScript loader and the grader have loaded: the two overlap.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const entry = fileURLToPath(new URL('./grading-server.mjs', import.meta.url));
/** A server that is not listening this soon after its start is given up on (the grader grades by itself). */
const START_LIMIT_MS = 30_000;
const RETRY_EVERY_MS = 25;
// Shared through globalThis: the launcher and the grader may load this file through different loaders.
const PREPARED = Symbol.for('socket-workbook.grading-server-connection');

/** Whether `npm run check` may use (and start) a grading server: not on Windows, and not when `WORKBOOK_GRADING_SERVER=0`. */
export function gradingServerAllowed() {
  return process.platform !== 'win32' && process.env.WORKBOOK_GRADING_SERVER !== '0';
}

/** Where the server of this checkout and state folder listens: a Unix socket in a private folder, never a port. */
export function gradingServerSocket() {
  const state = path.resolve(repoRoot, process.env.WORKBOOK_STATE ?? '.workbook');
  const key = createHash('sha1').update(`${repoRoot}\n${state}\n${process.execPath}`).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), `socket-workbook-${process.getuid?.() ?? 'user'}`, `${key}.sock`);
}

/** Whether the socket's folder is this user's alone (another user could otherwise answer in the server's place). */
function folderIsPrivate() {
  const folder = fs.statSync(path.dirname(gradingServerSocket()), { throwIfNoEntry: false });
  return folder !== undefined && folder.isDirectory() && folder.uid === process.getuid?.() && (folder.mode & 0o077) === 0;
}

/** @returns {Promise<net.Socket | undefined>} */
function connect() {
  if (!folderIsPrivate()) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const socket = net.createConnection(gradingServerSocket());
    socket.once('connect', () => {
      socket.off('error', refused);
      resolve(socket);
    });
    const refused = () => resolve(undefined);
    socket.once('error', refused);
  });
}

function startServer(/** @type {string} */ targetRoot) {
  fs.mkdirSync(path.dirname(gradingServerSocket()), { recursive: true, mode: 0o700 });
  if (!folderIsPrivate()) throw new Error('the grading server folder is not private');
  const log = fs.openSync(gradingServerSocket().replace(/\.sock$/, '.log'), 'w');
  // Detached, in a session of its own, with no terminal: it can never hold the learner's.
  const child = spawn(process.execPath, [entry, targetRoot], { detached: true, stdio: ['ignore', log, log], env: process.env });
  fs.closeSync(log);
  child.unref();
  return child;
}

/** Connects to the grading server, starting one when none is listening; `undefined` if none could be had. */
export async function connectToGradingServer(/** @type {string} */ targetRoot) {
  const running = await connect();
  if (running) return running;
  let server;
  try {
    server = startServer(targetRoot);
  } catch {
    return undefined;
  }
  // A server that exits before listening (it lost a race to another, or it failed) is waited for no longer than that.
  let exited = false;
  server.once('exit', () => (exited = true));
  const deadline = Date.now() + START_LIMIT_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
    const started = await connect();
    if (started) return started;
    // One more look: the winner of a race may be listening now.
    if (exited) return connect();
  }
  return undefined;
}

/**
 * Sends one request on `socket` and resolves with the one reply (a JSON line);
 * rejects if the connection ends first.
 */
export function askGradingServer(/** @type {net.Socket} */ socket, /** @type {unknown} */ request) {
  return new Promise((resolve, reject) => {
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      received += chunk;
      const end = received.indexOf('\n');
      if (end < 0) return;
      socket.end();
      try {
        resolve(JSON.parse(received.slice(0, end)));
      } catch (error) {
        reject(error);
      }
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('the grading server closed the connection without an answer')));
    socket.write(`${JSON.stringify(request)}\n`);
  });
}

/**
 * Asks the server for a grade now, before the grader has even loaded, for the first
 * grader of that folder to adopt: the grading overlaps this process's start-up.
 * `request` is a `ServerRequest` (see protocol.ts).
 */
export function prepareGradingServer(/** @type {{ root: string, isLearnerFolder: boolean, exercises: string[] }} */ request) {
  const reply = connectToGradingServer(request.root).then((socket) =>
    socket ? askGradingServer(socket, { type: 'grade', node: process.version, ...request }).catch(() => undefined) : undefined,
  );
  globalThis[PREPARED] = { request, reply };
}

/** The reply to the request prepared for this graded folder, if any; it can be adopted once. */
export function adoptGradingServer(/** @type {string} */ root, /** @type {boolean} */ isLearnerFolder) {
  const prepared = globalThis[PREPARED];
  if (!prepared || prepared.request.root !== root || prepared.request.isLearnerFolder !== isLearnerFolder) return undefined;
  globalThis[PREPARED] = undefined;
  return prepared.reply;
}
